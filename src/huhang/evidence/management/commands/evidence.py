"""``huhang evidence check`` and ``huhang evidence recover``."""

from django.core.management.base import BaseCommand, CommandError

from huhang.evidence import checks
from huhang.ledger.errors import LedgerError


class Command(BaseCommand):
    help = "Evidence: check (rows against the ledger, stored files against their hashes), recover (lost rows)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = sub.add_parser("check", help="compare every row with its ledger entry and re-hash every stored file")
        check.add_argument("--files-only", action="store_true", help="only re-hash the stored files")
        recover = sub.add_parser("recover", help="re-create the rows of entries that were appended but never got one")
        for parser_ in (check, recover):
            parser_.add_argument(
                "--since", type=int, default=0, metavar="INDEX", help="look for entries without rows from INDEX on"
            )

    def handle(self, *args, action, **options):
        try:
            getattr(self, "_" + action)(**options)
        except (LedgerError, OSError) as exc:
            raise CommandError(str(exc)) from None

    def _check(self, *, files_only=False, since=0, **_):
        problems = checks.evidence_check_files() if files_only else checks.evidence_check(since=since)
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problems found")
        self.stdout.write("every evidence row agrees with the ledger and every stored file with its hash")

    def _recover(self, *, since=0, **_):
        recovered, problems = checks.evidence_recover(since=since)
        for line in recovered:
            self.stdout.write(f"recovered {line}")
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} entries could not be recovered")
        self.stdout.write(f"{len(recovered)} rows re-created")
