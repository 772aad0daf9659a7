"""``huhang supervision``: load the supervised work items shipped with the platform, add the demo rows."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from huhang.supervision import demo, loader
from huhang.supervision.models import Programme


class Command(BaseCommand):
    help = "Supervised work items (督办): load the plans' work items; add demo departments, milestones and reports."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command", required=True)
        load = sub.add_parser("load", help="load (or update) the work items of the package data; safe to re-run")
        load.add_argument("--if-empty", action="store_true", help="only if no programme is loaded yet")
        demo_parser = sub.add_parser("demo", help="demo departments, milestones, notes and reports (after demo-data)")
        demo_parser.add_argument("--if-empty", action="store_true", help="only if no demo department exists yet")

    def handle(self, *args, command, **options):
        if command == "load":
            return self._load(options["if_empty"])
        return self._demo(options["if_empty"])

    def _load(self, if_empty: bool) -> None:
        if if_empty and Programme.objects.exists():
            self.stdout.write("已载入督办事项，未重新载入。 Work items are loaded already: nothing done.")
            return
        try:
            result = loader.load()
        except loader.DataError as exc:
            raise CommandError(f"package data refused, nothing loaded: {exc}") from None
        created, updated = result.created, result.updated
        self.stdout.write(
            f"督办事项 work items: programmes +{created['programmes']} ~{updated['programmes']}, "
            f"areas +{created['areas']} ~{updated['areas']}, items +{created['items']} ~{updated['items']} "
            f"(+ created, ~ updated)"
        )
        if result.not_in_data:
            self.stdout.write(f"kept, no longer in the package data: {', '.join(result.not_in_data)}")

    def _demo(self, if_empty: bool) -> None:
        if if_empty and demo.demo_present():
            self.stdout.write("已有演示督办数据，未生成。 Demo supervision rows exist: none added.")
            return
        try:
            counts = demo.generate_demo_supervision()
        except demo.DemoPrerequisiteMissing as exc:
            raise CommandError(str(exc)) from None
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("demo refused, nothing written: " + "; ".join(messages)) from None
        self.stdout.write(
            "演示督办数据已生成 Demo supervision rows: "
            + ", ".join(f"{name} {count}" for name, count in counts.items())
        )
