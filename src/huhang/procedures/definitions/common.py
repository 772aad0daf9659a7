"""Pieces several procedure definitions declare alike."""

from __future__ import annotations

from .._definition import PREVIOUS, ExcludedPeriod, Limit, Transition

#: Cited for a time limit no rule in LEGAL.md fixes: the value is a platform setting (a factory parameter).
PLATFORM_SETTING = "本平台设置，待核"


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


def excluded_steps(
    code: str,
    name_zh: str,
    *,
    name: str,
    start_zh: str,
    end_zh: str,
    states: tuple[str, ...],
    roles: tuple[str, ...],
    citation: str,
) -> tuple[Transition, Transition, ExcludedPeriod]:
    """Return the steps ``start_<code>`` and ``end_<code>`` (taken in ``states``; the state does not change)
    and the excluded period between them (e.g. 检验鉴定 or 和解, not counted toward the 结案期限)."""
    start, end = f"start_{code}", f"end_{code}"
    return (
        Transition(start, states, None, roles, start_zh, citation=citation),
        Transition(end, states, None, roles, end_zh, citation=citation),
        ExcludedPeriod(code, name_zh, (start,), (end,), citation, name),
    )


def setting_citation(
    what_zh: str, parameter: str, chosen: Limit, default: Limit, rule: str = "", *, confirmed: bool = False
) -> str:
    """Return the citation of a time limit set by a factory parameter.

    ``rule`` names the rule the default comes from, marked "（待核）" unless ``confirmed`` (LEGAL.md ✔); without
    one the limit is a platform setting. A value other than the default is said to be the platform's choice.
    """
    source = (rule if confirmed else f"{rule}（待核）") if rule else PLATFORM_SETTING
    text = f"{what_zh}：{source}（参数 {parameter}，默认{default.zh}）"
    if chosen != default:
        text += f"；本平台设定为{chosen.zh}"
    return text
