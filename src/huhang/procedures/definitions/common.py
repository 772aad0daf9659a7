"""Pieces several procedure definitions declare alike."""

from __future__ import annotations

from .._definition import PREVIOUS, ExcludedPeriod, Transition


def suspension(
    active: tuple[str, ...], roles: tuple[str, ...], *, citation: str, excluded_by: str
) -> tuple[Transition, Transition, ExcludedPeriod]:
    """Return 中止 (from any of ``active``, with a reason) and 恢复 (back to the state before), and the
    excluded period between them that ``excluded_by`` (the time-limit rule) takes out of the clocks."""
    return (
        Transition(
            "suspend",
            active,
            "suspended",
            roles,
            "中止",
            produces=("suspension_notice",),
            payload_required=("reason",),
            citation=citation,
        ),
        Transition(
            "resume", ("suspended",), PREVIOUS, roles, "恢复", produces=("resumption_notice",), citation=citation
        ),
        ExcludedPeriod("suspension", "中止", ("suspend",), ("resume",), excluded_by, "suspension"),
    )
