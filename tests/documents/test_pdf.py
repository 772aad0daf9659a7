"""PDF output: the Chinese text is extractable, the CJK TrueType font embedded, lines broken properly."""

from pathlib import Path

import pytest

from huhang.documents import KINDS, FontNotFound, MissingField, render_pdf
from huhang.documents._fonts import FONT_CANDIDATES, font_file
from huhang.documents._pdf import NO_END, NO_START, break_lines

from .conftest import full_context
from .tools import pdf_fonts, pdf_text


@pytest.fixture
def write_pdf(tmp_path):
    def write(kind, **options):
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(render_pdf(full_context(kind), **options))
        return path

    return write


def test_every_kind_renders_a_pdf_with_its_title_and_parties(kind, write_pdf):
    ctx = full_context(kind)
    pdf = write_pdf(kind)
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert KINDS[kind].title_zh in text
    assert ctx.authority in text
    assert any(party.name in text for party in ctx.parties)


def test_only_embedded_fonts_are_used(write_pdf):
    fonts = pdf_fonts(write_pdf("adjudication_decision"))
    assert fonts
    assert all(font["emb"] == "yes" and font["uni"] == "yes" for font in fonts), fonts
    assert any("WenQuanYi" in font["name"] for font in fonts)


def test_decision_text_survives_extraction(write_pdf):
    text = pdf_text(write_pdf("adjudication_decision"))
    assert "专利侵权纠纷行政裁决书" in text
    assert "武知保裁字〔2026〕第12号" in text
    assert "请求人：武汉光谷精密仪器有限公司" in text
    assert "2026年11月21日" in text
    assert "（印章）" in text


def test_an_explicit_font_path_or_the_environment_chooses_the_font(monkeypatch, tmp_path):
    installed = next(path for path in FONT_CANDIDATES if Path(path).is_file())
    monkeypatch.setenv("HUHANG_PDF_FONT", str(tmp_path / "missing.ttf"))
    with pytest.raises(FontNotFound, match=r"missing\.ttf"):
        render_pdf(full_context("filing_notice"))
    assert render_pdf(full_context("filing_notice"), font_path=installed).startswith(b"%PDF-")
    monkeypatch.setenv("HUHANG_PDF_FONT", installed)
    assert str(font_file()) == installed


def test_a_file_that_is_not_a_font_is_refused(tmp_path):
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font")
    with pytest.raises(FontNotFound, match="cannot be embedded"):
        render_pdf(full_context("filing_notice"), font_path=junk)


def test_missing_fields_are_refused_before_looking_for_a_font(tmp_path):
    with pytest.raises(MissingField):
        render_pdf(full_context("filing_notice", fields={}), font_path=tmp_path / "missing.ttf")


def _width(text):
    return sum(1 if ord(char) > 0x2E80 else 0.5 for char in text)


BREAKS = (
    ("fits", "甲乙丙", 5, 5, ["甲乙丙"]),
    ("comma may not start a line", "甲乙丙丁戊己庚，辛壬癸", 7, 7, ["甲乙丙丁戊己", "庚，辛壬癸"]),
    ("opening bracket may not end a line", "甲乙丙丁戊（庚辛", 6, 6, ["甲乙丙丁戊", "（庚辛"]),
    ("two closing marks move together", "甲乙丙丁戊。”辛", 6, 6, ["甲乙丙丁", "戊。”辛"]),
    ("first line is shorter (indent)", "甲乙丙丁戊己", 4, 6, ["甲乙丙丁", "戊己"]),
    ("a number stays whole", "甲乙丙丁戊2026年", 6, 6, ["甲乙丙丁戊", "2026年"]),
    ("a long code is broken", "甲ABCDEFGHIJKLMNOPQRST", 6, 6, ["甲ABCDEFGHIJ", "KLMNOPQRST"]),
)


@pytest.mark.parametrize(("text", "first", "rest", "expected"), [b[1:] for b in BREAKS], ids=[b[0] for b in BREAKS])
def test_break_lines(text, first, rest, expected):
    lines = break_lines(text, _width, first, rest)
    assert lines == expected
    for line in lines[1:]:
        assert line[0] not in NO_START
    for line in lines[:-1]:
        assert line[-1] not in NO_END
