"""The write paths: who may do what (refusals with a clear message, nothing written), validation, history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from huhang.audit.models import AuditEvent
from huhang.supervision import access, services
from huhang.supervision.models import (
    Attachment,
    Department,
    Milestone,
    ProgressReport,
    Responsibility,
    SupervisionNote,
)
from tests.conftest import _user
from tests.supervision.conftest import today, upload

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def english():
    """The messages in English (the source language), whatever the catalogue holds."""
    with translation.override("en"):
        yield


def _nothing_written():
    return (
        Department.objects.count(),
        Responsibility.objects.count(),
        Milestone.objects.count(),
        ProgressReport.objects.count(),
        Attachment.objects.count(),
        SupervisionNote.objects.count(),
        AuditEvent.objects.exclude(action="supervision.loaded").count(),
    )


# Who may supervise


@pytest.mark.parametrize("who", ["clerk", "judge", "applicant", "handler"])
def test_only_supervisors_and_administrators_supervise(request, who, item, centre_dept):
    user = request.getfixturevalue(who)
    before = _nothing_written()
    message = str(access.NOT_A_SUPERVISOR)
    with pytest.raises(PermissionDenied, match=message):
        services.department_create(actor=user, name="武汉市科学技术局")
    with pytest.raises(PermissionDenied, match=message):
        services.item_assign(actor=user, item=item, departments=[centre_dept])
    with pytest.raises(PermissionDenied, match=message):
        services.milestone_set(actor=user, item=item, title="方案印发", due_on=today())
    with pytest.raises(PermissionDenied, match=message):
        services.note_issue(actor=user, item=item, kind="urging", text="请加快进度", reply_due_on=today())
    assert _nothing_written() == before


def test_an_administrator_supervises_too(admin_user, item, centre_dept):
    services.item_assign(actor=admin_user, item=item, departments=[centre_dept])
    assert list(item.departments.all()) == [centre_dept]


# Departments and assignments


def test_a_department_is_created_once_and_an_organisation_is_linked_once(chief, centre_org, centre_dept):
    with pytest.raises(ValidationError) as refused:
        services.department_create(actor=chief, name=" 中国（武汉）知识产权保护中心 ", organisation=centre_org)
    assert refused.value.message_dict == {
        "name": ["A department named 中国（武汉）知识产权保护中心 exists already."],
        "organisation": [
            "中国（武汉）知识产权保护中心 is already linked to the department 中国（武汉）知识产权保护中心."
        ],
    }
    assert Department.objects.count() == 1


def test_assigning_departments_keeps_history_and_one_lead(chief, item, centre_dept, court_dept):
    services.item_assign(actor=chief, item=item, departments=[centre_dept, court_dept], lead=centre_dept)
    services.item_assign(actor=chief, item=item, departments=[court_dept], lead=court_dept)
    assert [(r.department, r.lead) for r in item.responsibilities.all()] == [(court_dept, True)]
    removed = Responsibility.history.filter(department=centre_dept, history_type="-").get()
    assert removed.history_user == chief
    assert AuditEvent.objects.filter(action="supervision.departments_assigned", actor=chief).count() == 2


def test_the_lead_must_be_among_the_departments(chief, item, centre_dept, court_dept):
    with pytest.raises(ValidationError) as refused:
        services.item_assign(actor=chief, item=item, departments=[centre_dept], lead=court_dept)
    assert refused.value.message_dict == {"lead": [str(services.LEAD_NOT_ASSIGNED)]}
    with pytest.raises(ValidationError, match="listed twice"):
        services.item_assign(actor=chief, item=item, departments=[centre_dept, centre_dept])
    assert not Responsibility.objects.exists()


# Milestones


def test_a_milestone_is_set_and_changed_with_a_reason_and_history(chief, item):
    milestone = services.milestone_set(actor=chief, item=item, title="选址方案", due_on=D(2025, 10, 31))
    with pytest.raises(ValidationError) as refused:
        services.milestone_set(actor=chief, item=item, milestone=milestone, title="选址方案", due_on=D(2025, 11, 30))
    assert refused.value.message_dict == {"reason": [str(services.REASON_FOR_CHANGE)]}
    services.milestone_set(
        actor=chief, item=item, milestone=milestone, title="选址方案", due_on=D(2025, 11, 30), reason="联席会议同意延期"
    )
    milestone.refresh_from_db()
    assert milestone.due_on == D(2025, 11, 30)
    latest = milestone.history.latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (chief, "联席会议同意延期")
    assert milestone.history.earliest("history_date").due_on == D(2025, 10, 31)


def test_a_milestone_needs_a_title_and_a_date(chief, item):
    with pytest.raises(ValidationError) as refused:
        services.milestone_set(actor=chief, item=item, title="  ", due_on="2025-10-31")
    assert refused.value.message_dict == {"title": ["This field is required."], "due_on": ["Enter a valid date."]}
    assert not Milestone.objects.exists()


# Progress reports: who


def test_a_supervisor_does_not_report(chief, assigned):
    with pytest.raises(PermissionDenied, match=str(access.SUPERVISORS_DO_NOT_REPORT)):
        services.progress_report(actor=chief, item=assigned, text="进展", status="in_progress")
    assert not ProgressReport.objects.exists()


def test_nobody_reports_before_a_department_is_assigned(clerk, item):
    with pytest.raises(PermissionDenied) as refused:
        services.progress_report(actor=clerk, item=item, text="进展", status="in_progress")
    assert (
        str(refused.value)
        == "No department is responsible for DZ-3.3 yet: a supervisor assigns one before progress is reported."
    )


def test_staff_of_another_organisation_may_not_report(outsider, assigned):
    with pytest.raises(PermissionDenied) as refused:
        services.progress_report(actor=outsider, item=assigned, text="进展", status="in_progress", uploads=[upload()])
    assert str(refused.value) == "Your organisation is not a department responsible for DZ-3.3."
    assert not ProgressReport.objects.exists() and not Attachment.objects.exists()


def test_an_applicant_may_not_report(applicant, assigned):
    with pytest.raises(PermissionDenied, match=str(access.ROLE_DOES_NOT_REPORT)):
        services.progress_report(actor=applicant, item=assigned, text="进展", status="in_progress")


def test_the_responsible_department_reports_with_who_and_when(clerk, assigned, centre_dept):
    report = services.progress_report(actor=clerk, item=assigned, text="完成选址比选", status="in_progress", percent=30)
    assert (report.department, report.reported_by, report.percent) == (centre_dept, clerk, 30)
    assert report.effective_at == report.reported_at
    event = AuditEvent.objects.get(action="supervision.progress_reported")
    assert (event.actor, event.target, event.details["report"]) == (clerk, "work-item/DZ-3.3", report.pk)


def test_a_partner_organisation_reports_for_its_department(chief, judge, item, court_dept):
    services.item_assign(actor=chief, item=item, departments=[court_dept])
    report = services.progress_report(actor=judge, item=item, text="细则起草中", status="in_progress")
    assert report.department == court_dept


def test_an_administrator_reports_for_a_department_of_the_item(admin_user, assigned, centre_dept, court_dept):
    report = services.progress_report(actor=admin_user, item=assigned, text="代为报送", status="in_progress")
    assert report.department == centre_dept
    with pytest.raises(ValidationError) as refused:
        services.progress_report(
            actor=admin_user, item=assigned, text="代为报送", status="in_progress", department=court_dept
        )
    assert refused.value.message_dict == {"department": [str(services.NOT_REPORTING_DEPARTMENT)]}


# Progress reports: what


def test_a_report_is_validated_whole_and_nothing_is_written(clerk, assigned):
    with pytest.raises(ValidationError) as refused:
        services.progress_report(actor=clerk, item=assigned, text=" ", status="finished", percent=120)
    assert refused.value.message_dict == {
        "text": ["This field is required."],
        "status": [str(services.UNKNOWN_STATUS)],
        "percent": [str(services.BAD_PERCENT)],
    }
    with pytest.raises(ValidationError, match="at 100 percent"):
        services.progress_report(actor=clerk, item=assigned, text="完成", status="done", percent=80)
    with pytest.raises(ValidationError, match="Control characters"):
        services.progress_report(actor=clerk, item=assigned, text="完成\x00", status="in_progress")
    assert not ProgressReport.objects.exists()


def test_a_report_completes_a_milestone_which_is_its_evidence(chief, clerk, assigned):
    first = services.milestone_set(actor=chief, item=assigned, title="选址方案", due_on=D(2025, 10, 31))
    second = services.milestone_set(actor=chief, item=assigned, title="服务清单", due_on=D(2025, 12, 31))
    with pytest.raises(ValidationError) as refused:
        services.progress_report(actor=clerk, item=assigned, text="全部完成", status="done", completes=first)
    assert refused.value.message_dict == {
        "status": ["The work item cannot be reported completed while milestones are open: 服务清单."]
    }
    report = services.progress_report(
        actor=clerk, item=assigned, text="选址完成", status="in_progress", completes=first
    )
    first.refresh_from_db()
    assert (first.done_on, first.evidence) == (today(), report)
    assert first.history.latest("history_date").history_user == clerk
    with pytest.raises(ValidationError, match="选址方案"):
        services.progress_report(actor=clerk, item=assigned, text="再次完成", status="in_progress", completes=first)
    done = services.progress_report(actor=clerk, item=assigned, text="全部完成", status="done", completes=second)
    assert done.percent == 100


def test_a_milestone_of_another_item_cannot_be_completed(chief, clerk, assigned, loaded):
    from huhang.supervision.models import WorkItem

    other = services.milestone_set(actor=chief, item=WorkItem.objects.get(code="DZ-7.4"), title="x", due_on=today())
    with pytest.raises(ValidationError) as refused:
        services.progress_report(actor=clerk, item=assigned, text="进展", status="in_progress", completes=other)
    assert refused.value.message_dict == {"completes": [str(services.NOT_THIS_ITEM)]}


def test_a_report_is_never_edited_a_correction_replaces_it(chief, clerk, assigned):
    milestone = services.milestone_set(actor=chief, item=assigned, title="选址方案", due_on=D(2025, 10, 31))
    wrong = services.progress_report(
        actor=clerk, item=assigned, text="选址完成", status="in_progress", percent=50, completes=milestone
    )
    later = services.progress_report(actor=clerk, item=assigned, text="清单起草中", status="in_progress", percent=60)
    fixed = services.progress_report(
        actor=clerk, item=assigned, text="更正：选址尚在比选", status="in_progress", percent=20, corrects=wrong
    )
    wrong.refresh_from_db()
    assert wrong.text == "选址完成" and wrong.correction == fixed
    assert fixed.effective_at == wrong.effective_at < later.effective_at
    milestone.refresh_from_db()
    assert milestone.done_on is None and milestone.evidence is None  # the correction did not complete it
    with pytest.raises(ValidationError) as refused:
        services.progress_report(actor=clerk, item=assigned, text="再更正", status="in_progress", corrects=wrong)
    assert refused.value.message_dict == {
        "corrects": [f"Report #{wrong.pk} was corrected by report #{fixed.pk} already: correct that one."]
    }
    with pytest.raises(Exception, match="never changed"):
        wrong.save()


def test_a_correction_that_confirms_a_completion_keeps_the_date(chief, clerk, assigned):
    milestone = services.milestone_set(actor=chief, item=assigned, title="选址方案", due_on=D(2025, 10, 31))
    first = services.progress_report(
        actor=clerk, item=assigned, text="选址完成", status="in_progress", completes=milestone
    )
    fixed = services.progress_report(
        actor=clerk, item=assigned, text="选址完成（附方案）", status="in_progress", completes=milestone, corrects=first
    )
    milestone.refresh_from_db()
    assert (milestone.done_on, milestone.evidence) == (today(), fixed)


# Supervision notes


def test_a_note_asks_for_a_reply_by_a_date_from_today(chief, assigned, centre_dept, court_dept):
    with pytest.raises(ValidationError) as refused:
        services.note_issue(
            actor=chief,
            item=assigned,
            kind="nagging",
            text="",
            reply_due_on=today() - dt.timedelta(days=1),
            department=court_dept,
        )
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    assert refused.value.message_dict == {
        "kind": [str(services.UNKNOWN_KIND)],
        "text": ["This field is required."],
        "reply_due_on": [f"The reply date {yesterday} has passed: give a date from today."],
        "department": ["武汉知识产权法庭 is not responsible for DZ-3.3."],
    }
    assert not SupervisionNote.objects.exists()
    note = services.note_issue(
        actor=chief,
        item=assigned,
        kind="urging",
        text="请说明进度滞后原因",
        reply_due_on=today(),
        department=centre_dept,
    )
    assert (note.issued_by, note.department) == (chief, centre_dept)
    assert AuditEvent.objects.filter(action="supervision.note_issued", actor=chief).exists()


def test_a_department_replies_to_a_note_with_a_report(chief, clerk, assigned, loaded):
    from huhang.supervision.models import WorkItem

    note = services.note_issue(actor=chief, item=assigned, kind="reminder", text="请报送进展", reply_due_on=today())
    reply = services.progress_report(actor=clerk, item=assigned, text="已报送", status="in_progress", in_reply_to=note)
    assert list(note.replies.all()) == [reply]
    elsewhere = services.note_issue(
        actor=chief, item=WorkItem.objects.get(code="DZ-7.4"), kind="reminder", text="请报送", reply_due_on=today()
    )
    with pytest.raises(ValidationError) as refused:
        services.progress_report(actor=clerk, item=assigned, text="答复", status="in_progress", in_reply_to=elsewhere)
    assert refused.value.message_dict == {"in_reply_to": [str(services.NOT_THIS_ITEM)]}


def test_inactive_users_are_refused(clerk, assigned):
    clerk.is_active = False
    clerk.save()
    with pytest.raises(PermissionDenied):
        services.progress_report(actor=clerk, item=assigned, text="进展", status="in_progress")
    late = _user("late_chief", "supervisor", clerk.organisation)
    late.is_active = False
    late.save()
    with pytest.raises(PermissionDenied):
        services.milestone_set(actor=late, item=assigned, title="x", due_on=today())


def test_an_administrator_reports_for_the_item_as_a_whole_when_several_departments_share_it(
    chief, admin_user, item, centre_dept, court_dept
):
    services.item_assign(actor=chief, item=item, departments=[centre_dept, court_dept], lead=centre_dept)
    report = services.progress_report(actor=admin_user, item=item, text="联席会议汇总进展", status="in_progress")
    assert report.department is None and report.reported_by == admin_user
    chosen = services.progress_report(
        actor=admin_user, item=item, text="代法庭报送", status="in_progress", department=court_dept
    )
    assert chosen.department == court_dept


def test_every_write_leaves_an_audit_event_naming_its_actor(chief, clerk, item, centre_org):
    department = services.department_create(actor=chief, name="中国（武汉）知识产权保护中心", organisation=centre_org)
    services.item_assign(actor=chief, item=item, departments=[department], lead=department)
    milestone = services.milestone_set(actor=chief, item=item, title="选址方案", due_on=today())
    services.milestone_set(
        actor=chief,
        item=item,
        milestone=milestone,
        title="选址方案",
        due_on=today() + dt.timedelta(days=30),
        reason="延期",
    )
    services.note_issue(actor=chief, item=item, kind="reminder", text="请报送", reply_due_on=today())
    services.progress_report(actor=clerk, item=item, text="进展", status="in_progress")
    events = AuditEvent.objects.exclude(action="supervision.loaded").order_by("pk")
    assert [(e.action, e.actor) for e in events] == [
        ("supervision.department_created", chief),
        ("supervision.departments_assigned", chief),
        ("supervision.milestone_added", chief),
        ("supervision.milestone_changed", chief),
        ("supervision.note_issued", chief),
        ("supervision.progress_reported", clerk),
    ]
    assert events.get(action="supervision.milestone_changed").details["reason"] == "延期"
