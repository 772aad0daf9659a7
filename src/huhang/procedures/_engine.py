"""Replaying a case's event history against a procedure definition, and validating new events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from huhang.workdays import Calendar, DueDate, add_months, period_due, working_days_due

from ._definition import PREVIOUS, Clock, Extension, Limit, Procedure, Transition, amount_text, amount_text_zh
from ._errors import (
    ActionNotAllowed,
    DateBeforeCaseStart,
    DateBeforePreviousEvent,
    EventDateError,
    ExtensionBeyondMaximum,
    ExtensionError,
    ExtensionTooLate,
    InvalidPayload,
    NoticeTooShort,
    ProcedureError,
    RequirementNotMet,
    RoleNotAllowed,
    WrongApprover,
)

ROLE_ZH = {
    "applicant": "申请人",
    "handler": "承办人",
    "approver": "部门负责人",
    "supervisor": "监督人员",
    "partner": "协作单位",
    "admin": "管理员",
    "superior_department": "上一级管理专利工作的部门",
    "collective": "机关负责人集体讨论",
    "court_president": "本院院长",
    "higher_court": "上级人民法院",
}


@dataclass(frozen=True)
class Event:
    """One recorded step of a case: ``action`` taken on ``at`` (a date) by someone with ``actor_role``.

    ``payload`` holds the step's particulars (e.g. ``{"amount": 1}`` for an extension, ``{"hearing_on":
    date}`` for a hearing notice); it is copied into a read-only mapping.
    """

    action: str
    at: dt.date
    actor_role: str
    payload: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "payload", MappingProxyType(dict(self.payload)))


@dataclass(frozen=True)
class Document:
    """A document issued by a step (``kind`` as named in the definition's ``produces``)."""

    kind: str
    action: str
    at: dt.date
    event_index: int


@dataclass(frozen=True)
class GrantedExtension:
    code: str
    name_zh: str
    amount: int
    unit: str
    at: dt.date
    approver_role: str
    citation: str


@dataclass(frozen=True)
class ExcludedSpan:
    """A span not counted toward a clock: from ``start`` to ``end`` (``days`` = end − start)."""

    period: str
    name_zh: str
    start: dt.date
    end: dt.date
    still_open: bool
    citation: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True)
class ClockStatus:
    """Where one clock stands on ``today``.

    ``due`` is the last day to act; ``days_left`` counts natural days from ``today`` to ``due`` (negative when
    overdue; ``None`` once stopped). ``overdue`` is true when a running clock's due date has passed, or when it
    stopped after its due date. ``paused`` is true while an excluded period is open (the due date then assumes
    the period ends ``today`` and moves on each day). ``provisional`` marks a date computed over a year whose
    holiday schedule is not loaded (``assumed_years``).
    """

    code: str
    name_zh: str
    citation: str
    obliged: str
    started_on: dt.date
    start_action: str
    limit: Limit
    due: dt.date
    running: bool
    stopped_on: dt.date | None
    stop_action: str | None
    extensions: tuple[GrantedExtension, ...]
    excluded: tuple[ExcludedSpan, ...]
    paused: bool
    days_left: int | None
    overdue: bool
    provisional: bool
    assumed_years: tuple[int, ...]
    explanation: str
    explanation_zh: str
    run: int


@dataclass
class _Run:
    start: dt.date
    start_action: str
    payload: Mapping[str, Any]
    stop: dt.date | None = None
    stop_action: str | None = None
    grants: list[GrantedExtension] = field(default_factory=list)


@dataclass
class _Tracker:
    procedure: Procedure
    state: str
    stack: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    open_periods: dict[str, dt.date] = field(default_factory=dict)
    closed_periods: dict[str, list[tuple[dt.date, dt.date]]] = field(default_factory=dict)
    runs: dict[str, list[_Run]] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    first_at: dict[str, dt.date] = field(default_factory=dict)
    first: dt.date | None = None
    last: dt.date | None = None


@dataclass(frozen=True)
class CaseStatus:
    """The result of :func:`replay`: the case's state, its clocks on ``today`` and the documents issued."""

    procedure: Procedure
    history: tuple[Event, ...]
    state: str
    today: dt.date | None
    clocks: tuple[ClockStatus, ...]
    documents: tuple[Document, ...]
    open_periods: tuple[str, ...]
    _tracker: _Tracker = field(repr=False, compare=False)
    _calendar: Calendar | None = field(repr=False, compare=False)

    @property
    def state_name_zh(self) -> str:
        return self.procedure.state(self.state).name_zh

    @property
    def terminal(self) -> bool:
        return self.procedure.state(self.state).terminal

    def clock(self, code: str) -> ClockStatus | None:
        """Return the status of clock ``code``, or ``None`` if it has not started."""
        return next((c for c in self.clocks if c.code == code), None)

    def allowed_actions(self, role: str) -> tuple[str, ...]:
        """Return the actions ``role`` may take now (state, role, prerequisites and open periods checked)."""
        allowed = []
        for action in self.procedure.actions:
            try:
                _check(self._tracker, Event(action, self.today or dt.date.min, role), None, self._calendar, True)
            except ProcedureError:
                continue
            allowed.append(action)
        return tuple(allowed)


def replay(
    procedure: Procedure,
    history: tuple[Event, ...] | list[Event],
    *,
    today: dt.date | None = None,
    calendar: Calendar | None = None,
) -> CaseStatus:
    """Replay ``history`` (validating every event, as :func:`apply` would) and return the case's status.

    ``today`` is the date clocks are read on (default: the date of the last event); it may not be before the
    last event. Raises the :class:`ProcedureError` subclass of the first invalid event, with its index noted.
    """
    history = tuple(history)
    tracker = _Tracker(procedure, procedure.initial_state)
    for index, event in enumerate(history):
        try:
            _check(tracker, event, index, calendar, False)
        except ProcedureError as error:
            error.event_index = index  # type: ignore[attr-defined]
            raise
        _record(tracker, event, index)
    if today is not None:
        _check_date_type(today, "today")
        if tracker.last is not None and today < tracker.last:
            raise EventDateError(
                f"today ({today}) is before the last recorded event ({tracker.last})",
                f"查询日（{today}）早于最后一条记录的日期（{tracker.last}）",
            )
    as_of = today or tracker.last
    clocks = []
    for clock in procedure.clocks:
        runs = tracker.runs.get(clock.code)
        if runs:
            clocks.append(_status(procedure, tracker, clock, runs[-1], len(runs), as_of, calendar))
    return CaseStatus(
        procedure,
        history,
        tracker.state,
        as_of,
        tuple(clocks),
        tuple(tracker.documents),
        tuple(sorted(tracker.open_periods)),
        tracker,
        calendar,
    )


def apply(
    procedure: Procedure,
    history: tuple[Event, ...] | list[Event],
    event: Event,
    *,
    calendar: Calendar | None = None,
) -> tuple[Event, ...]:
    """Return ``history`` with ``event`` appended, after checking that the event is allowed.

    The input is never changed. Raises :class:`ActionNotAllowed` (unknown action, wrong state, unmet
    prerequisite, period not open), :class:`RoleNotAllowed` / :class:`WrongApprover`,
    :class:`DateBeforeCaseStart` / :class:`DateBeforePreviousEvent`, :class:`ExtensionBeyondMaximum` /
    :class:`ExtensionTooLate`, :class:`NoticeTooShort` or :class:`InvalidPayload`.
    """
    history = tuple(history)
    status = replay(procedure, history, calendar=calendar)
    _check(status._tracker, event, len(history), calendar, False)
    return (*history, event)


# --- validation -------------------------------------------------------------------------------------------


def _check_date_type(value: object, what: str) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise EventDateError(f"{what} must be a date (not a datetime), got {value!r}", f"{what}须为日期，收到{value!r}")


def _role_zh(role: str) -> str:
    return ROLE_ZH.get(role, role)


def _check(t: _Tracker, event: Event, index: int | None, calendar: Calendar | None, structural: bool) -> None:
    p = t.procedure
    if not isinstance(event, Event):
        raise InvalidPayload(f"expected an Event, got {event!r}", f"应为事件（Event），收到{event!r}")
    state = p.state(t.state)
    transitions = p.transitions_for(event.action)
    if not transitions:
        raise ActionNotAllowed(
            f"unknown action {event.action!r} for procedure {p.code}",
            f"程序“{p.name_zh}”中没有“{event.action}”这一步骤",
        )
    transition = next((x for x in transitions if t.state in x.from_states), None)
    name_zh = transitions[0].name_zh or event.action
    if transition is None:
        raise ActionNotAllowed(
            f"action {event.action!r} is not allowed in state {t.state!r} ({state.name_zh})",
            f"案件处于“{state.name_zh}”状态，不能进行“{name_zh}”",
        )
    found = p.extension_for(event.action)
    if found and event.actor_role != found[1].approver_role:
        ext = found[1]
        raise WrongApprover(
            f"extension {ext.code!r} must be approved by {ext.approver_role!r}, not {event.actor_role!r} "
            f"({ext.citation})",
            f"“{ext.name_zh or ext.code}”须由{_role_zh(ext.approver_role)}批准，"
            f"{_role_zh(event.actor_role)}无权批准（{ext.citation}）",
        )
    if event.actor_role not in transition.roles:
        raise RoleNotAllowed(
            f"role {event.actor_role!r} may not take action {event.action!r}; allowed: {', '.join(transition.roles)}",
            f"{_role_zh(event.actor_role)}无权进行“{name_zh}”"
            f"（可进行者：{'、'.join(map(_role_zh, transition.roles))}）",
        )
    for required in transition.requires:
        if not t.counts.get(required):
            req_zh = p.transitions_for(required)[0].name_zh or required
            raise RequirementNotMet(
                f"action {event.action!r} requires {required!r} to have been taken first",
                f"须先进行“{req_zh}”，才能进行“{name_zh}”",
            )
    for refusal in transition.refused_if:
        if refusal.key in t.facts and t.facts[refusal.key] == refusal.equals:
            raise ActionNotAllowed(
                f"action {event.action!r} is not available for this case: {refusal.message} ({refusal.citation})",
                f"本案不能进行“{name_zh}”：{refusal.message_zh}（{refusal.citation}）",
            )
    if transition.once and t.counts.get(event.action):
        raise RequirementNotMet(
            f"action {event.action!r} may be taken only once in a case", f"“{name_zh}”在一个案件中只能进行一次"
        )
    for period in p.periods:
        if event.action in period.opens_on and period.code in t.open_periods:
            raise ActionNotAllowed(
                f"{period.code!r} is already open since {t.open_periods[period.code]}",
                f"“{period.name_zh}”已于{t.open_periods[period.code]}开始，尚未结束",
            )
        if event.action in period.closes_on and period.code not in t.open_periods:
            raise ActionNotAllowed(
                f"action {event.action!r} closes {period.code!r}, which is not open",
                f"“{period.name_zh}”尚未开始，不能进行“{name_zh}”",
            )
    if found:
        _check_extension_structure(t, found[0], found[1], event)
    if structural:
        return
    _check_date_type(event.at, "the event date")
    if t.first is not None and event.at < t.first:
        raise DateBeforeCaseStart(
            f"the event date {event.at} is before the case began ({t.first})",
            f"事件日期{event.at}早于案件开始日期{t.first}",
        )
    if t.last is not None and event.at < t.last:
        raise DateBeforePreviousEvent(
            f"the event date {event.at} is before the previous event ({t.last})",
            f"事件日期{event.at}早于上一事件日期{t.last}",
        )
    for key in transition.payload_required:
        if key not in event.payload:
            raise InvalidPayload(f"action {event.action!r} needs {key!r} in its payload", f"“{name_zh}”须载明“{key}”")
    for key, choices in transition.payload_choices:
        if key in event.payload and event.payload[key] not in choices:
            listed = ", ".join(map(str, choices))
            raise InvalidPayload(
                f"{key!r} of action {event.action!r} must be one of {listed}, got {event.payload[key]!r}",
                f"“{name_zh}”的“{key}”须为{'、'.join(map(str, choices))}之一，收到{event.payload[key]!r}",
            )
    if transition.notice is not None:
        _check_notice(p, transition, event, calendar)
    for clock in p.clocks:
        if event.action in clock.starts_on and clock.limit_key and clock.limit_key in event.payload:
            _check_limit_payload(clock, event.payload[clock.limit_key])
    if found:
        _check_extension_amount(t, found[0], found[1], event, calendar)


def _check_notice(p: Procedure, transition: Transition, event: Event, calendar: Calendar | None) -> None:
    notice = transition.notice
    assert notice is not None
    when = event.payload.get(notice.payload_key)
    if not isinstance(when, dt.date) or isinstance(when, dt.datetime):
        raise InvalidPayload(
            f"{notice.payload_key!r} must be a date, got {when!r}", f"“{notice.payload_key}”须为日期，收到{when!r}"
        )
    earliest = _due(event.at, notice.limit.unit, notice.limit.amount, p, calendar).date
    if when < earliest:
        raise NoticeTooShort(
            f"{notice.payload_key} {when} is less than {notice.limit} after the notice of {event.at}; "
            f"the earliest allowed is {earliest} ({notice.citation})",
            f"通知日期{event.at}至{when}不足{notice.limit.zh}，最早可定于{earliest}（{notice.citation}）",
        )


def _check_limit_payload(clock: Clock, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidPayload(
            f"{clock.limit_key!r} must be a positive whole number of {clock.limit.unit}, got {value!r}",
            f"“{clock.limit_key}”须为正整数（{amount_text_zh(1, clock.limit.unit)[1:]}），收到{value!r}",
        )
    if clock.limit_is_minimum and value < clock.limit.amount:
        raise InvalidPayload(
            f"{clock.name or clock.code} must be at least {clock.limit} ({clock.citation}), got {value}",
            f"{clock.name_zh}不得少于{clock.limit.zh}（{clock.citation}），收到{value}",
        )


def _running_run(t: _Tracker, clock: Clock) -> _Run | None:
    runs = t.runs.get(clock.code)
    return runs[-1] if runs and runs[-1].stop is None else None


def _check_extension_structure(t: _Tracker, clock: Clock, ext: Extension, event: Event) -> None:
    run = _running_run(t, clock)
    if run is None:
        raise ExtensionTooLate(
            f"{clock.name or clock.code} is not running, so it cannot be extended",
            f"{clock.name_zh}未在计算中，不能延长",
        )
    granted = [g for g in run.grants if g.code == ext.code]
    if ext.max_times is not None and len(granted) >= ext.max_times:
        raise ExtensionBeyondMaximum(
            f"extension {ext.code!r} may be granted at most {ext.max_times} time(s) ({ext.citation})",
            f"“{ext.name_zh or ext.code}”至多批准{ext.max_times}次（{ext.citation}）",
        )
    for required in ext.requires:
        if not any(g.code == required for g in run.grants):
            raise ExtensionError(
                f"extension {ext.code!r} may be granted only after {required!r} ({ext.citation})",
                f"须先批准“{_ext_name_zh(clock, required)}”，才能批准“{ext.name_zh or ext.code}”（{ext.citation}）",
            )


def _ext_name_zh(clock: Clock, code: str) -> str:
    return next((e.name_zh or e.code for e in clock.extensions if e.code == code), code)


def _check_extension_amount(t: _Tracker, clock: Clock, ext: Extension, event: Event, calendar: Calendar | None) -> None:
    run = _running_run(t, clock)
    assert run is not None
    unit = clock.limit.unit
    amount = event.payload.get("amount", ext.limit.amount if ext.limit else None)
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
        raise InvalidPayload(
            f"extension {ext.code!r} needs a positive whole 'amount' in {unit}, got {amount!r}",
            f"“{ext.name_zh or ext.code}”须载明延长的{amount_text_zh(1, unit)[1:]}数（amount），收到{amount!r}",
        )
    if ext.limit is not None and amount > ext.limit.amount:
        raise ExtensionBeyondMaximum(
            f"extension {ext.code!r} may add at most {ext.limit}, asked {amount_text(amount, unit)} ({ext.citation})",
            f"“{ext.name_zh or ext.code}”最多延长{ext.limit.zh}，"
            f"申请延长{amount_text_zh(amount, unit)}（{ext.citation}）",
        )
    so_far = sum(g.amount for g in run.grants if g.code == ext.code)
    if ext.max_total is not None and so_far + amount > ext.max_total:
        raise ExtensionBeyondMaximum(
            f"extension {ext.code!r} may add at most {amount_text(ext.max_total, unit)} in all; "
            f"{amount_text(so_far, unit)} already granted ({ext.citation})",
            f"“{ext.name_zh or ext.code}”累计最多延长{amount_text_zh(ext.max_total, unit)}，"
            f"已延长{amount_text_zh(so_far, unit)}（{ext.citation}）",
        )
    computed = _compute(t.procedure, t, clock, run, event.at, calendar)
    if event.at > computed.due:
        raise ExtensionTooLate(
            f"{clock.name or clock.code} was due {computed.due}; an extension on {event.at} comes too late",
            f"{clock.name_zh}已于{computed.due}届满，{event.at}批准延长为时已晚",
        )


# --- recording --------------------------------------------------------------------------------------------


def _record(t: _Tracker, event: Event, index: int) -> None:
    p = t.procedure
    transition = next(x for x in p.transitions_for(event.action) if t.state in x.from_states)
    if t.first is None:
        t.first = event.at
    t.last = event.at
    t.counts[event.action] = t.counts.get(event.action, 0) + 1
    t.first_at.setdefault(event.action, event.at)
    t.facts.update(event.payload)
    for kind in transition.produces:
        t.documents.append(Document(kind, event.action, event.at, index))
    for period in p.periods:
        if event.action in period.closes_on:
            opened = t.open_periods.pop(period.code)
            t.closed_periods.setdefault(period.code, []).append((opened, event.at))
    for period in p.periods:
        if event.action in period.opens_on:
            t.open_periods[period.code] = event.at
    found = p.extension_for(event.action)
    if found:
        clock, ext = found
        run = _running_run(t, clock)
        assert run is not None
        amount = event.payload.get("amount", ext.limit.amount if ext.limit else 0)
        run.grants.append(
            GrantedExtension(ext.code, ext.name_zh, amount, clock.limit.unit, event.at, event.actor_role, ext.citation)
        )
    for clock in p.clocks:
        run = _running_run(t, clock)
        if run is not None and event.action in clock.stops_on:
            run.stop, run.stop_action = event.at, event.action
    for clock in p.clocks:
        if event.action in clock.starts_on and _running_run(t, clock) is None and _facts_hold(t, clock):
            start, start_action = _run_start(t, clock, event)
            t.runs.setdefault(clock.code, []).append(_Run(start, start_action, event.payload))
    if transition.to_state == PREVIOUS:
        t.state = t.stack.pop() if t.stack else p.initial_state
    elif transition.to_state is not None:
        t.stack.append(t.state)
        t.state = transition.to_state


def _run_start(t: _Tracker, clock: Clock, event: Event) -> tuple[dt.date, str]:
    """Date a new run by the first event of ``clock.counts_from`` when there is one, else by ``event``."""
    earlier = [(t.first_at[a], a) for a in clock.counts_from if a in t.first_at]
    return min(earlier) if earlier else (event.at, event.action)


def _facts_hold(t: _Tracker, clock: Clock) -> bool:
    missing = object()
    return all(t.facts.get(k, missing) == v for k, v in clock.only_if) and not any(
        t.facts.get(k, missing) == v for k, v in clock.unless
    )


# --- clocks -----------------------------------------------------------------------------------------------


@dataclass
class _Computed:
    due: dt.date
    limit: Limit
    amount: int
    spans: list[ExcludedSpan]
    ignored: list[ExcludedSpan]
    provisional: bool
    assumed_years: tuple[int, ...]
    detail_en: str
    detail_zh: str
    limit_note: tuple[str, str] | None


def _due(start: dt.date, unit: str, amount: int, p: Procedure, calendar: Calendar | None) -> DueDate:
    if unit == "working_days":
        return working_days_due(start, amount, calendar=calendar, allow_provisional=True)
    return period_due(start, calendar=calendar, roll=p.roll, allow_provisional=True, **{unit: amount})


def _base_limit(clock: Clock, run: _Run) -> tuple[Limit, tuple[str, str] | None]:
    if clock.limit_key and clock.limit_key in run.payload:
        limit = Limit(**{clock.limit.unit: run.payload[clock.limit_key]})
        return limit, (f"the period set in the notice is {limit}", f"通知确定的期限为{limit.zh}")
    for case in clock.cases:
        if run.payload.get(case.key) == case.equals:
            return case.limit, (case.note, case.note_zh)
    return clock.limit, None


def _spans(t: _Tracker, clock: Clock, run: _Run, as_of: dt.date) -> list[ExcludedSpan]:
    end_of_run = run.stop or as_of
    raw: list[ExcludedSpan] = []
    for code in clock.excludes:
        period = next(x for x in t.procedure.periods if x.code == code)
        intervals = [(o, c, False) for o, c in t.closed_periods.get(code, [])]
        if code in t.open_periods:
            intervals.append((t.open_periods[code], as_of, True))
        for opened, closed, still_open in intervals:
            start, end = max(opened, run.start), min(closed, end_of_run)
            if end > start or (still_open and end >= start and run.stop is None):
                raw.append(
                    ExcludedSpan(code, period.name_zh, start, end, still_open and run.stop is None, period.citation)
                )
    raw.sort(key=lambda s: (s.start, s.end))
    merged: list[ExcludedSpan] = []
    for span in raw:  # overlapping periods (e.g. 鉴定 during 中止) are counted once
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = ExcludedSpan(
                f"{last.period}+{span.period}",
                f"{last.name_zh}、{span.name_zh}",
                last.start,
                max(last.end, span.end),
                last.still_open or span.still_open,
                last.citation or span.citation,
            )
        else:
            merged.append(span)
    return merged


def _compute(
    p: Procedure, t: _Tracker, clock: Clock, run: _Run, as_of: dt.date, calendar: Calendar | None
) -> _Computed:
    base, note = _base_limit(clock, run)
    unit = base.unit
    amount = base.amount + sum(g.amount for g in run.grants)
    spans = _spans(t, clock, run, as_of)
    used: list[ExcludedSpan] = []
    ignored: list[ExcludedSpan] = []
    assumed: set[int] = set()
    if unit == "working_days":
        cursor, remaining = run.start, amount
        for span in spans:
            tentative = working_days_due(cursor, remaining, calendar=calendar, allow_provisional=True)
            assumed.update(tentative.assumed_years)
            if span.start >= tentative.date:
                ignored.append(span)
                continue
            consumed = 0
            while True:  # working days counted between the cursor and the start of the span
                step = working_days_due(cursor, consumed + 1, calendar=calendar, allow_provisional=True)
                assumed.update(step.assumed_years)
                if step.date > span.start:
                    break
                consumed += 1
            remaining -= consumed
            cursor = span.end
            used.append(span)
        due = working_days_due(cursor, remaining, calendar=calendar, allow_provisional=True)
    else:
        due = _due(run.start, unit, amount, p, calendar)
        raw_end = run.start + dt.timedelta(days=amount) if unit == "days" else add_months(run.start, amount)
        paused = 0
        for span in spans:
            if span.start > due.date:
                ignored.append(span)
                continue
            paused += span.days
            used.append(span)
            due = (
                period_due(raw_end, days=paused, calendar=calendar, roll=p.roll, allow_provisional=True)
                if paused
                else due
            )
    assumed.update(due.assumed_years)
    years = tuple(sorted(assumed))
    return _Computed(
        due.date, base, amount, used, ignored, bool(years), years, due.explanation, due.explanation_zh, note
    )


def _status(
    p: Procedure, t: _Tracker, clock: Clock, run: _Run, run_number: int, as_of: dt.date, calendar: Calendar | None
) -> ClockStatus:
    c = _compute(p, t, clock, run, as_of, calendar)
    running = run.stop is None
    paused = running and any(s.still_open for s in c.spans)
    if running:
        days_left = (c.due - as_of).days
        overdue = as_of > c.due
    else:
        days_left = None
        overdue = run.stop > c.due
    cite_en = clock.citation_en or clock.citation
    en = [
        f"{clock.name or clock.code} ({clock.name_zh}): {c.limit} from {run.start} ({run.start_action}),"
        f" rule {clock.citation} [{cite_en}].",
    ]
    zh = [f"{clock.name_zh}：依{clock.citation}，自{run.start}（{_step_zh(p, run.start_action)}）起{c.limit.zh}。"]
    if c.limit_note:
        en.append(f"Limit {c.limit}: {c.limit_note[0]}.")
        zh.append(f"适用{c.limit.zh}：{c.limit_note[1]}。")
    for g in run.grants:
        en.append(
            f"Extension {g.code}: +{amount_text(g.amount, g.unit)} granted {g.at}, approved by {g.approver_role}"
            f" ({g.citation})."
        )
        zh.append(
            f"延长（{g.name_zh or g.code}）：{g.at}经{_role_zh(g.approver_role)}批准延长"
            f"{amount_text_zh(g.amount, g.unit)}（{g.citation}）。"
        )
    for s in c.spans:
        until = f"{s.end} (still open; counted to today)" if s.still_open else str(s.end)
        until_zh = f"{s.end}（尚未结束，暂计至今日）" if s.still_open else str(s.end)
        en.append(
            f"Not counted (suspension / excluded period {s.period}, {s.name_zh}): {s.start} to {until},"
            f" {s.days} days ({s.citation})."
        )
        zh.append(f"不计入期限：{s.name_zh}，自{s.start}至{until_zh}，共{s.days}日（{s.citation}）。")
    for s in c.ignored:
        en.append(f"{s.name_zh} from {s.start} began after the due date and does not extend it.")
        zh.append(f"{s.name_zh}于{s.start}开始，已在期限届满之后，不顺延期限。")
    en.append(f"Due {c.due}.")
    zh.append(f"期限届满日：{c.due}。")
    if c.spans:
        if c.limit.unit == "months":
            raw = add_months(run.start, c.amount)
            en.append(f"{c.amount} months in all from {run.start} end {raw} before the excluded days.")
            zh.append(f"自{run.start}起共{c.amount}个月，未计不计入期间时届满于{raw}。")
        en.append(f"The period is pushed by {sum(s.days for s in c.spans)} excluded days.")
        zh.append(f"因不计入期限的期间共{sum(s.days for s in c.spans)}日，期限相应顺延。")
    en.append(c.detail_en)
    zh.append(c.detail_zh)
    if c.provisional and "PROVISIONAL" not in c.detail_en:
        listed = ", ".join(map(str, c.assumed_years))
        en.append(f"PROVISIONAL: no official holiday schedule is loaded for {listed}.")
        zh.append(f"暂定：{'、'.join(map(str, c.assumed_years))}年节假日安排尚未载入。")
    if not running:
        en.append(f"Stopped {run.stop} ({run.stop_action}){' — after the due date' if overdue else ''}.")
        zh.append(f"{run.stop}（{_step_zh(p, run.stop_action)}）停止计算{'，已超过期限' if overdue else ''}。")
    return ClockStatus(
        clock.code,
        clock.name_zh,
        clock.citation,
        clock.obliged,
        run.start,
        run.start_action,
        c.limit,
        c.due,
        running,
        run.stop,
        run.stop_action,
        tuple(run.grants),
        tuple(c.spans),
        paused,
        days_left,
        overdue,
        c.provisional,
        c.assumed_years,
        " ".join(en),
        "".join(zh),
        run_number,
    )


def _step_zh(p: Procedure, action: str | None) -> str:
    if action is None:
        return ""
    transitions = p.transitions_for(action)
    return (transitions[0].name_zh if transitions else "") or action
