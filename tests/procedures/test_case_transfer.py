"""Administrative–judicial transfers 行政执法与刑事司法衔接: partner clocks are platform settings, on 2026 dates."""

import datetime as dt

import pytest

from huhang.procedures import ActionNotAllowed, Event, InvalidPayload, Limit, RoleNotAllowed, replay
from huhang.procedures.definitions import CASE_TRANSFER, case_transfer
from huhang.workdays import add_working_days, period_end

from .conftest import assert_refused, build

D = dt.date
P = CASE_TRANSFER
TRANSFERRED = ("transfer", D(2026, 4, 30), "handler", {"partner_kind": "police"})
ACKNOWLEDGED = ("acknowledge", D(2026, 5, 6), "partner")
DISPOSED = ("dispose", D(2026, 5, 20), "partner", {"disposal": "立案侦查"})


def status(*steps, procedure=P, **kw):
    return replay(procedure, build(*steps, procedure=procedure), **kw)


def test_partner_acknowledges_a_transfer_within_3_working_days_platform_setting_skipping_labour_day():
    clock = status(TRANSFERRED).clock("acknowledgement")
    assert clock.due == add_working_days(D(2026, 4, 30), 3) == D(2026, 5, 8)  # 05-01..05-05 holiday
    assert clock.citation == "接收确认期限：本平台设置，待核（参数 acknowledgement_limit，默认3个工作日）"
    assert "本平台设置，待核" in clock.explanation_zh


def test_a_late_acknowledgement_is_overdue():
    late = status(TRANSFERRED, ("acknowledge", D(2026, 5, 11), "partner")).clock("acknowledgement")
    assert late.overdue and late.stopped_on == D(2026, 5, 11)
    waiting = status(TRANSFERRED, today=D(2026, 5, 9)).clock("acknowledgement")
    assert waiting.overdue and waiting.days_left == -1


def test_notice_acknowledgement_within_3_working_days_counting_the_make_up_saturday_10_10():
    clock = status(("notify", D(2026, 9, 30), "handler", {"partner_kind": "court"})).clock("notice_acknowledgement")
    assert clock.due == add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)


def test_feedback_within_30_days_of_acknowledgement_rolled_past_national_day():
    acknowledged = status(
        ("transfer", D(2026, 9, 1), "handler", {"partner_kind": "customs"}), ("acknowledge", D(2026, 9, 4), "partner")
    )
    clock = acknowledged.clock("feedback")
    assert clock.due == period_end(D(2026, 9, 4), days=30) == D(2026, 10, 8)  # 10-04 is in the holiday
    assert "本平台设置，待核" in clock.citation


def test_full_transfer_notify_transfer_acknowledge_dispose_feedback():
    done = status(
        ("notify", D(2026, 4, 27), "handler", {"partner_kind": "police"}),
        ("acknowledge_notice", D(2026, 4, 28), "partner"),
        TRANSFERRED,
        ACKNOWLEDGED,
        DISPOSED,
        ("feedback", D(2026, 5, 25), "partner"),
    )
    assert done.state == "closed" and done.terminal
    assert [c.overdue for c in done.clocks] == [False, False, False]
    assert [d.kind for d in done.documents] == [
        "information_notice",
        "transfer_letter",
        "case_file_list",
        "acknowledgement_receipt",
        "feedback_letter",
    ]


def test_a_notice_may_close_without_transfer_and_a_partner_may_return_a_case():
    closed = status(
        ("notify", D(2026, 4, 27), "handler", {"partner_kind": "procuratorate"}),
        ("close_notice", D(2026, 4, 29), "handler"),
    )
    assert closed.state == "notice_closed" and closed.clock("notice_acknowledgement").stop_action == "close_notice"
    returned = status(TRANSFERRED, ACKNOWLEDGED, ("return_case", D(2026, 5, 12), "partner", {"reason": "不构成犯罪"}))
    assert returned.state == "returned" and returned.clock("feedback").stop_action == "return_case"


def test_limits_are_parameters_recorded_in_the_procedure():
    assert dict(P.parameters) == {
        "acknowledgement_limit": "3 working days",
        "feedback_limit": "30 days",
        "roll": "rest_days",
    }
    slow = case_transfer(acknowledgement_limit=Limit(working_days=5), feedback_limit=Limit(months=2))
    clock = status(TRANSFERRED, procedure=slow).clock("acknowledgement")
    assert clock.due == add_working_days(D(2026, 4, 30), 5) == D(2026, 5, 11)  # Sat 05-09 is a make-up day
    assert clock.citation.endswith("本平台设定为5个工作日")
    feedback = status(TRANSFERRED, ACKNOWLEDGED, procedure=slow).clock("feedback")
    assert feedback.due == period_end(D(2026, 5, 6), months=2) == D(2026, 7, 6)


@pytest.mark.parametrize(
    ("steps", "event", "error", "en", "zh"),
    [
        ((), Event("acknowledge", D(2026, 5, 6), "handler"), RoleNotAllowed, "'handler'", "承办人无权"),
        ((ACKNOWLEDGED,), Event("feedback", D(2026, 5, 7), "partner"), ActionNotAllowed, "not allowed", "对方已接收"),
        ((), Event("dispose", D(2026, 5, 6), "partner", {"disposal": "x"}), ActionNotAllowed, "not allowed", ""),
        ((ACKNOWLEDGED,), Event("dispose", D(2026, 5, 7), "partner"), InvalidPayload, "'disposal'", "须载明"),
        ((), Event("return_case", D(2026, 5, 6), "partner"), InvalidPayload, "'reason'", "须载明"),
        ((ACKNOWLEDGED, DISPOSED), Event("feedback", D(2026, 5, 21), "handler"), RoleNotAllowed, "", "协作单位"),
        ((), Event("transfer", D(2026, 5, 6), "handler", {"partner_kind": "police"}), ActionNotAllowed, "", ""),
    ],
    ids=[
        "handler acknowledges for the partner",
        "feedback before disposal",
        "disposal before acknowledgement",
        "disposal without content",
        "return without reason",
        "handler reports the partner's result",
        "transfer twice",
    ],
)
def test_refused_transitions(steps, event, error, en, zh):
    assert_refused(P, (TRANSFERRED, *steps), event, error, en, zh)


def test_the_partner_kind_is_required_and_checked():
    assert_refused(P, (), Event("transfer", D(2026, 4, 30), "handler"), InvalidPayload, "'partner_kind'", "须载明")
    assert_refused(
        P,
        (),
        Event("notify", D(2026, 4, 30), "partner", {"partner_kind": "police"}),
        RoleNotAllowed,
        "",
        "协作单位无权",
    )
    assert_refused(
        P,
        (),
        Event("notify", D(2026, 4, 30), "handler", {"partner_kind": "army"}),
        InvalidPayload,
        "one of",
        "之一",
    )


def test_every_clock_and_transition_cites_a_rule_or_the_platform_setting():
    assert (P.code, P.category) == ("case_transfer", "transfer")
    for clock in P.clocks:
        assert "本平台设置，待核" in clock.citation, clock.code
    for transition in P.transitions:
        assert "待核" in transition.citation, transition.action
