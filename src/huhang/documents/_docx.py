"""Lay out a composed document as an A4 Word file (DOCX) with python-docx.

Type follows GB/T 9704-2012 (党政机关公文格式): body 三号 (16 pt) 仿宋 on exact 28 pt lines, title 二号 (22 pt)
宋体 bold, margins 37/35/28/26 mm, page number "— 1 —" in the footer. Chinese font names go in the East-Asian
slot of every run (``w:rFonts/@w:eastAsia``, with ``w:lang/@w:eastAsia="zh-CN"``) and the theme font
attributes are removed, so Word and LibreOffice both apply them (or their own substitute for CJK text)
rather than a Latin font.
"""

from __future__ import annotations

import io
import unicodedata

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from ._compose import RIGHT, SEAL, Composed, Paragraph, Rows, Signatures, compose, in_pairs
from ._model import DocumentContext

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = 16
LEADING = 28
TITLE_SIZE = 22
AUTHORITY_SIZE = 20
TABLE_SIZE = 14
DATE_RIGHT_SPACE = 4 * BODY_SIZE  # 成文日期右空四字
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_fonts(rpr, east_asia: str) -> None:
    fonts = rpr.get_or_add_rFonts()
    for attribute in _THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:cs"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")


def _run(paragraph, text: str, *, size: float = BODY_SIZE, bold: bool = False, font: str = BODY_FONT):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    _set_fonts(run._element.get_or_add_rPr(), font)
    return run


def _paragraph(container, text: str = "", *, align=None, first_line: float = 0, right: float = 0, **run_options):
    paragraph = container.add_paragraph()
    layout = paragraph.paragraph_format
    layout.alignment = align
    layout.first_line_indent = Pt(first_line) if first_line else None
    layout.right_indent = Pt(right) if right else None
    if text:
        _run(paragraph, text, **run_options)
    return paragraph


def _text_width(text: str, size: float = BODY_SIZE) -> float:
    """Approximate printed width: full-width characters one em, others half an em."""
    return sum(size if unicodedata.east_asian_width(char) in "WF" else size / 2 for char in text)


#: fontTable entries telling Word and LibreOffice that the Chinese fonts are GB2312 (charset 86) faces.
_FONT_TABLE = (
    (BODY_FONT, "FangSong", "02010609060101010101", "modern"),
    (TITLE_FONT, "SimSun", "02010600030101010101", "auto"),
)


def _declare_fonts(document) -> None:
    part = next((part for part in document.part.package.iter_parts() if part.partname == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    for name, alt_name, panose, family in _FONT_TABLE:
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt_name), ("w:panose1", panose), ("w:charset", "86"), ("w:family", family)):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        root.append(font)
    # A plain (unparsed) python-docx part keeps its bytes in _blob and has no public setter.
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _prepare(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(18)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            for attribute in _THEME_ATTRIBUTES:
                fonts.attrib.pop(qn(attribute), None)
            fonts.set(qn("w:eastAsia"), BODY_FONT)
        for language in defaults.iter(qn("w:lang")):
            language.set(qn("w:eastAsia"), "zh-CN")
    # python-docx's template declares Japanese theme fonts; LibreOffice then picks a Japanese face.
    theme_language = document.settings.element.find(qn("w:themeFontLang"))
    if theme_language is not None:
        theme_language.set(qn("w:eastAsia"), "zh-CN")
    _declare_fonts(document)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    layout = normal.paragraph_format
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = Pt(LEADING)
    layout.space_before = Pt(0)
    layout.space_after = Pt(0)
    layout.widow_control = True


def _page_number(document) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "— ", size=14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    placeholder = _run(paragraph, "1", size=14)
    field.append(placeholder._element)
    paragraph._p.append(field)
    _run(paragraph, " —", size=14)


def _table(document, rows, widths, *, grid: bool, size: float = TABLE_SIZE, label_centred: bool = False):
    table = document.add_table(rows=len(rows), cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    if grid:
        table.style = document.styles["Table Grid"]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # w:gridCol, which LibreOffice follows
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.width = widths[c]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER if grid else WD_CELL_VERTICAL_ALIGNMENT.TOP
            paragraph = cell.paragraphs[0]
            layout = paragraph.paragraph_format
            layout.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
            layout.line_spacing = Pt(size * 1.6)
            if label_centred and c == 0:
                layout.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for index, line in enumerate(text.split("\n")):
                if index:
                    paragraph = _paragraph(cell, align=layout.alignment)
                    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
                    paragraph.paragraph_format.line_spacing = Pt(size * 1.6)
                if line.startswith(RIGHT):
                    line = line[len(RIGHT) :]
                    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if line:
                    _run(paragraph, line, size=size)
    return table


def _keep_last_block_with_next(document) -> None:
    """Set keep-with-next on the last paragraph of the body, or on every paragraph of a last table."""
    blocks = [child for child in document.element.body if child.tag in (qn("w:p"), qn("w:tbl"))]
    if not blocks:
        return
    if blocks[-1].tag == qn("w:p"):
        DocxParagraph(blocks[-1], document._body).paragraph_format.keep_with_next = True
        return
    table = DocxTable(blocks[-1], document._body)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def render_docx(ctx: DocumentContext) -> bytes:
    """Return ``ctx`` rendered as an A4 Word document (DOCX).

    Raises:
        UnknownKind, MissingField, InvalidField: as :func:`~huhang.documents.missing_fields` explains.
    """
    return _layout(compose(ctx))


def _layout(composed: Composed) -> bytes:
    document = Document()
    _prepare(document)
    _page_number(document)
    body_width = Mm(210 - 28 - 26)

    heading = {"align": WD_ALIGN_PARAGRAPH.CENTER, "bold": True, "font": TITLE_FONT}
    authority = _paragraph(document, composed.authority, size=AUTHORITY_SIZE, **heading)
    title = _paragraph(document, composed.title, size=TITLE_SIZE, **heading)
    for paragraph in (authority, title):
        paragraph.paragraph_format.line_spacing = Pt(36)
    _paragraph(document, composed.number, align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.space_after = Pt(LEADING / 2)
    if composed.salutation:
        _paragraph(document, composed.salutation)
    for block in composed.blocks:
        if isinstance(block, Paragraph):
            _paragraph(
                document,
                block.text,
                align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                first_line=2 * BODY_SIZE if block.indent else 0,
            )
        elif isinstance(block, Rows):
            _table(document, block.rows, [Mm(46), body_width - Mm(46)], grid=True, label_centred=True)
        elif isinstance(block, Signatures):
            _paragraph(document)
            _table(document, in_pairs(block.cells, ""), [body_width // 2, body_width // 2], grid=False)
    if composed.closing:
        lines = [composed.closing[0], composed.closing[1], SEAL]
        centre = DATE_RIGHT_SPACE + _text_width(lines[1]) / 2
        # The 落款 never stands alone on a page: the last paragraph or table before it moves along.
        _keep_last_block_with_next(document)
        _paragraph(document).paragraph_format.keep_with_next = True
        for line in lines:
            paragraph = _paragraph(
                document, line, align=WD_ALIGN_PARAGRAPH.RIGHT, right=max(0.0, centre - _text_width(line) / 2)
            )
            paragraph.paragraph_format.keep_with_next = line != SEAL

    properties = document.core_properties
    properties.title = f"{composed.authority}{composed.title}"
    properties.author = composed.authority
    properties.subject = composed.case_number
    properties.keywords = composed.kind.code
    properties.language = "zh-CN"
    properties.comments = "huhang.documents"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
