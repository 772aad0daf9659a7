from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from huhang.accounts.models import User
from huhang.schedules.services import schedule_load, schedule_sources


class Command(BaseCommand):
    help = "Load an official holiday schedule for a year (JSON, see docs/workdays.md) or list the years covered."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load one year's schedule from a JSON file")
        load.add_argument("file", help="the schedule, a JSON file in the format of docs/workdays.md")
        load.add_argument("--as", dest="actor", required=True, help="administrator loading it")
        load.add_argument("--replace", action="store_true", help="replace a year that is already covered")
        load.add_argument("--reason", default="", help="why a covered year is replaced (required with --replace)")
        sub.add_parser("list", help="list the years covered and where each schedule comes from")

    def handle(self, *args, action, **options):
        if action == "list":
            for year, origin, source in schedule_sources():
                self.stdout.write(f"{year}\t{origin}\t{source}")
            return
        try:
            actor = User.objects.get(username=options["actor"])
        except User.DoesNotExist:
            raise CommandError(f"No such user: {options['actor']}") from None
        try:
            text = Path(options["file"]).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from None
        try:
            row = schedule_load(actor=actor, text_or_dict=text, replace=options["replace"], reason=options["reason"])
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        self.stdout.write(f"loaded {row.year}: {row.source}")
