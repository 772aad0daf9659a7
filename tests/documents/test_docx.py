"""DOCX output: it re-opens with python-docx, is A4, carries the title and parties, in East-Asian fonts."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from huhang.documents import KINDS, MissingField, render_docx

from .conftest import full_context


def open_docx(kind):
    ctx = full_context(kind)
    return ctx, Document(io.BytesIO(render_docx(ctx)))


def all_text(document):
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_every_kind_renders_a_docx_that_reopens(kind):
    ctx, document = open_docx(kind)
    text = all_text(document)
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[:3] == [ctx.authority, KINDS[kind].title_zh, ctx.number]
    assert any(party.name in text for party in ctx.parties)
    assert "—" in document.sections[0].footer.paragraphs[0].text


@pytest.mark.parametrize(
    ("kind", "title", "names"),
    [
        ("adjudication_decision", "专利侵权纠纷行政裁决书", ("武汉光谷精密仪器有限公司", "汉阳机电设备制造有限公司")),
        ("mediation_agreement", "调解协议书", ("武汉光谷精密仪器有限公司", "汉阳机电设备制造有限公司")),
        ("correction_notice", "补正通知书", ("武汉光谷精密仪器有限公司",)),
        ("penalty_decision", "行政处罚决定书", ("武汉市江汉区鑫达商贸行",)),
        ("service_record", "送达回证", ("汉阳机电设备制造有限公司",)),
    ],
)
def test_title_and_party_names(kind, title, names):
    _, document = open_docx(kind)
    assert document.paragraphs[1].text == title
    text = all_text(document)
    for name in names:
        assert name in text


def test_title_is_centred_and_bold_in_a_song_face():
    _, document = open_docx("adjudication_decision")
    title = document.paragraphs[1]
    assert title.alignment == 1  # centre
    run = title.runs[0]
    assert run.bold
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"


def test_every_run_names_an_east_asian_font_and_chinese_language():
    _, document = open_docx("filing_notice")
    runs = [run for paragraph in document.paragraphs for run in paragraph.runs]
    assert runs
    for run in runs:
        fonts = run._element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) in ("仿宋", "宋体")
        assert fonts.get(qn("w:eastAsiaTheme")) is None
        assert run._element.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    body = next(paragraph for paragraph in document.paragraphs if paragraph.text.startswith("你方于"))
    assert body.paragraph_format.first_line_indent is not None


def test_page_is_a4_with_official_margins():
    _, document = open_docx("suspension_notice")
    section = document.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.left_margin)
    assert [round(size.mm) for size in sizes] == [210, 297, 37, 28]  # stored in twips


def test_closing_has_authority_chinese_date_and_seal_line():
    ctx, document = open_docx("filing_notice")
    written = [paragraph for paragraph in document.paragraphs if paragraph.text]
    assert [paragraph.text for paragraph in written[-3:]] == [ctx.authority, "2026年11月21日", "（印章）"]
    last_body = written[-4]
    assert last_body.text == "特此通知。"
    assert last_body.paragraph_format.keep_with_next  # the 落款 never stands alone on a page


def test_service_record_is_a_table():
    _, document = open_docx("service_record")
    rows = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert rows["送达方式"] == "直接送达"
    assert "（签名或者盖章）" in rows["受送达人签收"]


def test_core_properties_identify_the_document():
    ctx, document = open_docx("adjudication_decision")
    properties = document.core_properties
    assert properties.title == "武汉市知识产权局专利侵权纠纷行政裁决书"
    assert properties.subject == ctx.case_number
    assert properties.keywords == "adjudication_decision"


def test_missing_fields_are_refused_before_rendering():
    with pytest.raises(MissingField):
        render_docx(full_context("filing_notice", fields={}))
