"""How long a matter took and whether it kept its limits: the figures the platform's indicators aggregate.

:func:`handling` reads a replayed :class:`CaseStatus` and returns a :class:`Handling`: the date the matter was
accepted (the first of the procedure's ``acceptance`` actions), the closing date, the handling days (natural
days from acceptance to closing less the excluded periods 中止/鉴定/公告 … that fall between them, KPIS.md K5
and K8), whether the authority kept every statutory limit (for court cases: the 审限 of :func:`trial_outcome`, K7), and
whether mediation was offered (the procedure's ``mediation`` actions, K19).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ._engine import CaseStatus
from .definitions.judicial_outcome import trial_outcome


@dataclass(frozen=True)
class Handling:
    """The indicator figures of one matter; every field is ``None`` where it does not apply yet."""

    accepted_on: dt.date | None
    closed_on: dt.date | None
    handling_days: int | None
    excluded_days: int | None
    within_limit: bool | None
    mediation_offered: bool


def handling(status: CaseStatus) -> Handling:
    """Return the indicator figures of the replayed ``status``.

    ``handling_days`` and ``within_limit`` are ``None`` while the matter is open, and for a matter closed
    without having been accepted (refused, not filed). ``within_limit`` of a court case follows
    :func:`trial_outcome` (``None`` where no 审限 applies); of any other matter it is false when one of the
    authority's clocks ran past its due date (the parties' periods do not count).
    """
    procedure = status.procedure
    accepted_on = next((e.at for e in status.history if e.action in procedure.acceptance), None)
    offered = any(e.action in procedure.mediation for e in status.history)
    closed_on = status.history[-1].at if status.terminal and status.history else None
    if closed_on is None or accepted_on is None:
        return Handling(accepted_on, closed_on, None, None, None, offered)
    if procedure.category == "judicial":
        outcome = trial_outcome(status)
        if outcome is None:
            return Handling(accepted_on, closed_on, None, None, None, offered)
        return Handling(
            accepted_on,
            closed_on,
            outcome.elapsed_days - outcome.excluded_days,
            outcome.excluded_days,
            outcome.within_limit,
            offered,
        )
    excluded = _excluded_days(status, accepted_on, closed_on)
    return Handling(
        accepted_on,
        closed_on,
        (closed_on - accepted_on).days - excluded,
        excluded,
        not any(c.overdue for c in status.clocks if c.obliged == "authority"),
        offered,
    )


def _excluded_days(status: CaseStatus, start: dt.date, end: dt.date) -> int:
    """Days between ``start`` and ``end`` covered by an excluded period of any clock, each day counted once."""
    spans = sorted(
        {(max(s.start, start), min(s.end, end)) for c in status.clocks for s in c.excluded if s.end > start}
    )
    days, reach = 0, start
    for lo, hi in spans:
        lo = max(lo, reach)
        if hi > lo:
            days += (hi - lo).days
            reach = hi
    return days
