"""Start-up checks (``huhang check``, and before ``huhang serve``): a misconfigured store or a missing
certificate font is reported at once, not at the first submission."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def evidence_settings(app_configs, **kwargs):
    problems = []
    if settings.HUHANG_EVIDENCE_STORE != "local":
        problems.append(
            Error(
                f"HUHANG_EVIDENCE_STORE={settings.HUHANG_EVIDENCE_STORE!r} is not available",
                hint="Only the local store exists so far: unset HUHANG_EVIDENCE_STORE.",
                id="huhang.evidence.E001",
            )
        )
    if settings.HUHANG_EVIDENCE_MAX_BYTES <= 0:
        problems.append(Error("HUHANG_EVIDENCE_MAX_BYTES must be positive", id="huhang.evidence.E002"))
    from huhang.evidence.certificate import FONT_CANDIDATES

    candidates = [settings.HUHANG_PDF_FONT] if settings.HUHANG_PDF_FONT else list(FONT_CANDIDATES)
    if not any(Path(c).is_file() for c in candidates):
        problems.append(
            Warning(
                "no TrueType CJK font for evidence certificates",
                hint="Install Debian's fonts-wqy-microhei, or set HUHANG_PDF_FONT to a .ttf/.ttc file.",
                id="huhang.evidence.W001",
            )
        )
    return problems
