"""Transfers between administrative and judicial bodies 行政执法与刑事司法衔接 (行政—司法衔接).

The platform's side (``handler``) notifies a partner body — court, procuratorate, police, customs — of a case
(信息通报) and may transfer it (案件移送); the partner (role ``partner``) acknowledges receipt (接收确认),
disposes of the case (精准处置) and reports the result (结果反馈), or returns it. No acknowledgement or feedback
limit was found in LEGAL.md: they are keyword parameters of :func:`case_transfer`, cited as platform
settings. The steps cite 《行政执法机关移送涉嫌犯罪案件的规定》(国务院令第310号) without an article number
("（条文序号待核）"); it is not in LEGAL.md.
"""

from __future__ import annotations

from huhang.workdays import RollOver

from .._definition import Clock, Limit, Procedure, State, Transition
from .common import PLATFORM_SETTING, setting_citation

TRANSFER_RULE = "《行政执法机关移送涉嫌犯罪案件的规定》（条文序号待核）"
ROLES = ("handler", "approver", "partner", "supervisor", "admin")

DEFAULT_ACKNOWLEDGEMENT = Limit(working_days=3)
DEFAULT_FEEDBACK = Limit(days=30)
PARTNERS = ("court", "procuratorate", "police", "customs", "other")


def case_transfer(
    *,
    acknowledgement_limit: Limit = DEFAULT_ACKNOWLEDGEMENT,
    feedback_limit: Limit = DEFAULT_FEEDBACK,
    roll: RollOver = RollOver.REST_DAYS,
) -> Procedure:
    """Return the administrative–judicial transfer procedure.

    Args:
        acknowledgement_limit: time for the partner to confirm receipt of a notice or a transfer (default 3
            working days; unconfirmed).
        feedback_limit: time for the partner to report the result, from its acknowledgement of the transfer
            (default 30 days; unconfirmed).
        roll: whether weekends move the last day of a day/month period (LEGAL.md §7).
    """
    states = (
        State("new", "未通报", name="not yet notified"),
        State("notified", "已通报", name="partner notified"),
        State("notice_closed", "通报完毕（未移送）", terminal=True, name="notice closed without transfer"),
        State("transferred", "已移送待接收确认", name="transferred, awaiting acknowledgement"),
        State("acknowledged", "对方已接收", name="acknowledged by the partner"),
        State("disposed", "对方已处置待反馈", name="disposed of, awaiting feedback"),
        State("closed", "结果已反馈", terminal=True, name="result reported"),
        State("returned", "对方不予接收或退回", terminal=True, name="returned by the partner"),
    )
    h, partner = ("handler",), ("partner",)
    transitions = (
        Transition(
            "notify",
            ("new",),
            "notified",
            h,
            "信息通报",
            produces=("information_notice",),
            payload_required=("partner_kind",),
            payload_choices=(("partner_kind", PARTNERS),),
            citation=PLATFORM_SETTING,
        ),
        Transition(
            "acknowledge_notice", ("notified",), None, partner, "确认收到通报", once=True, citation=PLATFORM_SETTING
        ),
        Transition("close_notice", ("notified",), "notice_closed", h, "通报完毕，不移送", citation=PLATFORM_SETTING),
        Transition(
            "transfer",
            ("new", "notified"),
            "transferred",
            h,
            "案件移送",
            produces=("transfer_letter", "case_file_list"),
            payload_required=("partner_kind",),
            payload_choices=(("partner_kind", PARTNERS),),
            citation=TRANSFER_RULE,
        ),
        Transition(
            "acknowledge",
            ("transferred",),
            "acknowledged",
            partner,
            "接收确认",
            produces=("acknowledgement_receipt",),
            citation=TRANSFER_RULE,
        ),
        Transition(
            "return_case",
            ("transferred", "acknowledged"),
            "returned",
            partner,
            "不予接收或退回",
            produces=("return_letter",),
            payload_required=("reason",),
            citation=TRANSFER_RULE,
        ),
        Transition(
            "dispose",
            ("acknowledged",),
            "disposed",
            partner,
            "精准处置",
            payload_required=("disposal",),
            citation=TRANSFER_RULE,
        ),
        Transition(
            "feedback",
            ("disposed",),
            "closed",
            partner,
            "结果反馈",
            produces=("feedback_letter",),
            citation=TRANSFER_RULE,
        ),
    )
    ack_citation = setting_citation(
        "接收确认期限", "acknowledgement_limit", acknowledgement_limit, DEFAULT_ACKNOWLEDGEMENT
    )
    ack_en = "platform setting (no rule in LEGAL.md); parameter acknowledgement_limit"
    clocks = (
        Clock(
            "notice_acknowledgement",
            "通报确认期限",
            ("notify",),
            ("acknowledge_notice", "transfer", "close_notice"),
            acknowledgement_limit,
            ack_citation,
            name="partner confirms the notice",
            citation_en=ack_en,
        ),
        Clock(
            "acknowledgement",
            "接收确认期限",
            ("transfer",),
            ("acknowledge", "return_case"),
            acknowledgement_limit,
            ack_citation,
            name="partner acknowledges the transfer",
            citation_en=ack_en,
        ),
        Clock(
            "feedback",
            "结果反馈期限",
            ("acknowledge",),
            ("feedback", "return_case"),
            feedback_limit,
            setting_citation("结果反馈期限", "feedback_limit", feedback_limit, DEFAULT_FEEDBACK),
            name="partner reports the result",
            citation_en="platform setting (no rule in LEGAL.md); parameter feedback_limit",
        ),
    )
    return Procedure(
        code="case_transfer",
        name="Administrative–judicial case transfer",
        name_zh="行政执法与司法衔接案件移送",
        profile="platform",
        states=states,
        transitions=transitions,
        initial_state="new",
        clocks=clocks,
        roles=ROLES,
        parameters=(
            ("acknowledgement_limit", str(acknowledgement_limit)),
            ("feedback_limit", str(feedback_limit)),
            ("roll", roll.value),
        ),
        roll=roll,
        category="transfer",
        acceptance=("acknowledge",),
    )


#: The procedure with the documented defaults.
CASE_TRANSFER = case_transfer()
