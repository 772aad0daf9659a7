"""The TrueType CJK font embedded in PDFs.

reportlab embeds TrueType outlines only (not the CFF outlines of Noto CJK), so the default is WenQuanYi
Micro Hei (Debian's ``fonts-wqy-microhei``), as for evidence certificates. The font is looked up, in order:
the ``font_path`` argument, the ``HUHANG_PDF_FONT`` environment variable, the usual Debian paths. It is read
each time it is needed, never fixed at import.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ._errors import FontNotFound

ENVIRONMENT_VARIABLE = "HUHANG_PDF_FONT"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def font_file(font_path: str | os.PathLike | None = None) -> Path:
    """Return the font file to embed: ``font_path``, else ``$HUHANG_PDF_FONT``, else the first candidate found.

    Raises:
        FontNotFound: the named file does not exist, or no candidate is installed.
    """
    named = font_path or os.environ.get(ENVIRONMENT_VARIABLE, "")
    if named:
        path = Path(named)
        if path.is_file():
            return path
        raise FontNotFound(f"PDF font {str(path)!r} does not exist", f"PDF字体文件“{path}”不存在")
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    raise FontNotFound(
        f"no TrueType CJK font for PDFs: install Debian's fonts-wqy-microhei or set {ENVIRONMENT_VARIABLE}",
        f"没有可嵌入PDF的TrueType中文字体：请安装 fonts-wqy-microhei，或设置 {ENVIRONMENT_VARIABLE}",
    )


@cache
def _register(path: str) -> str:
    name = "HuhangDoc-" + hashlib.sha256(path.encode()).hexdigest()[:10]
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    except Exception as error:  # reportlab raises bare TTFError/struct errors on unusable files
        raise FontNotFound(
            f"PDF font {path!r} cannot be embedded: {error}", f"PDF字体文件“{path}”无法嵌入：{error}"
        ) from error
    return name


def registered_font(font_path: str | os.PathLike | None = None) -> str:
    """Return the reportlab name of the CJK font, registering it on first use."""
    return _register(str(font_file(font_path).resolve()))
