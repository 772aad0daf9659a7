"""``huhang kpi``: the plan's indicators for a period, as a table or as JSON; and loading published statistics.

huhang kpi [--period 2025] [--json]
huhang kpi statistics FILE --as USER [--skip-unreadable]
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from huhang.monitoring import selectors, services
from huhang.monitoring.periods import PeriodError, parse_period, year


class Command(BaseCommand):
    help = "Print the plan's indicators K1–K19 for a period (default: this year), or load published statistics."

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            nargs="?",
            choices=["statistics", "demo"],
            help="statistics: load a CSV of statistics; demo: the demo's statistics",
        )
        parser.add_argument("--statistics", help="with demo: a CSV of published statistics to load as history")
        parser.add_argument("file", nargs="?", help="the CSV file to load (with 'statistics')")
        parser.add_argument("--period", help="2025, 2025Q3, 2025-09 or 2025-09-01..2025-12-31 (default: this year)")
        parser.add_argument("--json", action="store_true", help="print a JSON list of objects")
        parser.add_argument("--as", dest="username", help="the user loading statistics")
        parser.add_argument("--skip-unreadable", action="store_true", help="leave out and report unreadable rows")

    def handle(self, *args, action=None, **options):
        if action == "statistics":
            return self._load(options["file"], options["username"], options["skip_unreadable"])
        if action == "demo":
            return self._demo(options["statistics"])
        try:
            period = parse_period(options["period"]) if options["period"] else year(timezone.localdate().year)
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        with translation.override("zh-hans"):
            figures = selectors.dashboard(period)
            if options["json"]:
                self.stdout.write(json.dumps([f.as_dict() for f in figures], ensure_ascii=False, indent=2))
                return
            self._table(period, figures)

    def _table(self, period, figures) -> None:
        rows = [("指标", "名称", "数值", "目标", "单位", "状态", "样本")]
        for f in figures:
            ind = f.indicator
            value = "无数据" if f.value is None else f"{f.value:,.{ind.decimals}f}"
            target = f"{ind.comparison} {f.target.value.normalize():,f}".replace(">=", "≥").replace("<=", "≤")
            sample = "" if f.measurement.sample is None else f"{f.measurement.sample:,}"
            rows.append((ind.id, ind.name_zh, value, target, ind.unit_zh, str(f.status.label), sample))
        widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
        self.stdout.write(f"{period.label}（截至 {figures[0].as_of.isoformat()}）")
        for row in rows:
            self.stdout.write("  ".join(_pad(cell, widths[i], right=i in (2, 6)) for i, cell in enumerate(row)))

    def _demo(self, statistics: str | None) -> None:
        """The demo's statistics: Wuhan's resident population (the input of K2) and, when a file of published
        statistics is given, its rows as the indicators' history. Recorded once; running it again adds nothing."""
        from huhang.accounts.models import User
        from huhang.monitoring.models import Statistic

        user = User.objects.filter(username="demo_supervisor").first()
        if user is None:
            raise CommandError("run `huhang demo-data` first: the demo supervisor records the statistics")
        if not Statistic.objects.filter(code="resident_population").exists():
            services.statistic_record(
                actor=user, code="resident_population", name="常住人口 (resident population)", period="2024",
                value="1380.91", unit="万人", scope="Wuhan", confidence="official-bulletin",
                source_title="武汉市统计局《2024年武汉市国民经济和社会发展统计公报》：年末常住人口1380.91万人",
            )  # fmt: skip
            self.stdout.write("recorded the resident population (2024)")
        if statistics:
            self._load(statistics, user.username, True)

    def _load(self, path: str | None, username: str | None, skip: bool) -> None:
        from huhang.accounts.models import User

        if not path or not username:
            raise CommandError("usage: huhang kpi statistics FILE --as USER [--skip-unreadable]")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        try:
            result = services.statistics_load(actor=user, data=data, skip_unreadable=skip)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        for line, problem in result.skipped:
            self.stderr.write(f"line {line} skipped: {problem}")
        self.stdout.write(
            f"recorded {result.recorded}, already recorded {result.unchanged}, skipped {len(result.skipped)}"
        )


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * (width - _width(text))
    return space + text if right else text + space
