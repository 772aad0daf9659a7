"""Working days and statutory periods on the official PRC holiday schedule.

Plain Python: this package never imports Django. The default calendar comes from the ``chinesecalendar``
package's data tables (2004–2026 in version 1.11.0); an administrator can load further years as
:class:`YearSchedule` JSON (format in ``docs/workdays.md``) and pass the resulting :class:`Calendar` as
``calendar=``.

>>> import datetime as dt
>>> add_working_days(dt.date(2026, 9, 30), 5)
datetime.date(2026, 10, 13)
>>> period_end(dt.date(2026, 9, 16), days=15)
datetime.date(2026, 10, 8)
>>> period_end(dt.date(2026, 1, 31), months=1)
datetime.date(2026, 2, 28)
>>> try:
...     add_working_days(dt.date(2026, 12, 31), 5)
... except ScheduleNotPublished as error:
...     print(error.year, error)
2027 no official holiday schedule is loaded for 2027 (calendar covers 2004–2026)
>>> due = working_days_due(dt.date(2026, 12, 31), 5, allow_provisional=True)
>>> due.date, due.provisional, due.assumed_years
(datetime.date(2027, 1, 7), True, (2027,))

Exceptions::

    WorkdaysError (ValueError)
    ├── ScheduleNotPublished   a needed day lies in a year the calendar does not cover (``.year``)
    └── ScheduleError          a schedule to load is malformed (``.problems``)
"""

from ._errors import ScheduleError, ScheduleNotPublished, WorkdaysError
from ._periods import (
    DueDate,
    RollOver,
    add_months,
    add_working_days,
    is_working_day,
    period_due,
    period_end,
    working_days_due,
)
from ._schedule import Calendar, Holiday, YearSchedule, default_calendar, package_schedules

__all__ = [
    "Calendar",
    "DueDate",
    "Holiday",
    "RollOver",
    "ScheduleError",
    "ScheduleNotPublished",
    "WorkdaysError",
    "YearSchedule",
    "add_months",
    "add_working_days",
    "default_calendar",
    "is_working_day",
    "package_schedules",
    "period_due",
    "period_end",
    "working_days_due",
]
