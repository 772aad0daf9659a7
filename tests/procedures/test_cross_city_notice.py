"""Wuhan metropolitan-area cooperation notices 武汉都市圈协作通报: limits are platform settings, on 2026 dates."""

import datetime as dt

import pytest

from huhang.procedures import ActionNotAllowed, Event, InvalidPayload, Limit, RoleNotAllowed, replay
from huhang.procedures.definitions import CROSS_CITY_NOTICE, cross_city_notice
from huhang.workdays import add_working_days, period_end

from .conftest import assert_refused, build

D = dt.date
P = CROSS_CITY_NOTICE
SENT = ("send_notice", D(2026, 2, 12), "handler", {"city": "鄂州", "kind": "clue"})
ACKNOWLEDGED = ("acknowledge", D(2026, 2, 24), "partner")


def status(*steps, procedure=P, **kw):
    return replay(procedure, build(*steps, procedure=procedure), **kw)


def test_acknowledgement_within_3_working_days_platform_setting_across_spring_festival():
    # 02-13, the make-up Saturday 02-14, then 02-15..02-23 off; the third working day is 02-24.
    clock = status(SENT).clock("acknowledgement")
    assert clock.due == add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 24)
    assert clock.citation == "协作通报确认期限：本平台设置，待核（参数 acknowledgement_limit，默认3个工作日）"
    assert "调休" in clock.explanation_zh


def test_feedback_within_30_days_of_acknowledgement():
    clock = status(SENT, ACKNOWLEDGED).clock("feedback")
    assert clock.due == period_end(D(2026, 2, 24), days=30) == D(2026, 3, 26)
    assert "本平台设置，待核" in clock.citation and clock.running


def test_overdue_feedback_is_reported_on_a_later_today():
    clock = status(SENT, ACKNOWLEDGED, today=D(2026, 3, 30)).clock("feedback")
    assert clock.overdue and clock.days_left == -4


def test_full_notice_send_acknowledge_handle_feedback():
    done = status(
        SENT,
        ACKNOWLEDGED,
        ("start_handling", D(2026, 2, 25), "partner"),
        ("feedback", D(2026, 3, 10), "partner", {"result": "已立案查处"}),
    )
    assert done.state == "closed" and done.terminal
    assert [d.kind for d in done.documents] == ["cooperation_notice", "acknowledgement", "feedback_letter"]
    assert not any(c.overdue for c in done.clocks)


def test_withdrawal_by_the_sender_and_return_by_the_receiving_city():
    withdrawn = status(SENT, ("withdraw_notice", D(2026, 2, 13), "handler"))
    assert withdrawn.state == "withdrawn" and withdrawn.clock("acknowledgement").stop_action == "withdraw_notice"
    returned = status(SENT, ACKNOWLEDGED, ("return_notice", D(2026, 2, 26), "partner", {"reason": "非本市管辖"}))
    assert returned.state == "returned" and returned.clock("feedback").stop_action == "return_notice"


def test_limits_and_cities_are_parameters():
    assert dict(P.parameters)["cities"] == ("黄石", "鄂州", "黄冈", "孝感", "咸宁", "仙桃", "天门", "潜江")
    wider = cross_city_notice(cities=("长沙", "南昌"), acknowledgement_limit=Limit(working_days=5))
    clock = status(("send_notice", D(2026, 2, 12), "handler", {"city": "长沙", "kind": "information"}), procedure=wider)
    assert clock.clock("acknowledgement").due == add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)
    assert clock.clock("acknowledgement").citation.endswith("本平台设定为5个工作日")
    assert_refused(
        P,
        (),
        Event("send_notice", D(2026, 2, 12), "handler", {"city": "长沙", "kind": "clue"}),
        InvalidPayload,
        "one of",
        "之一",
    )


@pytest.mark.parametrize(
    ("steps", "event", "error", "en", "zh"),
    [
        ((), Event("acknowledge", D(2026, 2, 13), "handler"), RoleNotAllowed, "'handler'", "承办人无权"),
        ((), Event("feedback", D(2026, 2, 13), "partner", {"result": "x"}), ActionNotAllowed, "not allowed", ""),
        ((ACKNOWLEDGED,), Event("feedback", D(2026, 2, 25), "partner"), InvalidPayload, "'result'", "须载明"),
        ((ACKNOWLEDGED,), Event("withdraw_notice", D(2026, 2, 25), "handler"), ActionNotAllowed, "not allowed", ""),
        ((), Event("return_notice", D(2026, 2, 13), "partner"), InvalidPayload, "'reason'", "须载明"),
        (
            (),
            Event("send_notice", D(2026, 2, 13), "handler", {"city": "鄂州", "kind": "clue"}),
            ActionNotAllowed,
            "",
            "",
        ),
    ],
    ids=[
        "handler acknowledges for the receiving city",
        "feedback before acknowledgement",
        "feedback without result",
        "withdraw after acknowledgement",
        "return without reason",
        "send twice",
    ],
)
def test_refused_transitions(steps, event, error, en, zh):
    assert_refused(P, (SENT, *steps), event, error, en, zh)


def test_every_clock_and_transition_cites_the_platform_setting():
    assert (P.code, P.category) == ("cross_city_notice", "notice")
    for clock in P.clocks:
        assert "本平台设置，待核" in clock.citation, clock.code
    for transition in P.transitions:
        assert transition.citation == "本平台设置，待核", transition.action
