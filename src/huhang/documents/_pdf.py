"""Lay out a composed document as an A4 PDF with reportlab, in the embedded CJK TrueType font.

Page and type follow GB/T 9704-2012 (党政机关公文格式) where a single font allows: margins 37/35/28/26 mm
(top/bottom/left/right), body 16 pt (三号) on 28 pt lines (22 lines of 28 characters), title 22 pt (二号),
page numbers "— 1 —" at the foot. The font has no bold face, so headings are drawn filled and stroked.

Chinese lines are broken here rather than by reportlab's ``wordWrap="CJK"``, whose rules let ，；：！？”》
start a line and （《“〔 end one: :func:`break_lines` applies the usual 避头尾 rules (push the last
characters to the next line) and keeps runs of Latin letters and digits whole; every full line is
justified by spreading the spare width over its characters.
"""

from __future__ import annotations

import io
import os
import re
from collections import deque
from collections.abc import Callable

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from ._compose import RIGHT, SEAL, Composed, Paragraph, Rows, Signatures, compose, in_pairs
from ._fonts import registered_font
from ._model import DocumentContext

BODY_SIZE = 16
LEADING = 28
TITLE_SIZE = 22
AUTHORITY_SIZE = 20
TABLE_SIZE = 14
TABLE_LEADING = 24
LABEL_WIDTH = 46 * mm  # 代收人及代收理由 on one line
MARGINS = {"topMargin": 37 * mm, "bottomMargin": 35 * mm, "leftMargin": 28 * mm, "rightMargin": 26 * mm}
DATE_RIGHT_SPACE = 4 * BODY_SIZE  # 成文日期右空四字

#: Characters that may not begin a line (避头) or end one (避尾).
NO_START = frozenset("，。、；：？！）》」』】〕〉］｝”’…—·％,.;:?!)]}%")
NO_END = frozenset("（《「『【〔〈［｛“‘([{")
_UNITS = re.compile(r"[\x21-\x7e]+|\s+|.")


def break_lines(text: str, width_of: Callable[[str], float], first: float, rest: float) -> list[str]:
    """Return ``text`` broken into lines no wider than ``first`` (then ``rest``) points.

    Each CJK character is a unit; a run of visible ASCII (a number, a patent number) is one unit, broken
    only when moving it whole would leave more than a quarter of the line empty. A line never starts
    with a character of ``NO_START`` nor ends with one of ``NO_END``: the units concerned move to the next
    line together.
    """
    units = deque(_UNITS.findall(text))
    lines: list[str] = []
    line: list[str] = []
    used, limit = 0.0, first
    while units:
        unit = units.popleft()
        width = width_of(unit)
        if used + width > limit + 0.01 and (line or width > limit):
            room = limit - used
            fitting = [k for k in range(1, len(unit)) if width_of(unit[:k]) <= room]
            if fitting and not unit.isspace() and (room > limit / 4 or width > rest):
                units.extendleft([unit[fitting[-1] :], unit[: fitting[-1]]])
                continue
            carry: list[str] = []
            if unit in NO_START:
                while len(line) > 1:
                    carry.insert(0, line.pop())
                    if carry[0] not in NO_START:
                        break
            while len(line) > 1 and line[-1] in NO_END:
                carry.insert(0, line.pop())
            lines.append("".join(line).rstrip())
            line, limit = carry, rest
            used = sum(width_of(piece) for piece in line)
        if not line and unit.isspace():
            continue
        line.append(unit)
        used += width
    if line:
        lines.append("".join(line).rstrip())
    return lines


class _Text(Flowable):
    """A paragraph of Chinese text: broken by :func:`break_lines`, justified, split across pages by line."""

    def __init__(
        self,
        text: str,
        font: str,
        size: float = BODY_SIZE,
        leading: float = LEADING,
        *,
        align: str = "justify",
        first_indent: float = 0,
        right_indent: float = 0,
        lines: list[str] | None = None,
        justify_last: bool = False,
    ) -> None:
        super().__init__()
        self.text, self.font, self.size, self.leading = text, font, size, leading
        self.align, self.first_indent, self.right_indent = align, first_indent, right_indent
        self.lines, self.fixed, self.justify_last = lines or [], lines is not None, justify_last

    def _width_of(self, text: str) -> float:
        return stringWidth(text, self.font, self.size)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        if not self.fixed:
            usable = avail_width - self.right_indent
            self.lines = break_lines(self.text, self._width_of, usable - self.first_indent, usable)
        self.height = max(1, len(self.lines)) * self.leading
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        fits = int(avail_height // self.leading)
        if fits >= len(self.lines):
            return [self]
        fits = min(fits, len(self.lines) - 2)  # leave no single (widow) line on the next page
        if fits < 2:  # nor a single (orphan) line on this one
            return []
        options = {"align": self.align, "right_indent": self.right_indent}
        head = _Text(
            self.text,
            self.font,
            self.size,
            self.leading,
            first_indent=self.first_indent,
            lines=self.lines[:fits],
            justify_last=True,
            **options,
        )
        tail = _Text(self.text, self.font, self.size, self.leading, lines=self.lines[fits:], **options)
        return [head, tail]

    def draw(self) -> None:
        canvas = self.canv
        usable = self.width - self.right_indent
        for index, line in enumerate(self.lines):
            indent = self.first_indent if index == 0 else 0
            width = self._width_of(line)
            x, char_space = indent, 0.0
            last = index == len(self.lines) - 1
            if self.align == "right":
                x = usable - width
            elif self.align == "centre":
                x = (usable - width) / 2
            elif self.align == "justify" and (not last or self.justify_last) and len(line) > 1:
                char_space = max(0.0, (usable - indent - width) / (len(line) - 1))
            baseline = self.height - index * self.leading - (self.leading + self.size * 0.72) / 2
            text = canvas.beginText(x, baseline)
            text.setFont(self.font, self.size)
            text.setCharSpace(char_space)
            text.textOut(line)
            canvas.drawText(text)


class _BoldLine(Flowable):
    """One centred heading line drawn filled and stroked (a bold face for a font that has none)."""

    def __init__(self, text: str, font: str, size: float, *, space_after: float = 0) -> None:
        super().__init__()
        self.text, self.font, self.size, self.spaceAfter = text, font, size, space_after

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        natural = stringWidth(self.text, self.font, self.size)
        if natural > avail_width:
            self.size = self.size * avail_width / natural
        return avail_width, self.size * 1.6

    def draw(self) -> None:
        canvas = self.canv
        width = stringWidth(self.text, self.font, self.size)
        canvas.saveState()
        canvas.setLineWidth(self.size * 0.035)
        text = canvas.beginText((self.width - width) / 2, self.size * 0.45)
        text.setTextRenderMode(2)
        text.setFont(self.font, self.size)
        text.textOut(self.text)
        canvas.drawText(text)
        canvas.restoreState()


def render_pdf(ctx: DocumentContext, *, font_path: str | os.PathLike | None = None) -> bytes:
    """Return ``ctx`` rendered as an A4 PDF with an embedded CJK TrueType font.

    Args:
        font_path: the TrueType font to embed; default ``$HUHANG_PDF_FONT``, else WenQuanYi Micro Hei.

    Raises:
        UnknownKind, MissingField, InvalidField: as :func:`~huhang.documents.missing_fields` explains.
        FontNotFound: no usable TrueType CJK font.
    """
    document = compose(ctx)
    return _layout(document, registered_font(font_path))


def _cell(text: str, font: str, *, align: str = "left") -> list[Flowable]:
    flowables: list[Flowable] = []
    for line in text.split("\n"):
        if not line.strip():
            flowables.append(Spacer(1, TABLE_LEADING))
        elif line.startswith(RIGHT):
            flowables.append(_Text(line[len(RIGHT) :], font, TABLE_SIZE, TABLE_LEADING, align="right"))
        else:
            flowables.append(_Text(line, font, TABLE_SIZE, TABLE_LEADING, align=align))
    return flowables


def _layout(document: Composed, font: str) -> bytes:
    width = A4[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]
    story: list[Flowable] = [
        _BoldLine(document.authority, font, AUTHORITY_SIZE, space_after=2),
        _BoldLine(document.title, font, TITLE_SIZE, space_after=LEADING / 2),
        _Text(document.number, font, align="right"),
        Spacer(1, LEADING / 2),
    ]
    if document.salutation:
        story.append(_Text(document.salutation, font, align="left"))
    for block in document.blocks:
        if isinstance(block, Paragraph):
            story.append(_Text(block.text, font, first_indent=2 * BODY_SIZE if block.indent else 0))
        elif isinstance(block, Rows):
            table = Table(
                [[_cell(label, font, align="centre"), _cell(value, font)] for label, value in block.rows],
                colWidths=[LABEL_WIDTH, width - LABEL_WIDTH],
            )
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.8, colors.black),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                        ("TOPPADDING", (0, 0), (-1, -1), 3),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                        ("LEFTPADDING", (0, 0), (-1, -1), 6),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ]
                )
            )
            story += [Spacer(1, 4), table]
        elif isinstance(block, Signatures):
            table = Table(in_pairs([_cell(text, font) for text in block.cells], ""), colWidths=[width / 2, width / 2])
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 14)]))
            story += [Spacer(1, LEADING / 2), KeepTogether([table])]
    if document.closing:
        lines = [document.closing[0], document.closing[1], SEAL]
        centre = DATE_RIGHT_SPACE + stringWidth(lines[1], font, BODY_SIZE) / 2
        # The 落款 never stands alone on a page: the last paragraph or table before it moves along.
        closing: list[Flowable] = [story.pop(), Spacer(1, LEADING)]
        for line in lines:
            indent = max(0.0, centre - stringWidth(line, font, BODY_SIZE) / 2)
            closing.append(_Text(line, font, align="right", right_indent=indent))
        story.append(KeepTogether(closing))

    def page_number(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 14)
        canvas.drawCentredString(A4[0] / 2, 20 * mm, f"— {doc.page} —")
        canvas.restoreState()

    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{document.authority}{document.title}",
        author=document.authority,
        subject=document.case_number,
        keywords=document.kind.code,
        creator="huhang.documents",
        lang="zh-CN",
        initialFontName=font,  # else the canvas declares Helvetica, which is not embedded
        initialFontSize=BODY_SIZE,
        **MARGINS,
    )
    pdf.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buffer.getvalue()
