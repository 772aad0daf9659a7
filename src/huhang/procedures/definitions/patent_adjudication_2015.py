"""Patent-infringement dispute handling 专利侵权纠纷处理 under the 2015 办法: the legacy profile.

Source: 《专利行政执法办法》(局令第60号, amended by 局令第71号, in force 2015-07-01), cited as S2 in LEGAL.md
§1. Whether the 2025 办法 (S1, :mod:`.patent_adjudication`) superseded it is unconfirmed (LEGAL.md §1); this
profile is for cases filed under S2. The 中止 step follows 《专利法实施细则》 Art. 98 (S6): S2's chapter on
infringement disputes (Arts. 10–21) has no suspension article; S2 Art. 21 takes 公告, 鉴定 and 中止 out of the
结案期限. Facts LEGAL.md marks unconfirmed are keyword parameters of :func:`patent_adjudication_2015`, recorded
in ``Procedure.parameters``.

The decision carries ``payload["infringement_found"]``: S2 Art. 46 requires publication (20 working days) only
of a decision that finds infringement and orders it stopped.
"""

from __future__ import annotations

from huhang.workdays import RollOver

from .._definition import Clock, Extension, Limit, Procedure, Refusal, State, Transition
from .adjudication_steps import (
    comment_clock,
    forward_answer_clock,
    hearing_steps,
    mediation_steps,
    publication_clock,
    service_clock,
)
from .common import excluded_steps, suspension

RULE = "《专利行政执法办法》"
ROLES = ("applicant", "handler", "approver", "supervisor", "partner", "admin")


def art(zh_number: str) -> str:
    """Return the citation of an article of the 2015 办法, e.g. ``art("十三")`` → 《专利行政执法办法》第十三条."""
    return f"{RULE}第{zh_number}条"


ART_10, ART_13, ART_14, ART_15 = art("十"), art("十三"), art("十四"), art("十五")
ART_16, ART_19, ART_21, ART_46 = art("十六"), art("十九"), art("二十一"), art("四十六")
IMPLEMENTING_RULES_98 = "《中华人民共和国专利法实施细则》第九十八条"

# States in which the case is open after 立案 and not interrupted.
ACTIVE = ("accepted", "served", "hearing_scheduled", "written_review", "heard", "mediating")
CLOSING_ACTIONS = ("decide", "mediation_agreed", "withdraw")


def patent_adjudication_2015(*, roll: RollOver = RollOver.REST_DAYS) -> Procedure:
    """Return the S2 (2015) patent-infringement dispute procedure (legacy profile).

    Args:
        roll: whether weekends move the last day of a day/month period (LEGAL.md §7, unconfirmed for
            administrative procedures). Default: holidays and weekends do (CPL Art. 85 practice).
    """
    states = (
        State("new", "未提交", name="not yet filed"),
        State("submitted", "请求已提交", name="request submitted"),
        State("rejected", "不予受理", terminal=True, name="not accepted"),
        State("accepted", "已立案", name="accepted (立案)"),
        State("served", "请求书副本已送达", name="request copy served"),
        State("hearing_scheduled", "口头审理已通知", name="oral hearing scheduled"),
        State("written_review", "书面审理", name="written hearing"),
        State("heard", "审理终结待决定", name="heard, awaiting decision"),
        State("mediating", "调解中", name="mediating"),
        State("suspended", "中止", name="suspended"),
        State("decided", "已作出处理决定", name="decided"),
        State("published", "处理决定已公开", terminal=True, name="decision published"),
        State("closed", "结案（无须公开）", terminal=True, name="closed, no publication required"),
        State("settled", "调解结案", terminal=True, name="closed by mediation"),
        State("withdrawn", "撤回请求结案", terminal=True, name="request withdrawn"),
    )
    h = ("handler",)
    suspend, resume, suspended = suspension(ACTIVE, h, citation=IMPLEMENTING_RULES_98, excluded_by=ART_21)
    excluded = {
        code: excluded_steps(
            code, name_zh, name=name, start_zh=start_zh, end_zh=end_zh, states=ACTIVE, roles=h, citation=ART_21
        )
        for code, name_zh, name, start_zh, end_zh in (
            ("announcement", "公告", "public announcement", "开始公告", "公告期满"),
            ("appraisal", "鉴定", "appraisal", "开始鉴定", "鉴定结束"),
        )
    }
    publish_required = Refusal(
        "infringement_found",
        True,
        "a decision finding infringement must be published within 20 working days",
        "认定侵权行为成立的处理决定应当自作出之日起20个工作日内公开",
        ART_46,
    )
    transitions = (
        Transition("file_request", ("new",), "submitted", ("applicant",), "提交请求书", citation=ART_10),
        Transition("accept", ("submitted",), "accepted", h, "立案", produces=("filing_notice",), citation=ART_13),
        Transition(
            "reject", ("submitted",), "rejected", h, "不予受理", produces=("non_acceptance_notice",), citation=ART_13
        ),
        Transition(
            "serve_request_copy",
            ("accepted",),
            "served",
            h,
            "送达请求书副本",
            produces=("request_copy_service_record",),
            citation=ART_14,
        ),
        Transition("file_answer", ("served",), None, h, "收到答辩书", once=True, citation=ART_14),
        Transition(
            "forward_answer",
            ("served", "hearing_scheduled", "written_review"),
            None,
            h,
            "送达答辩书副本",
            requires=("file_answer",),
            once=True,
            produces=("answer_copy_service_record",),
            citation=ART_14,
        ),
        *hearing_steps(("served",), citation=ART_16),
        *mediation_steps(
            ("served", "hearing_scheduled", "written_review", "heard"),
            offer_from=("accepted", "served", "hearing_scheduled", "written_review", "heard"),
            citation=ART_15,
            agreed_citation=ART_15,
        ),
        Transition(
            "decide",
            ("heard",),
            "decided",
            h,
            "作出处理决定",
            produces=("handling_decision",),
            payload_required=("infringement_found",),
            payload_choices=(("infringement_found", (True, False)),),
            citation=ART_19,
        ),
        Transition("publish", ("decided",), "published", h, "公开处理决定", produces=("publication",), citation=ART_46),
        Transition(
            "close_unpublished",
            ("decided",),
            "closed",
            h,
            "结案（认定侵权不成立，无须公开）",
            refused_if=(publish_required,),
            citation=ART_46,
        ),
        Transition(
            "withdraw",
            (*ACTIVE, "suspended"),
            "withdrawn",
            h,
            "请求人撤回请求或按撤回请求处理",
            produces=("withdrawal_record",),
            payload_required=("ground",),
            payload_choices=(("ground", ("withdrawn", "deemed_withdrawn")),),
            citation=f"{ART_19}；{ART_16}",
        ),
        suspend,
        resume,
        Transition("extend_closing", ACTIVE, None, ("approver",), "延长结案期限", citation=ART_21),
        *excluded["announcement"][:2],
        *excluded["appraisal"][:2],
    )
    clocks = (
        Clock(
            "filing",
            "立案期限",
            ("file_request",),
            ("accept", "reject"),
            Limit(working_days=5),
            ART_13,
            name="decision on filing (no extension)",
            citation_en="S2 Art. 13",
        ),
        service_clock(ART_14, "S2 Art. 14", stops_on=("serve_request_copy", "withdraw")),
        Clock(
            "answer",
            "答辩期限",
            ("serve_request_copy",),
            ("file_answer", *CLOSING_ACTIONS),
            Limit(days=15),
            ART_14,
            name="answer period",
            citation_en="S2 Art. 14",
            obliged="party",
        ),
        forward_answer_clock(ART_14, "S2 Art. 14", closing=CLOSING_ACTIONS),
        comment_clock(ART_16, "S2 Art. 16; S3", closing=CLOSING_ACTIONS),
        Clock(
            "closing",
            "结案期限",
            ("accept",),
            CLOSING_ACTIONS,
            Limit(months=3),
            ART_21,
            name="closing the case",
            citation_en="S2 Art. 21",
            excludes=("suspension", "announcement", "appraisal"),
            extensions=(
                Extension(
                    "closing_extension",
                    "extend_closing",
                    "approver",
                    Limit(months=1),
                    ART_21,
                    "结案期限延长（负责人批准，最多一个月）",
                ),
            ),
        ),
        publication_clock(ART_46, "S2 Art. 46", only_if=(("infringement_found", True),)),
    )
    return Procedure(
        code="patent_adjudication_2015",
        name="Patent-infringement dispute handling (2015 rules, legacy)",
        name_zh="专利侵权纠纷处理（2015年办法）",
        profile="S2-2015",
        states=states,
        transitions=transitions,
        initial_state="new",
        clocks=clocks,
        periods=(suspended, excluded["announcement"][2], excluded["appraisal"][2]),
        roles=ROLES,
        parameters=(("roll", roll.value),),
        roll=roll,
        category="adjudication",
        acceptance=("accept",),
        mediation=("offer_mediation", "start_mediation"),
    )


#: The procedure with the documented defaults.
PATENT_ADJUDICATION_2015 = patent_adjudication_2015()
