"""The procedures this platform offers, looked up by code, and how events cross between Django and the engine.

Event particulars are stored as JSON; a particular whose key ends in ``_on`` is a date (ISO text in JSON,
a :class:`datetime.date` for the engine). Keys named ``amount`` or ending in ``_days``/``_months`` are whole
numbers. The same conventions drive the action forms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation

from huhang import procedures as engine
from huhang.procedures import definitions

#: Case-number prefixes by procedure category (文号字号); a deployment overrides them in settings.
DEFAULT_NUMBER_PREFIXES = {
    "adjudication": "武知保裁",
    "mediation": "武知保调",
    "assistance": "武知保援",
    "complaint": "武市监投",
    "penalty": "武市监罚",
    "transfer": "武知保移",
    "notice": "武知保通",
    "judicial": "武知司",
    "": "武知保案",
}


def all_procedures() -> dict[str, engine.Procedure]:
    """Return every procedure definition by code."""
    return dict(definitions.PROCEDURES)


def refusal(error, field: str = "action") -> ValidationError:
    """A refusal of the engine or of the documents package (``message`` / ``message_zh``) as a form error, in
    the active language."""
    text = error.message_zh if translation.get_language() in ("zh-hans", "zh-cn", "zh") else error.message
    return ValidationError({field: text}, code=getattr(error, "code", "refused"))


def procedure_for(code: str) -> engine.Procedure:
    """Return the procedure ``code``; raise ValidationError naming the known codes when there is none."""
    try:
        return definitions.procedure_for(code)
    except engine.ProcedureError as error:
        raise refusal(error, "procedure") from None


def opening_actions(procedure: engine.Procedure, role: str) -> tuple[str, ...]:
    """The actions ``role`` may take to open a case of ``procedure`` (from its initial state)."""
    return tuple(
        t.action
        for t in procedure.transitions
        if procedure.initial_state in t.from_states and role in t.roles and t.to_state not in (None, engine.PREVIOUS)
    )


def action_name_zh(procedure: engine.Procedure, action: str) -> str:
    transitions = procedure.transitions_for(action)
    return (transitions[0].name_zh if transitions else "") or action


def is_date_key(key: str) -> bool:
    return key.endswith("_on")


def is_int_key(key: str) -> bool:
    return key == "amount" or key.endswith("_days") or key.endswith("_months")


def payload_to_engine(payload: Mapping[str, Any]) -> dict[str, Any]:
    """JSON particulars → engine particulars (``*_on`` ISO text → dates)."""
    out = {}
    for key, value in payload.items():
        out[key] = _as_date(value) if is_date_key(key) else value
    return out


def _as_date(value: Any) -> Any:
    """ISO text → a date; anything else (or text that is no date) unchanged."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def payload_to_json(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Engine particulars → JSON (dates → ISO text)."""
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in payload.items()}


def fact_keys(procedure: engine.Procedure, action: str) -> set[str]:
    """Case facts the clocks started by ``action`` look at (alternative limits, conditions)."""
    keys: set[str] = set()
    for clock in procedure.clocks:
        if action in clock.starts_on:
            keys.update(case.key for case in clock.cases)
            keys.update(k for k, _v in clock.only_if)
            keys.update(k for k, _v in clock.unless)
    return keys
