"""Demo answers: plausible, deterministic, marked demo, written through the services."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction

from huhang.accounts.models import Organisation
from huhang.surveys import selectors
from huhang.surveys.demo import generate_demo_answers
from huhang.surveys.models import Answer, Flag, Invitation

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def _snapshot():
    return list(
        Answer.objects.order_by("submitted_at", "score").values_list(
            "submitted_at", "channel", "respondent_type", "district__code", "score", "flag"
        )
    )


@pytest.fixture
def demo_approver(centre):
    from tests.conftest import _user

    return _user("demo_approver", "approver", centre)


def test_the_demo_is_plausible_and_deterministic(districts, closed_case, demo_approver):
    demo_office = Organisation.objects.create(name="演示保护中心", kind="protection_centre", is_demo=True)
    closed_case(dt.date(2026, 9, 1), organisation=demo_office)
    closed_case(dt.date(2026, 9, 2))  # not a demo case: never invited by the demo
    with transaction.atomic():
        result = generate_demo_answers(count=150, seed=5, today=TODAY)
        first = _snapshot()
        transaction.set_rollback(True)
    result_again = generate_demo_answers(count=150, seed=5, today=TODAY)
    assert _snapshot() == first and result_again == result
    answers = Answer.objects.all()
    assert answers.count() == result.portal + result.case >= 150
    assert not answers.filter(is_demo=False).exists()
    assert result.case >= 1 and result.invitations == 2
    assert Invitation.objects.filter(case__organisation=demo_office, is_demo=True).count() == 2
    assert not Invitation.objects.exclude(case__organisation=demo_office).exists()
    first_day = answers.order_by("submitted_on").first().submitted_on
    assert dt.date(2025, 6, 1) <= first_day < dt.date(2025, 9, 1)
    assert answers.order_by("-submitted_at").first().submitted_on <= TODAY
    assert answers.values("district").distinct().count() >= 10
    assert set(answers.values_list("respondent_type", flat=True)) >= {"enterprise", "individual", "lawyer"}
    assert answers.filter(flag=Flag.STAFF, flagged_by=demo_approver).count() == 2
    assert answers.exclude(flag=Flag.NONE).count() == result.not_counted
    k1 = selectors.satisfaction(dt.date(2025, 6, 1), TODAY + dt.timedelta(days=1))
    assert 70 < k1.score < 92
    assert k1.by_channel["case"].sample_size == result.case


def test_the_command_adds_demo_answers_only_when_there_are_none(districts, capsys):
    call_command("surveys", "demo", "--if-empty", "--count", "20")
    count = Answer.objects.count()
    assert count >= 20 and "Demo answers" in capsys.readouterr().out
    call_command("surveys", "demo", "--if-empty", "--count", "20")
    assert Answer.objects.count() == count
    assert "no demo answers added" in capsys.readouterr().out
