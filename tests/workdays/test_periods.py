"""Working-day counts and statutory periods (LEGAL.md §7 and §4, CPL Art. 85)."""

import datetime as dt
import doctest

import chinese_calendar
import pytest

import huhang.workdays
from huhang.workdays import (
    Calendar,
    RollOver,
    ScheduleNotPublished,
    WorkdaysError,
    YearSchedule,
    add_months,
    add_working_days,
    default_calendar,
    is_working_day,
    period_due,
    period_end,
    working_days_due,
)
from huhang.workdays._periods import NEGATIVE_COUNT, PERIOD_ARGUMENTS

D = dt.date

# (start, n, expected, why) — verified examples from LEGAL.md §7 and every 2026 holiday boundary [S13].
WORKING_DAY_CASES = [
    (D(2026, 9, 30), 5, D(2026, 10, 13), "LEGAL.md §7: National Day, make-up Sat 10-10 counts"),
    (D(2026, 2, 13), 5, D(2026, 2, 27), "LEGAL.md §7: Spring Festival, make-up Sat 2-14 counts"),
    (D(2026, 10, 1), 5, D(2026, 10, 13), "start on a holiday: count begins at next working day (not 10-14)"),
    (D(2026, 10, 7), 1, D(2026, 10, 8), "last day of National Day"),
    (D(2026, 10, 9), 1, D(2026, 10, 10), "Fri → make-up Sat 10-10"),
    (D(2026, 9, 11), 1, D(2026, 9, 14), "Fri → Mon: ordinary Sat/Sun skipped"),
    (D(2026, 9, 19), 1, D(2026, 9, 20), "Sat → make-up Sun 9-20"),
    (D(2026, 12, 31), 0, D(2026, 12, 31), "n = 0 returns the start day"),
    (D(2026, 10, 1), 0, D(2026, 10, 1), "n = 0 returns the start day even on a holiday"),
    (D(2025, 12, 31), 1, D(2026, 1, 4), "New Year 1-1..1-3, make-up Sun 1-4"),
    (D(2026, 1, 3), 1, D(2026, 1, 4), "New Year's last day → make-up Sun"),
    (D(2026, 2, 13), 1, D(2026, 2, 14), "Fri → make-up Sat 2-14"),
    (D(2026, 2, 14), 1, D(2026, 2, 24), "Spring Festival 2-15..2-23"),
    (D(2026, 2, 27), 1, D(2026, 2, 28), "Fri → make-up Sat 2-28"),
    (D(2026, 2, 28), 1, D(2026, 3, 2), "Sun 3-1 is an ordinary rest day"),
    (D(2026, 4, 3), 1, D(2026, 4, 7), "Qingming 4-4..4-6"),
    (D(2026, 4, 30), 1, D(2026, 5, 6), "Labour Day 5-1..5-5"),
    (D(2026, 5, 8), 1, D(2026, 5, 9), "Fri → make-up Sat 5-9"),
    (D(2026, 6, 18), 1, D(2026, 6, 22), "Dragon Boat 6-19..6-21"),
    (D(2026, 9, 24), 1, D(2026, 9, 28), "Mid-Autumn 9-25..9-27"),
]

# (start, kwargs, expected, why)
PERIOD_CASES = [
    (D(2026, 9, 16), {"days": 15}, D(2026, 10, 8), "LEGAL.md §7: 10-01 is a holiday → 10-08 (CPL Art. 85)"),
    (D(2026, 1, 31), {"months": 1}, D(2026, 2, 28), "no 02-31 → month's last day, a make-up Saturday: stays"),
    (D(2026, 9, 1), {"days": 5}, D(2026, 9, 7), "ends Sun 9-06 → Mon 9-07"),
    (D(2026, 9, 15), {"days": 5}, D(2026, 9, 20), "ends on make-up Sun 9-20: stays"),
    (D(2026, 10, 3), {"days": 7}, D(2026, 10, 10), "ends on make-up Sat 10-10: stays"),
    (D(2026, 3, 31), {"months": 1}, D(2026, 4, 30), "no 04-31 → 04-30 (Thu)"),
    (D(2025, 12, 31), {"months": 2}, D(2026, 2, 28), "2026-02-28 is a make-up Saturday: stays"),
    (D(2026, 3, 15), {"months": 3}, D(2026, 6, 15), "same day number"),
    (D(2026, 4, 4), {"months": 1}, D(2026, 5, 6), "ends 5-04 in Labour Day → 5-06"),
    (D(2025, 11, 1), {"months": 3}, D(2026, 2, 2), "ends Sun 2-01 → Mon 2-02"),
]


@pytest.mark.parametrize(("start", "n", "expected", "why"), WORKING_DAY_CASES, ids=[c[3] for c in WORKING_DAY_CASES])
def test_add_working_days(start, n, expected, why):
    assert add_working_days(start, n) == expected
    due = working_days_due(start, n)
    assert (due.date, due.provisional, due.assumed_years) == (expected, False, ())


@pytest.mark.parametrize(("start", "kwargs", "expected", "why"), PERIOD_CASES, ids=[c[3] for c in PERIOD_CASES])
def test_period_end(start, kwargs, expected, why):
    assert period_end(start, **kwargs) == expected
    assert period_due(start, **kwargs).date == expected


def test_find_workday_differs_for_a_start_on_a_holiday():
    # LEGAL.md §7: chinese_calendar.find_workday snaps a holiday start forward first; we must not.
    assert chinese_calendar.find_workday(5, D(2026, 10, 1)) == D(2026, 10, 14)
    assert add_working_days(D(2026, 10, 1), 5) == D(2026, 10, 13)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 2, 28), True),  # make-up Saturday
        (D(2026, 3, 1), False),  # ordinary Sunday
        (D(2026, 10, 1), False),
        (D(2026, 10, 10), True),
        (D(2026, 1, 4), True),
        (D(2026, 5, 9), True),
        (D(2026, 9, 20), True),
        (D(2026, 6, 19), False),
        (D(2026, 7, 1), True),
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


def test_every_2026_holiday_and_makeup_day_matches_the_notice():
    # 国务院办公厅关于2026年部分节假日安排的通知 [S13], as summarised in LEGAL.md §7.
    schedule = default_calendar().schedule(2026)
    spans = {h.name: (h.dates[0], h.dates[-1], len(h.dates)) for h in schedule.holidays}
    assert spans == {
        "元旦": (D(2026, 1, 1), D(2026, 1, 3), 3),
        "春节": (D(2026, 2, 15), D(2026, 2, 23), 9),
        "清明节": (D(2026, 4, 4), D(2026, 4, 6), 3),
        "劳动节": (D(2026, 5, 1), D(2026, 5, 5), 5),
        "端午节": (D(2026, 6, 19), D(2026, 6, 21), 3),
        "中秋节": (D(2026, 9, 25), D(2026, 9, 27), 3),
        "国庆节": (D(2026, 10, 1), D(2026, 10, 7), 7),
    }
    assert schedule.workdays == (
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    )


def test_matches_chinese_calendar_on_every_day_2004_2026():
    calendar = default_calendar()
    assert calendar.years == frozenset(range(2004, 2027))
    day, mismatches = D(2004, 1, 1), []
    while day.year <= 2026:
        if calendar.is_working_day(day) != chinese_calendar.is_workday(day):
            mismatches.append(day)
        day += dt.timedelta(days=1)
    assert mismatches == []


@pytest.mark.parametrize("n", [-1, -5, 1.5, True, "3"])
def test_bad_counts_are_rejected(n):
    with pytest.raises(WorkdaysError, match="count must be 0 or more"):
        add_working_days(D(2026, 5, 6), n)
    assert NEGATIVE_COUNT.format(n=-1) == "a working-day count must be 0 or more, got -1"


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"days": 1, "months": 1}, {"days": 0}, {"months": 0}, {"days": -3}, {"days": 1.0}, {"months": True}],
)
def test_bad_periods_are_rejected(kwargs):
    with pytest.raises(WorkdaysError) as info:
        period_end(D(2026, 5, 6), **kwargs)
    assert str(info.value) == PERIOD_ARGUMENTS


@pytest.mark.parametrize("day", [dt.datetime(2026, 5, 6, 9, 0), "2026-05-06", None])
def test_non_dates_are_rejected(day):
    with pytest.raises(TypeError, match=r"datetime\.date"):
        add_working_days(day, 1)
    with pytest.raises(TypeError, match=r"datetime\.date"):
        is_working_day(day)


def test_roll_over_holidays_only_keeps_ordinary_weekends():
    # Unconfirmed for administrative procedures (LEGAL.md §7): the rule is a parameter.
    assert period_end(D(2026, 9, 1), days=5, roll=RollOver.HOLIDAYS_ONLY) == D(2026, 9, 6)
    assert period_end(D(2026, 9, 16), days=15, roll=RollOver.HOLIDAYS_ONLY) == D(2026, 10, 8)
    # Dragon Boat ends Sun 6-21; the first day after the holiday is Mon 6-22 either way.
    assert period_end(D(2026, 6, 9), days=10, roll=RollOver.HOLIDAYS_ONLY) == D(2026, 6, 22)
    # New Year ends Sat 1-3 in 2026; the day after is make-up Sun 1-4.
    assert period_end(D(2025, 12, 22), days=10, roll=RollOver.HOLIDAYS_ONLY) == D(2026, 1, 4)
    due = period_due(D(2026, 9, 1), days=5, roll=RollOver.HOLIDAYS_ONLY)
    assert "does not move" in due.explanation
    with pytest.raises(WorkdaysError, match="RollOver"):
        period_end(D(2026, 9, 1), days=5, roll="rest_days")


def test_explanations_name_skipped_days_and_roll_over():
    due = working_days_due(D(2026, 9, 30), 5)
    assert due.explanation == (
        "2026-10-13 is 5 working days after 2026-09-30 (the start day is not counted)."
        " Skipped: National Day holiday 2026-10-01 to 2026-10-07; 1 weekend day."
        " Counted make-up working days (调休): 2026-10-10."
    )
    assert due.explanation_zh == (
        "2026-10-13为2026-09-30后第5个工作日（起算日不计入）。"
        "跳过：国庆节假期2026-10-01至2026-10-07；周末1天。计入调休上班日：2026-10-10。"
    )
    period = period_due(D(2026, 9, 16), days=15)
    assert "National Day" in period.explanation and "2026-10-08 (CPL Art. 85)" in period.explanation
    assert "民事诉讼法第八十五条" in period.explanation_zh
    month = period_due(D(2026, 1, 31), months=1)
    assert "has no day 31" in month.explanation and "make-up working day" in month.explanation
    assert "2026年2月无31日" in month.explanation_zh


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # no 31 February: the month's last day
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2026, 11, 30), 3, D(2027, 2, 28)),  # across a year end
        (D(2026, 10, 9), 3, D(2027, 1, 9)),  # a Saturday: not rolled over here
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
    ],
)
def test_add_months_gives_the_raw_end_of_a_month_period(start, months, expected):
    assert add_months(start, months) == expected
    if expected.year <= 2026:
        assert period_end(start, months=months) >= expected


def test_year_end_crossing_needs_the_next_schedule():
    with pytest.raises(ScheduleNotPublished) as info:
        add_working_days(D(2026, 12, 31), 5)
    assert info.value.year == 2027
    assert "2027" in info.value.message_zh
    assert str(info.value) == "no official holiday schedule is loaded for 2027 (calendar covers 2004–2026)"
    with pytest.raises(ScheduleNotPublished, match="2027"):
        period_end(D(2026, 8, 31), months=6)
    with pytest.raises(ScheduleNotPublished, match="2003"):
        is_working_day(D(2003, 12, 31))
    # A period that ends inside the covered years needs no later schedule.
    assert period_end(D(2026, 12, 20), days=11) == D(2026, 12, 31)


def test_year_end_crossing_with_a_loaded_2027_schedule(schedule_2027):
    calendar = default_calendar().with_schedule(YearSchedule.from_dict(schedule_2027))
    # 2027-01-01 (Fri) is New Year's Day in the test schedule; 2027-01-02/03 ordinary weekend.
    assert add_working_days(D(2026, 12, 31), 5, calendar=calendar) == D(2027, 1, 8)
    assert period_end(D(2026, 12, 17), days=15, calendar=calendar) == D(2027, 1, 4)
    assert is_working_day(D(2027, 2, 20), calendar=calendar) is True  # make-up Saturday in the test data


def test_provisional_answers_are_marked(schedule_2027):
    due = working_days_due(D(2026, 12, 31), 5, allow_provisional=True)
    assert (due.date, due.provisional, due.assumed_years) == (D(2027, 1, 7), True, (2027,))
    assert "PROVISIONAL" in due.explanation and "暂定" in due.explanation_zh
    # Recomputed once the schedule is loaded: no longer provisional, and the date changes.
    calendar = default_calendar().with_schedule(YearSchedule.from_dict(schedule_2027))
    final = working_days_due(D(2026, 12, 31), 5, calendar=calendar, allow_provisional=True)
    assert (final.date, final.provisional, final.assumed_years) == (D(2027, 1, 8), False, ())
    # Inside the covered years allow_provisional changes nothing.
    assert working_days_due(D(2026, 9, 30), 5, allow_provisional=True) == working_days_due(D(2026, 9, 30), 5)
    period = period_due(D(2026, 12, 28), days=6, allow_provisional=True)  # Sun 2027-01-03 → Mon 01-04
    assert (period.date, period.provisional) == (D(2027, 1, 4), True)


def test_custom_calendar_is_used():
    empty = Calendar()
    with pytest.raises(ScheduleNotPublished, match="calendar covers no years"):
        is_working_day(D(2026, 5, 6), calendar=empty)


def test_module_doctests():
    failures, attempted = doctest.testmod(huhang.workdays)
    assert attempted > 0 and failures == 0


def test_public_api_is_declared():
    assert huhang.workdays.__all__ == sorted(huhang.workdays.__all__)
    assert all(hasattr(huhang.workdays, name) for name in huhang.workdays.__all__)
