"""``huhang supervision demo``: demo rows written through the services, marked, deterministic for a date."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from huhang.registry import demo_accounts
from huhang.supervision import demo, loader, selectors
from huhang.supervision.models import (
    Attachment,
    Department,
    Milestone,
    ProgressReport,
    Responsibility,
    SupervisionNote,
    WorkItem,
)
from tests.supervision.conftest import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users(entity_factory):
    organisations = demo_accounts.organisations_create()
    demo_accounts.users_create(organisations=organisations, entity=entity_factory(), password="x" * 12)


def _snapshot():
    return {
        "departments": sorted(Department.objects.values_list("name", "organisation__name", "is_demo")),
        "responsibilities": sorted(Responsibility.objects.values_list("item__code", "department__name", "lead")),
        "milestones": sorted(Milestone.objects.values_list("item__code", "title", "due_on", "done_on")),
        "reports": sorted(
            ProgressReport.objects.values_list("item__code", "reported_by__username", "status", "percent", "text")
        ),
        "attachments": sorted(Attachment.objects.values_list("original_name", "sha256")),
        "notes": sorted(SupervisionNote.objects.values_list("item__code", "kind", "reply_due_on", "department__name")),
    }


def test_the_demo_needs_the_work_items_and_the_demo_accounts(demo_users):
    with pytest.raises(CommandError, match="are not loaded: run `huhang supervision load`"):
        call_command("supervision", "demo")


def test_the_demo_needs_the_demo_accounts(loaded):
    with pytest.raises(CommandError, match="no demo accounts: run `huhang demo-data` first"):
        call_command("supervision", "demo")
    assert not Department.objects.exists()


def test_the_demo_writes_marked_rows_through_the_services(loaded, demo_users):
    counts = demo.generate_demo_supervision(today())
    assert counts == {"departments": 6, "items": 12, "milestones": 17, "notes": 2, "reports": 7}
    for model in (Department, Responsibility, Milestone, ProgressReport, SupervisionNote):
        assert not model.objects.filter(is_demo=False).exists(), model
    assert all(d.organisation is not None for d in Department.objects.all())
    reports = ProgressReport.objects.filter(item__code="DZ-7.4").order_by("reported_at")
    assert [r.reported_by.username for r in reports] == ["demo_handler"] * 3
    assert ProgressReport.objects.get(item__code="DZ-2.3").reported_by.username == "demo_partner"
    assert SupervisionNote.objects.get(item__code="DZ-3.2").replies.count() == 1
    assert Attachment.objects.count() == 2
    on = today()
    assert selectors.item_status(WorkItem.objects.get(code="DZ-7.4"), on) == selectors.DONE
    assert selectors.item_status(WorkItem.objects.get(code="FY-3.3"), on) == selectors.DONE


def test_the_demo_is_the_same_for_the_same_day(loaded, demo_users):
    with transaction.atomic():
        demo.generate_demo_supervision(today())
        first = _snapshot()
        transaction.set_rollback(True)
    assert not Department.objects.exists()
    demo.generate_demo_supervision(today())
    assert _snapshot() == first


def test_the_demo_command_runs_once_with_if_empty(loaded, demo_users, capsys):
    call_command("supervision", "demo", "--if-empty")
    assert "reports 7" in capsys.readouterr().out
    call_command("supervision", "demo", "--if-empty")
    assert "none added" in capsys.readouterr().out
    assert ProgressReport.objects.count() == 7


def test_the_loader_and_the_demo_leave_the_titles_alone(loaded, demo_users):
    demo.generate_demo_supervision(today())
    assert not loader.load().changed
