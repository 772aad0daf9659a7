"""Statuses derived as of a date, and the aggregations by department, area and programme (in SQL)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huhang.supervision import selectors, services
from huhang.supervision.models import WorkItem
from tests.supervision.conftest import today

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def status(item, on=None):
    return selectors.item_status(item, on or today())


@pytest.fixture
def open_ended(assigned):
    """The assigned item with its own due date a year away, so that only milestones can make it overdue."""
    WorkItem.objects.filter(pk=assigned.pk).update(due_on=today() + 365 * DAY)
    assigned.refresh_from_db()
    return assigned


def test_an_item_with_nothing_recorded_has_not_started(open_ended):
    assert status(open_ended) == selectors.NOT_STARTED


def test_a_milestone_past_its_due_date_without_done_on_makes_the_item_overdue(chief, clerk, open_ended):
    milestone = services.milestone_set(actor=chief, item=open_ended, title="选址方案", due_on=today())
    assert status(open_ended) == selectors.NOT_STARTED  # due today: not late yet
    assert status(open_ended, today() + DAY) == selectors.OVERDUE
    services.progress_report(actor=clerk, item=open_ended, text="选址完成", status="in_progress", completes=milestone)
    assert status(open_ended, today() + DAY) == selectors.IN_PROGRESS


def test_a_report_starts_the_item_and_a_completion_finishes_it(clerk, open_ended):
    services.progress_report(actor=clerk, item=open_ended, text="启动", status="in_progress", percent=10)
    assert status(open_ended) == selectors.IN_PROGRESS
    services.progress_report(actor=clerk, item=open_ended, text="完成", status="done")
    assert status(open_ended) == selectors.DONE


def test_the_plan_s_own_due_date_makes_an_unfinished_item_overdue_but_not_a_finished_one(clerk, assigned):
    WorkItem.objects.filter(pk=assigned.pk).update(due_on=today() - DAY)
    services.progress_report(actor=clerk, item=assigned, text="推进中", status="in_progress")
    assert status(assigned) == selectors.OVERDUE
    services.progress_report(actor=clerk, item=assigned, text="完成", status="done")
    assert status(assigned) == selectors.DONE


def test_a_milestone_added_after_completion_reopens_the_item(chief, clerk, open_ended):
    services.progress_report(actor=clerk, item=open_ended, text="完成", status="done")
    services.milestone_set(actor=chief, item=open_ended, title="整改复查", due_on=today() + 10 * DAY)
    assert status(open_ended) == selectors.IN_PROGRESS


def test_statuses_as_of_an_earlier_day_ignore_what_was_recorded_later(chief, clerk, open_ended):
    services.milestone_set(actor=chief, item=open_ended, title="方案", due_on=today() - 30 * DAY)
    services.progress_report(
        actor=clerk, item=open_ended, text="完成", status="done", completes=open_ended.milestones.get()
    )
    assert status(open_ended) == selectors.DONE
    # Yesterday nothing of this was recorded yet.
    assert status(open_ended, today() - DAY) == selectors.NOT_STARTED


def test_a_correction_takes_the_place_of_the_report_it_corrects(clerk, open_ended):
    first = services.progress_report(actor=clerk, item=open_ended, text="完成", status="done")
    assert status(open_ended) == selectors.DONE
    services.progress_report(actor=clerk, item=open_ended, text="更正：仍在推进", status="in_progress", corrects=first)
    assert status(open_ended) == selectors.IN_PROGRESS


def test_correcting_an_older_report_does_not_outdate_a_later_one(clerk, open_ended):
    older = services.progress_report(actor=clerk, item=open_ended, text="启动", status="in_progress", percent=10)
    services.progress_report(actor=clerk, item=open_ended, text="完成", status="done")
    services.progress_report(
        actor=clerk, item=open_ended, text="更正：启动于上月", status="in_progress", corrects=older
    )
    assert status(open_ended) == selectors.DONE
    row = selectors.with_status(WorkItem.objects.filter(pk=open_ended.pk), today()).get()
    assert (row.latest_percent, row.status) == (100, selectors.DONE)


@pytest.fixture
def scenario(loaded, chief, clerk, judge, centre_dept, court_dept):
    """Four items with departments, on a day when none of the plan periods has ended (so only milestones
    and reports decide), and everything else unassigned."""
    on = today()
    WorkItem.objects.update(due_on=on + 365 * DAY)
    items = WorkItem.objects.in_bulk(["DZ-3.3", "DZ-7.4", "DZ-2.3", "FY-3.3"], field_name="code")
    services.item_assign(actor=chief, item=items["DZ-3.3"], departments=[centre_dept], lead=centre_dept)
    services.item_assign(actor=chief, item=items["DZ-7.4"], departments=[centre_dept, court_dept], lead=centre_dept)
    services.item_assign(actor=chief, item=items["DZ-2.3"], departments=[court_dept], lead=court_dept)
    services.item_assign(actor=chief, item=items["FY-3.3"], departments=[centre_dept])
    # DZ-3.3: a milestone overdue; another due in 10 days.
    services.milestone_set(actor=chief, item=items["DZ-3.3"], title="选址", due_on=on - 5 * DAY)
    services.milestone_set(actor=chief, item=items["DZ-3.3"], title="清单", due_on=on + 10 * DAY)
    # DZ-7.4: done.
    services.progress_report(actor=clerk, item=items["DZ-7.4"], text="完成", status="done")
    # DZ-2.3: in progress, a milestone due in 20 days; a note due today, not answered.
    services.milestone_set(actor=chief, item=items["DZ-2.3"], title="细则", due_on=on + 20 * DAY)
    services.progress_report(actor=judge, item=items["DZ-2.3"], text="起草中", status="in_progress")
    services.note_issue(actor=chief, item=items["DZ-2.3"], kind="urging", text="请报送", reply_due_on=on)
    # FY-3.3: nothing yet; a note to the centre, answered.
    note = services.note_issue(
        actor=chief, item=items["FY-3.3"], kind="reminder", text="请报送", reply_due_on=on, department=centre_dept
    )
    services.progress_report(actor=clerk, item=items["FY-3.3"], text="已报送", status="in_progress", in_reply_to=note)
    return on


def _row(rows, department):
    return next(r for r in rows if r["department"] == department)


def test_the_department_view_counts_items_by_status_in_sql(scenario, centre_dept, court_dept):
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.department_summary(scenario)
    assert len(queries) <= 8
    centre, court = _row(rows, centre_dept), _row(rows, court_dept)
    assert {k: centre[k] for k in ("total", "done", "overdue", "in_progress", "not_started", "due_soon")} == {
        "total": 3,
        "done": 1,
        "overdue": 1,
        "in_progress": 1,
        "not_started": 0,
        "due_soon": 1,
    }
    assert {k: court[k] for k in ("total", "done", "overdue", "in_progress", "not_started", "due_soon")} == {
        "total": 2,
        "done": 1,
        "overdue": 0,
        "in_progress": 1,
        "not_started": 0,
        "due_soon": 1,
    }
    unassigned = _row(rows, None)
    assert (unassigned["total"], unassigned["not_started"]) == (51, 51)
    assert [r["department"] for r in rows] == [centre_dept, court_dept, None]


def test_replies_overdue_count_from_the_day_after_the_reply_date(scenario, centre_dept, court_dept):
    assert _row(selectors.department_summary(scenario), court_dept)["replies_overdue"] == 0
    later = selectors.department_summary(scenario + DAY)
    # The note on DZ-2.3 went to every responsible department (the court); the centre's note was answered.
    assert (_row(later, court_dept)["replies_overdue"], _row(later, centre_dept)["replies_overdue"]) == (1, 0)


def test_the_list_behind_each_count_holds_the_items_counted(scenario, centre_dept, court_dept, chief):
    rows = selectors.department_summary(scenario)
    for row in rows:
        department = row["department"].pk if row["department"] else selectors.UNASSIGNED
        for key in selectors.STATUSES:
            where = selectors.ItemFilter(department=department, status=key)
            assert selectors.items(chief, on=scenario, where=where).count() == row[key], (row["department"], key)
    due = selectors.items(chief, on=scenario, where=selectors.ItemFilter(department=centre_dept.pk, due_within=30))
    assert [i.code for i in due] == ["DZ-3.3"]
    late = selectors.items(
        chief, on=scenario + DAY, where=selectors.ItemFilter(department=court_dept.pk, reply_overdue=True)
    )
    assert [i.code for i in late] == ["DZ-2.3"]


def test_areas_are_counted_with_the_empty_ones(scenario):
    rows = selectors.area_summary(scenario, "demo-zone-2025")
    assert [(r["area"].number, r["total"]) for r in rows] == [(1, 0), (2, 3), (3, 3), (4, 3), (5, 0), (6, 2), (7, 6)]
    projects = rows[6]
    assert (projects["done"], projects["not_started"]) == (1, 5)


def test_work_item_summary_counts_by_programme_and_status(scenario):
    summary = selectors.work_item_summary(scenario)
    assert summary["on"] == scenario
    plan, fiveyear = summary["programmes"]
    assert (plan["code"], plan["stated_item_count"], plan["title_zh"]) == (
        "demo-zone-2025",
        22,
        "武汉市国家知识产权保护示范区建设方案",
    )
    assert plan["counts"] == {"total": 17, "done": 1, "in_progress": 1, "not_started": 14, "overdue": 1}
    assert fiveyear["counts"] == {"total": 38, "done": 0, "in_progress": 1, "not_started": 37, "overdue": 0}
    assert summary["counts"] == {"total": 55, "done": 1, "in_progress": 2, "not_started": 51, "overdue": 1}
    for counts in [plan["counts"], fiveyear["counts"], summary["counts"]]:
        assert counts["total"] == sum(counts[s] for s in selectors.STATUSES)


def test_work_item_summary_once_the_plans_have_ended(loaded):
    """After the plans' periods every unfinished item is overdue; before them, none is."""
    after = selectors.work_item_summary(dt.date(2026, 2, 1))["counts"]
    assert after == {"total": 55, "done": 0, "in_progress": 0, "not_started": 0, "overdue": 55}
    during = selectors.work_item_summary(dt.date(2025, 10, 1))["programmes"][0]["counts"]
    assert during == {"total": 17, "done": 0, "in_progress": 0, "not_started": 17, "overdue": 0}


def test_work_item_summary_with_nothing_loaded(db):
    assert selectors.work_item_summary(today()) == {
        "on": today(),
        "programmes": [],
        "counts": {"total": 0, "done": 0, "in_progress": 0, "not_started": 0, "overdue": 0},
    }
