"""Loading an official holiday schedule for a year chinesecalendar does not cover, and the platform calendar."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from huhang.audit.models import AuditEvent
from huhang.schedules.calendar import platform_calendar
from huhang.schedules.models import LoadedSchedule
from huhang.schedules.services import schedule_load
from huhang.workdays import ScheduleNotPublished, add_working_days, default_calendar

# TEST FIXTURE, NOT THE OFFICIAL 2027 SCHEDULE: made-up dates in the loaded-schedule format.
MADE_UP_2027 = {
    "year": 2027,
    "holidays": [
        {"name": "元旦", "dates": ["2027-01-01", "2027-01-02", "2027-01-03"]},
        {"name": "春节", "dates": [f"2027-02-{d:02d}" for d in range(6, 13)]},
    ],
    "workdays": ["2027-02-20"],
    "source": "TEST FIXTURE — made up, not a State Council notice",
    "published": "2026-11-01",
}


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English unless a test switches to Chinese itself."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_calendar():
    from huhang.schedules import calendar

    calendar.invalidate()
    yield
    calendar.invalidate()


def test_a_loaded_year_extends_the_platform_calendar(administrator, django_capture_on_commit_callbacks):
    with pytest.raises(ScheduleNotPublished):
        add_working_days(dt.date(2026, 12, 31), 5, calendar=platform_calendar())
    with django_capture_on_commit_callbacks(execute=True):
        row = schedule_load(actor=administrator, text_or_dict=json.dumps(MADE_UP_2027))
    assert (row.year, row.loaded_by, row.published) == (2027, administrator, dt.date(2026, 11, 1))
    calendar = platform_calendar()
    assert calendar.years == default_calendar().years | {2027}
    # 01-01..01-03 are (made-up) holidays: 01-04 … 01-08 are the five working days.
    assert add_working_days(dt.date(2026, 12, 31), 5, calendar=calendar) == dt.date(2027, 1, 8)
    assert calendar.is_working_day(dt.date(2027, 2, 20))
    assert platform_calendar() is calendar  # cached until the next load


def test_history_and_audit_name_the_administrator(administrator):
    row = schedule_load(actor=administrator, text_or_dict=MADE_UP_2027)
    version = row.history.get()
    assert version.history_user == administrator
    assert version.history_type == "+"
    event = AuditEvent.objects.get(action="schedule.load")
    assert (event.actor, event.target) == (administrator, "2027")


def test_a_bad_schedule_is_refused_with_every_problem_and_nothing_stored(administrator):
    with pytest.raises(ValidationError, match="unknown key 'holiday'"):
        schedule_load(actor=administrator, text_or_dict={**MADE_UP_2027, "holiday": []})
    bad = {**MADE_UP_2027, "workdays": ["2027-02-22", "2028-02-20"]}
    with pytest.raises(ValidationError) as caught:
        schedule_load(actor=administrator, text_or_dict=bad)
    messages = caught.value.messages
    assert any("2027-02-22 is a Monday" in m for m in messages)
    assert any("2028-02-20 is not in 2027" in m for m in messages)
    assert all(m.startswith("Invalid holiday schedule: ") for m in messages)
    with pytest.raises(ValidationError, match="not valid JSON"):
        schedule_load(actor=administrator, text_or_dict="{")
    assert not LoadedSchedule.objects.exists()
    assert not AuditEvent.objects.exists()


def test_bad_schedule_messages_are_in_chinese_when_the_language_is_chinese(administrator):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        schedule_load(actor=administrator, text_or_dict={**MADE_UP_2027, "source": " "})
    assert caught.value.messages == ["节假日安排有误：source must name the notice the schedule comes from"]


@pytest.mark.parametrize("role", ["handler", "approver", "supervisor", "applicant"])
def test_only_administrators_load(role, request):
    with pytest.raises(PermissionDenied):
        schedule_load(actor=request.getfixturevalue(role), text_or_dict=MADE_UP_2027)
    assert not LoadedSchedule.objects.exists()


def test_a_covered_year_is_replaced_only_on_purpose_with_a_reason(administrator):
    corrected = {"source": "corrected copy (test)", "published": "2025-11-04"}
    covered_2026 = default_calendar().schedule(2026).to_dict() | corrected
    with pytest.raises(ValidationError, match="already covered"):
        schedule_load(actor=administrator, text_or_dict=covered_2026)
    with pytest.raises(ValidationError, match="reason"):
        schedule_load(actor=administrator, text_or_dict=covered_2026, replace=True)
    row = schedule_load(actor=administrator, text_or_dict=covered_2026, replace=True, reason="test correction")
    assert row.history.get().history_change_reason == "test correction"
    assert platform_calendar().schedule(2026).source == "corrected copy (test)"
    # A year loaded earlier is covered too.
    schedule_load(actor=administrator, text_or_dict=MADE_UP_2027)
    with pytest.raises(ValidationError, match="already covered"):
        schedule_load(actor=administrator, text_or_dict=MADE_UP_2027)
    schedule_load(actor=administrator, text_or_dict=MADE_UP_2027, replace=True, reason="second notice")
    assert LoadedSchedule.objects.get(year=2027).history.count() == 2
    assert AuditEvent.objects.filter(action="schedule.replace").count() == 2


def test_the_command_loads_and_lists(administrator, handler, tmp_path, capsys):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(MADE_UP_2027, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="administrators"):
        call_command("schedules", "load", str(path), "--as", "handler")
    with pytest.raises(CommandError, match="No such user"):
        call_command("schedules", "load", str(path), "--as", "nobody")
    call_command("schedules", "load", str(path), "--as", "administrator")
    assert "loaded 2027" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already covered"):
        call_command("schedules", "load", str(path), "--as", "administrator")
    call_command("schedules", "load", str(path), "--as", "administrator", "--replace", "--reason", "re-issued")
    capsys.readouterr()
    assert LoadedSchedule.objects.get().history.first().history_change_reason == "re-issued"
    call_command("schedules", "list")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2004\tpackage\tchinesecalendar ")
    assert lines[-1] == "2027\tloaded\tTEST FIXTURE — made up, not a State Council notice"
    assert add_working_days(dt.date(2026, 12, 31), 5, calendar=platform_calendar()) == dt.date(2027, 1, 8)


def test_the_admin_lists_loaded_schedules_read_only(administrator, client):
    schedule_load(actor=administrator, text_or_dict=MADE_UP_2027)
    client.force_login(administrator)
    response = client.get("/admin/schedules/loadedschedule/")
    assert response.status_code == 200
    assert b"TEST FIXTURE" in response.content
    assert client.get("/admin/schedules/loadedschedule/add/").status_code == 403
