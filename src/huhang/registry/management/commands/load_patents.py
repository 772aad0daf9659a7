"""``huhang load-patents FILE.jsonl [...] --as USERNAME``: load published patent records (JSON Lines).

Django names the command after this file, ``load_patents``; the ``huhang`` command line also accepts it
spelt ``load-patents``.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from huhang.registry.management.console import actor_from, add_common_arguments, progress_bar
from huhang.registry.tabular.patent_records import NOTES, SKIP_REASONS, patents_load


class Command(BaseCommand):
    help = (
        "Load patent records (JSON Lines: id, title, abstract, ipc, applicants, app_date, country) into "
        "the patent register, numbered by publication number. Numbers already present are skipped, so "
        "the command can be run again; records that cannot be numbered are skipped and counted."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="JSON Lines files")
        add_common_arguments(parser)

    def handle(self, *args, files, actor, language, **options):
        self.verbosity = options["verbosity"]
        with translation.override(language):
            missing = [str(path) for path in files if not path.is_file()]
            if missing:
                raise CommandError(_("No such file: %(names)s") % {"names": ", ".join(missing)})
            user = actor_from(actor)
            for path in files:
                try:
                    with progress_bar(self, _("Loading %(file)s") % {"file": path.name}) as progress:
                        summary = patents_load(actor=user, path=path, progress=progress)
                except PermissionDenied as exc:
                    raise CommandError(str(exc), returncode=1) from None
                except OSError as exc:
                    raise CommandError(
                        _("Cannot read %(name)s: %(reason)s") % {"name": path, "reason": exc.strerror}
                    ) from None
                self._print_summary(summary)

    def _print_summary(self, summary) -> None:
        self.stdout.write(
            _(
                "%(file)s: %(lines)d records, %(created)d created, %(present)d already in the register, "
                "%(skipped)d skipped."
            )
            % {
                "file": summary.file_name,
                "lines": summary.lines,
                "created": summary.created,
                "present": summary.already_present,
                "skipped": sum(summary.skipped.values()),
            }
        )
        for reason, count in summary.skipped.most_common():
            examples = ", ".join(summary.examples.get(reason, []))
            self.stdout.write(
                "  "
                + _("skipped %(count)d: %(reason)s (e.g. %(examples)s)")
                % {"count": count, "reason": SKIP_REASONS[reason], "examples": examples}
            )
        for note, count in summary.notes.most_common():
            self.stdout.write("  " + _("note %(count)d: %(note)s") % {"count": count, "note": NOTES[note]})
