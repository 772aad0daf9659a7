"""Read an uploaded or local file into rows: a CSV file or the first sheet of an XLSX workbook.

The content decides the format, never the file name: a ZIP archive (``PK\\x03\\x04``) is read as an XLSX
workbook, anything else that is text as CSV. CSV text may be UTF-8 (with or without a BOM), GBK/GB18030 as
Excel writes it on Chinese Windows, or UTF-16 with a BOM; cells are separated by commas, or by tabs when
the header row has tabs and no commas. Rows are numbered as Excel shows them: the header is row 1.

Files over ``settings.HUHANG_IMPORT_MAX_BYTES`` are refused before they are read.
"""

import codecs
import csv
import hashlib
import io
import os
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from huhang.registry.tabular.cells import cell_text, in_english, is_blank, listed
from huhang.registry.tabular.columns import Column, KindSpec
from huhang.registry.tabular.errors import (
    DamagedFile,
    EmptyFile,
    FileTooLarge,
    HeaderError,
    TabularError,
    UndecodableText,
    UnsupportedFile,
)

__all__ = ["RawTable", "Table", "TabularError", "read_raw", "read_table"]

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OTHER_FORMATS = {
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
    b"%PDF": "PDF",
    b"\x1f\x8b": "gzip",
    b"Rar!": "RAR",
    b"7z\xbc\xaf\x27\x1c": "7-Zip",
    b"PK\x05\x06": "ZIP",
}
_XLSX_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    TypeError,
    OSError,
    SyntaxError,  # xml.etree.ElementTree.ParseError and lxml's XMLSyntaxError
    InvalidFileException,
)


@dataclass
class RawTable:
    """The cells of a file as read: the header row, then each non-blank row with its Excel row number."""

    name: str
    sha256: str
    size: int
    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)


@dataclass
class Table:
    """A file whose header row has been matched to a kind's columns (None: a blank header, ignored)."""

    raw: RawTable
    spec: KindSpec
    columns: list[Column | None]

    @property
    def rows(self) -> list[tuple[int, list]]:
        return self.raw.rows

    def header_of(self, column: Column) -> str:
        """Return the column's header as the file writes it, or the header of the active language."""
        for position, matched in enumerate(self.columns):
            if matched is column:
                return self.raw.headers[position]
        return column.header(english=in_english())

    def values(self, cells: list) -> dict[str, object]:
        """Return a row's cells by field name (blank header columns dropped)."""
        return {
            column.field: (cells[position] if position < len(cells) else None)
            for position, column in enumerate(self.columns)
            if column is not None
        }


def read_table(source, *, spec: KindSpec) -> Table:
    """Read ``source`` (a path, or a file object such as an upload) and match its headers to ``spec``."""
    raw = read_raw(source)
    return Table(raw=raw, spec=spec, columns=match_headers(raw, spec))


def read_raw(source) -> RawTable:
    name, data = _read_bytes(source)
    if not data:
        raise EmptyFile(_("The file %(name)s is empty.") % {"name": name})
    digest = hashlib.sha256(data).hexdigest()
    rows = _xlsx_rows(data) if data.startswith(ZIP_MAGIC) else _csv_rows(data)
    numbered = [(number, cells) for number, cells in enumerate(rows, start=1)]
    if not numbered or all(is_blank(cell) for cell in numbered[0][1]):
        if not any(any(not is_blank(cell) for cell in cells) for _n, cells in numbered):
            raise EmptyFile(_("The file %(name)s has no rows.") % {"name": name})
        raise HeaderError(_("Row 1 is empty: the first row must hold the column headers."))
    headers = [cell_text(cell) for cell in numbered[0][1]]
    body = [(n, list(cells)) for n, cells in numbered[1:] if any(not is_blank(cell) for cell in cells)]
    return RawTable(name=name, sha256=digest, size=len(data), headers=headers, rows=body)


def _read_bytes(source) -> tuple[str, bytes]:
    """Return the file's name and content, refusing it before reading when it is too large."""
    limit = settings.HUHANG_IMPORT_MAX_BYTES
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError:
            raise TabularError(_("Cannot read the file %(name)s: it does not exist.") % {"name": path}) from None
        check_size(path.name, size, limit)
        try:
            return path.name, path.read_bytes()
        except OSError as exc:
            raise TabularError(
                _("Cannot read the file %(name)s: %(reason)s") % {"name": path.name, "reason": exc.strerror}
            ) from None
    name = Path(str(getattr(source, "name", "") or "upload")).name
    seekable = hasattr(source, "seek") and getattr(source, "seekable", lambda: True)()
    size = getattr(source, "size", None)
    if not isinstance(size, int) and seekable:
        size = source.seek(0, io.SEEK_END)
    if isinstance(size, int):
        check_size(name, size, limit)
    if seekable:
        source.seek(0)
    data = source.read(limit + 1)
    check_size(name, len(data), limit)
    return name, bytes(data)


def check_size(name: str, size: int, limit: int) -> None:
    if size > limit:
        raise FileTooLarge(
            _("The file %(name)s is %(size)s; files over %(limit)s are refused. Split it into smaller files.")
            % {"name": name, "size": _megabytes(size), "limit": _megabytes(limit)}
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


# --------------------------------------------------------------------------- XLSX


def _xlsx_rows(data: bytes) -> list[tuple]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise _damaged(exc) from None
    if "xl/workbook.xml" not in names:
        raise UnsupportedFile(_("This ZIP archive is not an Excel workbook (.xlsx)."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _XLSX_READ_ERRORS as exc:
        raise _damaged(exc) from None
    try:
        if not workbook.worksheets:
            raise EmptyFile(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong size (e.g. "A1"): read every row there is
        return list(sheet.iter_rows(values_only=True))
    except _XLSX_READ_ERRORS as exc:
        raise _damaged(exc) from None
    finally:
        workbook.close()


def _damaged(exc: Exception) -> DamagedFile:
    return DamagedFile(
        _(
            "The Excel workbook is damaged or incomplete (%(detail)s): open it in Excel, save it again "
            "and import the saved file."
        )
        % {"detail": str(exc) or type(exc).__name__}
    )


# --------------------------------------------------------------------------- CSV


def _csv_rows(data: bytes) -> list[list[str]]:
    _refuse_other_formats(data)
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UnsupportedFile(_("The CSV file cannot be read: %(detail)s") % {"detail": exc}) from None


def _refuse_other_formats(data: bytes) -> None:
    if data.startswith(OLE2_MAGIC):
        raise UnsupportedFile(
            _(
                "This is an Excel 97–2003 workbook (.xls) or a password-protected workbook: save it as an "
                "Excel workbook (.xlsx) without a password, or as CSV, and import that."
            )
        )
    for magic, format_name in OTHER_FORMATS.items():
        if data.startswith(magic):
            raise UnsupportedFile(
                _("This is a %(format)s file, not a CSV file or an Excel workbook (.xlsx).") % {"format": format_name}
            )
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\x00" in data[:65536]:
        raise UnsupportedFile(_("This is a binary file, not a CSV file or an Excel workbook (.xlsx)."))


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UndecodableText(_("The file starts as UTF-16 text but is not valid UTF-16.")) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            raise UndecodableText(
                _(
                    "The file is neither UTF-8 nor GBK/GB18030 text (line %(line)d cannot be read): save it "
                    "again as “CSV UTF-8” or as an Excel workbook."
                )
                % {"line": line}
            ) from None


# --------------------------------------------------------------------------- headers


def match_headers(raw: RawTable, spec: KindSpec) -> list[Column | None]:
    """Match each header to a column of ``spec``; raise HeaderError listing every problem at once."""
    columns: list[Column | None] = []
    unknown, duplicates = [], []
    seen: dict[str, int] = {}
    for position, header in enumerate(raw.headers):
        if not header:
            columns.append(None)
            continue
        column = spec.match(header)
        if column is None:
            unknown.append(f"{get_column_letter(position + 1)}「{header}」")
        elif column.field in seen:
            first = seen[column.field]
            duplicates.append(
                _("columns %(first)s「%(first_header)s」 and %(second)s「%(second_header)s」 are the same")
                % {
                    "first": get_column_letter(first + 1),
                    "first_header": raw.headers[first],
                    "second": get_column_letter(position + 1),
                    "second_header": header,
                }
            )
        else:
            seen[column.field] = position
        columns.append(column if column is not None and seen.get(column.field) == position else None)
    english = in_english()
    if not seen:
        examples = listed(c.header(english=english) for c in spec.columns if c.required)
        raise HeaderError(
            _(
                "Row 1 holds no known column header, so the file has no header row. The first row must "
                "name the columns, e.g. %(examples)s."
            )
            % {"examples": examples}
        )
    problems = []
    if unknown:
        accepted = listed(c.header(english=english) for c in spec.columns)
        problems.append(
            _("Unknown columns: %(columns)s. The accepted headers are: %(accepted)s.")
            % {"columns": listed(unknown), "accepted": accepted}
        )
    if duplicates:
        problems.append(_("Duplicate columns: %(columns)s.") % {"columns": "; ".join(duplicates)})
    missing = [c.header(english=english) for c in spec.columns if c.required and c.field not in seen]
    if missing:
        problems.append(_("Missing required columns: %(columns)s.") % {"columns": listed(missing)})
    for group in spec.one_of:
        if not any(name in seen for name in group):
            names = listed(spec.column(name).header(english=english) for name in group)
            problems.append(_("The file needs at least one of these columns: %(columns)s.") % {"columns": names})
    orphans = _values_without_header(raw, columns)
    if orphans:
        problems.append(
            _("Column %(column)s has values (first in row %(row)d) but no header in row 1.")
            % {"column": get_column_letter(orphans[0] + 1), "row": orphans[1]}
        )
    if problems:
        raise HeaderError(" ".join(problems))
    if not raw.rows:
        raise EmptyFile(_("The file has a header row but no data rows."))
    return columns


def _values_without_header(raw: RawTable, columns: list[Column | None]) -> tuple[int, int] | None:
    """Return (column position, row number) of the first value under a blank header or past the last."""
    for number, cells in raw.rows:
        for position, cell in enumerate(cells):
            if (position >= len(columns) or not raw.headers[position]) and not is_blank(cell):
                return position, number
    return None
