"""Write a register's records to an Excel workbook (.xlsx) or a CSV file that Excel opens correctly.

Headers are Chinese, or English when the active language is English; an export can be imported again.
Resident ID numbers are masked unless the receiving user may see them (``access.shown_identifier``).
Records are read in chunks and written as they come, so a large register never sits in memory at once.

XLSX: one sheet, bold frozen header row, column widths set, dates as real dates, text never read as a
formula. CSV: UTF-8 with a BOM, CRLF line ends; a text cell that Excel would run as a formula (starting
with = + - @) gets a leading apostrophe, which an import drops again.
"""

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from huhang.registry import access
from huhang.registry.tabular.cells import FORMULA_STARTS, ExportContext
from huhang.registry.tabular.columns import KindSpec, spec_for
from huhang.registry.tabular.errors import TabularError

FORMATS = ("xlsx", "csv")
CHUNK_SIZE = 2000
MAX_COLUMN_WIDTH = 60


def export_queryset(*, kind: str, queryset: QuerySet, fmt: str, user) -> bytes:
    """Return the records of ``queryset`` as an ``fmt`` ("xlsx" or "csv") file for ``user``."""
    stream = io.BytesIO()
    export_to_stream(kind=kind, queryset=queryset, fmt=fmt, user=user, stream=stream)
    return stream.getvalue()


def export_to_stream(*, kind: str, queryset: QuerySet, fmt: str, user, stream) -> int:
    """Write the records of ``queryset`` to the binary ``stream``; return how many were written.

    Raises PermissionDenied if ``user`` may not export this register, TabularError for an unknown format.
    """
    spec = spec_for(kind)
    if fmt not in FORMATS:
        raise TabularError(_("Unknown export format: %(fmt)s") % {"fmt": fmt})
    if not access.can_export(user, spec.model):
        raise PermissionDenied(_("Your role may not export the registry."))
    ctx = ExportContext(user=user, english=(get_language() or "").startswith("en"))
    headers = [column.header(english=ctx.english) for column in spec.columns]
    rows = _rows(spec, queryset, ctx)
    if fmt == "xlsx":
        widths = [_width(column.cell.width, header) for column, header in zip(spec.columns, headers, strict=True)]
        title = str(spec.model._meta.verbose_name_plural)
        return write_xlsx(stream, Sheet(title=title, headers=headers, rows=rows, widths=widths))
    return write_csv(stream, headers=headers, rows=rows)


def _rows(spec: KindSpec, queryset: QuerySet, ctx: ExportContext):
    queryset = queryset.select_related(*spec.select_related).prefetch_related(*spec.prefetch_related)
    for record in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [column.cell.write(record, column.field, ctx) for column in spec.columns]


def _width(cell_width: int, header: str) -> int:
    shown = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in header)
    return min(max(cell_width, shown + 2), MAX_COLUMN_WIDTH)


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: Iterable[list]
    widths: list[int]


def write_xlsx(stream, *sheets: Sheet) -> int:
    """Write ``sheets`` to ``stream`` as one workbook; return the number of data rows of the first."""
    workbook = Workbook(write_only=True)
    counts = [_write_sheet(workbook, sheet) for sheet in sheets]
    workbook.save(stream)
    return counts[0]


def _write_sheet(workbook: Workbook, data: Sheet) -> int:
    sheet = workbook.create_sheet(title=_sheet_title(data.title))
    for position, width in enumerate(data.widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in data.headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in data.rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
        count += 1
    return count


def _sheet_title(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31] or "Sheet1"


def _xlsx_value(sheet, value):
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith("="):
        # openpyxl would store it as a formula: keep it as the text it is.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def write_csv(stream, *, headers: list[str], rows: Iterable[list]) -> int:
    """Write UTF-8 CSV with a BOM to the binary ``stream``; return the number of data rows."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow(headers)
        count = 0
        for row in rows:
            writer.writerow([_csv_value(value) for value in row])
            count += 1
        text.flush()
    finally:
        text.detach()
    return count


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)
