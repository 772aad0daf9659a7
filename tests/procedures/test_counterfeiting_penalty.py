"""Market-supervision penalty for counterfeiting (LEGAL.md §3): clocks on 2026 dates through huhang.workdays."""

import datetime as dt

import pytest

from huhang.procedures import Event, ExtensionError, WrongApprover, apply, replay
from huhang.procedures.definitions import COUNTERFEITING_PENALTY
from huhang.workdays import add_working_days, period_end

from .conftest import build

D = dt.date
P = COUNTERFEITING_PENALTY
CLUE = ("receive_clue", D(2026, 9, 14), "handler", {"source": "complaint"})
FILED = ("file_case", D(2026, 6, 1), "handler")


def case(*steps):
    return build(("receive_clue", D(2026, 5, 25), "handler", {"source": "report"}), FILED, *steps, procedure=P)


def test_art_18_verify_and_decide_filing_within_15_working_days_skipping_mid_autumn_and_national_day():
    clock = replay(P, build(CLUE, procedure=P)).clock("verification")
    assert clock.due == add_working_days(D(2026, 9, 14), 15) == D(2026, 10, 10)
    assert "第十八条" in clock.explanation_zh


def test_art_18_plus_15_working_days_with_the_head_approval():
    history = build(CLUE, ("extend_verification", D(2026, 10, 9), "approver"), procedure=P)
    clock = replay(P, history).clock("verification")
    assert clock.due == add_working_days(D(2026, 9, 14), 30) == D(2026, 10, 30)


def test_art_18_extension_by_the_handler_is_refused():
    with pytest.raises(WrongApprover) as info:
        apply(P, build(CLUE, procedure=P), Event("extend_verification", D(2026, 9, 20), "handler"))
    assert "第十八条" in info.value.message_zh


def test_art_18_identification_by_the_right_holder_is_not_counted():
    history = build(
        CLUE,
        ("start_inspection", D(2026, 9, 16), "handler"),
        ("end_inspection", D(2026, 9, 25), "handler"),
        procedure=P,
    )
    clock = replay(P, history).clock("verification")
    # 9-15 and 9-16 count (2 WD); the remaining 13 WD run from 9-25 (Mid-Autumn; make-up Sat 10-10 counts).
    assert clock.due == add_working_days(D(2026, 9, 25), 13) == D(2026, 10, 20)
    assert "权利人辨认" in clock.explanation_zh


def test_statement_or_hearing_request_within_5_working_days_of_the_notice():
    history = case(("notify_intended_penalty", D(2026, 9, 30), "handler"))
    clock = replay(P, history).clock("response")
    assert clock.due == add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)
    assert clock.obliged == "party" and "第八十五条" in clock.explanation_zh and "待核" in clock.citation


def test_legal_review_10_working_days_counting_the_make_up_sunday_9_20():
    history = case(
        ("notify_intended_penalty", D(2026, 9, 1), "handler"), ("submit_for_review", D(2026, 9, 10), "handler")
    )
    assert replay(P, history).clock("review").due == add_working_days(D(2026, 9, 10), 10) == D(2026, 9, 23)


def test_decision_within_90_days_of_filing_article_number_unconfirmed():
    clock = replay(P, case()).clock("decision")
    assert clock.due == period_end(D(2026, 6, 1), days=90) == D(2026, 8, 31)  # 8-30 Sun → Mon
    assert "（条文序号待核）" in clock.citation and "第六十条" in clock.citation


def test_decision_plus_30_days_by_the_head_then_a_period_fixed_by_collective_discussion():
    history = case(
        ("extend_decision_30d", D(2026, 8, 20), "approver"),
        ("extend_decision_collective", D(2026, 9, 20), "collective", {"amount": 20}),
    )
    clock = replay(P, history).clock("decision")
    assert clock.due == period_end(D(2026, 6, 1), days=140) == D(2026, 10, 19)
    assert [(g.code, g.amount, g.approver_role) for g in clock.extensions] == [
        ("decision_30d", 30, "approver"),
        ("decision_collective", 20, "collective"),
    ]
    assert "集体讨论" in clock.explanation_zh


def test_decision_extensions_with_the_wrong_approver_or_out_of_order_are_refused():
    with pytest.raises(WrongApprover):
        apply(P, case(), Event("extend_decision_30d", D(2026, 8, 20), "handler"))
    with pytest.raises(WrongApprover):
        apply(P, case(), Event("extend_decision_collective", D(2026, 8, 20), "approver", {"amount": 20}))
    with pytest.raises(ExtensionError, match="only after"):
        apply(P, case(), Event("extend_decision_collective", D(2026, 8, 20), "collective", {"amount": 20}))


def test_suspension_and_hearing_are_not_counted_in_the_90_days():
    history = case(
        ("suspend", D(2026, 7, 1), "handler", {"reason": "等待权利人鉴别"}),
        ("resume", D(2026, 7, 11), "handler"),
        ("notify_intended_penalty", D(2026, 7, 20), "handler"),
        ("receive_hearing_request", D(2026, 7, 23), "handler"),
        ("close_hearing", D(2026, 8, 7), "handler"),
    )
    status = replay(P, history)
    assert status.state == "notified"
    clock = status.clock("decision")
    assert [s.days for s in clock.excluded] == [10, 15]
    assert clock.due == period_end(D(2026, 8, 30), days=25) == D(2026, 9, 24)
    assert "中止" in clock.explanation_zh and "听证" in clock.explanation_zh


def test_full_case_from_clue_to_closing():
    history = case(
        ("notify_intended_penalty", D(2026, 7, 20), "handler"),
        ("receive_statement", D(2026, 7, 22), "handler"),
        ("submit_for_review", D(2026, 7, 27), "handler"),
        ("complete_review", D(2026, 8, 5), "handler"),
        ("decide", D(2026, 8, 10), "handler"),
        ("serve_decision", D(2026, 8, 12), "handler"),
        ("close_case", D(2026, 8, 20), "handler"),
    )
    status = replay(P, history)
    assert status.state == "closed" and status.terminal
    assert status.clock("decision").overdue is False and status.clock("verification").running is False
    assert "penalty_decision" in [d.kind for d in status.documents]


def test_the_definition_is_valid_and_every_clock_and_transition_cites_a_rule():
    assert P.code == "counterfeiting_penalty"
    for clock in P.clocks:
        assert clock.citation.startswith("《市场监督管理行政处罚程序规定》"), clock.code
    for transition in P.transitions:
        assert transition.citation, transition.action
