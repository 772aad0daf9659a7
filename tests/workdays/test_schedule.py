"""Loading administrator schedules for years chinesecalendar does not cover."""

import copy
import datetime as dt
import json

import pytest

from huhang.workdays import Calendar, Holiday, ScheduleError, WorkdaysError, YearSchedule, default_calendar

D = dt.date


def test_round_trip(schedule_2027):
    schedule = YearSchedule.from_json(json.dumps(schedule_2027, ensure_ascii=False))
    assert schedule.year == 2027
    assert schedule.holidays[0] == Holiday("元旦", (D(2027, 1, 1),), "New Year's Day")
    assert schedule.published == D(2026, 11, 20)
    assert YearSchedule.from_dict(schedule.to_dict()) == schedule


def test_package_years_round_trip():
    schedule = default_calendar().schedule(2026)
    assert schedule.source.startswith("chinesecalendar ")
    assert YearSchedule.from_dict({**schedule.to_dict(), "published": "2025-11-04"}).holidays == schedule.holidays


def _bad(schedule_2027, change):
    data = copy.deepcopy(schedule_2027)
    change(data)
    return data


# (change to the good schedule, a problem the error must name)
BAD_SCHEDULES = [
    (lambda d: d.update(year="2027"), "year must be an integer"),
    (lambda d: d.update(year=True), "year must be an integer"),
    (lambda d: d.pop("source"), "missing key 'source'"),
    (lambda d: d.update(source="  "), "source must name the notice"),
    (lambda d: d.update(holiday=[]), "unknown key 'holiday'"),
    (lambda d: d.update(published="20 Nov 2026"), "published: '20 Nov 2026' is not a valid date"),
    (lambda d: d.update(holidays=[]), "holidays must be a non-empty list"),
    (lambda d: d["holidays"][0].update(dates=["2027-02-30"]), "holidays[0].dates[0]: '2027-02-30' is not a valid"),
    (lambda d: d["holidays"][0].update(dates=[]), "holidays[0].dates must be a non-empty list"),
    (lambda d: d["holidays"][0].update(name=""), "holidays[0].name must be a non-empty string"),
    (lambda d: d["holidays"][0].update(extra=1), "holidays[0] must be an object with keys"),
    (lambda d: d["holidays"][0].update(dates=["2026-12-31"]), "holiday 元旦 date 2026-12-31 is not in 2027"),
    (lambda d: d["holidays"][0].update(dates=["2027-02-06"]), "2027-02-06 is listed twice as a holiday (元旦, 春节)"),
    (lambda d: d.update(workdays=["2027-02-07"]), "2027-02-07 is listed both as a holiday (春节) and as a make-up"),
    (lambda d: d.update(workdays=["2027-02-17"]), "make-up working day 2027-02-17 is a Wednesday, already a working"),
    (lambda d: d.update(workdays=["2028-01-08"]), "make-up working day 2028-01-08 is not in 2027"),
    (lambda d: d.update(workdays=["2027-02-20", "2027-02-20"]), "a make-up working day is listed twice"),
    (lambda d: d.update(workdays="2027-02-20"), "workdays must be a list"),
]


@pytest.mark.parametrize(("change", "problem"), BAD_SCHEDULES, ids=[p for _, p in BAD_SCHEDULES])
def test_bad_schedules_are_rejected(schedule_2027, change, problem):
    with pytest.raises(ScheduleError) as info:
        YearSchedule.from_dict(_bad(schedule_2027, change))
    assert any(problem in p for p in info.value.problems), info.value.problems
    assert isinstance(info.value, WorkdaysError) and isinstance(info.value, ValueError)


def test_every_problem_is_reported_at_once(schedule_2027):
    data = _bad(schedule_2027, lambda d: d.update(source="", workdays=["x"]))
    with pytest.raises(ScheduleError) as info:
        YearSchedule.from_dict(data)
    assert len(info.value.problems) == 2
    assert str(info.value).startswith("invalid holiday schedule: source must name")


@pytest.mark.parametrize(("text", "problem"), [("{", "not valid JSON"), ("[]", "must be a JSON object")])
def test_bad_json(text, problem):
    with pytest.raises(ScheduleError, match=problem):
        YearSchedule.from_json(text)


def test_covered_years_are_not_replaced_silently(schedule_2027):
    schedule = YearSchedule.from_dict(schedule_2027)
    calendar = default_calendar().with_schedule(schedule)
    assert calendar.years == frozenset(range(2004, 2028))
    assert default_calendar().years == frozenset(range(2004, 2027))  # unchanged
    with pytest.raises(ScheduleError, match="2027 is already covered"):
        calendar.with_schedule(schedule)
    corrected = YearSchedule.from_dict({**schedule_2027, "workdays": []})
    assert calendar.with_schedule(corrected, replace=True).is_working_day(D(2027, 2, 20)) is False
    with pytest.raises(ScheduleError, match="two schedules for 2027"):
        Calendar([schedule, schedule])


def test_a_package_year_round_trips_through_its_dict():
    from huhang.workdays import YearSchedule, default_calendar

    schedule = default_calendar().schedule(2026)
    assert YearSchedule.from_dict(schedule.to_dict()) == schedule
