"""Official holiday schedules (one per year) and the :class:`Calendar` that combines them."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ._errors import ScheduleError, ScheduleNotPublished

# Official Chinese names (as in the State Council notices) for the English names chinesecalendar uses.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
HOLIDAY_NAMES_EN = {zh: en for en, zh in HOLIDAY_NAMES_ZH.items()}
SCHEDULE_KEYS = frozenset({"year", "holidays", "workdays", "source", "published"})


def check_date(day: object, what: str = "day") -> dt.date:
    """Return ``day`` if it is a plain :class:`datetime.date`; raise :class:`TypeError` otherwise."""
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise TypeError(f"{what} must be a datetime.date (not a datetime), got {day!r}")
    return day


@dataclass(frozen=True)
class Holiday:
    """One named holiday of a schedule, e.g. 春节, with every rest day it covers."""

    name: str
    dates: tuple[dt.date, ...]
    name_en: str = ""

    @property
    def label_en(self) -> str:
        return self.name_en or self.name

    @property
    def label_zh(self) -> str:
        return self.name


@dataclass(frozen=True)
class YearSchedule:
    """The official schedule of one year: holidays and 调休 make-up working days (weekend days worked).

    ``source`` names the notice (or package) the data comes from; ``published`` is the notice's date.
    """

    year: int
    holidays: tuple[Holiday, ...]
    workdays: tuple[dt.date, ...]
    source: str
    published: dt.date | None = None

    def __post_init__(self) -> None:
        problems = _check_schedule(self)
        if problems:
            raise ScheduleError(problems)

    @classmethod
    def from_dict(cls, data: Any) -> YearSchedule:
        """Build a schedule from the JSON-shaped ``data`` documented in ``docs/workdays.md``.

        Raises :class:`ScheduleError` listing every problem found.
        """
        if not isinstance(data, Mapping):
            raise ScheduleError([f"a schedule must be a JSON object, got {type(data).__name__}"])
        problems = [f"unknown key {key!r}" for key in sorted(set(data) - SCHEDULE_KEYS)]
        problems += [f"missing key {key!r}" for key in sorted(SCHEDULE_KEYS - set(data))]
        year = data.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 1949 < year < 10000:
            problems.append(f"year must be an integer such as 2027, got {year!r}")
        source = data.get("source")
        if not isinstance(source, str) or not source.strip():
            problems.append("source must name the notice the schedule comes from")
        # null: the notice's date is not known (the package's own years are written out so).
        raw_published = data.get("published")
        published = None if raw_published is None else _parse_date(raw_published, "published", problems)
        holidays: list[Holiday] = []
        raw_holidays = data.get("holidays")
        if not isinstance(raw_holidays, list) or not raw_holidays:
            problems.append('holidays must be a non-empty list of {"name": …, "dates": […]}')
            raw_holidays = []
        for i, item in enumerate(raw_holidays):
            where = f"holidays[{i}]"
            if not isinstance(item, Mapping) or set(item) - {"name", "name_en", "dates"}:
                problems.append(f"{where} must be an object with keys name, dates and optionally name_en")
                continue
            name = item.get("name")
            if not isinstance(name, str) or not name.strip():
                problems.append(f'{where}.name must be a non-empty string such as "春节"')
                name = "?"
            name_en = item.get("name_en", HOLIDAY_NAMES_EN.get(name, ""))
            if not isinstance(name_en, str):
                problems.append(f"{where}.name_en must be a string")
                name_en = ""
            raw_dates = item.get("dates")
            if not isinstance(raw_dates, list) or not raw_dates:
                problems.append(f"{where}.dates must be a non-empty list of YYYY-MM-DD dates")
                raw_dates = []
            dates = [_parse_date(d, f"{where}.dates[{j}]", problems) for j, d in enumerate(raw_dates)]
            holidays.append(Holiday(name, tuple(d for d in dates if d), name_en))
        raw_workdays = data.get("workdays")
        if not isinstance(raw_workdays, list):
            problems.append("workdays must be a list of YYYY-MM-DD dates (may be empty)")
            raw_workdays = []
        workdays = [_parse_date(d, f"workdays[{j}]", problems) for j, d in enumerate(raw_workdays)]
        if problems:
            raise ScheduleError(problems)
        return cls(year, tuple(holidays), tuple(d for d in workdays if d), source.strip(), published)

    @classmethod
    def from_json(cls, text: str | bytes) -> YearSchedule:
        """Parse a JSON document; see :meth:`from_dict`."""
        try:
            data = json.loads(text)
        except ValueError as error:
            raise ScheduleError([f"not valid JSON: {error}"]) from error
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-shaped form that :meth:`from_dict` reads."""
        return {
            "year": self.year,
            "holidays": [
                {"name": h.name, "name_en": h.name_en, "dates": [d.isoformat() for d in h.dates]} for h in self.holidays
            ],
            "workdays": [d.isoformat() for d in self.workdays],
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
        }


def _parse_date(value: object, where: str, problems: list[str]) -> dt.date | None:
    if isinstance(value, str):
        try:
            if len(value) == 10:
                return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(f"{where}: {value!r} is not a valid date in the form YYYY-MM-DD")
    return None


def _check_schedule(schedule: YearSchedule) -> list[str]:
    problems: list[str] = []
    year = schedule.year
    seen: dict[dt.date, str] = {}
    for holiday in schedule.holidays:
        for day in holiday.dates:
            if day.year != year:
                problems.append(f"holiday {holiday.name} date {day} is not in {year}")
            if day in seen:
                problems.append(f"{day} is listed twice as a holiday ({seen[day]}, {holiday.name})")
            seen[day] = holiday.name
    for day in schedule.workdays:
        if day.year != year:
            problems.append(f"make-up working day {day} is not in {year}")
        if day in seen:
            problems.append(f"{day} is listed both as a holiday ({seen[day]}) and as a make-up working day")
        if day.weekday() < 5:
            problems.append(f"make-up working day {day} is a {day:%A}, already a working day")
    if len(set(schedule.workdays)) != len(schedule.workdays):
        problems.append("a make-up working day is listed twice")
    return problems


class Calendar:
    """The official schedules of the years it covers; days outside them raise :class:`ScheduleNotPublished`.

    A day of a covered year is a working day when it is a make-up working day, or a Monday to Friday
    that is not a holiday. Calendars are immutable: :meth:`with_schedule` returns a new one.
    """

    def __init__(self, schedules: Iterable[YearSchedule] = ()) -> None:
        self._schedules: dict[int, YearSchedule] = {}
        self._holidays: dict[dt.date, Holiday] = {}
        self._workdays: set[dt.date] = set()
        for schedule in schedules:
            if schedule.year in self._schedules:
                raise ScheduleError([f"two schedules for {schedule.year}"])
            self._schedules[schedule.year] = schedule
            self._holidays.update((day, holiday) for holiday in schedule.holidays for day in holiday.dates)
            self._workdays.update(schedule.workdays)

    def __repr__(self) -> str:
        from ._errors import _years_text

        return f"<Calendar {_years_text(self.years)}>"

    @property
    def years(self) -> frozenset[int]:
        return frozenset(self._schedules)

    def covers(self, year: int) -> bool:
        return year in self._schedules

    def schedule(self, year: int) -> YearSchedule:
        """Return the schedule of ``year``; raise :class:`ScheduleNotPublished` if there is none."""
        try:
            return self._schedules[year]
        except KeyError:
            raise ScheduleNotPublished(year, self.years) from None

    def with_schedule(self, schedule: YearSchedule, *, replace: bool = False) -> Calendar:
        """Return a calendar that also holds ``schedule``.

        Raises :class:`ScheduleError` if the year is already covered, unless ``replace`` is true.
        """
        if schedule.year in self._schedules and not replace:
            raise ScheduleError([f"{schedule.year} is already covered; pass replace=True to correct it"])
        others = [s for year, s in self._schedules.items() if year != schedule.year]
        return Calendar([*others, schedule])

    def holiday(self, day: dt.date) -> Holiday | None:
        """Return the holiday ``day`` belongs to, or ``None``."""
        self._require(day)
        return self._holidays.get(day)

    def is_makeup_workday(self, day: dt.date) -> bool:
        """Return whether ``day`` is a weekend day worked in exchange for a holiday (调休上班)."""
        self._require(day)
        return day in self._workdays

    def is_working_day(self, day: dt.date) -> bool:
        self._require(day)
        return day in self._workdays or (day.weekday() < 5 and day not in self._holidays)

    def _require(self, day: dt.date) -> None:
        check_date(day)
        if day.year not in self._schedules:
            raise ScheduleNotPublished(day.year, self.years)


def package_schedules() -> list[YearSchedule]:
    """Return one schedule per year from the ``chinesecalendar`` package's data tables (2004–2026 in 1.11.0)."""
    from importlib.metadata import version

    from chinese_calendar.constants import holidays, workdays

    source = f"chinesecalendar {version('chinesecalendar')} (State Council notices)"
    by_year: dict[int, dict[str, list[dt.date]]] = {}
    for day, name_en in sorted(holidays.items()):
        by_year.setdefault(day.year, {}).setdefault(name_en, []).append(day)
    schedules = []
    for year, named in sorted(by_year.items()):
        schedules.append(
            YearSchedule(
                year=year,
                holidays=tuple(Holiday(HOLIDAY_NAMES_ZH.get(en, en), tuple(days), en) for en, days in named.items()),
                workdays=tuple(sorted(d for d in workdays if d.year == year)),
                source=source,
            )
        )
    return schedules


@functools.cache
def default_calendar() -> Calendar:
    """Return the calendar built from the ``chinesecalendar`` package (built once, on first use)."""
    return Calendar(package_schedules())
