"""Complaints and reports 投诉举报: limits are parameters; verification follows 处罚程序规定 Art. 18 (LEGAL.md §3)."""

import datetime as dt

import pytest

from huhang.procedures import (
    ActionNotAllowed,
    Event,
    ExtensionBeyondMaximum,
    InvalidPayload,
    Limit,
    RoleNotAllowed,
    WrongApprover,
    replay,
)
from huhang.procedures.definitions import COMPLAINT_REPORT, COUNTERFEITING_PENALTY, complaint_report
from huhang.workdays import add_working_days

from .conftest import assert_refused, build

D = dt.date
P = COMPLAINT_REPORT
COMPLAINT = ("receive", D(2026, 9, 28), "handler", {"kind": "complaint", "anonymous": False})
REPORT = ("receive", D(2026, 9, 28), "handler", {"kind": "report", "anonymous": False})
ANONYMOUS_REPORT = ("receive", D(2026, 9, 28), "handler", {"kind": "report", "anonymous": True})
ACCEPTED = ("accept", D(2026, 9, 30), "handler")
TRANSFERRED = ("transfer_to_penalty", D(2026, 10, 16), "handler")


def status(*steps, procedure=P):
    return replay(procedure, build(*steps, procedure=procedure))


def test_complaint_accepted_or_refused_within_7_working_days_unconfirmed_default_across_national_day():
    # 2026-10-01..10-07 National Day; Saturday 10-10 is a make-up working day.
    clock = status(COMPLAINT).clock("acceptance")
    assert clock.due == add_working_days(D(2026, 9, 28), 7) == D(2026, 10, 13)
    assert clock.citation.startswith("投诉受理期限：《市场监督管理投诉举报处理办法》（待核）")
    assert "待核" in clock.explanation_zh


def test_a_report_has_no_acceptance_decision_and_cannot_be_declined():
    assert status(REPORT).clock("acceptance") is None
    assert_refused(
        P,
        (REPORT,),
        Event("decline", D(2026, 9, 29), "handler", {"ground": "x"}),
        ActionNotAllowed,
        "verified",
        "第十八条",
    )


def test_art_18_verification_and_filing_decision_within_15_working_days_of_receipt():
    clock = status(REPORT).clock("verification")
    assert clock.due == add_working_days(D(2026, 9, 28), 15) == D(2026, 10, 23)
    assert clock.citation.startswith("核查决定立案期限：《市场监督管理行政处罚程序规定》第十八条（参数")
    assert "待核" not in clock.citation


def test_art_18_plus_15_working_days_with_the_head_approval():
    clock = status(REPORT, ACCEPTED, ("extend_verification", D(2026, 10, 20), "approver")).clock("verification")
    assert clock.due == add_working_days(D(2026, 9, 28), 30) == D(2026, 11, 13)
    assert clock.extensions[0].approver_role == "approver"


@pytest.mark.parametrize(
    ("steps", "event", "error", "en", "zh"),
    [
        ((), Event("extend_verification", D(2026, 10, 9), "handler"), WrongApprover, "'approver'", "第十八条"),
        (
            (("extend_verification", D(2026, 10, 9), "approver"),),
            Event("extend_verification", D(2026, 10, 12), "approver"),
            ExtensionBeyondMaximum,
            "at most 1 time",
            "至多批准1次",
        ),
        (
            (),
            Event("extend_verification", D(2026, 10, 9), "approver", {"amount": 20}),
            ExtensionBeyondMaximum,
            "at most 15 working days",
            "最多延长15个工作日",
        ),
    ],
    ids=["Art.18 handler extends", "Art.18 second extension", "Art.18 beyond 15 WD"],
)
def test_art_18_extension_refusals(steps, event, error, en, zh):
    assert_refused(P, (REPORT, ACCEPTED, *steps), event, error, en, zh)


def test_art_18_testing_and_identification_by_the_right_holder_is_not_counted():
    clock = status(
        REPORT,
        ACCEPTED,
        ("start_inspection", D(2026, 10, 12), "handler"),
        ("end_inspection", D(2026, 10, 20), "handler"),
    ).clock("verification")
    # 6 working days count up to 10-12 (9-29, 9-30, 10-08, 10-09, 10-10, 10-12); 9 remain from 10-20.
    assert clock.due == add_working_days(D(2026, 10, 20), 9) == D(2026, 11, 2)
    assert "权利人辨认" in clock.explanation_zh


def test_filing_hands_over_to_a_penalty_case_and_the_named_reporter_is_told_within_5_working_days():
    filed = status(REPORT, ACCEPTED, TRANSFERRED)
    assert filed.state == "filed"
    assert {"filing_approval_form", "penalty_case_referral"} <= {d.kind for d in filed.documents}
    assert filed.clock("verification").stop_action == "transfer_to_penalty"
    reply = filed.clock("reply")
    assert reply.due == add_working_days(D(2026, 10, 16), 5) == D(2026, 10, 23)
    assert "（待核）" in reply.citation
    replied = status(REPORT, ACCEPTED, TRANSFERRED, ("reply", D(2026, 10, 22), "handler"))
    assert replied.state == "replied" and replied.terminal and not replied.clock("reply").overdue


def test_the_penalty_case_opened_from_the_transfer_counts_from_the_receipt():
    penalty = status(
        ("receive_clue", D(2026, 9, 28), "handler", {"source": "report"}),
        ("file_case", D(2026, 10, 16), "handler"),
        procedure=COUNTERFEITING_PENALTY,
    )
    assert penalty.state == "investigating"
    assert penalty.clock("verification").due == D(2026, 10, 23) and not penalty.clock("verification").overdue


def test_an_anonymous_report_closes_without_reply_and_a_named_one_may_not():
    anonymous = status(ANONYMOUS_REPORT, ACCEPTED, ("not_file", D(2026, 10, 9), "handler", {"ground": "线索不实"}))
    assert anonymous.clock("reply") is None
    closed = status(
        ANONYMOUS_REPORT,
        ACCEPTED,
        ("not_file", D(2026, 10, 9), "handler", {"ground": "线索不实"}),
        ("close_without_reply", D(2026, 10, 9), "handler"),
    )
    assert closed.state == "closed" and closed.terminal
    assert_refused(
        P,
        (REPORT, ACCEPTED, ("not_file", D(2026, 10, 9), "handler", {"ground": "线索不实"})),
        Event("close_without_reply", D(2026, 10, 9), "handler"),
        ActionNotAllowed,
        "must be told",
        "应当告知",
    )


def test_a_complaint_outside_the_departments_powers_is_forwarded_and_the_complainant_told():
    forwarded = status(COMPLAINT, ("forward", D(2026, 9, 29), "handler", {"to": "江岸区市场监督管理局"}))
    assert forwarded.state == "forwarded"
    assert forwarded.clock("acceptance").stop_action == "forward"
    assert forwarded.clock("reply").due == add_working_days(D(2026, 9, 29), 5) == D(2026, 10, 12)


def test_a_declined_complaint_is_closed_with_its_notice():
    declined = status(COMPLAINT, ("decline", D(2026, 10, 9), "handler", {"ground": "超过三年"}))
    assert declined.state == "declined" and declined.terminal
    assert declined.clock("verification").stop_action == "decline"
    assert "non_acceptance_notice" in [d.kind for d in declined.documents]


def test_limits_are_parameters_and_a_changed_value_is_named_in_the_citation():
    assert dict(P.parameters) == {
        "acceptance_limit": "7 working days",
        "verification_limit": "15 working days",
        "verification_extension": "15 working days",
        "reply_limit": "5 working days",
        "roll": "rest_days",
    }
    other = complaint_report(acceptance_limit=Limit(working_days=10), reply_limit=Limit(working_days=3))
    clock = status(COMPLAINT, procedure=other).clock("acceptance")
    assert clock.due == add_working_days(D(2026, 9, 28), 10) == D(2026, 10, 16)
    assert clock.citation.endswith("本平台设定为10个工作日")


@pytest.mark.parametrize(
    ("steps", "event", "error", "en", "zh"),
    [
        ((), Event("transfer_to_penalty", D(2026, 9, 29), "handler"), ActionNotAllowed, "state 'received'", ""),
        ((ACCEPTED,), Event("not_file", D(2026, 10, 9), "handler"), InvalidPayload, "'ground'", "须载明"),
        ((), Event("forward", D(2026, 9, 29), "handler"), InvalidPayload, "'to'", "须载明"),
        ((ACCEPTED,), Event("transfer_to_penalty", D(2026, 10, 9), "approver"), RoleNotAllowed, "", "部门负责人无权"),
        ((ACCEPTED,), Event("reply", D(2026, 10, 9), "handler"), ActionNotAllowed, "not allowed", "核查中"),
        ((), Event("end_inspection", D(2026, 9, 29), "handler"), ActionNotAllowed, "not open", "尚未开始"),
    ],
    ids=[
        "file before acceptance",
        "not filed without ground",
        "forward without authority",
        "head files instead of the handler",
        "reply before a decision",
        "end inspection never started",
    ],
)
def test_refused_transitions(steps, event, error, en, zh):
    assert_refused(P, (REPORT, *steps), event, error, en, zh)


def test_receipt_needs_kind_and_anonymity():
    assert_refused(P, (), Event("receive", D(2026, 9, 28), "handler", {"kind": "report"}), InvalidPayload, "", "须载明")
    assert_refused(
        P,
        (),
        Event("receive", D(2026, 9, 28), "handler", {"kind": "rumour", "anonymous": False}),
        InvalidPayload,
        "one of",
        "之一",
    )


def test_every_clock_and_transition_cites_a_rule_and_unconfirmed_ones_say_so():
    assert (P.code, P.category) == ("complaint_report", "complaint")
    for clock in P.clocks:
        assert "《" in clock.citation and "参数" in clock.citation, clock.code
    for transition in P.transitions:
        assert transition.citation.startswith("《"), transition.action
        if "投诉举报处理办法" in transition.citation:
            assert "待核" in transition.citation, transition.action
