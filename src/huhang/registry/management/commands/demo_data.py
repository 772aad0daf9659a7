"""``huhang demo-data``: fill an empty instance with the synthetic demo data set and list the demo accounts."""

from __future__ import annotations

import io

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from huhang.accounts.models import User
from huhang.accounts.roles import Role
from huhang.registry import demo_accounts
from huhang.registry.demo import DEFAULT_SCALE, DEMO_PASSWORD, DemoAccount, DemoDataExists, generate_demo_data
from huhang.registry.models import Entity


class Command(BaseCommand):
    help = (
        "Create synthetic demo data (marked as demo, names ending in （演示）) and one demo user per role. "
        f"The demo users' password is {DEMO_PASSWORD!r} unless --password is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=int, default=DEFAULT_SCALE, help="About this many entities.")
        parser.add_argument("--seed", type=int, default=2025, help="The same seed gives the same data.")
        parser.add_argument("--password", default=DEMO_PASSWORD, help="Password of every demo user.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any entity exists (for `make demo`)."
        )
        parser.add_argument("--entities-only", action="store_true", help="Only organisations, demo users and entities.")

    def handle(self, *args, scale: int, seed: int, password: str, if_empty: bool, entities_only: bool, **options):
        quiet = options["verbosity"] == 0
        if if_empty and Entity.objects.exists():
            if not quiet:
                self.stdout.write("已有数据，未生成演示数据。 Entities exist: no demo data added.")
                self.stdout.write(accounts_table(existing_accounts(), password=password, check=True))
            return
        console = Console(stderr=True)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, disable=quiet or not console.is_terminal) as bar:
            task = bar.add_task("生成演示数据 Generating demo data", total=None)
            try:
                summary = generate_demo_data(
                    scale=scale,
                    seed=seed,
                    password=password,
                    entities_only=entities_only,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
            except DemoDataExists as exc:
                raise CommandError(f"{exc} 演示数据已存在：请使用空的数据目录（如先 make clean-demo）。") from exc
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        if not quiet:
            created = ", ".join(f"{label.split('.')[1]} {count}" for label, count in summary.counts.items())
            self.stdout.write(f"演示数据已生成 Demo data created in {summary.seconds:.1f} s (seed {seed}): {created}")
            self.stdout.write(accounts_table(summary.accounts, password=password))


def existing_accounts() -> list[DemoAccount]:
    """Return the demo users that exist, in the order they are created."""
    users = User.objects.select_related("organisation", "entity").in_bulk(
        demo_accounts.USERNAMES, field_name="username"
    )
    return [
        DemoAccount(name, users[name].role, str(users[name].organisation or users[name].entity or ""))
        for name in demo_accounts.USERNAMES
        if name in users
    ]


def accounts_table(accounts: list[DemoAccount], *, password: str, check: bool = False) -> str:
    """Render the demo accounts as a table with Chinese and English headings.

    With ``check``, the password column says whether each user's password is still ``password``.
    """
    table = Table(title="演示账号 Demo accounts")
    for heading in ("用户名 Username", "角色 Role", "所属机构/主体 Organisation / entity", "密码 Password"):
        table.add_column(heading)
    for account in accounts:
        shown = password
        if check and not User.objects.get(username=account.username).check_password(password):
            shown = "（已修改 changed）"
        table.add_row(account.username, _role_label(account.role), account.affiliation, shown)
    buffer = io.StringIO()
    Console(file=buffer, width=140, color_system=None).print(table)
    return buffer.getvalue().rstrip("\n")


def _role_label(role: str) -> str:
    labels = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            labels.append(str(Role(role).label))
    return labels[0] if labels[0] == labels[1] else " / ".join(labels)
