"""Rights-protection assistance 知识产权维权援助: application, acceptance, assistance measures, closing.

No time limit for 维权援助 was found in a primary source (LEGAL.md §5, unconfirmed), so every limit is a keyword
parameter of :func:`rights_assistance`, recorded in ``Procedure.parameters`` and cited as a platform setting
(“本平台设置，待核”). The steps are the platform's: apply → accept or refuse → measures (consultation, expert
opinion, referral to mediation / adjudication / a court / arbitration, help with evidence) → close with an
outcome.
"""

from __future__ import annotations

from huhang.workdays import RollOver

from .._definition import Clock, Extension, Limit, Procedure, State, Transition
from .common import PLATFORM_SETTING, setting_citation

ROLES = ("applicant", "handler", "approver", "supervisor", "admin")

DEFAULT_ACCEPTANCE = Limit(working_days=5)
DEFAULT_CLOSING = Limit(working_days=30)
IP_TYPES = ("patent", "trademark", "copyright", "geographical_indication", "trade_secret", "other")
REFERRAL_TARGETS = ("mediation", "adjudication", "court", "arbitration", "other")
OUTCOMES = ("resolved", "referred", "advised", "not_resolved")

# States in which assistance is under way.
ACTIVE = ("accepted", "assisting")


def rights_assistance(
    *,
    acceptance_limit: Limit = DEFAULT_ACCEPTANCE,
    closing_limit: Limit = DEFAULT_CLOSING,
    closing_extension: Limit | None = None,
    roll: RollOver = RollOver.REST_DAYS,
) -> Procedure:
    """Return the rights-protection assistance procedure.

    Args:
        acceptance_limit: time to decide on acceptance, from the application (default 5 working days;
            unconfirmed, LEGAL.md §5).
        closing_limit: time to close, from acceptance (default 30 working days; unconfirmed).
        closing_extension: one extension of the closing limit approved by the department head (``approver``),
            in the unit of ``closing_limit``; default ``None``: no extension.
        roll: whether weekends move the last day of a day/month period (LEGAL.md §7).
    """
    states = (
        State("new", "未申请", name="no application yet"),
        State("applied", "援助申请已提交", name="application submitted"),
        State("refused", "不予受理", terminal=True, name="not accepted"),
        State("accepted", "已受理", name="accepted"),
        State("assisting", "援助中", name="assistance under way"),
        State("closed", "援助结案", terminal=True, name="closed"),
        State("withdrawn", "申请人撤回", terminal=True, name="withdrawn by the applicant"),
    )
    h = ("handler",)
    cite = PLATFORM_SETTING

    def measure(action: str, name_zh: str, document: str, **kw: object) -> Transition:
        return Transition(action, ACTIVE, "assisting", h, name_zh, produces=(document,), citation=cite, **kw)

    transitions = (
        Transition(
            "apply",
            ("new",),
            "applied",
            ("applicant",),
            "提交维权援助申请",
            produces=("assistance_application",),
            payload_choices=(("ip_type", IP_TYPES),),
            citation=cite,
        ),
        Transition("accept", ("applied",), "accepted", h, "受理", produces=("acceptance_notice",), citation=cite),
        Transition(
            "refuse",
            ("applied",),
            "refused",
            h,
            "不予受理",
            produces=("refusal_notice",),
            payload_required=("ground",),
            citation=cite,
        ),
        measure("provide_consultation", "提供咨询意见", "consultation_record"),
        measure("provide_expert_opinion", "组织专家出具意见", "expert_opinion"),
        measure("help_with_evidence", "协助收集证据", "evidence_assistance_record"),
        measure(
            "refer",
            "引导转介（调解、行政裁决、诉讼、仲裁）",
            "referral_letter",
            payload_required=("to",),
            payload_choices=(("to", REFERRAL_TARGETS),),
        ),
        Transition(
            "close",
            ("assisting",),
            "closed",
            h,
            "援助结案",
            produces=("closing_report",),
            payload_required=("outcome",),
            payload_choices=(("outcome", OUTCOMES),),
            citation=cite,
        ),
        Transition("withdraw", ("applied", *ACTIVE), "withdrawn", ("applicant",), "申请人撤回援助申请", citation=cite),
    )
    extensions: tuple[Extension, ...] = ()
    if closing_extension is not None:
        transitions += (Transition("extend_closing", ACTIVE, None, ("approver",), "延长援助办理期限", citation=cite),)
        extensions = (
            Extension(
                "closing_extension",
                "extend_closing",
                "approver",
                closing_extension,
                setting_citation("维权援助办理期限延长", "closing_extension", closing_extension, closing_extension),
                "援助办理期限延长（部门负责人批准）",
            ),
        )
    clocks = (
        Clock(
            "acceptance",
            "受理审查期限",
            ("apply",),
            ("accept", "refuse", "withdraw"),
            acceptance_limit,
            setting_citation("维权援助受理期限", "acceptance_limit", acceptance_limit, DEFAULT_ACCEPTANCE),
            name="decision on acceptance",
            citation_en="platform setting (no rule found, LEGAL.md §5); parameter acceptance_limit",
        ),
        Clock(
            "closing",
            "援助办理期限",
            ("accept",),
            ("close", "withdraw"),
            closing_limit,
            setting_citation("维权援助办理期限", "closing_limit", closing_limit, DEFAULT_CLOSING),
            name="closing the assistance",
            citation_en="platform setting (no rule found, LEGAL.md §5); parameter closing_limit",
            extensions=extensions,
        ),
    )
    return Procedure(
        code="rights_assistance",
        name="IP rights-protection assistance",
        name_zh="知识产权维权援助",
        profile="platform",
        states=states,
        transitions=transitions,
        initial_state="new",
        clocks=clocks,
        roles=ROLES,
        parameters=(
            ("acceptance_limit", str(acceptance_limit)),
            ("closing_limit", str(closing_limit)),
            ("closing_extension", None if closing_extension is None else str(closing_extension)),
            ("roll", roll.value),
        ),
        roll=roll,
        category="assistance",
        acceptance=("accept",),
    )


#: The procedure with the documented defaults.
RIGHTS_ASSISTANCE = rights_assistance()
