"""Steps and clocks the 2025 (S1) and 2015 (S2) patent-adjudication profiles declare alike.

Each builder takes the article its profile cites; the steps, documents and limits are the same in both
办法 (S1 Arts. 22, 26, 30, 35, 83; S2 Arts. 14, 15, 16, 46; LEGAL.md §1.1).
"""

from __future__ import annotations

from .._definition import PREVIOUS, Clock, Limit, Notice, Transition

HANDLER = ("handler",)


def hearing_steps(after: tuple[str, ...], *, citation: str) -> tuple[Transition, ...]:
    """Return the oral-hearing steps (notice ≥ 3 working days before) and the written-hearing steps.

    A written ruling needs the 告知事实理由 + 陈述申辩 step first (S3 case 2-3-1). Both lead to ``heard``.
    """
    h = HANDLER
    return (
        Transition(
            "schedule_oral_hearing",
            after,
            "hearing_scheduled",
            h,
            "通知口头审理",
            produces=("oral_hearing_notice",),
            payload_required=("hearing_on",),
            notice=Notice("hearing_on", Limit(working_days=3), citation),
            citation=citation,
        ),
        Transition(
            "hold_oral_hearing",
            ("hearing_scheduled",),
            "heard",
            h,
            "进行口头审理",
            produces=("hearing_record",),
            citation=citation,
        ),
        Transition(
            "choose_written_hearing",
            after,
            "written_review",
            h,
            "决定书面审理",
            produces=("written_hearing_notice",),
            citation=citation,
        ),
        Transition(
            "notify_facts_for_comment",
            ("written_review",),
            None,
            h,
            "告知事实理由并听取陈述申辩",
            produces=("facts_and_grounds_notice",),
            payload_required=("period_days",),
            citation=citation,
        ),
        Transition(
            "close_written_review",
            ("written_review",),
            "heard",
            h,
            "书面审理终结",
            requires=("notify_facts_for_comment",),
            citation=citation,
        ),
    )


def mediation_steps(
    from_states: tuple[str, ...], *, offer_from: tuple[str, ...], citation: str, agreed_citation: str
) -> tuple[Transition, Transition, Transition, Transition]:
    """Return 征询调解意愿 (recorded whatever the parties answer; the state does not change), 开始调解,
    达成调解协议 (→ ``settled``) and 调解不成 (back to the state before)."""
    h = HANDLER
    return (
        Transition("offer_mediation", offer_from, None, h, "征询调解意愿", citation=citation),
        Transition("start_mediation", from_states, "mediating", h, "开始调解", citation=citation),
        Transition(
            "mediation_agreed",
            ("mediating",),
            "settled",
            h,
            "达成调解协议",
            produces=("mediation_agreement",),
            citation=agreed_citation,
        ),
        Transition("mediation_failed", ("mediating",), PREVIOUS, h, "调解不成", citation=citation),
    )


def service_clock(citation: str, citation_en: str, *, stops_on: tuple[str, ...]) -> Clock:
    """Serve the 请求书副本 on the respondent within 5 working days of 立案."""
    return Clock(
        "service",
        "请求书副本送达期限",
        ("accept",),
        stops_on,
        Limit(working_days=5),
        citation,
        name="service of the request copy",
        citation_en=citation_en,
    )


def forward_answer_clock(citation: str, citation_en: str, *, closing: tuple[str, ...]) -> Clock:
    """Send the answer's copy to the requester within 5 working days of receiving it."""
    return Clock(
        "forward_answer",
        "答辩书副本送达期限",
        ("file_answer",),
        ("forward_answer", *closing),
        Limit(working_days=5),
        citation,
        name="forwarding the answer",
        citation_en=citation_en,
    )


def comment_clock(citation: str, citation_en: str, *, closing: tuple[str, ...]) -> Clock:
    """The period, set in the notice, to comment on the facts and grounds before a written ruling."""
    return Clock(
        "comment",
        "陈述申辩期限",
        ("notify_facts_for_comment",),
        ("close_written_review", *closing),
        Limit(days=1),
        citation,
        name="comment period before a written ruling",
        citation_en=citation_en,
        limit_key="period_days",
        obliged="party",
    )


def publication_clock(citation: str, citation_en: str, **conditions: tuple[tuple[str, object], ...]) -> Clock:
    """Publish the decision within 20 working days; ``conditions`` may give ``only_if`` / ``unless``."""
    return Clock(
        "publication",
        "裁决公开期限",
        ("decide",),
        ("publish",),
        Limit(working_days=20),
        citation,
        name="publication of the decision",
        citation_en=citation_en,
        **conditions,
    )
