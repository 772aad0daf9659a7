"""Patent-infringement administrative adjudication 专利侵权纠纷行政裁决, under the 2025 办法.

Source: 《专利纠纷行政裁决和调解办法》(国家知识产权局令第81号, in force 2025-02-01), cited as S1 in
LEGAL.md §1. Facts LEGAL.md marks unconfirmed are keyword parameters of :func:`patent_adjudication`, and the
values chosen are recorded in ``Procedure.parameters``.
"""

from __future__ import annotations

from huhang.workdays import RollOver

from .._definition import PREVIOUS, Clock, ExcludedPeriod, Extension, Limit, LimitCase, Procedure, State, Transition
from .adjudication_steps import (
    comment_clock,
    forward_answer_clock,
    hearing_steps,
    mediation_steps,
    publication_clock,
    service_clock,
)
from .common import excluded_steps, suspension

RULE = "《专利纠纷行政裁决和调解办法》"
ROLES = ("applicant", "handler", "approver", "supervisor", "partner", "admin", "superior_department")


def art(zh_number: str) -> str:
    """Return the citation of an article of the 办法, e.g. ``art("二十")`` → 《…办法》第二十条."""
    return f"{RULE}第{zh_number}条"


ART_9, ART_16, ART_20, ART_22 = art("九"), art("十六"), art("二十"), art("二十二")
ART_26, ART_28, ART_30, ART_35 = art("二十六"), art("二十八"), art("三十"), art("三十五")
ART_36, ART_37, ART_54, ART_83 = art("三十六"), art("三十七"), art("五十四"), art("八十三")

# States in which the case is open after 立案 and not interrupted.
ACTIVE = ("accepted", "served", "evidence", "hearing_scheduled", "written_review", "heard", "mediating")
CLOSING_ACTIONS = ("decide", "mediation_agreed", "revoke")


def patent_adjudication(
    *,
    restart_filing_clock_on_correction: bool = True,
    roll: RollOver = RollOver.REST_DAYS,
) -> Procedure:
    """Return the S1 (2025) patent-infringement adjudication procedure.

    Args:
        restart_filing_clock_on_correction: S1 Art. 20 counts the 5 working days "from receipt of the
            请求书"; whether a corrected request restarts them is unconfirmed (LEGAL.md §1.1). Default: yes —
            the 补正 notice stops the filing clock and the corrected request starts a new run.
        roll: whether weekends move the last day of a day/month period (LEGAL.md §7, unconfirmed for
            administrative procedures). Default: holidays and weekends do (CPL Art. 85 practice).
    """
    states = (
        State("new", "未提交", name="not yet filed"),
        State("submitted", "请求已提交", name="request submitted"),
        State("awaiting_correction", "补正中", name="awaiting correction"),
        State("rejected", "不予立案", terminal=True, name="not accepted"),
        State("accepted", "已立案", name="accepted (立案)"),
        State("served", "请求书副本已送达", name="request copy served"),
        State("objection_pending", "管辖权异议审查中", name="jurisdiction objection pending"),
        State("evidence", "举证期间", name="evidence"),
        State("hearing_scheduled", "口头审理已通知", name="oral hearing scheduled"),
        State("written_review", "书面审理", name="written hearing"),
        State("heard", "审理终结待裁决", name="heard, awaiting decision"),
        State("mediating", "调解中", name="mediating"),
        State("suspended", "中止", name="suspended"),
        State("decided", "已作出行政裁决", name="decided"),
        State("published", "裁决已公开", terminal=True, name="decision published"),
        State("settled", "调解结案", terminal=True, name="closed by mediation"),
        State("revoked", "撤销案件", terminal=True, name="case revoked"),
    )
    h = ("handler",)
    suspend, resume, suspended = suspension(ACTIVE, h, citation=ART_28, excluded_by=ART_37)
    start_appraisal, end_appraisal, appraisal = excluded_steps(
        "appraisal",
        "检验鉴定",
        name="appraisal",
        start_zh="开始检验鉴定",
        end_zh="检验鉴定结束",
        states=ACTIVE,
        roles=h,
        citation=ART_37,
    )
    start_settlement, end_settlement, settlement = excluded_steps(
        "settlement",
        "和解",
        name="settlement talks",
        start_zh="当事人开始和解",
        end_zh="和解结束",
        states=ACTIVE,
        roles=h,
        citation=ART_37,
    )
    transitions = (
        Transition("file_request", ("new",), "submitted", ("applicant",), "提交请求书"),
        Transition(
            "request_correction",
            ("submitted",),
            "awaiting_correction",
            h,
            "通知补正",
            produces=("correction_notice",),
            once=True,
            payload_required=("period_days",),
            citation=ART_16,
        ),
        Transition("submit_correction", ("awaiting_correction",), "submitted", ("applicant",), "提交补正材料"),
        Transition(
            "reject_uncorrected",
            ("awaiting_correction",),
            "rejected",
            h,
            "逾期未补正不予立案",
            produces=("non_acceptance_notice",),
            citation=ART_16,
        ),
        Transition("extend_filing", ("submitted",), None, ("approver",), "延长立案审查期限", citation=ART_20),
        Transition("accept", ("submitted",), "accepted", h, "立案", produces=("filing_notice",), citation=ART_20),
        Transition(
            "reject", ("submitted",), "rejected", h, "不予立案", produces=("non_acceptance_notice",), citation=ART_20
        ),
        Transition(
            "serve_request_copy",
            ("accepted",),
            "served",
            h,
            "送达请求书副本",
            produces=("request_copy_service_record",),
            citation=ART_22,
        ),
        Transition(
            "raise_jurisdiction_objection", ("served",), "objection_pending", h, "提出管辖权异议", citation=ART_9
        ),
        Transition(
            "decide_jurisdiction_objection",
            ("objection_pending",),
            PREVIOUS,
            h,
            "作出管辖权异议决定",
            produces=("jurisdiction_decision",),
            citation=ART_9,
        ),
        Transition("file_answer", ("served",), None, h, "收到答辩书", once=True, citation=ART_22),
        Transition("extend_answer", ("served",), None, h, "延长答辩期限", citation=ART_22),
        Transition(
            "forward_answer",
            ("served", "evidence"),
            None,
            h,
            "送达答辩书副本",
            requires=("file_answer",),
            once=True,
            produces=("answer_copy_service_record",),
            citation=ART_22,
        ),
        Transition(
            "open_evidence", ("served",), "evidence", h, "通知举证", produces=("evidence_notice",), citation=ART_54
        ),
        *hearing_steps(("evidence",), citation=ART_26),
        *mediation_steps(
            ("evidence", "hearing_scheduled", "written_review", "heard"),
            offer_from=ACTIVE[:-1],
            citation=ART_35,
            agreed_citation=ART_30,
        ),
        Transition(
            "decide", ("heard",), "decided", h, "作出行政裁决", produces=("adjudication_decision",), citation=ART_30
        ),
        Transition("publish", ("decided",), "published", h, "公开裁决", produces=("publication",), citation=ART_83),
        Transition(
            "revoke",
            (*ACTIVE, "objection_pending", "suspended"),
            "revoked",
            h,
            "撤销案件",
            produces=("revocation_decision",),
            payload_required=("ground",),
            citation=ART_36,
        ),
        suspend,
        resume,
        Transition("extend_closing_1m", ACTIVE, None, ("approver",), "延长结案期限一个月", citation=ART_37),
        Transition("extend_closing_2m", ACTIVE, None, ("superior_department",), "延长结案期限两个月", citation=ART_37),
        start_appraisal,
        end_appraisal,
        start_settlement,
        end_settlement,
    )
    periods = (
        suspended,
        ExcludedPeriod(
            "jurisdiction_objection",
            "管辖权异议",
            ("raise_jurisdiction_objection",),
            ("decide_jurisdiction_objection",),
            ART_37,
            "jurisdiction objection",
        ),
        appraisal,
        settlement,
    )
    filing_starts = ("file_request", "submit_correction") if restart_filing_clock_on_correction else ("file_request",)
    filing_stops = ("accept", "reject", "reject_uncorrected")
    if restart_filing_clock_on_correction:
        filing_stops = (*filing_stops, "request_correction")
    clocks = (
        Clock(
            "filing",
            "立案审查期限",
            filing_starts,
            filing_stops,
            Limit(working_days=5),
            ART_20,
            name="decision on filing",
            citation_en="S1 Art. 20",
            extensions=(
                Extension(
                    "filing_extension",
                    "extend_filing",
                    "approver",
                    Limit(working_days=5),
                    ART_20,
                    "立案审查期限延长五个工作日",
                ),
            ),
        ),
        Clock(
            "correction",
            "补正期限",
            ("request_correction",),
            ("submit_correction", "reject_uncorrected"),
            Limit(days=1),
            ART_16,
            name="correction period",
            citation_en="S1 Art. 16",
            limit_key="period_days",
            obliged="party",
        ),
        service_clock(ART_22, "S1 Art. 22", stops_on=("serve_request_copy", "revoke")),
        Clock(
            "answer",
            "答辩期限",
            ("serve_request_copy",),
            ("file_answer", *CLOSING_ACTIONS),
            Limit(days=15),
            ART_22,
            name="answer period",
            citation_en="S1 Art. 22",
            obliged="party",
            cases=(
                LimitCase(
                    "respondent_domicile_in_prc",
                    False,
                    Limit(days=30),
                    "the respondent has no domicile in the PRC",
                    "被请求人在中华人民共和国境内没有住所",
                ),
            ),
            extensions=(
                Extension("answer_extension", "extend_answer", "handler", None, ART_22, "延长答辩期限", max_times=None),
            ),
        ),
        forward_answer_clock(ART_22, "S1 Art. 22", closing=CLOSING_ACTIONS),
        Clock(
            "jurisdiction",
            "管辖权异议决定期限",
            ("raise_jurisdiction_objection",),
            ("decide_jurisdiction_objection", "revoke"),
            Limit(working_days=5),
            ART_9,
            name="decision on a jurisdiction objection",
            citation_en="S1 Art. 9",
        ),
        Clock(
            "evidence",
            "举证期限",
            ("open_evidence",),
            CLOSING_ACTIONS,
            Limit(days=15),
            ART_54,
            name="evidence period",
            citation_en="S1 Art. 54",
            limit_key="period_days",
            limit_is_minimum=True,
            obliged="party",
        ),
        comment_clock(ART_26, "S1 Art. 26; S3", closing=CLOSING_ACTIONS),
        Clock(
            "closing",
            "结案期限",
            ("accept",),
            CLOSING_ACTIONS,
            Limit(months=3),
            ART_37,
            name="closing the case",
            citation_en="S1 Art. 37",
            excludes=("suspension", "jurisdiction_objection", "appraisal", "settlement"),
            extensions=(
                Extension(
                    "closing_1m",
                    "extend_closing_1m",
                    "approver",
                    Limit(months=1),
                    ART_37,
                    "结案期限延长一个月（部门负责人批准）",
                ),
                Extension(
                    "closing_2m",
                    "extend_closing_2m",
                    "superior_department",
                    Limit(months=2),
                    ART_37,
                    "结案期限再延长两个月（上一级部门批准）",
                    requires=("closing_1m",),
                ),
            ),
        ),
        publication_clock(ART_83, "S1 Art. 83"),
    )
    return Procedure(
        code="patent_adjudication",
        name="Patent-infringement administrative adjudication",
        name_zh="专利侵权纠纷行政裁决",
        profile="S1-2025",
        states=states,
        transitions=transitions,
        initial_state="new",
        clocks=clocks,
        periods=periods,
        roles=ROLES,
        parameters=(
            ("restart_filing_clock_on_correction", restart_filing_clock_on_correction),
            ("roll", roll.value),
        ),
        roll=roll,
        category="adjudication",
        acceptance=("accept",),
        mediation=("offer_mediation", "start_mediation"),
    )


#: The procedure with the documented defaults.
PATENT_ADJUDICATION = patent_adjudication()
