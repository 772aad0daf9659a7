"""Exceptions raised by :mod:`huhang.workdays`."""

from __future__ import annotations

from collections.abc import Iterable

SCHEDULE_NOT_PUBLISHED = "no official holiday schedule is loaded for {year} (calendar covers {covered})"
SCHEDULE_NOT_PUBLISHED_ZH = "{year}年节假日安排尚未载入（已载入：{covered}）"


def _years_text(years: Iterable[int]) -> str:
    """Render a set of years compactly: ``2004–2026, 2028``."""
    ordered = sorted(years)
    if not ordered:
        return "no years"
    runs: list[tuple[int, int]] = []
    for year in ordered:
        if runs and runs[-1][1] == year - 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


class WorkdaysError(ValueError):
    """Base class of every error raised by :mod:`huhang.workdays`."""


class ScheduleNotPublished(WorkdaysError):
    """A computation needs a day of a year whose official schedule the calendar does not hold."""

    def __init__(self, year: int, covered: Iterable[int] = ()) -> None:
        self.year = year
        self.covered = frozenset(covered)
        covered_text = _years_text(self.covered)
        self.message_zh = SCHEDULE_NOT_PUBLISHED_ZH.format(year=year, covered=covered_text)
        super().__init__(SCHEDULE_NOT_PUBLISHED.format(year=year, covered=covered_text))


class ScheduleError(WorkdaysError):
    """A schedule to be loaded is malformed; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("invalid holiday schedule: " + "; ".join(self.problems))
