"""The PDF certificate (存证证明) of a piece of evidence, in Chinese, with a QR code to the verification page.

The certificate restates the receipt for people; the receipt (JSON) is what a verifier checks. Its font is
embedded: a TrueType CJK font (WenQuanYi Micro Hei, Debian's ``fonts-wqy-microhei``; reportlab cannot embed
the CFF outlines of Noto CJK), found at ``HUHANG_PDF_FONT`` or in the usual places.
"""

import io
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from huhang.evidence.models import Evidence, EvidenceMode

FONT_NAME = "HuhangCJK"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
BEIJING = ZoneInfo("Asia/Shanghai")

KIND_ZH = {
    "document": "文档",
    "image": "图片",
    "video": "视频",
    "audio": "音频",
    "web_page": "网页截存",
    "source_code": "源代码",
    "contract": "合同",
    "other": "其他",
}
MODE_ZH = {EvidenceMode.FILE: "上传文件存证", EvidenceMode.HASH: "仅哈希存证（商业秘密，原文未上传）"}


@cache
def _font() -> str:
    configured = getattr(settings, "HUHANG_PDF_FONT", "")
    for candidate in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            pdfmetrics.registerFont(TTFont(FONT_NAME, candidate, subfontIndex=0))
            return FONT_NAME
    raise ImproperlyConfigured(
        "no TrueType CJK font for certificates: install Debian's fonts-wqy-microhei or set HUHANG_PDF_FONT"
    )


def beijing_time(moment) -> str:
    """Return ``moment`` in Beijing time, Chinese style: ``2025年3月1日 10:03:04（北京时间）``."""
    local = moment.astimezone(BEIJING)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M:%S}（北京时间）"


def _size_text(size: int | None) -> str:
    if size is None:
        return "未申报"
    return f"{size:,} 字节"


def certificate_pdf(evidence: Evidence, *, receipt: dict, holder_id: str, verify_url: str) -> bytes:
    """Return the PDF certificate of ``evidence`` whose ``receipt`` (the JSON object) it restates."""
    font = _font()
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    mono = ParagraphStyle("mono", parent=base, fontSize=8.5, leading=12)
    label = ParagraphStyle("label", parent=base, textColor=colors.HexColor("#52606d"))
    title = ParagraphStyle("title", parent=base, fontSize=22, leading=30, alignment=1, spaceAfter=2)
    subtitle = ParagraphStyle("subtitle", parent=base, fontSize=10.5, alignment=1, textColor=colors.HexColor("#52606d"))
    note = ParagraphStyle("note", parent=base, fontSize=8.5, leading=13, textColor=colors.HexColor("#3e4c59"))

    def p(text, style=base):
        return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)

    checkpoint = receipt["checkpoint"]
    rows = [
        ("存证编号", p(evidence.pk, mono)),
        ("权利人", p(evidence.holder.name)),
        ("证件号码", p(holder_id or "—")),
        ("证据类型", p(KIND_ZH.get(evidence.kind, evidence.kind))),
        ("证据名称", p(evidence.title)),
        ("证据说明", p(evidence.description or "—")),
        ("存证方式", p(MODE_ZH.get(evidence.mode, evidence.mode))),
    ]
    if evidence.mode == EvidenceMode.FILE:
        rows.append(("原文件名", p(evidence.original_name or "—")))
    rows += [
        ("文件大小", p(_size_text(evidence.size))),
        ("文件类型", p(evidence.media_type or "未申报")),
        ("SHA-256", p(evidence.sha256, mono)),
    ]
    if evidence.sm3:
        rows.append(("SM3", p(evidence.sm3, mono)))
    rows += [
        ("存证时间", p(beijing_time(evidence.submitted_at))),
        ("账本名称", p(receipt["origin"], mono)),
        ("账本序号", p(f"第 {evidence.ledger_index} 号条目（从 0 起算）")),
        ("检查点", p(f"树大小 {checkpoint['size']}，根哈希 {checkpoint['root_hash']}", mono)),
        (
            "见证联署",
            p(f"{checkpoint['cosignatures']} 个见证方联署" if checkpoint["cosignatures"] else "尚未发布见证联署"),
        ),
        ("验证公钥", p(receipt["verifier_key"], mono)),
    ]
    table = Table([[p(k, label), v] for k, v in rows], colWidths=[28 * mm, 142 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#bcccdc")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f4f8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )

    qr = QrCodeWidget(verify_url, barLevel="M")
    x0, y0, x1, y1 = qr.getBounds()
    side = 34 * mm
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.add(qr)
    footer = Table(
        [
            [
                drawing,
                [
                    p("验证方法", label),
                    p(
                        "一、扫描左侧二维码，或访问下列地址，上传存证证明（JSON 文件）及原文件，即可核验。\n"
                        f"{verify_url}\n"
                        "二、离线核验，无需连接本平台：huhang verify 存证证明.json --file 原文件 --key 验证公钥\n"
                        "核验以账本的签名检查点与默克尔包含证明为准（RFC 9162、C2SP tlog-proof），"
                        "任何对文件、证明或检查点的改动都将导致核验失败。",
                        note,
                    ),
                ],
            ]
        ],
        colWidths=[40 * mm, 130 * mm],
    )
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=16 * mm,
        title="存证证明",
        author="护航知识产权保护平台",
        subject=str(evidence.pk),
    )
    doc.build(
        [
            p("电子数据存证证明", title),
            p("护航知识产权保护平台 · 区块链知识产权保护存证", subtitle),
            Spacer(1, 8 * mm),
            table,
            Spacer(1, 6 * mm),
            footer,
        ]
    )
    return buffer.getvalue()
