"""Court 审限 (CPL 2023 and its interpretation, LEGAL.md §4) on real 2025/2026 dates through huhang.workdays."""

import datetime as dt

import pytest

from huhang.procedures import (
    ActionNotAllowed,
    DefinitionError,
    Event,
    ExtensionBeyondMaximum,
    ExtensionError,
    ExtensionTooLate,
    InvalidPayload,
    Limit,
    Procedure,
    RoleNotAllowed,
    State,
    Transition,
    WrongApprover,
    replay,
)
from huhang.procedures import Clock as ClockDef
from huhang.procedures.definitions import JUDICIAL_CASE, judicial_case
from huhang.workdays import period_end

from .conftest import assert_refused, build

D = dt.date
P = JUDICIAL_CASE
ORDINARY = ("file_ordinary", D(2025, 3, 31), "partner")
SUMMARY = ("file_summary", D(2025, 6, 30), "partner")
SMALL = ("file_small_claims", D(2025, 7, 31), "partner")
EXTEND_6M = ("extend_ordinary", D(2025, 9, 1), "court_president")


def status(*steps, procedure=P, **kw):
    return replay(procedure, build(*steps, procedure=procedure), **kw)


def test_cpl_152_ordinary_procedure_6_months_from_filing():
    clock = status(ORDINARY).clock("ordinary")
    assert clock.due == period_end(D(2025, 3, 31), months=6) == D(2025, 9, 30)
    assert "第一百五十二条" in clock.explanation_zh and "Art. 152" in clock.explanation


def test_cpl_85_a_limit_ending_in_the_national_day_holiday_moves_to_the_next_working_day():
    clock = status(("file_ordinary", D(2025, 4, 1), "partner")).clock("ordinary")
    assert clock.due == D(2025, 10, 9)  # 2025-10-01..10-08 National Day + Mid-Autumn
    assert "2025-10-01为国庆节假期" in clock.explanation_zh and "第八十五条" in clock.explanation_zh


def test_cpl_152_plus_6_months_by_the_president_then_more_by_the_higher_court():
    clock = status(
        ORDINARY,
        EXTEND_6M,
        ("extend_ordinary_further", D(2026, 3, 2), "higher_court", {"amount": 3}),
    ).clock("ordinary")
    assert [(g.code, g.amount, g.approver_role) for g in clock.extensions] == [
        ("ordinary_6m", 6, "court_president"),
        ("ordinary_further", 3, "higher_court"),
    ]
    assert clock.due == period_end(D(2025, 3, 31), months=15) == D(2026, 6, 30)
    assert "本院院长" in clock.explanation_zh and "上级人民法院" in clock.explanation_zh


@pytest.mark.parametrize(
    ("steps", "event", "error", "en", "zh"),
    [
        (
            (),
            Event("extend_ordinary", D(2025, 9, 1), "partner"),
            WrongApprover,
            "'court_president'",
            "须由本院院长批准",
        ),
        ((), Event("extend_ordinary", D(2025, 9, 1), "higher_court"), WrongApprover, "", "上级人民法院无权批准"),
        (
            (EXTEND_6M,),
            Event("extend_ordinary_further", D(2026, 3, 2), "court_president", {"amount": 3}),
            WrongApprover,
            "'higher_court'",
            "须由上级人民法院批准",
        ),
        (
            (),
            Event("extend_ordinary_further", D(2025, 9, 1), "higher_court", {"amount": 3}),
            ExtensionError,
            "only after 'ordinary_6m'",
            "须先批准",
        ),
        ((EXTEND_6M,), Event(*EXTEND_6M), ExtensionBeyondMaximum, "at most 1 time", "至多批准1次"),
        (
            (),
            Event("extend_ordinary", D(2025, 9, 1), "court_president", {"amount": 7}),
            ExtensionBeyondMaximum,
            "at most 6 months",
            "最多延长6个月",
        ),
        ((EXTEND_6M,), Event("extend_ordinary_further", D(2026, 3, 2), "higher_court"), InvalidPayload, "amount", ""),
        ((), Event("extend_ordinary", D(2025, 10, 1), "court_president"), ExtensionTooLate, "too late", "为时已晚"),
        ((), Event("extend_summary", D(2025, 9, 1), "court_president"), ActionNotAllowed, "not allowed", ""),
    ],
    ids=[
        "Art.152 clerk extends",
        "Art.152 higher court grants the president's 6 months",
        "Art.152 president grants the further extension",
        "Art.152 further before the 6 months",
        "Art.152 second 6 months",
        "Art.152 7 months asked",
        "Art.152 further extension without amount",
        "Art.152 after the limit ran out",
        "Art.164 summary extension on an ordinary case",
    ],
)
def test_cpl_152_extension_refusals(steps, event, error, en, zh):
    assert_refused(P, (ORDINARY, *steps), event, error, en, zh)


def test_cpl_164_summary_procedure_3_months_plus_1_by_the_president():
    assert status(SUMMARY).clock("summary").due == period_end(D(2025, 6, 30), months=3) == D(2025, 9, 30)
    clock = status(SUMMARY, ("extend_summary", D(2025, 9, 15), "court_president")).clock("summary")
    assert clock.due == period_end(D(2025, 6, 30), months=4) == D(2025, 10, 30)
    assert "第二百五十八条" in clock.extensions[0].citation


@pytest.mark.parametrize(
    ("steps", "event", "error", "en", "zh"),
    [
        (
            (("extend_summary", D(2025, 9, 15), "court_president"),),
            Event("extend_summary", D(2025, 10, 15), "court_president"),
            ExtensionBeyondMaximum,
            "at most 1 month in all",
            "累计最多延长1个月",
        ),
        (
            (),
            Event("extend_summary", D(2025, 9, 15), "court_president", {"amount": 2}),
            ExtensionBeyondMaximum,
            "at most 1 month",
            "最多延长1个月",
        ),
        ((), Event("extend_summary", D(2025, 9, 15), "higher_court"), WrongApprover, "", "须由本院院长批准"),
    ],
    ids=["S5 Art.258 beyond 4 months in all", "Art.164 2 months asked", "Art.164 wrong approver"],
)
def test_cpl_164_summary_extension_refusals(steps, event, error, en, zh):
    assert_refused(P, (SUMMARY, *steps), event, error, en, zh)


def test_s5_art_258_a_converted_case_counts_6_months_from_the_original_filing_with_earlier_exclusions():
    converted = status(
        ("file_summary", D(2025, 3, 3), "partner"),
        ("start_announcement", D(2025, 4, 1), "partner"),
        ("end_announcement", D(2025, 5, 1), "partner"),
        ("convert_to_ordinary", D(2025, 5, 20), "partner"),
    )
    assert converted.state == "ordinary"
    assert converted.clock("summary").stop_action == "convert_to_ordinary"
    clock = converted.clock("ordinary")
    assert (clock.started_on, clock.start_action) == (D(2025, 3, 3), "file_summary")
    assert [s.days for s in clock.excluded] == [30]
    assert clock.due == period_end(D(2025, 9, 3), days=30) == D(2025, 10, 9)  # 10-03 is in the holiday
    assert "第二百五十八条" in clock.citation


def test_cpl_168_small_claims_2_months_plus_1_once():
    assert status(SMALL).clock("small_claims").due == period_end(D(2025, 7, 31), months=2) == D(2025, 9, 30)
    extended = ("extend_small_claims", D(2025, 9, 1), "court_president")
    assert status(SMALL, extended).clock("small_claims").due == D(2025, 10, 31)
    assert_refused(P, (SMALL, extended), Event(*extended), ExtensionBeyondMaximum, "at most 1 time", "第一百六十八条")
    assert_refused(
        P, (SMALL,), Event("convert_to_ordinary", D(2025, 9, 1), "partner"), ActionNotAllowed, "not allowed", "小额诉讼"
    )


def test_cpl_183_appeal_against_a_judgment_3_months_extended_by_the_president_without_cap():
    filed = ("file_appeal", D(2026, 1, 5), "partner", {"against": "judgment"})
    clock = status(filed).clock("appeal_judgment")
    assert clock.due == period_end(D(2026, 1, 5), months=3) == D(2026, 4, 7)  # 04-05 is Qingming
    extended = status(
        filed,
        ("extend_appeal", D(2026, 3, 20), "court_president", {"amount": 1}),
        ("extend_appeal", D(2026, 5, 1), "court_president", {"amount": 1}),
    ).clock("appeal_judgment")
    assert extended.due == period_end(D(2026, 1, 5), months=5) == D(2026, 6, 5)
    assert_refused(
        P,
        (filed,),
        Event("extend_appeal", D(2026, 3, 20), "court_president"),
        InvalidPayload,
        "amount",
        "二审审理期限延长",
    )
    assert status(filed).clock("appeal_ruling") is None


def test_cpl_183_appeal_against_a_ruling_30_days_without_extension():
    filed = ("file_appeal", D(2025, 9, 1), "partner", {"against": "ruling"})
    clock = status(filed).clock("appeal_ruling")
    assert clock.due == period_end(D(2025, 9, 1), days=30) == D(2025, 10, 9)
    assert_refused(
        P,
        (filed,),
        Event("extend_appeal", D(2025, 9, 10), "court_president", {"amount": 1}),
        ExtensionTooLate,
        "not running",
        "未在计算中",
    )
    assert_refused(P, (), Event("file_appeal", D(2025, 9, 1), "partner"), InvalidPayload, "'against'", "须载明")


def test_s5_art_243_announcement_appraisal_settlement_jurisdiction_and_suspension_are_not_counted():
    steps = (
        ORDINARY,
        ("start_jurisdiction_objection", D(2025, 4, 7), "partner"),
        ("end_jurisdiction_objection", D(2025, 4, 17), "partner"),
        ("start_appraisal", D(2025, 5, 6), "partner"),
        ("end_appraisal", D(2025, 6, 5), "partner"),
        ("start_settlement", D(2025, 6, 10), "partner"),
        ("end_settlement", D(2025, 6, 20), "partner"),
        ("suspend", D(2025, 7, 1), "partner", {"reason": "等待专利无效宣告结果"}),
        ("resume", D(2025, 7, 11), "partner"),
    )
    clock = status(*steps).clock("ordinary")
    assert [s.days for s in clock.excluded] == [10, 30, 10, 10]
    assert clock.due == period_end(D(2025, 9, 30), days=60) == D(2025, 12, 1)  # 11-29 Sat → Mon
    assert "第二百四十三条" in clock.explanation_zh and "中止" in clock.explanation_zh
    counted = judicial_case(exclude_suspension=False)
    assert status(*steps, procedure=counted).clock("ordinary").due == period_end(D(2025, 9, 30), days=50)


def test_cpl_287_no_limit_for_a_foreign_related_case():
    foreign = status(("file_ordinary", D(2025, 3, 31), "partner", {"foreign_related": True}))
    assert foreign.clock("ordinary") is None and foreign.clocks == ()
    appeal = status(("file_appeal", D(2025, 3, 31), "partner", {"against": "judgment", "foreign_related": True}))
    assert appeal.clocks == ()


@pytest.mark.parametrize(
    ("action", "state", "document"),
    [
        ("close_by_judgment", "judged", "judgment"),
        ("close_by_mediation", "mediated", "mediation_statement"),
        ("close_by_withdrawal", "withdrawn", "withdrawal_ruling"),
        ("close_by_ruling", "ruled", "ruling"),
    ],
)
def test_s5_art_243_closing_steps_stop_the_limit(action, state, document):
    closed = status(ORDINARY, (action, D(2025, 9, 1), "partner"))
    assert closed.state == state and closed.terminal
    assert closed.clock("ordinary").stop_action == action and not closed.clock("ordinary").overdue
    assert closed.documents[-1].kind == document


def test_a_suspended_case_may_end_only_by_ruling():
    suspended = (ORDINARY, ("suspend", D(2025, 5, 6), "partner", {"reason": "当事人死亡"}))
    assert status(*suspended, ("close_by_ruling", D(2025, 6, 1), "partner")).state == "ruled"
    assert_refused(
        P, suspended, Event("close_by_judgment", D(2025, 6, 1), "partner"), ActionNotAllowed, "not allowed", "中止诉讼"
    )


def test_court_staff_act_as_partner_and_may_not_approve():
    assert_refused(P, (), Event("file_ordinary", D(2025, 3, 31), "handler"), RoleNotAllowed, "'handler'", "承办人无权")
    assert status(ORDINARY).allowed_actions("court_president") == ("extend_ordinary",)


def test_the_definition_records_its_parameters_and_cites_the_rules():
    assert (P.code, P.category, P.profile) == ("judicial_case", "judicial", "CPL-2023")
    assert dict(P.parameters) == {
        "exclude_suspension": True,
        "extensions_count_as_in_limit": True,
        "roll": "rest_days",
    }
    for clock in P.clocks:
        assert clock.citation.startswith("《中华人民共和国民事诉讼法》第"), clock.code
        assert "第二百四十三条" in clock.citation, clock.code
    for transition in P.transitions:
        assert transition.citation.startswith(("《中华人民共和国民事诉讼法》第", "《最高人民法院关于适用")), (
            transition.action
        )


def test_counts_from_must_name_a_defined_action():
    with pytest.raises(DefinitionError, match="refers to unknown action 'ghost'"):
        Procedure(
            "t",
            "t",
            "小",
            "test",
            (State("new", "新"), State("open", "开")),
            (Transition("start", ("new",), "open", ("partner",)),),
            "new",
            clocks=(ClockDef("c", "时", ("start",), (), Limit(days=5), "某法第一条", counts_from=("ghost",)),),
        )
