"""Complaints and reports to market supervision 投诉举报处理: receipt, verification, filing decision, reply.

The governing rule is not in LEGAL.md. The task named 《市场监督管理投诉举报处理暂行办法》(总局令第20号, 2019);
secondary sources (public code, unverified) say it was repealed on 2026-04-15 by 《市场监督管理投诉举报处理办法》
(总局令第121号), whose text was not read. So every transition citing it says "（条文序号待核）" and every limit
taken from it is a keyword parameter of :func:`complaint_report` cited "（待核）", with the 2019 values as
defaults (7 working days to accept or refuse a complaint; 5 working days to tell a named reporter the filing
decision). Verification and the filing decision follow 《市场监督管理行政处罚程序规定》 Art. 18 (15 + 15 working
days; LEGAL.md §3 ✔), which counts from receipt of a complaint or report.

``transfer_to_penalty`` is the 立案 decision: it hands the matter to a :mod:`.counterfeiting_penalty` case,
which the platform opens with ``receive_clue`` (``source`` = ``complaint`` / ``report``, dated the receipt)
and ``file_case`` (dated the transfer).
"""

from __future__ import annotations

from huhang.workdays import RollOver

from .._definition import Clock, Extension, Limit, Procedure, Refusal, State, Transition
from .common import excluded_steps, setting_citation
from .counterfeiting_penalty import ART_18, ART_19

RULE = "《市场监督管理投诉举报处理办法》"
RULE_STEP = RULE + "（条文序号待核）"
ROLES = ("handler", "approver", "supervisor", "admin")

DEFAULT_ACCEPTANCE = Limit(working_days=7)
DEFAULT_VERIFICATION = Limit(working_days=15)
DEFAULT_REPLY = Limit(working_days=5)
KINDS = ("complaint", "report")

# States in which the matter is being examined.
OPEN = ("received", "verifying")
DECIDED = ("forwarded", "filed", "not_filed")
FILING_DECISIONS = ("transfer_to_penalty", "not_file", "forward")


def complaint_report(
    *,
    acceptance_limit: Limit = DEFAULT_ACCEPTANCE,
    verification_limit: Limit = DEFAULT_VERIFICATION,
    verification_extension: Limit = DEFAULT_VERIFICATION,
    reply_limit: Limit = DEFAULT_REPLY,
    roll: RollOver = RollOver.REST_DAYS,
) -> Procedure:
    """Return the complaint / report handling procedure of market supervision.

    Args:
        acceptance_limit: time to accept or refuse a complaint, from receipt (default 7 working days, the 2019
            暂行办法 value; unconfirmed).
        verification_limit: time to verify and decide on 立案, from receipt (default 15 working days,
            处罚程序规定 Art. 18).
        verification_extension: the one extension of verification, approved by the head (default 15 working
            days, Art. 18).
        reply_limit: time to tell a named complainant or reporter the decision, from the decision (default 5
            working days, the 2019 暂行办法 value for real-name reports; unconfirmed).
        roll: whether weekends move the last day of a day/month period (LEGAL.md §7).
    """
    states = (
        State("new", "未收到", name="nothing received"),
        State("received", "已收到", name="received"),
        State("declined", "投诉不予受理", terminal=True, name="complaint not accepted"),
        State("verifying", "核查中", name="verifying"),
        State("forwarded", "已移送有处理权限的部门", name="forwarded to the competent authority"),
        State("filed", "已立案（转入行政处罚程序）", name="case filed, handed to the penalty procedure"),
        State("not_filed", "不予立案", name="not filed"),
        State("replied", "已告知处理结果", terminal=True, name="complainant or reporter told"),
        State("closed", "结案（匿名举报无须告知）", terminal=True, name="closed without reply (anonymous)"),
    )
    h = ("handler",)
    start_inspection, end_inspection, inspection = excluded_steps(
        "inspection",
        "检测、检验、检疫、鉴定、权利人辨认或者鉴别",
        name="testing, inspection, quarantine, appraisal, identification by the right-holder",
        start_zh="开始检测检验检疫鉴定或权利人辨认鉴别",
        end_zh="检测检验检疫鉴定或权利人辨认鉴别结束",
        states=OPEN,
        roles=h,
        citation=ART_18,
    )
    reports_are_verified = Refusal(
        "kind",
        "report",
        "a report is not accepted or refused; it is verified and a filing decision is made",
        "举报不作受理或者不予受理决定，应当核查并决定是否立案",
        ART_18,
    )
    named_must_be_told = Refusal(
        "anonymous",
        False,
        "a named complainant or reporter must be told the decision",
        "实名投诉举报的，应当告知投诉人、举报人处理结果",
        RULE_STEP,
    )
    transitions = (
        Transition(
            "receive",
            ("new",),
            "received",
            h,
            "收到投诉举报",
            payload_required=("kind", "anonymous"),
            payload_choices=(("kind", KINDS), ("anonymous", (True, False))),
            citation=RULE_STEP,
        ),
        Transition("accept", ("received",), "verifying", h, "受理并开始核查", citation=f"{RULE_STEP}；{ART_18}"),
        Transition(
            "decline",
            ("received",),
            "declined",
            h,
            "投诉不予受理并告知投诉人",
            produces=("non_acceptance_notice",),
            payload_required=("ground",),
            refused_if=(reports_are_verified,),
            citation=RULE_STEP,
        ),
        Transition(
            "forward",
            OPEN,
            "forwarded",
            h,
            "移送有处理权限的部门",
            produces=("forwarding_letter",),
            payload_required=("to",),
            citation=RULE_STEP,
        ),
        Transition("extend_verification", OPEN, None, ("approver",), "延长核查期限", citation=ART_18),
        start_inspection,
        end_inspection,
        Transition(
            "transfer_to_penalty",
            ("verifying",),
            "filed",
            h,
            "立案并转入行政处罚程序",
            produces=("filing_approval_form", "penalty_case_referral"),
            citation=f"{ART_18}；{ART_19}",
        ),
        Transition(
            "not_file",
            ("verifying",),
            "not_filed",
            h,
            "不予立案",
            produces=("non_filing_record",),
            payload_required=("ground",),
            citation=ART_18,
        ),
        Transition("reply", DECIDED, "replied", h, "告知处理结果", produces=("reply_letter",), citation=RULE_STEP),
        Transition(
            "close_without_reply",
            DECIDED,
            "closed",
            h,
            "匿名举报结案（无须告知）",
            refused_if=(named_must_be_told,),
            citation=RULE_STEP,
        ),
    )
    clocks = (
        Clock(
            "acceptance",
            "投诉受理期限",
            ("receive",),
            ("accept", "decline", "forward"),
            acceptance_limit,
            setting_citation("投诉受理期限", "acceptance_limit", acceptance_limit, DEFAULT_ACCEPTANCE, RULE),
            name="accepting or refusing a complaint",
            citation_en="complaint rules (article unconfirmed; 2019 value 7 WD); parameter acceptance_limit",
            only_if=(("kind", "complaint"),),
        ),
        Clock(
            "verification",
            "核查决定立案期限",
            ("receive",),
            (*FILING_DECISIONS, "decline"),
            verification_limit,
            setting_citation(
                "核查决定立案期限",
                "verification_limit",
                verification_limit,
                DEFAULT_VERIFICATION,
                ART_18,
                confirmed=True,
            ),
            name="verifying and deciding on 立案",
            citation_en="SAMR penalty procedure rules Art. 18 (S9); parameter verification_limit",
            excludes=("inspection",),
            extensions=(
                Extension(
                    "verification_extension",
                    "extend_verification",
                    "approver",
                    verification_extension,
                    setting_citation(
                        "核查期限延长",
                        "verification_extension",
                        verification_extension,
                        DEFAULT_VERIFICATION,
                        ART_18,
                        confirmed=True,
                    ),
                    "核查期限延长（负责人批准）",
                ),
            ),
        ),
        Clock(
            "reply",
            "处理结果告知期限",
            FILING_DECISIONS,
            ("reply", "close_without_reply"),
            reply_limit,
            setting_citation("处理结果告知期限", "reply_limit", reply_limit, DEFAULT_REPLY, RULE),
            name="telling the complainant or reporter",
            citation_en="complaint rules (article unconfirmed; 2019 value 5 WD for real-name reports); "
            "parameter reply_limit",
            unless=(("anonymous", True),),
        ),
    )
    return Procedure(
        code="complaint_report",
        name="Complaints and reports to market supervision",
        name_zh="市场监管投诉举报处理",
        profile="SAMR-complaints",
        states=states,
        transitions=transitions,
        initial_state="new",
        clocks=clocks,
        periods=(inspection,),
        roles=ROLES,
        parameters=(
            ("acceptance_limit", str(acceptance_limit)),
            ("verification_limit", str(verification_limit)),
            ("verification_extension", str(verification_extension)),
            ("reply_limit", str(reply_limit)),
            ("roll", roll.value),
        ),
        roll=roll,
        category="complaint",
        acceptance=("accept",),
    )


#: The procedure with the documented defaults.
COMPLAINT_REPORT = complaint_report()
