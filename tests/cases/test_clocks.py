"""Provisional dates in a year without a published schedule, and their recomputation once it is loaded —
automatically (a task queued when the schedule is committed) and by ``huhang cases recompute``."""

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command

from huhang.accounts.models import User
from huhang.cases import clocks, services
from huhang.cases.models import Case, CaseClock
from huhang.cases.tasks import PROGRESS_KEY, recompute_progress
from huhang.schedules import calendar
from huhang.schedules.services import schedule_load

pytestmark = pytest.mark.django_db
D = dt.date

# TEST FIXTURE, NOT THE OFFICIAL 2027 SCHEDULE: made-up dates in the loaded-schedule format, with Monday
# 11 January 2027 a (made-up) holiday so that the effect is visible.
MADE_UP_2027 = {
    "year": 2027,
    "holidays": [{"name": "元旦", "dates": ["2027-01-01", "2027-01-02", "2027-01-03", "2027-01-11"]}],
    "workdays": [],
    "source": "TEST FIXTURE — made up, not a State Council notice",
    "published": "2026-11-01",
}


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture
def admin(office):
    return User.objects.create_user(username="boss", password="x" * 12, role="admin", organisation=office)


def _accepted_on_9_october(filed, clerk):
    case = filed()
    services.case_act(actor=clerk, case=case, action="accept", at=D(2026, 10, 9))
    case.refresh_from_db()
    return case


def test_a_limit_ending_in_an_unpublished_year_is_provisional_and_says_so(filed, clerk):
    case = _accepted_on_9_october(filed, clerk)
    closing = case.clocks.get(code="closing")
    # S1 Art. 37: 3 months from 9 Oct 2026 → Saturday 9 Jan 2027 → (weekends assumed) Monday 11 Jan.
    assert closing.provisional and closing.assumed_years == [2027] and closing.due == D(2027, 1, 11)
    assert "暂定" in closing.explanation_zh and case.provisional


def test_loading_the_schedule_recomputes_the_affected_cases(filed, clerk, admin, django_capture_on_commit_callbacks):
    case = _accepted_on_9_october(filed, clerk)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_load(actor=admin, text_or_dict=json.dumps(MADE_UP_2027))
    closing = CaseClock.objects.get(case=case, code="closing")
    assert not closing.provisional and closing.due == D(2027, 1, 12)
    case.refresh_from_db()
    assert not case.provisional
    assert recompute_progress() is None  # finished: the progress entry is gone


def test_affected_by_year_selects_only_cases_whose_dates_touch_it(filed, clerk):
    late = _accepted_on_9_october(filed, clerk)
    early = filed(at=D(2026, 3, 2))
    services.case_act(
        actor=clerk,
        case=early,
        action="reject",
        at=D(2026, 3, 4),
        payload={"ground": "no_jurisdiction"},
        document_fields={
            "reasons": "请求不属于本局管辖。",
            "ground": "no_jurisdiction",
            "transfer_to": "湖北省知识产权局",
        },
    )
    assert set(clocks.affected_by_year(2027)) == {late}
    assert early in set(clocks.affected_by_year(2026))


def test_the_recompute_command_reports_progress(filed, clerk, capsys):
    _accepted_on_9_october(filed, clerk)
    CaseClock.objects.all().delete()
    Case.objects.update(next_due=None)
    call_command("cases", "recompute")
    out = capsys.readouterr().out
    assert "1/1" in out and "recomputed 1 cases" in out
    assert CaseClock.objects.filter(code="closing").exists()


def test_the_worklist_shows_a_running_recomputation(client, clerk):
    cache.set(PROGRESS_KEY, {"year": 2027, "done": 40, "total": 100})
    try:
        client.force_login(clerk)
        html = client.get("/cases/").content.decode()
        assert '<progress max="100" value="40">' in html and "2027" in html
    finally:
        cache.delete(PROGRESS_KEY)
