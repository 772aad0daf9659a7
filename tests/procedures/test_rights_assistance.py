"""Rights-protection assistance 维权援助: limits are platform settings (LEGAL.md §5 unconfirmed), on 2026 dates."""

import datetime as dt

import pytest

from huhang.procedures import (
    ActionNotAllowed,
    DefinitionError,
    Event,
    ExtensionBeyondMaximum,
    InvalidPayload,
    Limit,
    RoleNotAllowed,
    WrongApprover,
    replay,
)
from huhang.procedures.definitions import RIGHTS_ASSISTANCE, rights_assistance
from huhang.workdays import add_working_days

from .conftest import assert_refused, build

D = dt.date
P = RIGHTS_ASSISTANCE
APPLIED = ("apply", D(2026, 2, 11), "applicant", {"ip_type": "trademark"})
ACCEPTED = ("accept", D(2026, 2, 13), "handler")
CONSULTED = ("provide_consultation", D(2026, 2, 24), "handler")
WITH_EXTENSION = rights_assistance(closing_extension=Limit(working_days=10))


def status(*steps, procedure=P):
    return replay(procedure, build(*steps, procedure=procedure))


def test_acceptance_within_5_working_days_platform_setting_skipping_spring_festival():
    # 2026-02-14 (Sat) is a make-up working day; 02-15..02-23 is the Spring Festival holiday.
    clock = status(APPLIED).clock("acceptance")
    assert clock.due == add_working_days(D(2026, 2, 11), 5) == D(2026, 2, 25)
    assert clock.citation == "维权援助受理期限：本平台设置，待核（参数 acceptance_limit，默认5个工作日）"
    assert "本平台设置，待核" in clock.explanation_zh and "platform setting" in clock.explanation


def test_closing_within_30_working_days_of_acceptance_platform_setting_skipping_qingming():
    clock = status(APPLIED, ACCEPTED).clock("closing")
    assert clock.due == add_working_days(D(2026, 2, 13), 30) == D(2026, 4, 2)
    assert "本平台设置，待核" in clock.citation


def test_limits_are_parameters_recorded_in_the_procedure_and_named_in_the_citation():
    assert dict(P.parameters) == {
        "acceptance_limit": "5 working days",
        "closing_limit": "30 working days",
        "closing_extension": None,
        "roll": "rest_days",
    }
    quick = rights_assistance(acceptance_limit=Limit(working_days=3), closing_limit=Limit(days=30))
    status_ = status(APPLIED, ACCEPTED, procedure=quick)
    assert status_.clock("acceptance").due == add_working_days(D(2026, 2, 11), 3) == D(2026, 2, 14)
    assert status_.clock("acceptance").citation.endswith("本平台设定为3个工作日")
    assert status_.clock("closing").due == D(2026, 3, 16)  # 03-15 Sun → Mon
    assert dict(quick.parameters)["closing_limit"] == "30 days"


def test_no_extension_unless_the_parameter_sets_one():
    assert "extend_closing" not in P.actions
    assert_refused(
        P, (APPLIED, ACCEPTED), Event("extend_closing", D(2026, 3, 2), "approver"), ActionNotAllowed, "unknown", "没有"
    )


def test_the_closing_extension_parameter_is_approved_by_the_department_head():
    clock = status(APPLIED, ACCEPTED, ("extend_closing", D(2026, 3, 2), "approver"), procedure=WITH_EXTENSION).clock(
        "closing"
    )
    assert clock.due == add_working_days(D(2026, 2, 13), 40) == D(2026, 4, 17)
    assert clock.extensions[0].citation.startswith("维权援助办理期限延长：本平台设置，待核")


@pytest.mark.parametrize(
    ("steps", "event", "error", "en", "zh"),
    [
        ((), Event("extend_closing", D(2026, 3, 2), "handler"), WrongApprover, "'approver'", "须由部门负责人批准"),
        (
            (),
            Event("extend_closing", D(2026, 3, 2), "approver", {"amount": 15}),
            ExtensionBeyondMaximum,
            "at most 10 working days",
            "最多延长10个工作日",
        ),
        (
            (("extend_closing", D(2026, 3, 2), "approver"),),
            Event("extend_closing", D(2026, 3, 3), "approver"),
            ExtensionBeyondMaximum,
            "at most 1 time",
            "至多批准1次",
        ),
    ],
    ids=["handler approves", "beyond the set extension", "second extension"],
)
def test_extension_refusals(steps, event, error, en, zh):
    assert_refused(WITH_EXTENSION, (APPLIED, ACCEPTED, *steps), event, error, en, zh)


def test_an_extension_in_another_unit_than_the_closing_limit_is_a_definition_error():
    with pytest.raises(DefinitionError, match="is in days, the clock in working_days"):
        rights_assistance(closing_extension=Limit(days=10))


def test_full_assistance_from_application_to_closing_with_every_measure():
    done = status(
        APPLIED,
        ACCEPTED,
        CONSULTED,
        ("provide_expert_opinion", D(2026, 3, 2), "handler"),
        ("help_with_evidence", D(2026, 3, 5), "handler"),
        ("refer", D(2026, 3, 10), "handler", {"to": "mediation"}),
        ("close", D(2026, 3, 20), "handler", {"outcome": "referred"}),
    )
    assert done.state == "closed" and done.terminal
    assert [d.kind for d in done.documents] == [
        "assistance_application",
        "acceptance_notice",
        "consultation_record",
        "expert_opinion",
        "evidence_assistance_record",
        "referral_letter",
        "closing_report",
    ]
    assert done.clock("closing").running is False and not done.clock("closing").overdue


def test_refusal_and_withdrawal_end_the_matter():
    refused = status(APPLIED, ("refuse", D(2026, 2, 12), "handler", {"ground": "不属于本中心服务范围"}))
    assert refused.state == "refused" and refused.clock("acceptance").stop_action == "refuse"
    withdrawn = status(APPLIED, ACCEPTED, ("withdraw", D(2026, 2, 20), "applicant"))
    assert withdrawn.state == "withdrawn" and withdrawn.clock("closing").stop_action == "withdraw"


@pytest.mark.parametrize(
    ("steps", "event", "error", "en", "zh"),
    [
        ((), Event("accept", D(2026, 2, 12), "applicant"), RoleNotAllowed, "'applicant'", "申请人无权"),
        ((), Event("refuse", D(2026, 2, 12), "handler"), InvalidPayload, "'ground'", "须载明"),
        (
            (ACCEPTED,),
            Event("close", D(2026, 2, 20), "handler", {"outcome": "resolved"}),
            ActionNotAllowed,
            "",
            "已受理",
        ),
        ((ACCEPTED,), Event("refer", D(2026, 2, 20), "handler"), InvalidPayload, "'to'", "须载明"),
        ((ACCEPTED,), Event("refer", D(2026, 2, 20), "handler", {"to": "moon"}), InvalidPayload, "one of", "之一"),
        ((ACCEPTED, CONSULTED), Event("close", D(2026, 3, 2), "handler"), InvalidPayload, "'outcome'", "须载明"),
        ((ACCEPTED,), Event("withdraw", D(2026, 2, 20), "handler"), RoleNotAllowed, "'handler'", "承办人无权"),
        ((), Event("provide_consultation", D(2026, 2, 12), "handler"), ActionNotAllowed, "not allowed", "不能进行"),
    ],
    ids=[
        "applicant accepts",
        "refusal without ground",
        "close before any measure",
        "referral without target",
        "referral to an unknown body",
        "close without outcome",
        "handler withdraws",
        "measure before acceptance",
    ],
)
def test_refused_transitions(steps, event, error, en, zh):
    assert_refused(P, (APPLIED, *steps), event, error, en, zh)


def test_an_unknown_ip_type_is_refused():
    assert_refused(
        P, (), Event("apply", D(2026, 2, 11), "applicant", {"ip_type": "recipe"}), InvalidPayload, "one of", "之一"
    )


def test_every_clock_and_transition_cites_the_platform_setting():
    assert (P.code, P.category) == ("rights_assistance", "assistance")
    for clock in (*P.clocks, *WITH_EXTENSION.clocks):
        assert "本平台设置，待核" in clock.citation, clock.code
    for transition in WITH_EXTENSION.transitions:
        assert transition.citation == "本平台设置，待核", transition.action
