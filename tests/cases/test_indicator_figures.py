"""The derived columns the indicators aggregate (acceptance, handling days, limits kept, mediation offered) and
the record of experts who took part in a case (K18)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huhang.cases import services
from huhang.cases.ledger import pending
from huhang.cases.models import CaseExpert, LedgerLink
from huhang.registry.models import Expert

D = dt.date


@pytest.fixture(autouse=True)
def english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_acceptance_and_mediation_offered_are_kept_on_the_case(filed, clerk):
    case = filed()
    assert (case.accepted_on, case.mediation_offered, case.handling_days) == (None, False, None)
    services.case_act(actor=clerk, case=case, action="accept", at=D(2026, 10, 9))
    services.case_act(actor=clerk, case=case, action="offer_mediation", at=D(2026, 10, 13))
    case.refresh_from_db()
    assert (case.accepted_on, case.mediation_offered) == (D(2026, 10, 9), True)
    assert case.within_limit is None  # still open


def test_a_closed_case_keeps_its_handling_days_and_whether_it_kept_its_limits(filed, clerk):
    case = filed()
    services.case_act(actor=clerk, case=case, action="accept", at=D(2026, 10, 9))
    services.case_act(actor=clerk, case=case, action="revoke", at=D(2026, 10, 14), payload={"ground": "withdrawn"})
    case.refresh_from_db()
    assert (case.is_open, case.closed_on, case.handling_days, case.within_limit) == (False, D(2026, 10, 14), 5, True)


def test_a_case_closed_after_a_missed_authority_limit_did_not_keep_its_limits(filed, clerk):
    case = filed()
    services.case_act(actor=clerk, case=case, action="accept", at=D(2026, 10, 9))
    # The 请求书副本 was due for service within 5 working days (2026-10-16) and never served.
    services.case_act(actor=clerk, case=case, action="revoke", at=D(2026, 10, 20), payload={"ground": "withdrawn"})
    case.refresh_from_db()
    assert (case.handling_days, case.within_limit) == (11, False)


@pytest.fixture
def juror(db):
    return Expert.objects.create(
        name="李明", kind="expert_juror", fields="H01L 光电子", appointed_on=D(2025, 1, 1), retired_on=D(2027, 1, 1)
    )


def test_staff_record_an_expert_juror_and_it_goes_onto_the_ledger(
    filed, clerk, juror, django_capture_on_commit_callbacks
):
    case = filed()
    with django_capture_on_commit_callbacks(execute=True):
        row = services.case_expert_add(
            actor=clerk, case=case, expert=juror, role="expert_juror", joined_on=D(2026, 10, 9)
        )
    assert (row.recorded_by, row.joined_on) == (clerk, D(2026, 10, 9))
    assert CaseExpert.objects.filter(case=case).count() == 1
    # Either appended after the commit, or (no log initialised here) pending for ``huhang cases ledger-sync``.
    subject = f"case-expert/{row.pk}"
    linked = LedgerLink.objects.filter(subject=subject).exists()
    assert linked != any(s == subject for s, *_ in pending(case))


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"joined_on": D(2026, 9, 1)}, "joined_on", "opened"),
        ({"role": "technical_investigator"}, "role", "not as"),
        ({"role": "chairman"}, "role", "Unknown expert role"),
    ],
)
def test_wrong_expert_records_are_refused_and_nothing_is_written(filed, clerk, juror, change, field, message):
    case = filed()
    arguments = {"expert": juror, "role": "expert_juror", "joined_on": D(2026, 10, 9)} | change
    with pytest.raises(ValidationError) as caught:
        services.case_expert_add(actor=clerk, case=case, **arguments)
    assert field in caught.value.message_dict and message in str(caught.value.message_dict[field])
    assert not CaseExpert.objects.exists()


def test_an_expert_not_in_the_pool_on_that_date_or_recorded_twice_is_refused(filed, clerk, juror):
    case = filed()
    juror.appointed_on = D(2026, 11, 1)
    juror.save()
    with pytest.raises(ValidationError, match="was not in the expert pool"):
        services.case_expert_add(actor=clerk, case=case, expert=juror, role="expert_juror", joined_on=D(2026, 10, 9))
    services.case_expert_add(actor=clerk, case=case, expert=juror, role="expert_juror", joined_on=D(2026, 11, 2))
    with pytest.raises(ValidationError, match="already recorded"):
        services.case_expert_add(actor=clerk, case=case, expert=juror, role="expert_juror", joined_on=D(2026, 11, 3))
    assert CaseExpert.objects.count() == 1


def test_staff_of_another_organisation_may_not_record_experts(filed, outsider, juror):
    with pytest.raises(PermissionDenied):
        services.case_expert_add(
            actor=outsider, case=filed(), expert=juror, role="expert_juror", joined_on=D(2026, 10, 9)
        )
    assert not CaseExpert.objects.exists()


def test_closing_a_case_invites_its_parties_to_the_satisfaction_survey(
    filed, clerk, django_capture_on_commit_callbacks
):
    from huhang.surveys.models import Invitation
    from huhang.surveys.services import questionnaire_load_default

    questionnaire_load_default()
    case = filed()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_act(actor=clerk, case=case, action="accept", at=D(2026, 10, 9))
    assert not Invitation.objects.filter(case=case).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_act(actor=clerk, case=case, action="revoke", at=D(2026, 10, 14), payload={"ground": "withdrawn"})
    assert Invitation.objects.filter(case=case).count() == 2  # requester and respondent


def test_staff_record_an_expert_from_the_case_file(client, filed, clerk, juror):
    from django.urls import reverse

    case = filed()
    client.force_login(clerk)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="experts"' in page and "李明" in page
    response = client.post(
        reverse("cases:expert-add", args=[case.pk]),
        {"expert": juror.pk, "role": "expert_juror", "joined_on": "2026-10-09"},
    )
    assert response.status_code == 302 and CaseExpert.objects.filter(case=case, expert=juror).exists()
    response = client.post(
        reverse("cases:expert-add", args=[case.pk]), {"expert": juror.pk, "role": "expert_juror", "joined_on": "x"}
    )
    assert CaseExpert.objects.count() == 1


def test_parties_see_no_expert_form(client, filed, requester, juror):
    from django.urls import reverse

    case = filed()
    client.force_login(requester)
    assert 'id="experts"' not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    client.post(reverse("cases:expert-add", args=[case.pk]), {"expert": juror.pk, "role": "expert_juror",
                                                               "joined_on": "2026-10-09"})  # fmt: skip
    assert not CaseExpert.objects.exists()
