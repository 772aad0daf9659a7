"""Patent-dispute administrative mediation (S1 Arts. 63–70, LEGAL.md §2) and 司法确认 (CPL Art. 205), on 2026 dates."""

import datetime as dt

import pytest

from huhang.procedures import ActionNotAllowed, Event, InvalidPayload, Limit, WrongApprover, apply, replay
from huhang.procedures.definitions import PATENT_MEDIATION, patent_mediation
from huhang.workdays import add_working_days, period_end

from .conftest import build

D = dt.date
P = PATENT_MEDIATION


def filed(dispute_type="infringement_damages"):
    return ("file_request", D(2026, 9, 21), "applicant", {"dispute_type": dispute_type})


SERVED = ("serve_request", D(2026, 9, 28), "handler")
AGREES = ("respondent_agrees", D(2026, 9, 30), "handler")
ACCEPTED = ("accept", D(2026, 10, 12), "handler")
SESSION = ("hold_session", D(2026, 10, 20), "handler")
SIGNED = ("sign_agreement", D(2026, 11, 2), "handler")


def mediate(*steps, dispute_type="infringement_damages", procedure=P):
    return build(filed(dispute_type), SERVED, AGREES, ACCEPTED, *steps, procedure=procedure)


def test_art_65_request_and_notice_to_comment_served_within_5_working_days():
    clock = replay(P, build(filed(), procedure=P)).clock("service")
    assert clock.due == add_working_days(D(2026, 9, 21), 5) == D(2026, 9, 29)
    assert "第六十五条" in clock.explanation_zh and "S1 Art. 65" in clock.explanation


def test_art_65_respondent_statement_within_15_days_of_service():
    clock = replay(P, build(filed(), SERVED, procedure=P)).clock("statement")
    assert clock.due == period_end(D(2026, 9, 28), days=15) == D(2026, 10, 13)  # 10-13 Tue (after National Day)
    assert clock.obliged == "party"


def test_art_66_filing_within_5_working_days_of_the_agreement_to_mediate_across_national_day():
    status = replay(P, build(filed(), SERVED, AGREES, procedure=P))
    assert status.state == "agreed_to_mediate"
    assert status.clock("filing").due == add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)
    assert status.clock("statement").running is False


def test_art_66_refusal_leads_to_non_acceptance_notified_within_5_working_days():
    history = build(
        filed(), SERVED, ("respondent_declines", D(2026, 10, 13), "handler", {"ground": "no_statement"}), procedure=P
    )
    status = replay(P, history)
    assert status.clock("non_acceptance_notice").due == add_working_days(D(2026, 10, 13), 5) == D(2026, 10, 20)
    done = replay(P, apply(P, history, Event("notify_non_acceptance", D(2026, 10, 19), "handler")))
    assert done.state == "not_accepted" and done.terminal
    assert [d.kind for d in done.documents][-1] == "non_acceptance_notice"


def test_art_67_requester_no_show_is_deemed_withdrawal_respondent_no_show_revokes():
    assert replay(P, mediate(("requester_absent", D(2026, 10, 20), "handler"))).state == "withdrawn"
    revoked = replay(P, mediate(("respondent_absent", D(2026, 10, 20), "handler")))
    assert revoked.state == "revoked" and revoked.terminal


def test_art_69_outcomes_agreement_or_revocation():
    assert replay(P, mediate(SESSION, ("revoke", D(2026, 11, 2), "handler"))).state == "revoked"
    signed = replay(P, mediate(SESSION, SIGNED))
    assert signed.state == "agreement_signed"
    assert "mediation_agreement" in [d.kind for d in signed.documents]


def test_art_70_ownership_dispute_must_be_mediated_within_2_months_of_filing():
    clock = replay(P, mediate(dispute_type="ownership")).clock("ownership_time_limit")
    assert clock.due == period_end(D(2026, 10, 12), months=2) == D(2026, 12, 14)  # 12-12 Sat → Mon
    assert "第七十条" in clock.explanation_zh


def test_art_70_plus_1_month_approved_by_the_department_head():
    history = build(
        ("file_request", D(2026, 5, 6), "applicant", {"dispute_type": "ownership"}),
        ("serve_request", D(2026, 5, 8), "handler"),
        ("respondent_agrees", D(2026, 5, 18), "handler"),
        ("accept", D(2026, 5, 20), "handler"),
        ("extend_ownership_limit", D(2026, 7, 10), "approver"),
        procedure=P,
    )
    clock = replay(P, history).clock("ownership_time_limit")
    assert clock.due == period_end(D(2026, 5, 20), months=3) == D(2026, 8, 20)
    assert clock.extensions[0].approver_role == "approver" and "部门负责人" in clock.explanation_zh


def test_art_70_extension_by_the_handler_is_refused():
    history = mediate(dispute_type="ownership")
    with pytest.raises(WrongApprover) as info:
        apply(P, history, Event("extend_ownership_limit", D(2026, 11, 20), "handler"))
    assert "第七十条" in info.value.message_zh


def test_art_70_limit_does_not_apply_to_other_mediations_by_default():
    status = replay(P, mediate())
    assert status.clock("ownership_time_limit") is None and status.clock("time_limit") is None
    assert dict(P.parameters)["other_time_limit"] is None


def test_a_limit_for_other_mediations_can_be_set_by_parameter():
    procedure = patent_mediation(other_time_limit=Limit(months=2))
    assert dict(procedure.parameters)["other_time_limit"] == "2 months"
    clock = replay(procedure, mediate(procedure=procedure)).clock("time_limit")
    assert clock.due == D(2026, 12, 14) and "待核" in clock.citation
    owned = replay(procedure, mediate(dispute_type="ownership", procedure=procedure))
    assert owned.clock("time_limit") is None and owned.clock("ownership_time_limit") is not None


def test_cpl_art_205_joint_application_for_judicial_confirmation_within_30_days_of_the_agreement():
    clock = replay(P, mediate(SESSION, SIGNED)).clock("judicial_confirmation")
    assert clock.due == period_end(D(2026, 11, 2), days=30) == D(2026, 12, 2)
    assert "第二百零五条" in clock.explanation_zh and clock.obliged == "party"


@pytest.mark.parametrize(
    ("answers", "final"),
    [
        ((("court_does_not_accept", D(2026, 11, 13)),), "confirmation_not_accepted"),
        ((("court_accepts", D(2026, 11, 13)), ("court_confirms", D(2026, 11, 27))), "confirmed"),
        ((("court_accepts", D(2026, 11, 13)), ("court_rejects", D(2026, 11, 27))), "confirmation_rejected"),
    ],
)
def test_cpl_art_206_the_court_answer_is_recorded(answers, final):
    steps = [SESSION, SIGNED, ("apply_judicial_confirmation", D(2026, 11, 10), "applicant")]
    steps += [(action, at, "handler") for action, at in answers]
    status = replay(P, mediate(*steps))
    assert status.state == final and status.terminal
    assert status.clock("judicial_confirmation").running is False


def test_spc_interpretation_art_355_no_judicial_confirmation_of_an_ownership_agreement():
    history = mediate(SESSION, SIGNED, dispute_type="ownership")
    status = replay(P, history)
    assert status.clock("judicial_confirmation") is None
    assert status.allowed_actions("applicant") == ()
    with pytest.raises(ActionNotAllowed) as info:
        apply(P, history, Event("apply_judicial_confirmation", D(2026, 11, 10), "applicant"))
    assert "权属" in info.value.message_zh and "第三百五十五条" in info.value.message_zh
    assert "ownership" in str(info.value)
    assert replay(P, apply(P, history, Event("close", D(2026, 11, 10), "handler"))).state == "closed"


def test_art_63_the_dispute_type_is_required_and_checked():
    with pytest.raises(InvalidPayload):
        apply(P, (), Event("file_request", D(2026, 9, 21), "applicant"))
    with pytest.raises(InvalidPayload, match="must be one of"):
        apply(P, (), Event("file_request", D(2026, 9, 21), "applicant", {"dispute_type": "权属"}))


def test_the_definition_is_valid_and_every_clock_and_transition_cites_a_rule():
    assert P.code == "patent_mediation" and P.profile == "S1-2025"
    for clock in P.clocks:
        assert clock.citation.startswith("《"), clock.code
    for transition in P.transitions:
        assert transition.citation, transition.action
