"""Reporting periods: a year, a quarter, a month or any range of days, written the way staff type them.

A :class:`Period` is the half-open range ``[start, end)``. :func:`parse_period` accepts ``2025``, ``2025Q3``,
``2025-09`` and ``2025-09-01..2025-12-31`` (both days included, as people write a range).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _


class PeriodError(ValueError):
    """A period that cannot be read, or that ends before it starts."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # exclusive
    kind: str  # "year", "quarter", "month" or "range"

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def code(self) -> str:
        if self.kind == "year":
            return f"{self.start.year}"
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()}..{self.last_day.isoformat()}"

    @property
    def label(self) -> str:
        """The period written the Chinese way (年、季度、月) or as a range of days."""
        if self.kind == "year":
            return _("year %(year)d") % {"year": self.start.year}
        if self.kind == "quarter":
            return _("%(year)d Q%(quarter)d") % {"year": self.start.year, "quarter": (self.start.month - 1) // 3 + 1}
        if self.kind == "month":
            return _("%(year)d-%(month)02d") % {"year": self.start.year, "month": self.start.month}
        return f"{self.start.isoformat()} – {self.last_day.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def elapsed(self, today: dt.date) -> float:
        """The share of the period passed by the end of ``today`` (0 before it starts, 1 once it has ended)."""
        if today < self.start:
            return 0.0
        return min(1.0, ((today - self.start).days + 1) / self.days)

    def ended(self, today: dt.date) -> bool:
        return today >= self.last_day

    def as_of(self, today: dt.date) -> dt.date:
        """The last day a figure of this period can describe on ``today``."""
        return min(self.last_day, today)

    def months(self) -> list[Period]:
        """The calendar months overlapping this period, each cut to it."""
        result, cursor = [], self.start.replace(day=1)
        while cursor < self.end:
            following = _add_months(cursor, 1)
            result.append(Period(max(cursor, self.start), min(following, self.end), "month"))
            cursor = following
        return result

    def shifted_years(self, years: int) -> Period:
        """The same period ``years`` earlier (negative) or later."""
        return Period(_replace_year(self.start, years), _replace_year(self.end, years), self.kind)

    def __str__(self) -> str:
        return self.code


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _replace_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def year(value: int) -> Period:
    return Period(dt.date(value, 1, 1), dt.date(value + 1, 1, 1), "year")


def month(value: int, number: int) -> Period:
    start = dt.date(value, number, 1)
    return Period(start, _add_months(start, 1), "month")


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})\s*[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")


def parse_period(text: str) -> Period:
    """Read ``2025``, ``2025Q3``, ``2025-09`` or ``2025-09-01..2025-12-31``; raise :class:`PeriodError`."""
    value = (text or "").strip()
    if match := _YEAR.match(value):
        number = int(match[1])
        if number < 1900:
            raise PeriodError(_("The year %(year)s is out of range.") % {"year": value})
        return year(number)
    if match := _QUARTER.match(value):
        start = dt.date(int(match[1]), 3 * int(match[2]) - 2, 1)
        return Period(start, _add_months(start, 3), "quarter")
    if match := _MONTH.match(value):
        if not 1 <= int(match[2]) <= 12:
            raise PeriodError(_("There is no month %(month)s.") % {"month": match[2]})
        return month(int(match[1]), int(match[2]))
    if match := _RANGE.match(value):
        try:
            first, last = dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])
        except ValueError as exc:
            raise PeriodError(_("Not a date: %(error)s.") % {"error": exc}) from exc
        if last < first:
            raise PeriodError(
                _("The period ends (%(last)s) before it starts (%(first)s).") % {"first": first, "last": last}
            )
        return Period(first, last + dt.timedelta(days=1), "range")
    raise PeriodError(
        _(
            "Cannot read the period %(text)r: write a year (2025), a quarter (2025Q3), a month (2025-09) "
            "or a range of days (2025-09-01..2025-12-31)."
        )
        % {"text": value}
    )
