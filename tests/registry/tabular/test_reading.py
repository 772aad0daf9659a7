"""Reading a file: what is refused, and how precisely the refusal says why."""

import io
import re
from datetime import date, datetime

import pytest
from django.utils import translation

from huhang.registry.models import Entity
from huhang.registry.tabular import errors
from huhang.registry.tabular.columns import KINDS, spec_for
from huhang.registry.tabular.importing import import_rows
from huhang.registry.tabular.reading import read_raw, read_table
from tests.conftest import make_uscc
from tests.registry.tabular.files import csv_bytes, xlsx_bytes

ENTITIES = spec_for("entities")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_csv_rows_are_numbered_as_excel_shows_them(write_file):
    data = csv_bytes([["名称", "主体类型"], ["甲", "企业"], ["", ""], ["多行\n名称", "企业"], ["乙", "企业"]])
    raw = read_raw(write_file("a.csv", data))
    assert raw.headers == ["名称", "主体类型"]
    assert [n for n, _cells in raw.rows] == [2, 4, 5]  # blank row 3 dropped, numbering kept


def test_tab_separated_utf16_text_as_excel_saves_unicode_text(write_file):
    text = "名称\t主体类型\t统一社会信用代码\n甲\t企业\t91420100000000001X\n"
    raw = read_raw(write_file("a.txt", text.encode("utf-16")))
    assert raw.headers == ["名称", "主体类型", "统一社会信用代码"]
    assert raw.rows == [(2, ["甲", "企业", "91420100000000001X"])]


def test_xlsx_cells_keep_their_types(write_file):
    data = xlsx_bytes([["名称", "成立日期", "数"], ["甲", datetime(2024, 1, 5), 3]])
    raw = read_raw(write_file("a.xlsx", data))
    assert raw.rows == [(2, ["甲", datetime(2024, 1, 5), 3])]


def test_a_file_over_the_limit_is_refused_before_reading(write_file, settings):
    settings.HUHANG_IMPORT_MAX_BYTES = 100
    path = write_file("big.csv", b"a," * 100)
    with pytest.raises(errors.FileTooLarge, match=r"big\.csv"):
        read_raw(path)
    with pytest.raises(errors.FileTooLarge):
        read_raw(io.BytesIO(b"a," * 100))

    class Unsized(io.RawIOBase):  # a stream whose size cannot be known until it is read
        def __init__(self):
            self.left = 10_000

        def readable(self):
            return True

        def seekable(self):
            return False

        def readinto(self, buffer):
            n = min(len(buffer), self.left)
            buffer[:n] = b"x" * n
            self.left -= n
            return n

    with pytest.raises(errors.FileTooLarge):
        read_raw(io.BufferedReader(Unsized()))


def test_an_empty_file(write_file):
    with pytest.raises(errors.EmptyFile, match="empty"):
        read_raw(write_file("a.csv", b""))
    with pytest.raises(errors.EmptyFile, match="no rows"):
        read_raw(write_file("a.csv", b"\r\n,,\r\n"))


def test_a_header_without_rows(write_file):
    with pytest.raises(errors.EmptyFile, match="no data rows"):
        read_table(write_file("a.csv", csv_bytes([["名称", "主体类型", "USCC"]])), spec=ENTITIES)


def test_a_png_renamed_csv_is_refused(write_file):
    with pytest.raises(errors.UnsupportedFile, match="PNG"):
        read_raw(write_file("photo.csv", PNG))


def test_other_binary_files_are_refused(write_file):
    with pytest.raises(errors.UnsupportedFile, match="binary"):
        read_raw(write_file("a.csv", b"abc\x00\x01\x02def"))
    with pytest.raises(errors.UnsupportedFile, match=r"\.xls\)"):
        read_raw(write_file("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100))


def test_a_truncated_xlsx_is_refused(write_file):
    data = xlsx_bytes([["名称"], ["甲"]])
    with pytest.raises(errors.DamagedFile, match="damaged or incomplete"):
        read_raw(write_file("cut.xlsx", data[: len(data) // 2]))


def test_a_zip_that_is_not_a_workbook(write_file):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(errors.UnsupportedFile, match="not an Excel workbook"):
        read_raw(write_file("a.xlsx", out.getvalue()))


def test_undecodable_text(write_file):
    with pytest.raises(errors.UndecodableText, match="line 2"):
        read_raw(write_file("a.csv", "名称\n".encode() + b"\xff\xfe\xfd\x80\n"))


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (["名称", "主体类型", "USCC", "备注", "Colour"], "Unknown columns: D「备注」, E「Colour」"),
        (["名称", "Name", "主体类型", "USCC"], "columns A「名称」 and B「Name」 are the same"),
        (["名称", "USCC"], "Missing required columns: Kind."),
        (["名称", "主体类型"], "at least one of these columns: Unified social credit code, Resident ID number."),
        (["甲", "企业", "x"], "no header row"),
    ],
)
def test_header_problems(write_file, headers, message):
    data = csv_bytes([headers, ["甲", "企业", make_uscc(), "", ""][: len(headers)]])
    with pytest.raises(errors.HeaderError) as caught:
        read_table(write_file("a.csv", data), spec=ENTITIES)
    assert message in str(caught.value)


def test_headers_match_loosely(write_file):
    data = csv_bytes(
        [["名称*", " 主体 类型 ", "unified social credit CODE", "成立日期（必填）"], ["甲", "企业", "x", ""]]
    )
    table = read_table(write_file("a.csv", data), spec=ENTITIES)
    assert [c.field for c in table.columns] == ["name", "kind", "uscc", "established_on"]


def test_values_under_a_blank_header(write_file):
    data = csv_bytes([["名称", "主体类型", "USCC", ""], ["甲", "企业", "x", "note"]])
    with pytest.raises(errors.HeaderError, match="Column D has values"):
        read_table(write_file("a.csv", data), spec=ENTITIES)


def test_a_blank_first_row(write_file):
    with pytest.raises(errors.HeaderError, match="Row 1 is empty"):
        read_raw(write_file("a.csv", csv_bytes([["", ""], ["名称", "主体类型"]])))


@pytest.mark.django_db
def test_refused_files_write_nothing(handler, write_file):
    for data in (PNG, b"", csv_bytes([["Colour"], ["red"]])):
        with pytest.raises(errors.TabularError):
            import_rows(actor=handler, kind="entities", path_or_file=write_file("a.csv", data))
    assert Entity.objects.count() == 0


def test_every_kind_has_distinct_headers():
    for spec in KINDS.values():
        keys = [key for column in spec.columns for key in column.keys]
        assert len(keys) == len(set(keys)), spec.slug


def test_kinds_are_the_registers_of_the_pages():
    from huhang.registry.resources import RESOURCES

    assert set(KINDS) == set(RESOURCES)
    for slug, spec in KINDS.items():
        assert spec.model is RESOURCES[slug].model


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-05", date(2024, 1, 5)),
        ("2024/1/5", date(2024, 1, 5)),
        ("2024.1.5", date(2024, 1, 5)),
        ("2024年1月5日", date(2024, 1, 5)),
        ("２０２４年１月５日", date(2024, 1, 5)),
        ("20240105", date(2024, 1, 5)),
        ("2024-01-05 00:00:00", date(2024, 1, 5)),
        ("45296", date(2024, 1, 5)),
        (45296, date(2024, 1, 5)),
        (45296.0, date(2024, 1, 5)),
        (datetime(2024, 1, 5, 13, 0), date(2024, 1, 5)),
    ],
)
def test_dates(text, expected):
    from huhang.registry.tabular.cells import Date

    assert Date().parse(text, None) == expected


@pytest.mark.parametrize(("text", "message"), [("2024-02-30", "not a real date"), ("next week", "Not a date")])
def test_bad_dates(text, message):
    from huhang.registry.tabular.cells import Date

    with pytest.raises(errors.CellError, match=message):
        Date().parse(text, None)


def test_long_numbers_that_excel_rounded_are_refused():
    from huhang.registry.tabular.cells import Identifier

    with pytest.raises(errors.CellError, match="15 digits"):
        Identifier().parse(4.20102198503170e17, None)
    assert Identifier().parse(12345678, None) == "12345678"


def test_xlsx_with_a_wrong_recorded_size_is_read_whole(write_file):
    import zipfile

    data = xlsx_bytes([["名称", "主体类型"], ["甲", "企业"], ["乙", "企业"]])
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes `<dimension ref="A1:B3" />`, or without the space when lxml is installed
                content = re.sub(rb'<dimension ref="A1:B3"\s*/>', b'<dimension ref="A1" />', content)
                assert b'<dimension ref="A1" />' in content
            target.writestr(item, content)
    raw = read_raw(write_file("a.xlsx", out.getvalue()))
    assert raw.headers == ["名称", "主体类型"]
    assert raw.rows == [(2, ["甲", "企业"]), (3, ["乙", "企业"])]
