"""Administrative mediation of patent disputes 专利纠纷行政调解, under the 2025 办法, and 司法确认 of the agreement.

Sources (LEGAL.md §2): 《专利纠纷行政裁决和调解办法》(国家知识产权局令第81号, in force 2025-02-01) Arts. 63–70,
cited as S1; 《民事诉讼法》(2023) Arts. 205–206 (S4); 民诉法解释 Art. 355(5) (S5); the Hubei pilot rule on
judicial confirmation of IP administrative mediation agreements (S11, news report). Facts LEGAL.md marks
unconfirmed are keyword parameters of :func:`patent_mediation`, and the values chosen are recorded in
``Procedure.parameters``.

The kind of dispute (S1 Art. 63) is given with the request as ``payload["dispute_type"]``; ``"ownership"``
(权属) switches on the Art. 70 time limit and refuses 司法确认 of the outcome (S5 Art. 355(5)).
"""

from __future__ import annotations

from huhang.workdays import RollOver

from .._definition import Clock, Extension, Limit, Procedure, Refusal, State, Transition
from .patent_adjudication import art

ROLES = ("applicant", "handler", "approver", "supervisor", "partner", "admin")

ART_63, ART_65, ART_66, ART_67 = art("六十三"), art("六十五"), art("六十六"), art("六十七")
ART_69, ART_70 = art("六十九"), art("七十")
CPL_205 = "《中华人民共和国民事诉讼法》第二百零五条"
CPL_206 = "《中华人民共和国民事诉讼法》第二百零六条"
SPC_355 = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第三百五十五条第（五）项"
HUBEI_PILOT = "湖北省《关于开展知识产权纠纷行政调解协议司法确认工作的实施办法（试行）》"
#: Cited when a time limit for mediations other than 权属 is set by parameter: no rule found (LEGAL.md §2).
OTHER_LIMIT_CITATION = "（非权属纠纷调解期限：未见规定，待核；依参数 other_time_limit 设定）"

OWNERSHIP = "ownership"
#: S1 Art. 63 kinds of dispute: 权属, 发明人/设计人资格, 职务发明奖励报酬, 公布后授权前使用费, 其他, 侵权赔偿数额.
DISPUTE_TYPES = (OWNERSHIP, "inventorship", "remuneration", "interim_use_fee", "infringement_damages", "other")

# States in which the case is open after 立案.
ACTIVE = ("accepted", "mediating")
OUTCOMES = ("sign_agreement", "revoke", "requester_absent", "respondent_absent")


def patent_mediation(
    *,
    other_time_limit: Limit | None = None,
    roll: RollOver = RollOver.REST_DAYS,
) -> Procedure:
    """Return the S1 (2025) patent-dispute administrative mediation procedure with 司法确认.

    Args:
        other_time_limit: time limit for closing mediations other than 权属 disputes, counted from 立案. S1
            Art. 70 sets 2 months (+1 month) for 权属 only; no general limit was found in S1 or S2 (LEGAL.md §2,
            unconfirmed). Default ``None``: no clock for other mediations.
        roll: whether weekends move the last day of a day/month period (LEGAL.md §7, unconfirmed for
            administrative procedures). Default: holidays and weekends do (CPL Art. 85 practice).
    """
    states = (
        State("new", "未提交", name="not yet filed"),
        State("submitted", "调解请求已提交", name="request submitted"),
        State("served", "已送达请求书及陈述意见通知书", name="request and notice to comment served"),
        State("agreed_to_mediate", "被请求人同意调解", name="respondent agrees to mediate"),
        State("declined", "被请求人不同意或逾期未答复", name="respondent declined or did not answer"),
        State("not_accepted", "不予立案", terminal=True, name="not accepted"),
        State("accepted", "已立案", name="accepted (立案)"),
        State("mediating", "调解中", name="mediating"),
        State("withdrawn", "按撤回请求处理", terminal=True, name="deemed withdrawn"),
        State("revoked", "撤销案件", terminal=True, name="case revoked"),
        State("agreement_signed", "已签订调解协议书", name="mediation agreement signed"),
        State("closed", "调解结案", terminal=True, name="closed by agreement"),
        State("confirmation_applied", "已申请司法确认", name="judicial confirmation applied for"),
        State("confirmation_not_accepted", "法院不予受理司法确认申请", terminal=True, name="court did not accept"),
        State("court_reviewing", "法院已受理司法确认申请", name="court accepted the application"),
        State("confirmed", "调解协议已获司法确认", terminal=True, name="agreement confirmed by the court"),
        State("confirmation_rejected", "法院驳回司法确认申请", terminal=True, name="confirmation rejected"),
    )
    h = ("handler",)
    not_for_ownership = Refusal(
        "dispute_type",
        OWNERSHIP,
        "a mediation agreement on patent ownership (知识产权确权) cannot be judicially confirmed",
        "权属纠纷（知识产权确权）的调解协议，人民法院不予受理司法确认申请",
        SPC_355,
    )
    transitions = (
        Transition(
            "file_request",
            ("new",),
            "submitted",
            ("applicant",),
            "提交调解请求书",
            payload_required=("dispute_type",),
            payload_choices=(("dispute_type", DISPUTE_TYPES),),
            citation=ART_63,
        ),
        Transition(
            "serve_request",
            ("submitted",),
            "served",
            h,
            "送达请求书副本及陈述意见通知书",
            # the request copy goes with the 陈述意见通知书 (Art. 65), not with the adjudication 答辩通知书 that
            # the documents package issues for a ``request_copy_service_record``
            produces=("mediation_request_service_record", "notice_to_comment"),
            citation=ART_65,
        ),
        Transition(
            "respondent_agrees",
            ("served",),
            "agreed_to_mediate",
            h,
            "收到同意调解的意见陈述书",
            citation=ART_65,
        ),
        Transition(
            "respondent_declines",
            ("served",),
            "declined",
            h,
            "被请求人不同意调解或逾期未提交意见陈述书",
            payload_required=("ground",),
            payload_choices=(("ground", ("refused", "no_statement")),),
            citation=ART_66,
        ),
        Transition(
            "accept", ("agreed_to_mediate",), "accepted", h, "立案", produces=("filing_notice",), citation=ART_66
        ),
        Transition(
            "notify_non_acceptance",
            ("declined",),
            "not_accepted",
            h,
            "不予立案并通知请求人",
            produces=("non_acceptance_notice",),
            citation=ART_66,
        ),
        Transition("hold_session", ACTIVE, "mediating", h, "进行调解", produces=("session_record",), citation=ART_67),
        Transition(
            "requester_absent",
            ACTIVE,
            "withdrawn",
            h,
            "请求人无正当理由拒不参加调解或中途退出",
            produces=("withdrawal_record",),
            citation=ART_67,
        ),
        Transition(
            "respondent_absent",
            ACTIVE,
            "revoked",
            h,
            "被请求人无正当理由拒不参加调解或中途退出",
            produces=("revocation_decision",),
            citation=ART_67,
        ),
        Transition(
            "sign_agreement",
            ("mediating",),
            "agreement_signed",
            h,
            "双方签订调解协议书",
            produces=("mediation_agreement",),
            citation=ART_69,
        ),
        Transition(
            "revoke",
            ACTIVE,
            "revoked",
            h,
            "未能达成调解协议，撤销案件",
            produces=("revocation_decision",),
            citation=ART_69,
        ),
        Transition("extend_ownership_limit", ACTIVE, None, ("approver",), "延长权属纠纷调解期限", citation=ART_70),
        Transition("close", ("agreement_signed",), "closed", h, "调解结案", citation=ART_69),
        Transition(
            "apply_judicial_confirmation",
            ("agreement_signed",),
            "confirmation_applied",
            ("applicant",),
            "双方共同申请司法确认",
            produces=("judicial_confirmation_application",),
            citation=CPL_205,
            refused_if=(not_for_ownership,),
        ),
        Transition(
            "court_does_not_accept",
            ("confirmation_applied",),
            "confirmation_not_accepted",
            h,
            "记录法院不予受理",
            produces=("court_non_acceptance_ruling",),
            citation=HUBEI_PILOT,
        ),
        Transition(
            "court_accepts",
            ("confirmation_applied",),
            "court_reviewing",
            h,
            "记录法院受理",
            produces=("court_acceptance_notice",),
            citation=HUBEI_PILOT,
        ),
        Transition(
            "court_confirms",
            ("court_reviewing",),
            "confirmed",
            h,
            "记录法院裁定确认调解协议有效",
            produces=("confirmation_ruling",),
            citation=CPL_206,
        ),
        Transition(
            "court_rejects",
            ("court_reviewing",),
            "confirmation_rejected",
            h,
            "记录法院裁定驳回申请",
            produces=("rejection_ruling",),
            citation=CPL_206,
        ),
    )
    clocks = [
        Clock(
            "service",
            "请求书副本及陈述意见通知书送达期限",
            ("file_request",),
            ("serve_request",),
            Limit(working_days=5),
            ART_65,
            name="service of the request and the notice to comment",
            citation_en="S1 Art. 65",
        ),
        Clock(
            "statement",
            "意见陈述期限",
            ("serve_request",),
            ("respondent_agrees", "respondent_declines"),
            Limit(days=15),
            ART_65,
            name="respondent's statement",
            citation_en="S1 Art. 65",
            obliged="party",
        ),
        Clock(
            "filing",
            "立案期限",
            ("respondent_agrees",),
            ("accept",),
            Limit(working_days=5),
            ART_66,
            name="filing after the respondent agrees",
            citation_en="S1 Art. 66",
        ),
        Clock(
            "non_acceptance_notice",
            "不予立案通知期限",
            ("respondent_declines",),
            ("notify_non_acceptance",),
            Limit(working_days=5),
            ART_66,
            name="notice of non-acceptance",
            citation_en="S1 Art. 66",
        ),
        Clock(
            "ownership_time_limit",
            "权属纠纷调解期限",
            ("accept",),
            OUTCOMES,
            Limit(months=2),
            ART_70,
            name="mediation of an ownership dispute",
            citation_en="S1 Art. 70",
            only_if=(("dispute_type", OWNERSHIP),),
            extensions=(
                Extension(
                    "ownership_1m",
                    "extend_ownership_limit",
                    "approver",
                    Limit(months=1),
                    ART_70,
                    "权属纠纷调解期限延长一个月（部门负责人批准）",
                ),
            ),
        ),
        Clock(
            "judicial_confirmation",
            "司法确认申请期限",
            ("sign_agreement",),
            ("apply_judicial_confirmation", "close"),
            Limit(days=30),
            CPL_205,
            name="joint application for judicial confirmation",
            citation_en="CPL (2023) Art. 205; Hubei pilot rule (S11)",
            unless=(("dispute_type", OWNERSHIP),),
            obliged="party",
        ),
    ]
    if other_time_limit is not None:
        clocks.append(
            Clock(
                "time_limit",
                "调解期限",
                ("accept",),
                OUTCOMES,
                other_time_limit,
                OTHER_LIMIT_CITATION,
                name="mediation of a dispute other than ownership (parameter)",
                citation_en="no rule found (LEGAL.md §2); set by parameter other_time_limit",
                unless=(("dispute_type", OWNERSHIP),),
            )
        )
    return Procedure(
        code="patent_mediation",
        name="Administrative mediation of patent disputes",
        name_zh="专利纠纷行政调解",
        profile="S1-2025",
        states=states,
        transitions=transitions,
        initial_state="new",
        clocks=tuple(clocks),
        roles=ROLES,
        parameters=(
            ("other_time_limit", None if other_time_limit is None else str(other_time_limit)),
            ("roll", roll.value),
        ),
        roll=roll,
        category="mediation",
        acceptance=("accept",),
        mediation=("file_request",),
    )


#: The procedure with the documented defaults.
PATENT_MEDIATION = patent_mediation()
