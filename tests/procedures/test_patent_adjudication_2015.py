"""The 2015 办法 legacy profile (S2, LEGAL.md §1.1) on real 2025/2026 dates through huhang.workdays."""

import datetime as dt

import pytest

from huhang.procedures import (
    ActionNotAllowed,
    Event,
    ExtensionBeyondMaximum,
    InvalidPayload,
    NoticeTooShort,
    RoleNotAllowed,
    WrongApprover,
    replay,
)
from huhang.procedures.definitions import PATENT_ADJUDICATION, PATENT_ADJUDICATION_2015
from huhang.workdays import add_working_days, period_end

from .conftest import assert_refused, build

D = dt.date
P = PATENT_ADJUDICATION_2015
FILED = ("file_request", D(2025, 9, 26), "applicant")
ACCEPTED = ("accept", D(2025, 9, 29), "handler")
SERVED = ("serve_request_copy", D(2025, 10, 10), "handler")
HEARD = (
    ("choose_written_hearing", D(2025, 10, 28), "handler"),
    ("notify_facts_for_comment", D(2025, 10, 28), "handler", {"period_days": 10}),
    ("close_written_review", D(2025, 11, 10), "handler"),
)
EXTEND = ("extend_closing", D(2025, 12, 1), "approver")


def status(*steps, **kw):
    return replay(P, build(*steps, procedure=P), **kw)


def test_s2_art_13_filing_within_5_working_days_counting_the_make_up_sunday_before_national_day():
    # 2025-09-28 (Sun) is a make-up working day; 10-01..10-08 is the National Day + Mid-Autumn holiday.
    clock = status(FILED).clock("filing")
    assert clock.due == add_working_days(D(2025, 9, 26), 5) == D(2025, 10, 10)
    assert "《专利行政执法办法》第十三条" in clock.explanation_zh and "S2 Art. 13" in clock.explanation
    assert "调休" in clock.explanation_zh


def test_s2_art_13_has_no_filing_extension():
    assert status(FILED).allowed_actions("approver") == ()
    assert_refused(
        P, (FILED,), Event("extend_filing", D(2025, 9, 29), "approver"), ActionNotAllowed, "unknown action", "没有"
    )


def test_s2_art_14_service_within_5_working_days_of_filing_counting_the_make_up_saturday_10_11():
    clock = status(FILED, ACCEPTED).clock("service")
    assert clock.due == add_working_days(D(2025, 9, 29), 5) == D(2025, 10, 13)
    assert "第十四条" in clock.citation


def test_s2_art_14_answer_15_days_from_service_with_no_longer_period_for_foreign_respondents():
    clock = status(FILED, ACCEPTED, (*SERVED, {"respondent_domicile_in_prc": False})).clock("answer")
    assert clock.due == period_end(D(2025, 10, 10), days=15) == D(2025, 10, 27)  # 10-25 Sat → Mon
    assert clock.obliged == "party" and clock.limit.days == 15


def test_s2_art_14_answer_copy_forwarded_within_5_working_days():
    answered = status(FILED, ACCEPTED, SERVED, ("file_answer", D(2025, 10, 20), "handler"))
    assert answered.clock("answer").running is False
    assert answered.clock("forward_answer").due == add_working_days(D(2025, 10, 20), 5) == D(2025, 10, 27)


def test_s2_art_16_oral_hearing_needs_3_working_days_notice():
    base = (FILED, ACCEPTED, SERVED)
    error = assert_refused(
        P,
        base,
        Event("schedule_oral_hearing", D(2025, 10, 13), "handler", {"hearing_on": D(2025, 10, 15)}),
        NoticeTooShort,
        "earliest allowed is 2025-10-16",
        "第十六条",
    )
    assert "不足3个工作日" in error.message_zh
    ok = status(*base, ("schedule_oral_hearing", D(2025, 10, 13), "handler", {"hearing_on": D(2025, 10, 16)}))
    assert ok.state == "hearing_scheduled"


def test_s2_art_21_closing_3_months_from_filing():
    clock = status(FILED, ACCEPTED).clock("closing")
    assert clock.due == period_end(D(2025, 9, 29), months=3) == D(2025, 12, 29)
    assert "第二十一条" in clock.explanation_zh


def test_s2_art_21_one_extension_of_at_most_1_month_approved_by_the_department_head():
    clock = status(FILED, ACCEPTED, SERVED, EXTEND).clock("closing")
    assert clock.due == period_end(D(2025, 9, 29), months=4) == D(2026, 1, 29)
    assert [(g.amount, g.approver_role) for g in clock.extensions] == [(1, "approver")]


@pytest.mark.parametrize(
    ("steps", "event", "error", "en", "zh"),
    [
        ((), Event("extend_closing", D(2025, 12, 1), "handler"), WrongApprover, "'approver'", "须由部门负责人批准"),
        (
            (),
            Event("extend_closing", D(2025, 12, 1), "approver", {"amount": 2}),
            ExtensionBeyondMaximum,
            "1 month",
            "最多",
        ),
        ((EXTEND,), Event(*EXTEND), ExtensionBeyondMaximum, "at most 1 time", "至多批准1次"),
        ((), Event("extend_closing_2m", D(2025, 12, 1), "superior_department"), ActionNotAllowed, "unknown", "没有"),
    ],
    ids=["handler approves", "2 months asked", "second extension", "no S1 +2 months"],
)
def test_s2_art_21_extension_refusals(steps, event, error, en, zh):
    assert_refused(P, (FILED, ACCEPTED, SERVED, *steps), event, error, en, zh)


def test_s2_art_21_announcement_appraisal_and_suspension_are_not_counted():
    clock = status(
        FILED,
        ACCEPTED,
        SERVED,
        ("start_announcement", D(2025, 10, 15), "handler"),
        ("end_announcement", D(2025, 11, 14), "handler"),
        ("start_appraisal", D(2025, 11, 20), "handler"),
        ("end_appraisal", D(2025, 12, 10), "handler"),
        ("suspend", D(2025, 12, 15), "handler", {"reason": "无效宣告请求已受理"}),
        ("resume", D(2025, 12, 25), "handler"),
    ).clock("closing")
    assert [s.days for s in clock.excluded] == [30, 20, 10]
    assert clock.due == period_end(D(2025, 12, 29), days=60) == D(2026, 2, 27)
    assert "公告" in clock.explanation_zh and "鉴定" in clock.explanation_zh and "中止" in clock.explanation_zh


def test_s2_art_21_does_not_exclude_settlement_or_jurisdiction_objections():
    for action in ("start_settlement", "raise_jurisdiction_objection"):
        assert_refused(
            P, (FILED, ACCEPTED, SERVED), Event(action, D(2025, 10, 15), "handler"), ActionNotAllowed, "unknown", "没有"
        )


def test_s2_art_46_a_decision_finding_infringement_is_published_within_20_working_days():
    decided = status(
        FILED, ACCEPTED, SERVED, *HEARD, ("decide", D(2026, 1, 5), "handler", {"infringement_found": True})
    )
    assert decided.clock("closing").overdue is True  # 3 months ran out on 2025-12-29
    clock = decided.clock("publication")
    assert clock.due == add_working_days(D(2026, 1, 5), 20) == D(2026, 2, 2)
    assert "第四十六条" in clock.explanation_zh
    assert [d.kind for d in decided.documents][-1] == "handling_decision"


def test_s2_art_46_only_a_decision_finding_no_infringement_may_close_without_publication():
    found = (FILED, ACCEPTED, SERVED, *HEARD, ("decide", D(2025, 11, 20), "handler", {"infringement_found": True}))
    assert_refused(
        P,
        found,
        Event("close_unpublished", D(2025, 11, 21), "handler"),
        ActionNotAllowed,
        "20 working days",
        "第四十六条",
    )
    cleared = status(
        FILED,
        ACCEPTED,
        SERVED,
        *HEARD,
        ("decide", D(2025, 11, 20), "handler", {"infringement_found": False}),
        ("close_unpublished", D(2025, 11, 21), "handler"),
    )
    assert cleared.state == "closed" and cleared.terminal and cleared.clock("publication") is None


@pytest.mark.parametrize(
    ("steps", "event", "error", "en", "zh"),
    [
        (HEARD, Event("decide", D(2025, 11, 20), "handler"), InvalidPayload, "infringement_found", "须载明"),
        ((), Event("withdraw", D(2025, 11, 20), "handler"), InvalidPayload, "'ground'", "须载明"),
        ((), Event("withdraw", D(2025, 11, 20), "handler", {"ground": "bored"}), InvalidPayload, "one of", "之一"),
        ((), Event("decide", D(2025, 11, 20), "handler", {"infringement_found": True}), ActionNotAllowed, "state", ""),
        ((), Event("publish", D(2025, 11, 20), "handler"), ActionNotAllowed, "not allowed in state 'served'", ""),
        ((), Event("accept", D(2025, 11, 20), "applicant"), ActionNotAllowed, "not allowed", "不能进行"),
        ((), Event("close_written_review", D(2025, 11, 20), "handler"), ActionNotAllowed, "not allowed", ""),
        (
            (("choose_written_hearing", D(2025, 10, 28), "handler"),),
            Event("close_written_review", D(2025, 11, 20), "handler"),
            ActionNotAllowed,
            "requires",
            "须先进行",
        ),
        ((), Event("file_answer", D(2025, 11, 20), "applicant"), RoleNotAllowed, "'applicant'", "申请人无权"),
        ((), Event("resume", D(2025, 11, 20), "handler"), ActionNotAllowed, "not allowed", "恢复"),
        ((), Event("end_appraisal", D(2025, 11, 20), "handler"), ActionNotAllowed, "not open", "尚未开始"),
    ],
    ids=[
        "Art.19 decision without finding",
        "Art.19 withdrawal without ground",
        "Art.16 unknown withdrawal ground",
        "decide before hearing",
        "publish before decision",
        "accept after acceptance",
        "close written review not started",
        "S3 written ruling without facts notice",
        "applicant records the answer",
        "resume when not suspended",
        "Art.21 end appraisal never started",
    ],
)
def test_refused_transitions(steps, event, error, en, zh):
    assert_refused(P, (FILED, ACCEPTED, SERVED, *steps), event, error, en, zh)


def test_withdrawal_closes_the_case_and_stops_the_closing_clock():
    done = status(FILED, ACCEPTED, SERVED, ("withdraw", D(2025, 11, 3), "handler", {"ground": "deemed_withdrawn"}))
    assert done.state == "withdrawn" and done.terminal
    assert done.clock("closing").stop_action == "withdraw" and not done.clock("closing").overdue


def test_mediation_agreement_closes_the_case_under_s2_art_15():
    done = status(
        FILED,
        ACCEPTED,
        SERVED,
        ("start_mediation", D(2025, 10, 20), "handler"),
        ("mediation_agreed", D(2025, 11, 3), "handler"),
    )
    assert done.state == "settled" and "mediation_agreement" in [d.kind for d in done.documents]


def test_every_clock_and_transition_cites_s2_or_the_implementing_rules():
    assert (P.code, P.profile, P.category) == ("patent_adjudication_2015", "S2-2015", "adjudication")
    for clock in P.clocks:
        assert clock.citation.startswith("《专利行政执法办法》第"), clock.code
        assert clock.citation_en.startswith("S2 Art."), clock.code
    for transition in P.transitions:
        assert transition.citation.startswith(("《专利行政执法办法》第", "《中华人民共和国专利法实施细则》第")), (
            transition.action
        )


def test_shared_steps_cite_each_profile_and_the_2025_profile_is_unchanged():
    s1 = PATENT_ADJUDICATION.transitions_for("schedule_oral_hearing")[0]
    s2 = P.transitions_for("schedule_oral_hearing")[0]
    assert (s1.from_states, s2.from_states) == (("evidence",), ("served",))
    assert s1.citation.endswith("第二十六条") and s2.citation.endswith("第十六条")
    assert s1.notice.limit == s2.notice.limit
