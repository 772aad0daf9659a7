"""Market-supervision administrative penalty for counterfeiting 假冒 (普通程序), under the SAMR procedure rules.

Sources (LEGAL.md §3): 《市场监督管理行政处罚程序规定》 Art. 18 (text quoted by a government site, S9); the 90 d /
+30 d / collective-discussion limits and the other step limits from published flowcharts (S10) — their article
numbers are unconfirmed and cited with "（条文序号待核）"; 《行政处罚法》(2021) Arts. 60 and 85 (S7). Which rule
governs 假冒专利 cases at market-supervision bureaus (this one or the 2015 专利行政执法办法) is unconfirmed; only
the SAMR profile is defined. Facts LEGAL.md marks unconfirmed are keyword parameters of
:func:`counterfeiting_penalty`, recorded in ``Procedure.parameters``.
"""

from __future__ import annotations

from huhang.workdays import RollOver

from .._definition import PREVIOUS, Clock, ExcludedPeriod, Extension, Limit, Procedure, State, Transition
from .common import suspension

RULE = "《市场监督管理行政处罚程序规定》"
ROLES = ("handler", "approver", "collective", "supervisor", "admin")
UNCONFIRMED = "（条文序号待核）"


def art(zh_number: str) -> str:
    """Return the citation of an article of the SAMR rules, e.g. ``art("十八")`` → 《…规定》第十八条."""
    return f"{RULE}第{zh_number}条"


ART_18, ART_19 = art("十八"), art("十九")
#: 90 d + 30 d + collective discussion: believed Art. 64, not confirmed (LEGAL.md §3, S10).
ART_DECISION = art("六十四") + UNCONFIRMED
#: Steps seen only in the flowcharts (S10): 告知 → 陈述申辩/听证 5 WD, 审核 10 WD, 中止, 听证.
FLOWCHART = RULE + "（据程序流程图）" + UNCONFIRMED
PENALTY_LAW_60 = "《中华人民共和国行政处罚法》第六十条"
PENALTY_LAW_85 = "《中华人民共和国行政处罚法》第八十五条"

# States in which the case is open after 立案.
ACTIVE = ("investigating", "notified", "under_review")


def counterfeiting_penalty(
    *,
    roll: RollOver = RollOver.REST_DAYS,
) -> Procedure:
    """Return the market-supervision penalty procedure for counterfeiting cases.

    Args:
        roll: whether weekends move the last day of a day period (the 90 d and 30 d; LEGAL.md §7, unconfirmed
            for administrative procedures). Default: holidays and weekends do (CPL Art. 85 practice).
    """
    states = (
        State("new", "未收到线索", name="no clue yet"),
        State("clue_received", "线索核查中", name="verifying the clue"),
        State("not_filed", "不予立案", terminal=True, name="not filed"),
        State("investigating", "已立案调查", name="investigating"),
        State("notified", "已告知拟处罚", name="intended penalty notified"),
        State("hearing", "听证", name="hearing"),
        State("under_review", "法制审核中", name="legal review"),
        State("suspended", "中止", name="suspended"),
        State("decided", "已作出处理决定", name="decided"),
        State("served", "决定书已送达", name="decision served"),
        State("closed", "结案", terminal=True, name="closed"),
    )
    h = ("handler",)
    suspend, resume, suspended = suspension(ACTIVE, h, citation=FLOWCHART, excluded_by=FLOWCHART)
    transitions = (
        Transition(
            "receive_clue",
            ("new",),
            "clue_received",
            h,
            "发现线索或收到材料",
            payload_required=("source",),
            payload_choices=(("source", ("discovered", "complaint", "report", "transfer", "assignment")),),
            citation=ART_18,
        ),
        Transition("extend_verification", ("clue_received",), None, ("approver",), "延长核查期限", citation=ART_18),
        Transition(
            "start_inspection",
            ("clue_received", *ACTIVE),
            None,
            h,
            "开始检测检验检疫鉴定或权利人辨认鉴别",
            citation=ART_18,
        ),
        Transition(
            "end_inspection",
            ("clue_received", *ACTIVE),
            None,
            h,
            "检测检验检疫鉴定或权利人辨认鉴别结束",
            citation=ART_18,
        ),
        Transition(
            "file_case",
            ("clue_received",),
            "investigating",
            h,
            "立案",
            produces=("filing_approval_form",),
            citation=ART_19,
        ),
        Transition(
            "decline_case",
            ("clue_received",),
            "not_filed",
            h,
            "不予立案",
            produces=("non_filing_record",),
            citation=ART_18,
        ),
        Transition(
            "notify_intended_penalty",
            ("investigating",),
            "notified",
            h,
            "告知拟作出的行政处罚",
            produces=("penalty_notice",),
            citation=FLOWCHART,
        ),
        Transition("receive_statement", ("notified",), None, h, "收到陈述申辩", once=True, citation=FLOWCHART),
        Transition(
            "receive_hearing_request",
            ("notified",),
            "hearing",
            h,
            "收到听证申请",
            once=True,
            produces=("hearing_notice",),
            citation=FLOWCHART,
        ),
        Transition(
            "close_hearing", ("hearing",), PREVIOUS, h, "听证结束", produces=("hearing_report",), citation=FLOWCHART
        ),
        Transition("submit_for_review", ("notified",), "under_review", h, "提交法制审核", citation=FLOWCHART),
        Transition(
            "complete_review",
            ("under_review",),
            None,
            h,
            "审核完毕",
            once=True,
            produces=("review_opinion",),
            citation=FLOWCHART,
        ),
        Transition(
            "decide",
            ("under_review",),
            "decided",
            h,
            "作出处理决定",
            requires=("complete_review",),
            produces=("penalty_decision",),
            citation=ART_DECISION,
        ),
        Transition(
            "serve_decision",
            ("decided",),
            "served",
            h,
            "送达处理决定书",
            produces=("decision_service_record",),
            citation=FLOWCHART,
        ),
        Transition("close_case", ("served",), "closed", h, "结案", produces=("closing_report",), citation=FLOWCHART),
        suspend,
        resume,
        Transition("extend_decision_30d", ACTIVE, None, ("approver",), "延长办案期限三十日", citation=ART_DECISION),
        Transition(
            "extend_decision_collective",
            ACTIVE,
            None,
            ("collective",),
            "经集体讨论决定延长办案期限",
            payload_required=("amount",),
            citation=ART_DECISION,
        ),
    )
    periods = (
        ExcludedPeriod(
            "inspection",
            "检测、检验、检疫、鉴定、权利人辨认或者鉴别",
            ("start_inspection",),
            ("end_inspection",),
            ART_18,
            "testing, inspection, quarantine, appraisal, identification by the right-holder",
        ),
        suspended,
        ExcludedPeriod("hearing", "听证", ("receive_hearing_request",), ("close_hearing",), FLOWCHART, "hearing"),
    )
    clocks = (
        Clock(
            "verification",
            "核查决定立案期限",
            ("receive_clue",),
            ("file_case", "decline_case"),
            Limit(working_days=15),
            ART_18,
            name="verifying the clue and deciding on 立案",
            citation_en="SAMR penalty procedure rules Art. 18 (S9)",
            excludes=("inspection",),
            extensions=(
                Extension(
                    "verification_15wd",
                    "extend_verification",
                    "approver",
                    Limit(working_days=15),
                    ART_18,
                    "核查期限延长十五个工作日（负责人批准）",
                ),
            ),
        ),
        Clock(
            "response",
            "陈述申辩及听证申请期限",
            ("notify_intended_penalty",),
            ("receive_statement", "receive_hearing_request", "submit_for_review"),
            Limit(working_days=5),
            f"{FLOWCHART}；{PENALTY_LAW_85}",
            name="statement or hearing request after the notice",
            citation_en="S10 flowcharts (article unconfirmed); Administrative Penalty Law Art. 85 (5 days = WD)",
            obliged="party",
        ),
        Clock(
            "review",
            "法制审核期限",
            ("submit_for_review",),
            ("complete_review",),
            Limit(working_days=10),
            FLOWCHART,
            name="legal review",
            citation_en="S10 flowcharts (article unconfirmed)",
        ),
        Clock(
            "decision",
            "办案期限",
            ("file_case",),
            ("decide",),
            Limit(days=90),
            f"{ART_DECISION}；{PENALTY_LAW_60}",
            name="deciding the case",
            citation_en="SAMR rules Art. 64? (article number unconfirmed; S10); Administrative Penalty Law Art. 60",
            excludes=("suspension", "hearing", "inspection"),
            extensions=(
                Extension(
                    "decision_30d",
                    "extend_decision_30d",
                    "approver",
                    Limit(days=30),
                    ART_DECISION,
                    "办案期限延长三十日（负责人批准）",
                ),
                Extension(
                    "decision_collective",
                    "extend_decision_collective",
                    "collective",
                    None,
                    ART_DECISION,
                    "经负责人集体讨论延长办案期限",
                    max_times=None,
                    requires=("decision_30d",),
                ),
            ),
        ),
    )
    return Procedure(
        code="counterfeiting_penalty",
        name="Market-supervision penalty for counterfeiting",
        name_zh="假冒案件行政处罚（市场监督管理）",
        profile="SAMR-penalty",
        states=states,
        transitions=transitions,
        initial_state="new",
        clocks=clocks,
        periods=periods,
        roles=ROLES,
        parameters=(("roll", roll.value),),
        roll=roll,
        category="penalty",
        acceptance=("file_case",),
    )


#: The procedure with the documented defaults.
COUNTERFEITING_PENALTY = counterfeiting_penalty()
