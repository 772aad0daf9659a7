"""Bad input is refused with a specific error (EN + ZH) and the history is left unchanged."""

import datetime as dt

import pytest

from huhang.procedures import (
    ActionNotAllowed,
    DateBeforeCaseStart,
    DateBeforePreviousEvent,
    Event,
    ExtensionBeyondMaximum,
    ExtensionError,
    ExtensionTooLate,
    InvalidPayload,
    NoticeTooShort,
    ProcedureError,
    RequirementNotMet,
    RoleNotAllowed,
    WrongApprover,
    apply,
    replay,
)
from huhang.procedures.definitions import PATENT_ADJUDICATION as P

from .conftest import ACCEPTED, FILED, SERVED, build

D = dt.date
EXT_1M = ("extend_closing_1m", D(2026, 12, 1), "approver")
EXT_2M = ("extend_closing_2m", D(2027, 1, 20), "superior_department")

# (id, steps before, bad event, error class, text in the English message, text in the Chinese message)
REFUSALS = [
    (
        "wrong state: decide before hearing",
        (FILED, ACCEPTED),
        Event("decide", D(2026, 10, 1), "handler"),
        ActionNotAllowed,
        "not allowed in state 'accepted'",
        "已立案",
    ),
    (
        "unknown action",
        (FILED,),
        Event("teleport", D(2026, 10, 1), "handler"),
        ActionNotAllowed,
        "unknown action",
        "没有",
    ),
    (
        "wrong role: applicant accepts",
        (FILED,),
        Event("accept", D(2026, 9, 22), "applicant"),
        RoleNotAllowed,
        "role 'applicant' may not",
        "申请人无权",
    ),
    (
        "date before the case began",
        (FILED,),
        Event("accept", D(2026, 9, 20), "handler"),
        DateBeforeCaseStart,
        "before the case began",
        "早于案件开始日期",
    ),
    (
        "date before the previous event",
        (FILED, ACCEPTED),
        Event("serve_request_copy", D(2026, 9, 25), "handler"),
        DateBeforePreviousEvent,
        "before the previous event",
        "早于上一事件",
    ),
    (
        "Art. 37: +1 month approved by a handler",
        (FILED, ACCEPTED),
        Event("extend_closing_1m", D(2026, 12, 1), "handler"),
        WrongApprover,
        "must be approved by 'approver'",
        "须由部门负责人批准",
    ),
    (
        "Art. 37: +2 months approved by the department head",
        (FILED, ACCEPTED, EXT_1M),
        Event("extend_closing_2m", D(2026, 12, 2), "approver"),
        WrongApprover,
        "superior_department",
        "上一级管理专利工作的部门",
    ),
    (
        "Art. 37: +2 months before the +1 month",
        (FILED, ACCEPTED),
        Event("extend_closing_2m", D(2026, 12, 1), "superior_department"),
        ExtensionError,
        "only after 'closing_1m'",
        "须先批准",
    ),
    (
        "Art. 37: a second +1 month",
        (FILED, ACCEPTED, EXT_1M),
        Event(*EXT_1M),
        ExtensionBeyondMaximum,
        "at most 1 time",
        "至多批准1次",
    ),
    (
        "Art. 37: a third extension",
        (FILED, ACCEPTED, SERVED, EXT_1M, EXT_2M),
        Event("extend_closing_2m", D(2027, 1, 21), "superior_department"),
        ExtensionBeyondMaximum,
        "at most 1 time",
        "至多批准1次",
    ),
    (
        "Art. 37: +1 month asked as 2 months",
        (FILED, ACCEPTED),
        Event("extend_closing_1m", D(2026, 12, 1), "approver", {"amount": 2}),
        ExtensionBeyondMaximum,
        "at most 1 month",
        "最多延长1个月",
    ),
    (
        "Art. 20: filing extension after the 5 working days ran out",
        (FILED,),
        Event("extend_filing", D(2026, 9, 30), "approver"),
        ExtensionTooLate,
        "too late",
        "为时已晚",
    ),
    (
        "Art. 20: a second filing extension",
        (FILED, ("extend_filing", D(2026, 9, 22), "approver")),
        Event("extend_filing", D(2026, 9, 23), "approver"),
        ExtensionBeyondMaximum,
        "at most 1 time",
        "至多",
    ),
    (
        "Art. 16: the correction notice is one-time",
        (
            FILED,
            ("request_correction", D(2026, 9, 22), "handler", {"period_days": 5}),
            ("submit_correction", D(2026, 9, 24), "applicant"),
        ),
        Event("request_correction", D(2026, 9, 25), "handler", {"period_days": 5}),
        RequirementNotMet,
        "only once",
        "只能进行一次",
    ),
    (
        "Art. 26: oral hearing with under 3 working days' notice",
        (FILED, ACCEPTED, SERVED, ("open_evidence", D(2026, 10, 12), "handler")),
        Event("schedule_oral_hearing", D(2026, 11, 2), "handler", {"hearing_on": D(2026, 11, 4)}),
        NoticeTooShort,
        "earliest allowed is 2026-11-05",
        "不足3个工作日",
    ),
    (
        "S3: written ruling needs the facts-and-grounds notice first",
        (
            FILED,
            ACCEPTED,
            SERVED,
            ("open_evidence", D(2026, 10, 12), "handler"),
            ("choose_written_hearing", D(2026, 10, 30), "handler"),
        ),
        Event("close_written_review", D(2026, 11, 2), "handler"),
        RequirementNotMet,
        "requires",
        "须先进行",
    ),
    (
        "Art. 54: evidence period under 15 days",
        (FILED, ACCEPTED, SERVED),
        Event("open_evidence", D(2026, 10, 12), "handler", {"period_days": 10}),
        InvalidPayload,
        "at least 15 days",
        "不得少于15日",
    ),
    (
        "Art. 28: resume when not suspended",
        (FILED, ACCEPTED),
        Event("resume", D(2026, 10, 1), "handler"),
        ActionNotAllowed,
        "not allowed in state",
        "不能进行“恢复”",
    ),
    (
        "Art. 36: revocation without a ground",
        (FILED, ACCEPTED),
        Event("revoke", D(2026, 10, 1), "handler"),
        InvalidPayload,
        "needs 'ground'",
        "须载明",
    ),
    (
        "end an appraisal that never started",
        (FILED, ACCEPTED),
        Event("end_appraisal", D(2026, 10, 1), "handler"),
        ActionNotAllowed,
        "not open",
        "尚未开始",
    ),
    (
        "a datetime is not a date",
        (FILED,),
        Event("accept", dt.datetime(2026, 9, 22, 9), "handler"),
        ProcedureError,
        "must be a date",
        "须为日期",
    ),
    (
        "terminal state: act after the case is rejected",
        (FILED, ("reject", D(2026, 9, 22), "handler")),
        Event("accept", D(2026, 9, 23), "handler"),
        ActionNotAllowed,
        "not allowed in state 'rejected'",
        "不予立案",
    ),
]


@pytest.mark.parametrize(
    ("steps", "event", "error", "en", "zh"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_bad_input_is_refused_and_nothing_changes(steps, event, error, en, zh):
    history = build(*steps)
    before = replay(P, history)
    snapshot = (history, before.state, before.clocks, before.documents)
    with pytest.raises(error) as info:
        apply(P, history, event)
    assert en in str(info.value), str(info.value)
    assert zh in info.value.message_zh, info.value.message_zh
    assert isinstance(info.value, ProcedureError) and info.value.code
    after = replay(P, history)
    assert (history, after.state, after.clocks, after.documents) == snapshot


def test_apply_returns_a_new_history_and_keeps_the_old_one():
    history = build(FILED)
    longer = apply(P, history, Event("accept", D(2026, 9, 28), "handler"))
    assert len(history) == 1 and len(longer) == 2 and longer[:1] == history


def test_a_tampered_stored_history_is_refused_on_replay_with_the_event_index():
    history = build(FILED, ACCEPTED)
    tampered = (*history, Event("publish", D(2026, 10, 1), "handler"))
    with pytest.raises(ActionNotAllowed) as info:
        replay(P, tampered)
    assert info.value.event_index == 2


def test_today_before_the_last_event_is_refused():
    with pytest.raises(ProcedureError, match="before the last recorded event"):
        replay(P, build(FILED, ACCEPTED), today=D(2026, 9, 1))


def test_event_payload_is_read_only():
    event = Event("suspend", D(2026, 10, 1), "handler", {"reason": "x"})
    with pytest.raises(TypeError):
        event.payload["reason"] = "y"
