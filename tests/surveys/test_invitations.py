"""Invitations after a case closes: made once per party, answered once, until they expire; the links."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from huhang.surveys import selectors, services
from huhang.surveys.models import Answer, Invitation

pytestmark = pytest.mark.django_db
GOOD = {"channel_convenience": 4, "efficiency": 5, "fairness": 4, "service_attitude": 5, "overall": 9}


@pytest.fixture
def case(closed_case, default_questionnaire):
    return closed_case()


def test_the_parties_of_a_closed_case_are_invited_but_not_partner_bodies(case):
    invitations = services.survey_invite_parties(case)
    assert sorted(i.party.role for i in invitations) == ["applicant", "respondent"]
    for invitation in invitations:
        assert invitation.questionnaire.code == "k1-satisfaction"
        assert invitation.expires_at - invitation.created_at == dt.timedelta(days=30)
        assert invitation.answered_at is None


def test_inviting_again_returns_the_same_invitation(case):
    party = case.parties.get(role="applicant")
    first = services.survey_invite_for_case(case, party=party)
    assert services.survey_invite_for_case(case, party=party).pk == first.pk
    whole = services.survey_invite_for_case(case)
    assert whole.party is None and services.survey_invite_for_case(case).pk == whole.pk
    assert Invitation.objects.count() == 2


def test_the_validity_is_a_setting(case, settings):
    settings.HUHANG_SURVEY_INVITATION_DAYS = 7
    invitation = services.survey_invite_for_case(case)
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=7)


@pytest.mark.parametrize("problem", ["open case", "party of another case", "partner"])
def test_invitations_are_refused_for(problem, closed_case, default_questionnaire):
    case = closed_case(is_open=problem == "open case")
    party = None
    if problem == "party of another case":
        party = closed_case().parties.get(role="applicant")
    elif problem == "partner":
        party = case.parties.get(role="partner")
    expected = {
        "open case": f"The case {case.number} is not closed",
        "party of another case": f"is not a party of the case {case.number}",
        "partner": "Partner bodies are not invited",
    }[problem]
    with translation.override("en"), pytest.raises(ValidationError, match=expected):
        services.survey_invite_for_case(case, party=party)
    assert not Invitation.objects.exists()


def test_no_invitation_without_a_questionnaire_for_cases(closed_case):
    with translation.override("en"), pytest.raises(ValidationError, match="huhang surveys load-default"):
        services.survey_invite_for_case(closed_case())
    assert not Invitation.objects.exists()


def test_an_invitation_is_answered_once(case):
    invitation = services.survey_invite_for_case(case, party=case.parties.get(role="applicant"))
    answer = services.answer_submit_invitation(invitation=invitation, values=GOOD, respondent_type="enterprise")
    assert (answer.channel, answer.invitation_id, answer.flag) == ("case", invitation.pk, "")
    invitation.refresh_from_db()
    assert invitation.answered_at == answer.submitted_at
    with translation.override("en"), pytest.raises(ValidationError, match="already been answered"):
        services.answer_submit_invitation(invitation=invitation, values=GOOD, respondent_type="enterprise")
    assert Answer.objects.count() == 1


def test_an_expired_invitation_is_refused(case):
    made = timezone.now() - dt.timedelta(days=40)
    invitation = services.survey_invite_for_case(case, now=made)
    with translation.override("en"), pytest.raises(ValidationError, match="expired on"):
        services.answer_submit_invitation(invitation=invitation, values=GOOD, respondent_type="individual")
    invitation.refresh_from_db()
    assert invitation.answered_at is None and not Answer.objects.exists()


def test_a_refused_answer_leaves_the_invitation_unspent(case):
    invitation = services.survey_invite_for_case(case)
    with pytest.raises(ValidationError):
        services.answer_submit_invitation(invitation=invitation, values={"efficiency": 9}, respondent_type="enterprise")
    invitation.refresh_from_db()
    assert invitation.answered_at is None and not Answer.objects.exists()


def test_the_link_names_its_invitation_and_cannot_be_forged(case):
    from django.http import Http404

    invitation = services.survey_invite_for_case(case)
    assert selectors.invitation_for_token(invitation.token).pk == invitation.pk
    other = services.survey_invite_for_case(case, party=case.parties.get(role="applicant"))
    _head, _sep, signature = invitation.token.partition(":")
    forged = other.token.partition(":")[0] + ":" + signature
    for bad in (forged, invitation.token[:-2], "garbage"):
        with pytest.raises(Http404):
            selectors.invitation_for_token(bad)
    nonce = invitation.nonce
    Invitation.objects.filter(pk=invitation.pk).update(nonce="0" * 32)
    invitation.nonce = nonce
    with pytest.raises(Http404):
        selectors.invitation_for_token(invitation.token)


def test_closed_cases_without_invitations(closed_case, default_questionnaire):
    old = closed_case(dt.date(2026, 3, 1))
    recent = closed_case(dt.date(2026, 10, 1))
    closed_case(is_open=True)
    assert list(selectors.cases_without_invitation()) == [old, recent]
    assert list(selectors.cases_without_invitation(since=dt.date(2026, 9, 1))) == [recent]
    services.survey_invite_for_case(recent)
    assert list(selectors.cases_without_invitation()) == [old]


def test_the_command_invites_the_cases_closed_since_a_date(closed_case, default_questionnaire, capsys):
    closed_case(dt.date(2026, 3, 1))
    recent = closed_case(dt.date(2026, 10, 1))
    call_command("surveys", "invite-closed", "--since", "2026-09-01")
    out = capsys.readouterr().out
    assert Invitation.objects.filter(case=recent).count() == 2
    assert Invitation.objects.count() == 2
    assert out.count(recent.number) == 2 and "/surveys/invitation/" in out
    assert "Invitations made: 2 for 1 closed cases" in out
    call_command("surveys", "invite-closed", "--since", "2026-09-01")
    assert "Invitations made: 0 for 0 closed cases" in capsys.readouterr().out


def test_the_command_prints_the_public_link_and_the_last_valid_day_in_beijing_time(
    closed_case, default_questionnaire, capsys, settings, monkeypatch
):
    settings.HUHANG_PUBLIC_URL = "https://ipp.example.cn/"
    # Made at 01:30 on 16 October in Beijing, still the 15th in UTC (what timezone.now() returns).
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 10, 15, 17, 30, tzinfo=dt.UTC))
    case = closed_case(dt.date(2026, 10, 15))
    call_command("surveys", "invite-closed")
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines() if line.startswith(case.number)]
    assert len(rows) == 2
    assert {row[2] for row in rows} == {"2026-11-15"}  # 30 days from the 16th, Beijing time
    assert sorted(row[3] for row in rows) == sorted(
        f"https://ipp.example.cn/surveys/invitation/{invitation.token}/" for invitation in Invitation.objects.all()
    )


def test_the_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="not a date"):
        call_command("surveys", "invite-closed", "--since", "2026-13-01")


def test_the_hook_for_closing_invites_or_logs_why_not(closed_case, caplog):
    case = closed_case()
    assert services.survey_invite_after_closing(case) == []  # no questionnaire yet: logged, not raised
    assert "no satisfaction invitation for case" in caplog.text and not Invitation.objects.exists()
    services.questionnaire_load_default()
    assert len(services.survey_invite_after_closing(case)) == 2
    assert services.survey_invite_after_closing(closed_case(is_open=True)) == []
