"""Working-day counts and statutory periods, with explanations and provisional answers."""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt
import enum
import itertools
from dataclasses import dataclass, field

from ._errors import ScheduleNotPublished, WorkdaysError
from ._schedule import Calendar, Holiday, check_date, default_calendar

ONE_DAY = dt.timedelta(days=1)
NEGATIVE_COUNT = "a working-day count must be 0 or more, got {n}"
PERIOD_ARGUMENTS = "give exactly one of days= or months=, as a positive integer"


class RollOver(enum.Enum):
    """Which rest days move the last day of a period forward (CPL Art. 85 "法定休假日")."""

    #: Holidays and ordinary weekends move the last day; a 调休 make-up Saturday does not. The default:
    #: common practice, but unconfirmed for administrative procedures (LEGAL.md §7).
    REST_DAYS = "rest_days"
    #: Only days of an official holiday move the last day (to the first day after the holiday).
    HOLIDAYS_ONLY = "holidays_only"


class _Kind(enum.Enum):
    WORKING = "working"
    MAKEUP = "makeup"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"


@dataclass(frozen=True)
class DueDate:
    """A computed date with its explanation in English and Chinese.

    ``provisional`` is true when a day of a year without a published schedule was needed; such days were
    taken as Monday–Friday working days with no holidays, and ``assumed_years`` lists those years. Show the
    date as provisional and recompute it once the schedule is loaded.
    """

    date: dt.date
    provisional: bool = False
    explanation: str = ""
    explanation_zh: str = ""
    assumed_years: tuple[int, ...] = field(default=())


@dataclass
class _Classifier:
    calendar: Calendar
    allow_provisional: bool
    assumed_years: set[int] = field(default_factory=set)

    def __call__(self, day: dt.date) -> tuple[_Kind, Holiday | None]:
        if self.calendar.covers(day.year):
            holiday = self.calendar.holiday(day)
            if holiday is not None:
                return _Kind.HOLIDAY, holiday
            if self.calendar.is_makeup_workday(day):
                return _Kind.MAKEUP, None
        elif self.allow_provisional:
            self.assumed_years.add(day.year)
        else:
            raise ScheduleNotPublished(day.year, self.calendar.years)
        return (_Kind.WEEKEND if day.weekday() >= 5 else _Kind.WORKING), None

    def finish(self, day: dt.date, en: list[str], zh: list[str]) -> DueDate:
        years = tuple(sorted(self.assumed_years))
        if years:
            listed = ", ".join(map(str, years))
            en.append(
                f"PROVISIONAL: no official holiday schedule is loaded for {listed}; its days were taken as"
                " Monday–Friday working days with no holidays. Recompute when the schedule is published."
            )
            zh.append(
                f"暂定：{'、'.join(map(str, years))}年节假日安排尚未载入，按周一至周五工作、无节假日计算；"
                "公布后须重新计算。"
            )
        return DueDate(day, bool(years), " ".join(en), "".join(zh), years)


def is_working_day(day: dt.date, *, calendar: Calendar | None = None) -> bool:
    """Return whether ``day`` is a working day. Raises :class:`ScheduleNotPublished` outside the calendar."""
    return (calendar or default_calendar()).is_working_day(day)


def working_days_due(
    start: dt.date, n: int, *, calendar: Calendar | None = None, allow_provisional: bool = False
) -> DueDate:
    """Return the ``n``-th working day after ``start``, explained.

    The start day is never counted, whatever it is; the count begins with the next working day, and 调休
    make-up days count. ``n == 0`` returns ``start`` itself. Raises :class:`WorkdaysError` for negative ``n``
    and :class:`ScheduleNotPublished` when a needed day lies in an unpublished year, unless
    ``allow_provisional`` is true.
    """
    check_date(start, "start")
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise WorkdaysError(NEGATIVE_COUNT.format(n=n))
    classify = _Classifier(calendar or default_calendar(), allow_provisional)
    day, counted, skipped, makeups = start, 0, [], []
    while counted < n:
        day += ONE_DAY
        kind, holiday = classify(day)
        if kind in (_Kind.WORKING, _Kind.MAKEUP):
            counted += 1
            if kind is _Kind.MAKEUP:
                makeups.append(day)
        else:
            skipped.append((day, holiday))
    en = [f"{day} is {n} working day{'s' if n != 1 else ''} after {start} (the start day is not counted)."]
    zh = [f"{day}为{start}后第{n}个工作日（起算日不计入）。"]
    holiday_runs = [
        (h, [d for d, _ in run]) for h, run in itertools.groupby(skipped, key=lambda item: item[1]) if h is not None
    ]
    weekend_days = sum(1 for _, h in skipped if h is None)
    if holiday_runs or weekend_days:
        parts_en = [f"{h.label_en} holiday {_span(days)}" for h, days in holiday_runs]
        parts_zh = [f"{h.label_zh}假期{_span(days, '至')}" for h, days in holiday_runs]
        if weekend_days:
            parts_en.append(f"{weekend_days} weekend day{'s' if weekend_days != 1 else ''}")
            parts_zh.append(f"周末{weekend_days}天")
        en.append("Skipped: " + "; ".join(parts_en) + ".")
        zh.append("跳过：" + "；".join(parts_zh) + "。")
    if makeups:
        en.append("Counted make-up working days (调休): " + ", ".join(map(str, makeups)) + ".")
        zh.append("计入调休上班日：" + "、".join(map(str, makeups)) + "。")
    return classify.finish(day, en, zh)


def add_working_days(start: dt.date, n: int, *, calendar: Calendar | None = None) -> dt.date:
    """Return the ``n``-th working day after ``start``; see :func:`working_days_due`."""
    return working_days_due(start, n, calendar=calendar).date


def add_months(start: dt.date, months: int) -> dt.date:
    """Return the day of the same number ``months`` months after ``start``, or the last day of that month when
    it has no such day (2026-01-31 + 1 month → 2026-02-28); no rest day is rolled over."""
    years, month0 = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, month0 + 1
    return dt.date(year, month, min(start.day, _stdlib_calendar.monthrange(year, month)[1]))


def period_due(
    start: dt.date,
    *,
    days: int | None = None,
    months: int | None = None,
    calendar: Calendar | None = None,
    roll: RollOver = RollOver.REST_DAYS,
    allow_provisional: bool = False,
) -> DueDate:
    """Return the last day of a period of ``days`` natural days or ``months`` months after ``start``, explained.

    The start day is not counted (CPL Art. 85). A month period ends on the day of the same number in the
    final month, or on that month's last day when there is none. If the last day is a rest day (as ``roll``
    defines it) it moves to the next working day; under :attr:`RollOver.HOLIDAYS_ONLY` only a holiday moves
    it, to the first day after the holiday.
    """
    check_date(start, "start")
    if not isinstance(roll, RollOver):
        raise WorkdaysError(f"roll must be a RollOver, got {roll!r}")
    given = [(unit, value) for unit, value in (("days", days), ("months", months)) if value is not None]
    if len(given) != 1 or not isinstance(given[0][1], int) or isinstance(given[0][1], bool) or given[0][1] < 1:
        raise WorkdaysError(PERIOD_ARGUMENTS)
    unit, count = given[0]
    classify = _Classifier(calendar or default_calendar(), allow_provisional)
    if unit == "days":
        end = start + dt.timedelta(days=count)
        plural = "s" if count != 1 else ""
        en = [f"A period of {count} day{plural} from {start} (the start day is not counted) ends {end}."]
        zh = [f"自{start}起{count}日的期间（起算日不计入）届满日为{end}。"]
    else:
        end = add_months(start, count)
        en = [f"A period of {count} month{'s' if count != 1 else ''} from {start} ends {end}"]
        zh = [f"自{start}起{count}个月的期间届满日为{end}"]
        if end.day != start.day:
            year, month = end.year, end.month
            en[0] += f" ({year}-{month:02d} has no day {start.day}, so the period ends on the month's last day)."
            zh[0] += f"（{year}年{month}月无{start.day}日，以该月最后一日为期间届满日）。"
        else:
            en[0] += "."
            zh[0] += "。"
    kind, holiday = classify(end)
    moves = {_Kind.HOLIDAY} if roll is RollOver.HOLIDAYS_ONLY else {_Kind.HOLIDAY, _Kind.WEEKEND}
    if kind in moves:
        what_en = f"a day of the {holiday.label_en} holiday" if holiday else "a weekend day"
        what_zh = f"{holiday.label_zh}假期" if holiday else "周末"
        rolled = end
        while kind in moves:
            rolled += ONE_DAY
            kind, _ = classify(rolled)
        en.append(
            f"{end} is {what_en}, so the last day moves to the next "
            f"{'working ' if roll is RollOver.REST_DAYS else 'non-holiday '}day, {rolled} (CPL Art. 85)."
        )
        after_zh = "其后的第一个工作日" if roll is RollOver.REST_DAYS else "节假日后的第一日"
        zh.append(f"{end}为{what_zh}，期间届满日顺延至{after_zh}{rolled}（民事诉讼法第八十五条）。")
        end = rolled
    elif kind is _Kind.MAKEUP:
        en.append(f"{end} is a make-up working day (调休), so the last day does not move.")
        zh.append(f"{end}为调休上班日，期间届满日不顺延。")
    elif kind is _Kind.WEEKEND:
        en.append(f"{end} is a weekend day, but under the holidays-only rule it does not move the last day.")
        zh.append(f"{end}为周末，按仅节假日顺延规则不顺延。")
    return classify.finish(end, en, zh)


def period_end(
    start: dt.date,
    *,
    days: int | None = None,
    months: int | None = None,
    calendar: Calendar | None = None,
    roll: RollOver = RollOver.REST_DAYS,
) -> dt.date:
    """Return the last day of a period; see :func:`period_due`."""
    return period_due(start, days=days, months=months, calendar=calendar, roll=roll).date


def _span(days: list[dt.date], joiner: str = " to ") -> str:
    return str(days[0]) if len(days) == 1 else f"{days[0]}{joiner}{days[-1]}"
