"""The list of bad rows of a rejected import, to show on a page or the command line and to download."""

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from huhang.registry.tabular.exporting import Sheet, write_csv, write_xlsx


@dataclass(frozen=True)
class RowError:
    """One problem: the row as Excel numbers it (header = row 1), the column's header, and why."""

    row: int
    column: str
    reason: str


@dataclass
class ImportReport:
    kind: str
    file_name: str
    headers: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    bad_rows: dict[int, list] = field(default_factory=dict)

    def add(self, row: int, column: str, reason: str, cells: list | None = None) -> None:
        self.errors.append(RowError(row=row, column=column, reason=str(reason)))
        if cells is not None:
            self.bad_rows.setdefault(row, cells)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def sort(self) -> None:
        self.errors.sort(key=lambda error: error.row)

    @property
    def summary(self) -> str:
        rows = len({error.row for error in self.errors})
        return _("Nothing was imported from %(file)s: %(problems)d problem(s) in %(rows)d row(s).") % {
            "file": self.file_name,
            "problems": len(self.errors),
            "rows": rows,
        }

    def _error_rows(self):
        return ([error.row, error.column, error.reason] for error in self.errors)

    def _headers(self) -> list[str]:
        return [_("Row"), _("Column"), _("Problem")]

    def to_csv(self) -> bytes:
        """Return the problems (row, column, problem) as UTF-8 CSV with a BOM."""
        stream = io.BytesIO()
        write_csv(stream, headers=self._headers(), rows=self._error_rows())
        return stream.getvalue()

    def to_xlsx(self) -> bytes:
        """Return a workbook: the problems on the first sheet, the bad rows as read on the second."""
        stream = io.BytesIO()
        write_xlsx(
            stream,
            Sheet(title=_("Problems"), headers=self._headers(), rows=self._error_rows(), widths=[8, 24, 80]),
            Sheet(
                title=_("Rows to fix"),
                headers=[_("Row"), *self.headers],
                rows=([row, *cells] for row, cells in sorted(self.bad_rows.items())),
                widths=[8] + [16] * len(self.headers),
            ),
        )
        return stream.getvalue()
