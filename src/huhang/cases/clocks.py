"""Replaying a case through its procedure and keeping the derived columns and :class:`CaseClock` rows current.

Everything here is recomputable from the events: :func:`refresh` after each change to a case, and
:func:`recompute` for many cases at once (after a holiday schedule is loaded), with progress reported.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from huhang import procedures as engine
from huhang.cases.catalogue import payload_to_engine, procedure_for
from huhang.cases.models import Case, CaseClock, CaseEvent
from huhang.schedules.calendar import platform_calendar
from huhang.workdays import Calendar


def engine_events(events: Iterable[CaseEvent]) -> list[engine.Event]:
    return [engine.Event(e.action, e.at, e.actor_role, payload_to_engine(e.payload)) for e in events]


def case_status(
    case: Case,
    *,
    today: dt.date | None = None,
    calendar: Calendar | None = None,
    events: Iterable[CaseEvent] | None = None,
) -> engine.CaseStatus:
    """Replay ``case``'s events and return its status on ``today`` (default: the last event's date).

    ``events``: the case's events in order, when the caller has loaded them already."""
    history = engine_events(case.events.order_by("seq") if events is None else events)
    calendar = calendar or platform_calendar()
    if today is not None and history and today < history[-1].at:
        today = history[-1].at
    return engine.replay(procedure_for(case.procedure), history, today=today, calendar=calendar)


def _derive(case: Case, status: engine.CaseStatus, last_event: dt.date | None) -> None:
    case.state = status.state
    case.is_open = not status.terminal
    case.closed_on = last_event if status.terminal else None
    running = sorted((c for c in status.clocks if c.running), key=lambda c: c.due)
    case.next_due = running[0].due if running else None
    case.next_due_clock = running[0].code if running else ""
    case.provisional = any(c.provisional for c in status.clocks)
    figures = engine.handling(status)
    case.accepted_on = figures.accepted_on
    case.handling_days = figures.handling_days
    case.within_limit = figures.within_limit
    case.mediation_offered = figures.mediation_offered
    case.computed_at = timezone.now()


DERIVED_FIELDS = [
    "state",
    "is_open",
    "closed_on",
    "next_due",
    "next_due_clock",
    "provisional",
    "accepted_on",
    "handling_days",
    "within_limit",
    "mediation_offered",
    "computed_at",
]


def refresh(case: Case, *, calendar: Calendar | None = None) -> engine.CaseStatus:
    """Recompute ``case``'s derived columns and clock rows from its events (inside the caller's transaction)."""
    events = list(case.events.order_by("seq"))
    status = engine.replay(
        procedure_for(case.procedure), engine_events(events), calendar=calendar or platform_calendar()
    )
    _derive(case, status, events[-1].at if events else None)
    _write([case], [_clock_tuple(case.pk, c) for c in status.clocks], [case.pk])
    return status


def affected_by_year(year: int) -> QuerySet:
    """Cases whose dates may change when the holiday schedule of ``year`` is loaded or replaced."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    clocks = CaseClock.objects.filter(Q(provisional=True) | Q(started_on__lte=end, due__gte=start))
    return Case.objects.filter(pk__in=clocks.values("case_id"))


def recompute(
    cases: QuerySet,
    *,
    batch_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
    calendar: Calendar | None = None,
) -> int:
    """Recompute the clocks of every case in ``cases``, ``batch_size`` cases per transaction; return the count.

    ``progress(done, total)`` is called after each batch.
    """
    calendar = calendar or platform_calendar()
    ids = list(cases.order_by("pk").values_list("pk", flat=True))
    total, done = len(ids), 0
    for offset in range(0, total, batch_size):
        chunk = ids[offset : offset + batch_size]
        with transaction.atomic():
            _recompute_chunk(chunk, calendar)
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    return total


def _recompute_chunk(ids: list[int], calendar: Calendar) -> None:
    cases = {c.pk: c for c in Case.objects.filter(pk__in=ids)}
    events: dict[int, list[CaseEvent]] = {pk: [] for pk in ids}
    for event in (
        CaseEvent.objects.filter(case_id__in=ids)
        .order_by("case_id", "seq")
        .only("case_id", "action", "at", "actor_role", "payload")
    ):
        events[event.case_id].append(event)
    rows: list[tuple] = []
    for pk in ids:
        case, history = cases[pk], events[pk]
        status = engine.replay(procedure_for(case.procedure), engine_events(history), calendar=calendar)
        _derive(case, status, history[-1].at if history else None)
        rows.extend(_clock_tuple(pk, c) for c in status.clocks)
    _write(list(cases.values()), rows, ids)


CLOCK_COLUMNS = (
    "case_id", "code", "run", "name_zh", "citation", "obliged", "started_on", "due", "running", "paused",
    "stopped_on", "overdue", "provisional", "assumed_years", "explanation", "explanation_zh",
)  # fmt: skip


def _clock_tuple(case_id: int, c: engine.ClockStatus) -> tuple:
    return (
        case_id, c.code, c.run, c.name_zh, c.citation[:200], c.obliged, c.started_on, c.due, c.running, c.paused,
        c.stopped_on, c.overdue, c.provisional, json.dumps(list(c.assumed_years)), c.explanation, c.explanation_zh,
    )  # fmt: skip


def _write(cases: list[Case], rows: list[tuple], ids: list[int]) -> None:
    """Write the derived columns and clock rows with one ``executemany`` each (``bulk_update`` builds a
    CASE expression per row and field, which costs more than the replay itself)."""
    case_table, clock_table = Case._meta.db_table, CaseClock._meta.db_table
    columns = [Case._meta.get_field(name) for name in DERIVED_FIELDS]
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in columns)
    case_values = [
        [f.get_db_prep_save(getattr(case, f.attname), connection) for f in columns] + [case.pk] for case in cases
    ]
    names = ", ".join(connection.ops.quote_name(name) for name in CLOCK_COLUMNS)
    marks = ", ".join(["%s"] * len(CLOCK_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {case_table} SET {assignments} WHERE id = %s", case_values)  # noqa: S608
        CaseClock.objects.filter(case_id__in=ids).delete()
        cursor.executemany(f"INSERT INTO {clock_table} ({names}) VALUES ({marks})", rows)  # noqa: S608
