"""Notices between the cities of the Wuhan metropolitan area 武汉都市圈知识产权保护协作.

The platform's side (``handler``) sends a notice (a clue, a request for help, a result) to another city's
department; that department (role ``partner``) acknowledges it, handles it and reports back, or returns it.
No cooperation rule with time limits is in LEGAL.md: the limits and the list of partner cities are keyword
parameters of :func:`cross_city_notice`, cited as platform settings.
"""

from __future__ import annotations

from huhang.workdays import RollOver

from .._definition import Clock, Limit, Procedure, State, Transition
from .common import PLATFORM_SETTING, setting_citation

ROLES = ("handler", "partner", "supervisor", "admin")

DEFAULT_ACKNOWLEDGEMENT = Limit(working_days=3)
DEFAULT_FEEDBACK = Limit(days=30)
#: The other eight cities of the Wuhan metropolitan area (武汉都市圈 "1+8").
METROPOLITAN_CITIES = ("黄石", "鄂州", "黄冈", "孝感", "咸宁", "仙桃", "天门", "潜江")
NOTICE_KINDS = ("clue", "assistance_request", "enforcement_result", "information")


def cross_city_notice(
    *,
    acknowledgement_limit: Limit = DEFAULT_ACKNOWLEDGEMENT,
    feedback_limit: Limit = DEFAULT_FEEDBACK,
    cities: tuple[str, ...] = METROPOLITAN_CITIES,
    roll: RollOver = RollOver.REST_DAYS,
) -> Procedure:
    """Return the procedure of a notice sent to another city of the metropolitan area.

    Args:
        acknowledgement_limit: time for the receiving city to acknowledge, from sending (default 3 working
            days; unconfirmed).
        feedback_limit: time for the receiving city to report back, from its acknowledgement (default 30 days;
            unconfirmed).
        cities: the values ``payload["city"]`` of ``send_notice`` may take.
        roll: whether weekends move the last day of a day/month period (LEGAL.md §7).
    """
    states = (
        State("new", "未发送", name="not sent"),
        State("sent", "已发送待确认", name="sent, awaiting acknowledgement"),
        State("acknowledged", "对方已确认", name="acknowledged"),
        State("handling", "对方办理中", name="being handled"),
        State("closed", "已反馈办结", terminal=True, name="result reported"),
        State("returned", "对方退回", terminal=True, name="returned by the receiving city"),
        State("withdrawn", "已撤回", terminal=True, name="withdrawn by the sender"),
    )
    h, partner = ("handler",), ("partner",)
    cite = PLATFORM_SETTING
    transitions = (
        Transition(
            "send_notice",
            ("new",),
            "sent",
            h,
            "发送协作通报",
            produces=("cooperation_notice",),
            payload_required=("city", "kind"),
            payload_choices=(("city", cities), ("kind", NOTICE_KINDS)),
            citation=cite,
        ),
        Transition("withdraw_notice", ("sent",), "withdrawn", h, "撤回通报", citation=cite),
        Transition(
            "acknowledge", ("sent",), "acknowledged", partner, "确认收到", produces=("acknowledgement",), citation=cite
        ),
        Transition(
            "return_notice",
            ("sent", "acknowledged", "handling"),
            "returned",
            partner,
            "退回通报",
            payload_required=("reason",),
            citation=cite,
        ),
        Transition("start_handling", ("acknowledged",), "handling", partner, "开始办理", citation=cite),
        Transition(
            "feedback",
            ("acknowledged", "handling"),
            "closed",
            partner,
            "反馈办理结果",
            produces=("feedback_letter",),
            payload_required=("result",),
            citation=cite,
        ),
    )
    clocks = (
        Clock(
            "acknowledgement",
            "确认期限",
            ("send_notice",),
            ("acknowledge", "return_notice", "withdraw_notice"),
            acknowledgement_limit,
            setting_citation(
                "协作通报确认期限", "acknowledgement_limit", acknowledgement_limit, DEFAULT_ACKNOWLEDGEMENT
            ),
            name="receiving city acknowledges",
            citation_en="platform setting (no rule in LEGAL.md); parameter acknowledgement_limit",
        ),
        Clock(
            "feedback",
            "反馈期限",
            ("acknowledge",),
            ("feedback", "return_notice"),
            feedback_limit,
            setting_citation("协作通报反馈期限", "feedback_limit", feedback_limit, DEFAULT_FEEDBACK),
            name="receiving city reports back",
            citation_en="platform setting (no rule in LEGAL.md); parameter feedback_limit",
        ),
    )
    return Procedure(
        code="cross_city_notice",
        name="Wuhan metropolitan-area cooperation notice",
        name_zh="武汉都市圈知识产权协作通报",
        profile="platform",
        states=states,
        transitions=transitions,
        initial_state="new",
        clocks=clocks,
        roles=ROLES,
        parameters=(
            ("acknowledgement_limit", str(acknowledgement_limit)),
            ("feedback_limit", str(feedback_limit)),
            ("cities", cities),
            ("roll", roll.value),
        ),
        roll=roll,
        category="notice",
        acceptance=("acknowledge",),
    )


#: The procedure with the documented defaults.
CROSS_CITY_NOTICE = cross_city_notice()
