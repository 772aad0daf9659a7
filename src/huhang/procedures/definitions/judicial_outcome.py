"""Whether an imported court case closed within its statutory limit 审限 (K7), and how long it took (K8).

The limit that applies is the 审限 clock of the case's last track (ordinary, summary, small claims, appeal)
that the closing step stopped; a summary case converted to the ordinary procedure is judged by the ordinary
limit counted from the original 立案 (民诉法解释 Art. 258).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .._engine import CaseStatus, replay
from .._errors import ProcedureError
from .judicial_case import CLOSING_ACTIONS, TRIAL_CLOCKS


@dataclass(frozen=True)
class TrialOutcome:
    """How a closed court case stands against its 审限.

    ``due`` includes the approved extensions, ``due_without_extensions`` does not (正常审限); both leave out
    the excluded periods. ``within_limit`` compares the closing date with one or the other, as
    ``extensions_count_as_in_limit`` says. ``elapsed_days`` counts natural days from 立案 to closing;
    ``excluded_days`` the days of excluded periods (公告, 鉴定, 和解, 管辖异议, 中止) within them.
    """

    limit_clock: str
    filed_on: dt.date
    closed_on: dt.date
    closing_action: str
    due: dt.date
    due_without_extensions: dt.date
    extended: bool
    extensions_count_as_in_limit: bool
    within_limit: bool
    elapsed_days: int
    excluded_days: int


def trial_outcome(status: CaseStatus, *, extensions_count_as_in_limit: bool | None = None) -> TrialOutcome | None:
    """Return how the replayed ``judicial_case`` ``status`` stands against its 审限.

    Returns ``None`` while the case is open, and for a case no 审限 applies to (foreign-related, CPL Art.
    287). ``extensions_count_as_in_limit`` defaults to the procedure's parameter of that name. Raises
    :class:`ProcedureError` for a status of another procedure.
    """
    procedure = status.procedure
    parameters = dict(procedure.parameters)
    if "extensions_count_as_in_limit" not in parameters:
        raise ProcedureError(
            f"trial_outcome needs the status of a judicial case, got procedure {procedure.code!r}",
            f"审限判断仅适用于法院案件，收到的程序为“{procedure.name_zh}”",
        )
    if extensions_count_as_in_limit is None:
        extensions_count_as_in_limit = bool(parameters["extensions_count_as_in_limit"])
    clock = next((c for c in status.clocks if c.code in TRIAL_CLOCKS and c.stop_action in CLOSING_ACTIONS), None)
    if clock is None or clock.stopped_on is None or clock.stop_action is None:
        return None
    due_plain = clock.due
    if clock.extensions:
        # The same history without the extension steps gives the unextended due date, periods included.
        extension_actions = {e.action for c in procedure.clocks for e in c.extensions}
        plain_history = [e for e in status.history if e.action not in extension_actions]
        plain = replay(procedure, plain_history, today=status.today, calendar=status._calendar)
        plain_clock = plain.clock(clock.code)
        assert plain_clock is not None
        due_plain = plain_clock.due
    limit = clock.due if extensions_count_as_in_limit else due_plain
    return TrialOutcome(
        limit_clock=clock.code,
        filed_on=clock.started_on,
        closed_on=clock.stopped_on,
        closing_action=clock.stop_action,
        due=clock.due,
        due_without_extensions=due_plain,
        extended=bool(clock.extensions),
        extensions_count_as_in_limit=extensions_count_as_in_limit,
        within_limit=clock.stopped_on <= limit,
        elapsed_days=(clock.stopped_on - clock.started_on).days,
        excluded_days=sum(s.days for s in clock.excluded),
    )


def closed_within_limit(status: CaseStatus, *, extensions_count_as_in_limit: bool | None = None) -> bool | None:
    """Return whether the case closed within its 审限; ``None`` while open or when no 审限 applies."""
    outcome = trial_outcome(status, extensions_count_as_in_limit=extensions_count_as_in_limit)
    return None if outcome is None else outcome.within_limit
