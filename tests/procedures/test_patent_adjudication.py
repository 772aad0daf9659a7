"""Deadlines of the 2025 办法 (S1, LEGAL.md §1) computed on real 2026 dates through huhang.workdays."""

import datetime as dt

from huhang.procedures import replay
from huhang.workdays import add_working_days, period_end

from .conftest import ACCEPTED, FILED, SERVED, build

D = dt.date


def test_art_20_filing_decision_due_5_working_days_after_receipt_skipping_mid_autumn():
    status = replay(
        __import__("huhang.procedures.definitions").procedures.definitions.PATENT_ADJUDICATION, build(FILED)
    )
    clock = status.clock("filing")
    assert clock.due == D(2026, 9, 29) == add_working_days(D(2026, 9, 21), 5)
    assert "第二十条" in clock.explanation_zh and "S1 Art. 20" in clock.explanation


def test_art_20_filing_extension_adds_5_working_days_with_the_department_head_approval():
    history = build(FILED, ("extend_filing", D(2026, 9, 25), "approver"))
    clock = _status(history).clock("filing")
    assert clock.due == add_working_days(D(2026, 9, 21), 10) == D(2026, 10, 12)
    assert clock.extensions[0].approver_role == "approver"


def test_art_22_service_due_5_working_days_after_filing_on_2026_09_28():
    # 9-29, 9-30, then National Day 10-01..10-07; 10-08, 10-09 and the make-up Saturday 10-10 count.
    clock = _status(build(FILED, ACCEPTED)).clock("service")
    assert clock.due == D(2026, 10, 10) == add_working_days(D(2026, 9, 28), 5)
    assert "调休" in clock.explanation_zh and "第二十二条" in clock.explanation_zh


def test_art_22_service_due_2026_10_13_when_filed_on_2026_09_30():
    history = build(("file_request", D(2026, 9, 28), "applicant"), ("accept", D(2026, 9, 30), "handler"))
    assert _status(history).clock("service").due == D(2026, 10, 13)


def test_art_22_answer_15_days_from_service():
    clock = _status(build(FILED, ACCEPTED, SERVED)).clock("answer")
    assert clock.due == period_end(D(2026, 10, 9), days=15) == D(2026, 10, 26)  # 10-24 Sat → Mon 10-26
    assert clock.obliged == "party"


def test_art_22_answer_30_days_when_the_respondent_has_no_prc_domicile():
    history = build(FILED, ACCEPTED, (*SERVED, {"respondent_domicile_in_prc": False}))
    clock = _status(history).clock("answer")
    assert clock.due == period_end(D(2026, 10, 9), days=30) == D(2026, 11, 9)  # 11-08 Sun → Mon
    assert "没有住所" in clock.explanation_zh


def test_art_37_closing_3_months_from_filing():
    clock = _status(build(FILED, ACCEPTED)).clock("closing")
    assert clock.due == period_end(D(2026, 9, 28), months=3) == D(2026, 12, 28)
    assert not clock.provisional


def test_art_37_a_20_day_suspension_pushes_the_closing_date_20_days():
    history = build(
        ("file_request", D(2026, 6, 1), "applicant"),
        ("accept", D(2026, 6, 3), "handler"),
        ("serve_request_copy", D(2026, 6, 5), "handler"),
        ("suspend", D(2026, 7, 1), "handler", {"reason": "无效宣告请求已受理"}),
        ("resume", D(2026, 7, 21), "handler"),
    )
    status = _status(history)
    assert status.state == "served"  # resume returns to the state before 中止
    clock = status.clock("closing")
    assert period_end(D(2026, 6, 3), months=3) == D(2026, 9, 3)
    assert clock.due == D(2026, 9, 23)
    assert [s.days for s in clock.excluded] == [20]
    assert "中止" in clock.explanation_zh and "第三十七条" in clock.explanation_zh
    assert "suspension" in clock.explanation and "pushed by 20" in clock.explanation


def test_art_37_an_open_suspension_pauses_the_clock_until_today():
    history = build(FILED, ACCEPTED, ("suspend", D(2026, 10, 12), "handler", {"reason": "x"}))
    clock = replay(_p(), history, today=D(2026, 11, 11)).clock("closing")
    assert clock.paused and clock.excluded[0].still_open
    assert clock.due == D(2027, 1, 27)  # 2026-12-28 pushed by the 30 days suspended so far
    assert clock.provisional


def test_art_37_extensions_plus_1_month_by_approver_then_plus_2_months_by_superior_department():
    history = build(
        FILED,
        ACCEPTED,
        SERVED,
        ("extend_closing_1m", D(2026, 12, 1), "approver"),
        ("extend_closing_2m", D(2027, 1, 20), "superior_department"),
    )
    clock = replay(_p(), history).clock("closing")
    assert [(g.code, g.amount, g.approver_role) for g in clock.extensions] == [
        ("closing_1m", 1, "approver"),
        ("closing_2m", 2, "superior_department"),
    ]
    assert clock.due == D(2027, 3, 29)  # 6 months from 2026-09-28 (Sun 3-28 rolls to Mon)
    assert clock.provisional and clock.assumed_years == (2027,)
    assert "部门负责人" in clock.explanation_zh and "上一级管理专利工作的部门" in clock.explanation_zh
    assert "approved by superior_department" in clock.explanation


def test_art_83_publication_20_working_days_after_the_decision():
    history = build(
        FILED,
        ACCEPTED,
        SERVED,
        ("open_evidence", D(2026, 10, 12), "handler", {"period_days": 15}),
        ("choose_written_hearing", D(2026, 10, 30), "handler"),
        ("notify_facts_for_comment", D(2026, 10, 30), "handler", {"period_days": 10}),
        ("close_written_review", D(2026, 11, 10), "handler"),
        ("decide", D(2026, 11, 20), "handler"),
    )
    status = _status(history)
    assert status.state == "decided"
    assert status.clock("publication").due == add_working_days(D(2026, 11, 20), 20) == D(2026, 12, 18)
    assert status.clock("closing").running is False and status.clock("closing").overdue is False
    assert [d.kind for d in status.documents][-1] == "adjudication_decision"


def test_art_54_evidence_period_as_set_in_the_notice():
    history = build(FILED, ACCEPTED, SERVED, ("open_evidence", D(2026, 10, 12), "handler", {"period_days": 20}))
    assert _status(history).clock("evidence").due == D(2026, 11, 2)  # 11-01 Sun → Mon


def test_art_16_correction_stops_the_filing_clock_and_the_corrected_request_restarts_it():
    history = build(
        FILED,
        ("request_correction", D(2026, 9, 22), "handler", {"period_days": 10}),
        ("submit_correction", D(2026, 9, 30), "applicant"),
    )
    status = _status(history)
    assert status.clock("correction").running is False
    filing = status.clock("filing")
    assert filing.run == 2 and filing.started_on == D(2026, 9, 30)
    assert filing.due == D(2026, 10, 13)


def test_time_left_and_overdue_on_a_given_today():
    history = build(FILED, ACCEPTED)
    on_time = replay(_p(), history, today=D(2026, 10, 8)).clock("service")
    assert (on_time.days_left, on_time.overdue) == (2, False)
    late = replay(_p(), history, today=D(2026, 10, 12)).clock("service")
    assert (late.days_left, late.overdue) == (-2, True)
    served_late = _status(build(FILED, ACCEPTED, ("serve_request_copy", D(2026, 10, 12), "handler")))
    assert served_late.clock("service").overdue and served_late.clock("service").days_left is None


def test_dates_across_2026_12_31_are_provisional_and_say_so():
    history = build(("file_request", D(2026, 12, 28), "applicant"), ("accept", D(2026, 12, 30), "handler"))
    clock = _status(history).clock("service")
    assert clock.provisional and clock.assumed_years == (2027,)
    assert clock.due == D(2027, 1, 6)
    assert "PROVISIONAL" in clock.explanation and "暂定" in clock.explanation_zh


def test_mediation_failure_returns_to_the_previous_state_and_agreement_closes_the_case():
    base = build(
        FILED,
        ACCEPTED,
        SERVED,
        ("open_evidence", D(2026, 10, 12), "handler"),
        ("start_mediation", D(2026, 10, 20), "handler"),
    )
    assert _status(base).state == "mediating"
    from huhang.procedures import Event, apply

    failed = apply(_p(), base, Event("mediation_failed", D(2026, 10, 30), "handler"))
    assert _status(failed).state == "evidence"
    agreed = _status(apply(_p(), base, Event("mediation_agreed", D(2026, 10, 30), "handler")))
    assert agreed.state == "settled" and agreed.terminal
    assert agreed.allowed_actions("handler") == ()


def test_allowed_actions_depend_on_state_and_role():
    status = _status(build(FILED))
    assert set(status.allowed_actions("handler")) == {"request_correction", "accept", "reject"}
    assert status.allowed_actions("approver") == ("extend_filing",)
    assert status.allowed_actions("applicant") == ()


def _p():
    from huhang.procedures.definitions import PATENT_ADJUDICATION

    return PATENT_ADJUDICATION


def _status(history):
    return replay(_p(), history)
