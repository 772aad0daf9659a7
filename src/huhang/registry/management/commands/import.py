"""``huhang import KIND FILE --as USERNAME``: import a CSV or XLSX file into a register, all or nothing."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from huhang.registry.management.console import actor_from, add_common_arguments, progress_bar
from huhang.registry.tabular.columns import KINDS
from huhang.registry.tabular.errors import ImportRejected, TabularError
from huhang.registry.tabular.importing import import_rows

ERRORS_SHOWN = 200
REPORT_FORMATS = {".xlsx": "to_xlsx", ".csv": "to_csv"}


class Command(BaseCommand):
    help = (
        "Import a CSV (UTF-8 or GBK) or Excel (.xlsx) file into a register. Every row is checked first: "
        "if any is bad, nothing is imported, the problems (row, column, reason) are printed and the "
        "command exits with status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS), help="which register")
        parser.add_argument("file", type=Path, help="the CSV or XLSX file; its first row names the columns")
        parser.add_argument(
            "--errors-to",
            type=Path,
            metavar="REPORT",
            help="also write the problems to REPORT (.xlsx, with the bad rows, or .csv)",
        )
        add_common_arguments(parser)

    def handle(self, *args, kind, file, errors_to, actor, language, **options):
        self.verbosity = options["verbosity"]
        if errors_to is not None and errors_to.suffix.lower() not in REPORT_FORMATS:
            raise CommandError(_("The report file must end in .xlsx or .csv: %(name)s") % {"name": errors_to})
        with translation.override(language):
            user = actor_from(actor)
            try:
                with progress_bar(self, _("Importing %(file)s") % {"file": file.name}) as progress:
                    result = import_rows(actor=user, kind=kind, path_or_file=file, progress=progress)
            except ImportRejected as exc:
                self._print_report(exc.report, errors_to)
                raise CommandError(exc.report.summary, returncode=1) from None
            except (TabularError, PermissionDenied) as exc:
                raise CommandError(str(exc), returncode=1) from None
            self.stdout.write(
                _("Imported %(rows)d rows into %(kind)s from %(file)s.")
                % {"rows": result.created, "kind": kind, "file": result.file_name}
            )

    def _print_report(self, report, errors_to: Path | None) -> None:
        self.stderr.write(f"{_('Row'):>6}  {_('Column')}  {_('Problem')}")
        for error in report.errors[:ERRORS_SHOWN]:
            self.stderr.write(f"{error.row:>6}  {error.column}  {error.reason}")
        hidden = len(report.errors) - ERRORS_SHOWN
        if hidden > 0:
            self.stderr.write(
                _("… and %(count)d more problems: write them all with --errors-to REPORT.xlsx") % {"count": hidden}
            )
        if errors_to is not None:
            errors_to.write_bytes(getattr(report, REPORT_FORMATS[errors_to.suffix.lower()])())
            self.stderr.write(_("The problems were written to %(name)s.") % {"name": errors_to})
