"""Exceptions raised by :mod:`huhang.procedures`.

Every error carries an English message (``str(error)``), a Chinese ``message_zh`` and a stable ``code``
that an API layer can return as-is. When :func:`~huhang.procedures.apply` raises, the history it was given
is unchanged (it is an immutable tuple, and no new history is returned).
"""

from __future__ import annotations

from collections.abc import Iterable


class ProcedureError(ValueError):
    """Base class of every error raised by :mod:`huhang.procedures`."""

    code = "procedure_error"

    def __init__(self, message: str, message_zh: str = "") -> None:
        self.message = message
        self.message_zh = message_zh or message
        super().__init__(message)


class UnknownProcedure(ProcedureError):
    """No procedure is registered under the code asked for; ``known`` lists the registered codes."""

    code = "unknown_procedure"

    def __init__(self, procedure_code: object, known: Iterable[str]) -> None:
        self.procedure_code = procedure_code
        self.known = tuple(known)
        listed = ", ".join(self.known)
        super().__init__(
            f"unknown procedure {procedure_code!r}; registered procedures: {listed}",
            f"没有代码为“{procedure_code}”的程序（已登记的程序：{'、'.join(self.known)}）",
        )


class DefinitionError(ProcedureError):
    """A procedure definition is inconsistent; ``problems`` lists every problem found."""

    code = "invalid_definition"

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        text = "; ".join(self.problems)
        super().__init__(f"invalid procedure definition: {text}", f"程序定义有误：{text}")


class ActionNotAllowed(ProcedureError):
    """The action is unknown, or not allowed in the case's current state or circumstances."""

    code = "action_not_allowed"


class RoleNotAllowed(ProcedureError):
    """The actor's role may not take this action."""

    code = "role_not_allowed"


class WrongApprover(RoleNotAllowed):
    """An extension was approved by a role other than the one the rule names."""

    code = "wrong_approver"


class RequirementNotMet(ActionNotAllowed):
    """A step the action requires has not been taken, or a one-time step was already taken."""

    code = "requirement_not_met"


class EventDateError(ProcedureError):
    """The event's date is not acceptable."""

    code = "bad_event_date"


class DateBeforeCaseStart(EventDateError):
    """The event is dated before the case began (the first event)."""

    code = "date_before_case_start"


class DateBeforePreviousEvent(EventDateError):
    """The event is dated before the latest event already recorded."""

    code = "date_before_previous_event"


class ExtensionError(ProcedureError):
    """An extension cannot be granted."""

    code = "extension_refused"


class ExtensionBeyondMaximum(ExtensionError):
    """The extension exceeds its maximum amount, number of grants or cumulative cap."""

    code = "extension_beyond_maximum"


class ExtensionTooLate(ExtensionError):
    """The clock to extend is not running, or its due date has already passed."""

    code = "extension_too_late"


class NoticeTooShort(ProcedureError):
    """A notice is given with less advance time than the rule requires (e.g. hearing notice, Art. 26)."""

    code = "notice_too_short"


class InvalidPayload(ProcedureError):
    """The event's payload is missing a required value or holds a wrong one."""

    code = "invalid_payload"
