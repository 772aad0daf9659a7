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
    ├── InvalidPayload
    ├── UnknownProcedure                 no procedure registered under a code (.known)
    ├── TriageError                      a Matter holds a wrong value (.problems, .problems_zh)
    │   └── TriageRulesError             triage settings: unknown key, wrong type, negative threshold
    └── ServiceError                     送达 refused or not complete (the message cites the rule)
        ├── ServiceRulesError            service settings: unknown key or wrong type (.problems)
        ├── InvalidAttempt               not a Method, not a date, a date the method does not use
        ├── ElectronicWithoutConsent     no recorded consent to e-service (S1 Art. 10)
        ├── ElectronicServiceExcluded    裁决书/调解书 served electronically (S3 第一章§2-四)
        ├── DirectServiceRequired        调解书 served other than in person, e.g. 留置 (S3 第一章§2-四)
        ├── NotYetServed                 the date completing service is missing (e.g. no postal receipt)
        └── DeliveryBeforeSending        delivered_on before sent_on

繁简分流 (:func:`triage`) and 送达 (:func:`service_date`): ``docs/triage-and-service.md``.
"""

from ._definition import (
    CATEGORIES,
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
    ROLE_ZH,
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
    UnknownProcedure,
    WrongApprover,
)
from .handling import Handling, handling
from .service import (
    Attempt,
    DeliveryBeforeSending,
    DirectServiceRequired,
    ElectronicServiceExcluded,
    ElectronicWithoutConsent,
    InvalidAttempt,
    Method,
    NotYetServed,
    ServiceDate,
    ServiceError,
    ServiceRules,
    ServiceRulesError,
    service_date,
)
from .triage import Matter, Reason, TriageError, TriageResult, TriageRules, TriageRulesError, triage

__all__ = [
    "CATEGORIES",
    "PREVIOUS",
    "ROLE_ZH",
    "ActionNotAllowed",
    "Attempt",
    "CaseStatus",
    "Clock",
    "ClockStatus",
    "DateBeforeCaseStart",
    "DateBeforePreviousEvent",
    "DefinitionError",
    "DeliveryBeforeSending",
    "DirectServiceRequired",
    "Document",
    "ElectronicServiceExcluded",
    "ElectronicWithoutConsent",
    "Event",
    "EventDateError",
    "ExcludedPeriod",
    "ExcludedSpan",
    "Extension",
    "ExtensionBeyondMaximum",
    "ExtensionError",
    "ExtensionTooLate",
    "GrantedExtension",
    "Handling",
    "InvalidAttempt",
    "InvalidPayload",
    "Limit",
    "LimitCase",
    "Matter",
    "Method",
    "NotYetServed",
    "Notice",
    "NoticeTooShort",
    "Procedure",
    "ProcedureError",
    "Reason",
    "Refusal",
    "RequirementNotMet",
    "RoleNotAllowed",
    "ServiceDate",
    "ServiceError",
    "ServiceRules",
    "ServiceRulesError",
    "State",
    "Transition",
    "TriageError",
    "TriageResult",
    "TriageRules",
    "TriageRulesError",
    "UnknownProcedure",
    "WrongApprover",
    "apply",
    "handling",
    "replay",
    "service_date",
    "triage",
]
