"""``huhang cases``: recompute clocks, append pending rows to the ledger, check case files against it."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from huhang.cases import clocks, ledger, services
from huhang.cases.models import Case, CaseEvent, LedgerLink


class Command(BaseCommand):
    help = "Case files: recompute clocks (after a holiday schedule is loaded), sync and check the ledger."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command", required=True)
        recompute = sub.add_parser("recompute", help="recompute the clocks of cases")
        recompute.add_argument("--year", type=int, help="only cases whose dates touch this year's schedule")
        recompute.add_argument("--batch", type=int, default=500)
        sub.add_parser("ledger-sync", help="append to the ledger every case row not yet on it")
        sub.add_parser("check", help="check every case event against its ledger entry")
        court = sub.add_parser("import-court", help="import court cases (CSV/XLSX with Chinese headers) for K7/K8")
        court.add_argument("file")
        court.add_argument("--as", dest="username", required=True, help="the court user importing them")

    def handle(self, *args, command, **options):
        if command == "recompute":
            return self._recompute(options["year"], options["batch"])
        if command == "ledger-sync":
            return self._sync()
        if command == "import-court":
            return self._import_court(options["file"], options["username"])
        return self._check()

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        end = "\n" if done >= total else "\r"
        stream = self.stdout
        line = f"[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}"
        if sys.stdout.isatty() or done >= total:
            stream.write(line, ending=end)
        elif done % (50 * 500) == 0:
            stream.write(line)

    def _recompute(self, year: int | None, batch: int) -> None:
        cases = clocks.affected_by_year(year) if year else Case.objects.all()
        count = clocks.recompute(cases, batch_size=batch, progress=self._progress)
        self.stdout.write(f"recomputed {count:,} cases")

    def _import_court(self, path: str, username: str) -> None:
        from django.core.exceptions import PermissionDenied, ValidationError

        from huhang.accounts.models import User
        from huhang.cases.court_import import court_cases_import

        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        try:
            count = court_cases_import(actor=user, source=path, progress=self._progress)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("\n".join(messages)) from None
        self.stdout.write(f"imported {count:,} court cases")

    def _sync(self) -> None:
        total = 0
        for case in Case.objects.order_by("pk").iterator():
            pending = ledger.pending_count(case)
            if pending:
                appended = ledger.ledger_sync(case)
                total += appended
                if appended < pending:
                    raise CommandError(f"{case.number}: {pending - appended} rows could not be appended; see the log")
        self.stdout.write(f"appended {total:,} rows")

    def _check(self) -> None:
        problems = 0
        links = {link.subject: link.ledger_event for link in LedgerLink.objects.select_related("ledger_event")}
        for event in CaseEvent.objects.select_related("case").order_by("case_id", "seq").iterator():
            entry = links.get(f"case-event/{event.pk}")
            if entry is None:
                self.stdout.write(f"{event.case.number} #{event.seq} {event.action}: not on the ledger")
                problems += 1
                continue
            recomputed = services.event_digest(
                case_number=event.case.number,
                seq=event.seq,
                action=event.action,
                at=event.at,
                actor=f"user/{event.actor_id}" if event.actor_id else "system",
                actor_role=event.actor_role,
                payload=event.payload,
                note=event.note,
                recorded_at=event.recorded_at,
            )
            if recomputed != event.digest or entry.payload.get("digest") != event.digest:
                self.stdout.write(f"{event.case.number} #{event.seq} {event.action}: differs from its ledger entry")
                problems += 1
        if problems:
            raise CommandError(f"{problems} problem(s) found")
        self.stdout.write("every case event matches its ledger entry")
