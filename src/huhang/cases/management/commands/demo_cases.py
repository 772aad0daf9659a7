"""``huhang demo-cases``: demo cases taken forward through the real services (after ``huhang demo-data``)."""

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from huhang.accounts.models import User
from huhang.cases.demo import generate_demo_cases
from huhang.cases.models import Case


class Command(BaseCommand):
    help = "Create demo cases (needs the demo accounts of `huhang demo-data`); with --if-empty only when none exist."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=60)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--if-empty", action="store_true")

    def handle(self, *args, count: int, seed: int, if_empty: bool, **options):
        if if_empty and Case.objects.exists():
            self.stdout.write("已有案件，未生成演示案件。 Cases exist: no demo cases added.")
            return
        if not User.objects.filter(username="demo_applicant").exists():
            raise CommandError("no demo accounts: run `huhang demo-data` first / 请先运行 huhang demo-data")
        console = Console(stderr=True)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
            task = bar.add_task("生成演示案件 Generating demo cases", total=count)
            created = generate_demo_cases(
                count=count, seed=seed, progress=lambda done, total: bar.update(task, completed=done)
            )
        self.stdout.write(f"演示案件已生成 Demo cases created: {created}")
