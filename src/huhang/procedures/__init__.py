"""The procedure engine: declarative definitions of case procedures, and replay of a case's events.

Plain Python: this package never imports Django. A :class:`Procedure` declares states, transitions (who may
take them, which documents they produce), excluded periods (中止, 鉴定 …) and statutory clocks; every due date
is computed through :mod:`huhang.workdays`. :func:`apply` validates one new event against the history and
returns the longer history; :func:`replay` returns the case's :class:`CaseStatus`. Format and the patent
adjudication procedure: ``docs/procedures.md``.

Exceptions::

    ProcedureError (ValueError)          .message, .message_zh, .code
    ├── DefinitionError                  a definition is inconsistent (.problems)
    ├── ActionNotAllowed                 unknown action, wrong state, period not open
    │   └── RequirementNotMet            a prerequisite step missing, or a one-time step repeated
    ├── RoleNotAllowed                   the actor's role may not take the action
    │   └── WrongApprover                an extension approved by the wrong role
    ├── EventDateError                   not a date, or ``today`` before the last event
    │   ├── DateBeforeCaseStart
    │   └── DateBeforePreviousEvent
    ├── ExtensionError                   an extension's prerequisite extension is missing
    │   ├── ExtensionBeyondMaximum       too much, too many times, or over the cumulative cap
    │   └── ExtensionTooLate             clock not running, or already past its due date
    ├── NoticeTooShort                   e.g. hearing notice under 3 working days (S1 Art. 26)
    └── InvalidPayload
"""

from ._definition import (
    PREVIOUS,
    Clock,
    ExcludedPeriod,
    Extension,
    Limit,
    LimitCase,
    Notice,
    Procedure,
    Refusal,
    State,
    Transition,
)
from ._engine import (
    CaseStatus,
    ClockStatus,
    Document,
    Event,
    ExcludedSpan,
    GrantedExtension,
    apply,
    replay,
)
from ._errors import (
    ActionNotAllowed,
    DateBeforeCaseStart,
    DateBeforePreviousEvent,
    DefinitionError,
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

__all__ = [
    "PREVIOUS",
    "ActionNotAllowed",
    "CaseStatus",
    "Clock",
    "ClockStatus",
    "DateBeforeCaseStart",
    "DateBeforePreviousEvent",
    "DefinitionError",
    "Document",
    "Event",
    "EventDateError",
    "ExcludedPeriod",
    "ExcludedSpan",
    "Extension",
    "ExtensionBeyondMaximum",
    "ExtensionError",
    "ExtensionTooLate",
    "GrantedExtension",
    "InvalidPayload",
    "Limit",
    "LimitCase",
    "Notice",
    "NoticeTooShort",
    "Procedure",
    "ProcedureError",
    "Refusal",
    "RequirementNotMet",
    "RoleNotAllowed",
    "State",
    "Transition",
    "WrongApprover",
    "apply",
    "replay",
]
