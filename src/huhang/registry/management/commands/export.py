"""``huhang export KIND --format xlsx|csv --output FILE --as USERNAME``: write a register to a file."""

import os
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from huhang.audit.services import audit_record
from huhang.registry import access
from huhang.registry.management.console import actor_from, add_common_arguments
from huhang.registry.tabular.columns import KINDS, spec_for
from huhang.registry.tabular.errors import TabularError
from huhang.registry.tabular.exporting import FORMATS, export_to_stream


class Command(BaseCommand):
    help = (
        "Export a register to an Excel workbook (.xlsx) or a CSV file (UTF-8 with BOM), with the "
        "headers in Chinese (or English with --language en). Resident ID numbers are masked unless the "
        "acting user may see them."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS), help="which register")
        parser.add_argument(
            "--format", dest="fmt", choices=FORMATS, help="xlsx or csv (default: from the output's suffix)"
        )
        parser.add_argument("--output", type=Path, required=True, metavar="FILE", help="the file to write")
        add_common_arguments(parser)

    def handle(self, *args, kind, fmt, output, actor, language, **options):
        with translation.override(language):
            fmt = fmt or output.suffix.lower().lstrip(".")
            if fmt not in FORMATS:
                raise CommandError(
                    _("Give --format xlsx or --format csv: the format cannot be told from %(name)s.")
                    % {"name": output.name}
                )
            user = actor_from(actor)
            spec = spec_for(kind)
            queryset = access.records_visible_to(user, spec.model).order_by("pk")
            rows = self._write(output, kind=kind, queryset=queryset, fmt=fmt, user=user)
            audit_record(
                actor=user,
                action="registry.export",
                target=kind,
                details={"file": output.name, "format": fmt, "rows": rows},
            )
            self.stdout.write(
                _("Exported %(rows)d rows of %(kind)s to %(file)s.") % {"rows": rows, "kind": kind, "file": output}
            )

    def _write(self, output: Path, **export) -> int:
        """Write to a temporary file beside ``output``, then rename it: never leave half a file."""
        directory = output.resolve().parent
        if not directory.is_dir():
            raise CommandError(_("The folder %(name)s does not exist.") % {"name": directory})
        handle = tempfile.NamedTemporaryFile(dir=directory, prefix=".export-", delete=False)  # noqa: SIM115
        try:
            with handle:
                rows = export_to_stream(stream=handle, **export)
            os.replace(handle.name, output)
        except (TabularError, PermissionDenied) as exc:
            raise CommandError(str(exc), returncode=1) from None
        finally:
            if os.path.exists(handle.name):
                os.unlink(handle.name)
        return rows
