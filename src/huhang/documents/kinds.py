"""The kinds of document (文书) the platform issues: their fields, citations and templates.

Each kind's body is the text file ``templates/<code>.txt`` in this package; the declaration here says which
fields it needs and which provision it rests on. Codes are the document kinds that the procedure
definitions name in ``Transition.produces`` (``huhang.procedures.definitions``). Citations: S1 =
《专利纠纷行政裁决和调解办法》(局令第81号, 2025), S3 = 《专利侵权纠纷行政裁决办案指南》, as in LEGAL.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

from ._model import Choice, DocumentKind, Minimum, Restriction

S1 = "《专利纠纷行政裁决和调解办法》"
S3 = "《专利侵权纠纷行政裁决办案指南》"
PATENT_LAW = "《中华人民共和国专利法》"
PENALTY_LAW = "《中华人民共和国行政处罚法》"
REVIEW_LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"

#: Printed label of each party role; a role not listed here is printed as given.
ROLE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "applicant": "请求人",
        "respondent": "被请求人",
        "third_party": "第三人",
        "complainant": "投诉人",
        "informant": "举报人",
        "party": "当事人",
    }
)

#: Placeholders every template may use, filled from the context rather than from ``fields``.
COMMON_PLACEHOLDERS = (
    "number",
    "case_number",
    "case_title",
    "authority",
    "issued_on",
    "addressee",
    "title",
    "citation",
)

#: Chinese names of fields, for error messages and the docs.
FIELD_LABELS_ZH: Mapping[str, str] = MappingProxyType(
    {
        "number": "文号",
        "case_number": "案号",
        "case_title": "案件名称",
        "authority": "发文机关",
        "issued_on": "成文日期",
        "addressee": "送达对象",
        "applicant_claims": "请求人的请求及事实理由",
        "answer_period_days": "答辩期限（日）",
        "confirmation_court": "司法确认管辖法院",
        "contact": "联系人及联系电话",
        "contact_address": "联系地址",
        "court": "行政诉讼管辖法院",
        "decision_items": "裁决事项",
        "defects": "应当补正的材料",
        "dispute_summary": "纠纷简况",
        "document_number": "送达文书文号",
        "document_title": "送达文书名称",
        "enclosures": "附件",
        "evidence": "证据",
        "facts": "事实",
        "filed_on": "立案日期",
        "fine_amount": "罚款金额（元）",
        "findings": "经审理查明的事实",
        "ground": "情形",
        "ground_detail": "具体情况",
        "grounds": "理由和依据",
        "hearing": "是否告知听证权利",
        "hearing_on": "口头审理日期",
        "hearing_place": "口头审理地点",
        "hearing_time": "口头审理时间",
        "legal_basis": "法律依据",
        "matters": "待证事项",
        "mediators": "调解人员",
        "method": "送达方式",
        "notes": "备注",
        "notified_on": "告知日期",
        "objection": "管辖权异议理由",
        "objection_received_on": "收到管辖权异议日期",
        "objector": "异议人",
        "online_platform": "在线审理平台",
        "outcome": "决定结果",
        "panel": "合议组成员",
        "patent": "涉案专利",
        "payment_channel": "缴款渠道",
        "penalties": "行政处罚内容",
        "period_days": "期限（日）",
        "place": "送达地点",
        "procedure": "程序",
        "proceedings": "审理经过",
        "proposed_decision": "拟作出的处理意见",
        "proposed_penalties": "拟作出的行政处罚",
        "reason": "原因",
        "reasoning": "理由",
        "reasons": "不予立案的理由",
        "received_by": "代收人",
        "received_on": "收到请求书日期",
        "respondent_defence": "被请求人的答辩意见",
        "resumed_on": "恢复处理日期",
        "review_body": "行政复议机关",
        "served_on": "送达日期",
        "server": "送达人",
        "statement_outcome": "陈述申辩及采纳情况",
        "statement_period_days": "陈述申辩期限（工作日）",
        "suspended_on": "中止日期",
        "terms": "协议条款",
        "transfer_to": "移送部门",
        "violated_provision": "违反的规定",
        "witnesses": "见证人",
    }
)


def s1(article: str) -> str:
    """Return the citation of an S1 article, e.g. ``s1("二十")`` → 《专利纠纷行政裁决和调解办法》第二十条."""
    return f"{S1}第{article}条"


ADMINISTRATIVE_REMEDY = (
    "你方如不服本决定，可以自知道或者应当知道本决定之日起六十日内依法申请行政复议，"
    "或者自知道或者应当知道本决定之日起六个月内依法向人民法院提起行政诉讼。"
)
REMEDY_CITATION = f"{REVIEW_LAW}第二十条、{LITIGATION_LAW}第四十六条"
TRANSFER_NOTE = "本局将把案件线索移送${transfer_to}处理。"

PROCEDURES = {
    "adjudication": Choice("本局将自立案之日起五个工作日内将请求书及其附件副本送达被请求人。", s1("二十")),
    "mediation": Choice("本局将组织双方当事人进行调解，调解的时间、地点另行通知。", s1("六十六")),
}

NON_ACCEPTANCE_GROUNDS = {
    "not_eligible": Choice("请求不符合规定的受理条件", s1("二十"), ADMINISTRATIVE_REMEDY),
    "not_corrected": Choice("逾期未补正或者补正后仍不符合相关规定", s1("十六"), ADMINISTRATIVE_REMEDY),
    "no_jurisdiction": Choice("本案不属于本局管辖", s1("九") + "第二款", f"{TRANSFER_NOTE}\n{ADMINISTRATIVE_REMEDY}"),
    "mediation_declined": Choice("被请求人不同意调解或者逾期未提交意见陈述书", s1("六十六")),
}

_ART_36 = s1("三十六")
REVOCATION_GROUNDS = {
    "not_acceptable": Choice("立案后发现不符合受理条件", _ART_36 + "第一款第（一）项"),
    "withdrawn": Choice("请求人撤回处理请求", _ART_36 + "第一款第（二）项"),
    "applicant_gone": Choice(
        "请求人死亡或者注销，没有继承人或者承受人，或者继承人或者承受人放弃处理请求", _ART_36 + "第一款第（三）项"
    ),
    "respondent_gone": Choice(
        "被请求人死亡或者注销，没有遗产或者剩余财产，或者没有应当承担义务的人", _ART_36 + "第一款第（四）项"
    ),
    "other": Choice("其他依法应当撤销案件", _ART_36 + "第一款第（五）项"),
    "claims_unspecified": Choice(
        "涉案专利有两项以上权利要求，经释明，请求人仍不明确据以请求处理的权利要求项", _ART_36 + "第二款"
    ),
    "no_jurisdiction": Choice("立案后发现本案不属于本局管辖", s1("九") + "第二款", TRANSFER_NOTE),
    "mediation_absent": Choice("被请求人无正当理由拒不参加调解或者中途退出", s1("六十七")),
    "mediation_failed": Choice("当事人经调解未能达成协议", s1("六十九")),
}

JURISDICTION_OUTCOMES = {
    "upheld": Choice("${objector}提出的管辖权异议成立，本案移送${transfer_to}处理。"),
    "rejected": Choice("驳回${objector}提出的管辖权异议。"),
}

HEARING_RIGHTS = {
    "yes": Choice(
        f"根据{PENALTY_LAW}第六十三条、第六十四条的规定，你方有权要求听证。你方要求听证的，应当自收到本告知书"
        "之日起五个工作日内向本局提出；逾期未提出的，视为放弃听证权利。",
        f"{PENALTY_LAW}第六十三条、第六十四条",
    ),
    "no": Choice(""),
}

SERVICE_METHODS = {
    "direct": Choice("直接送达", s1("十")),
    "post": Choice("邮寄送达", s1("十")),
    "left": Choice("留置送达", s1("十")),
    "public": Choice("公告送达", s1("十")),
    "electronic": Choice("电子送达", s1("十") + "第二款"),
    "other": Choice("其他方式送达", s1("十")),
}

SERVICE_RESTRICTIONS = (
    Restriction(
        "method",
        "electronic",
        "document_title",
        ("裁决书", "调解书", "调解协议书"),
        "an adjudication decision or a mediation document may not be served electronically (S3)",
        f"行政裁决书、调解协议书不适用电子送达（{S3}）",
    ),
    Restriction(
        "method",
        "left",
        "document_title",
        ("调解书", "调解协议书"),
        "a mediation document must be served directly, not left at the address (S3)",
        f"调解协议书应当直接送达，不适用留置送达（{S3}）",
    ),
)

_PENALTY_ROLES = {"respondent": "当事人", "party": "当事人"}
_ADMIN_REMEDY_CITATION = f"{PENALTY_LAW}第五十九条、第六十七条、第七十二条、第七十三条；{REMEDY_CITATION}"


def _body(code: str) -> str:
    return (resources.files(__package__) / "templates" / f"{code}.txt").read_text(encoding="utf-8")


def _kind(code: str, **declaration) -> DocumentKind:
    return DocumentKind(code=code, body=_body(code), **declaration)


def _service_record(code: str, **declaration) -> DocumentKind:
    """Return a 送达回证 kind; every variant shares ``templates/service_record.txt``."""
    return DocumentKind(
        code=code,
        body=_body("service_record"),
        title_zh="送达回证",
        title_en="Record of service",
        citation=s1("十"),
        required=("document_title", "document_number", "method"),
        optional=("place", "server", "served_on", "received_by", "witnesses", "notes"),
        choices={"method": SERVICE_METHODS},
        restrictions=SERVICE_RESTRICTIONS,
        served=False,
        closing=False,
        **declaration,
    )


_DECLARED = (
    _kind(
        "correction_notice",
        title_zh="补正通知书",
        title_en="Notice to correct the request",
        citation=s1("十六"),
        required=("received_on", "defects", "period_days"),
        optional=("contact",),
        addressed_to="applicant",
        produced_by=("patent_adjudication.request_correction",),
    ),
    _kind(
        "filing_notice",
        title_zh="立案通知书",
        title_en="Notice of acceptance (filing)",
        citation=f"{s1('二十')}、第六十六条",
        required=("received_on", "filed_on"),
        optional=("panel", "contact", "procedure"),
        defaults={"procedure": "adjudication"},
        choices={"procedure": PROCEDURES},
        addressed_to="applicant",
        produced_by=("patent_adjudication.accept", "patent_mediation.accept"),
    ),
    _kind(
        "non_acceptance_notice",
        title_zh="不予立案通知书",
        title_en="Notice of non-acceptance",
        citation=f"{s1('二十')}、第十六条、第九条、第六十六条",
        required=("received_on", "reasons", "ground"),
        optional=("transfer_to",),
        choices={"ground": NON_ACCEPTANCE_GROUNDS},
        addressed_to="applicant",
        produced_by=(
            "patent_adjudication.reject",
            "patent_adjudication.reject_uncorrected",
            "patent_mediation.notify_non_acceptance",
        ),
    ),
    _kind(
        "request_copy_service_record",
        title_zh="答辩通知书",
        title_en="Notice to answer (served with the copy of the request)",
        citation=s1("二十二"),
        required=("filed_on",),
        optional=("answer_period_days", "panel", "enclosures", "contact"),
        defaults={"answer_period_days": 15, "enclosures": ("请求书副本", "证据材料副本")},
        minimums={"answer_period_days": Minimum(15, s1("二十二"))},
        addressed_to="respondent",
        produced_by=("patent_adjudication.serve_request_copy",),
    ),
    _kind(
        "notice_to_comment",
        title_zh="陈述意见通知书",
        title_en="Notice to state an opinion on mediation (served with the copy of the request)",
        citation=s1("六十五"),
        required=("received_on",),
        optional=("enclosures", "contact"),
        defaults={"enclosures": ("调解请求书副本", "证据材料副本")},
        addressed_to="respondent",
        produced_by=("patent_mediation.serve_request",),
    ),
    _kind(
        "oral_hearing_notice",
        title_zh="口头审理通知书",
        title_en="Notice of oral hearing",
        citation=s1("二十六"),
        required=("hearing_on", "hearing_time", "hearing_place"),
        optional=("online_platform", "panel", "contact"),
        addressed_to="parties",
        produced_by=("patent_adjudication.schedule_oral_hearing",),
    ),
    _kind(
        "written_hearing_notice",
        title_zh="书面审理通知书",
        title_en="Notice of written hearing",
        citation=s1("二十六"),
        required=("reason",),
        optional=("period_days", "contact"),
        addressed_to="parties",
        produced_by=("patent_adjudication.choose_written_hearing",),
    ),
    _kind(
        "facts_and_grounds_notice",
        title_zh="告知书",
        title_en="Notice of facts and grounds (right to state and defend)",
        citation=s1("二十六"),
        required=("facts", "grounds", "proposed_decision", "period_days"),
        optional=("contact",),
        addressed_to="parties",
        produced_by=("patent_adjudication.notify_facts_for_comment",),
    ),
    _kind(
        "evidence_notice",
        title_zh="举证通知书",
        title_en="Notice to produce evidence",
        citation=s1("五十四"),
        required=("period_days",),
        optional=("matters", "contact"),
        minimums={"period_days": Minimum(15, s1("五十四"))},
        addressed_to="parties",
        produced_by=("patent_adjudication.open_evidence",),
    ),
    _kind(
        "suspension_notice",
        title_zh="中止通知书",
        title_en="Notice of suspension",
        citation=s1("二十八"),
        required=("reason", "suspended_on"),
        addressed_to="parties",
        produced_by=("patent_adjudication.suspend", "counterfeiting_penalty.suspend"),
    ),
    _kind(
        "resumption_notice",
        title_zh="恢复审理通知书",
        title_en="Notice of resumption",
        citation=s1("二十八") + "第二款",
        required=("suspended_on", "resumed_on"),
        optional=("reason",),
        addressed_to="parties",
        produced_by=("patent_adjudication.resume", "counterfeiting_penalty.resume"),
    ),
    _kind(
        "adjudication_decision",
        title_zh="专利侵权纠纷行政裁决书",
        title_en="Administrative adjudication decision (patent infringement)",
        citation=f"{s1('三十一')}、第三十二条；{PATENT_LAW}第六十五条",
        required=("filed_on", "applicant_claims", "findings", "reasoning", "legal_basis", "decision_items"),
        optional=("proceedings", "patent", "respondent_defence", "court"),
        defaults={"court": "有管辖权的人民法院"},
        produced_by=("patent_adjudication.decide",),
    ),
    _kind(
        "mediation_agreement",
        title_zh="调解协议书",
        title_en="Mediation agreement",
        citation=f"{s1('三十')}、第三十五条、第六十九条",
        required=("dispute_summary", "terms"),
        optional=("confirmation_court", "mediators"),
        produced_by=("patent_adjudication.mediation_agreed", "patent_mediation.sign_agreement"),
    ),
    _kind(
        "revocation_decision",
        title_zh="撤销案件决定书",
        title_en="Decision to revoke the case",
        citation=f"{s1('三十六')}、第九条、第六十七条、第六十九条",
        required=("filed_on", "ground"),
        optional=("ground_detail", "transfer_to"),
        choices={"ground": REVOCATION_GROUNDS},
        produced_by=(
            "patent_adjudication.revoke",
            "patent_mediation.revoke",
            "patent_mediation.respondent_absent",
        ),
    ),
    _kind(
        "jurisdiction_decision",
        title_zh="管辖权异议决定书",
        title_en="Decision on a jurisdiction objection",
        citation=s1("九") + "第一款",
        required=("objector", "objection_received_on", "objection", "reasoning", "outcome"),
        optional=("transfer_to",),
        choices={"outcome": JURISDICTION_OUTCOMES},
        produced_by=("patent_adjudication.decide_jurisdiction_objection",),
    ),
    _kind(
        "penalty_notice",
        title_zh="行政处罚告知书",
        title_en="Notice of intended administrative penalty",
        citation=f"{PENALTY_LAW}第四十四条、第四十五条",
        required=("facts", "evidence", "violated_provision", "legal_basis", "proposed_penalties", "hearing"),
        optional=("statement_period_days", "contact", "contact_address"),
        defaults={"statement_period_days": 5},
        choices={"hearing": HEARING_RIGHTS},
        addressed_to="respondent",
        party_roles=("respondent",),
        role_labels=_PENALTY_ROLES,
        produced_by=("counterfeiting_penalty.notify_intended_penalty",),
    ),
    _kind(
        "penalty_decision",
        title_zh="行政处罚决定书",
        title_en="Administrative penalty decision",
        citation=_ADMIN_REMEDY_CITATION,
        required=(
            "filed_on",
            "facts",
            "evidence",
            "notified_on",
            "statement_outcome",
            "violated_provision",
            "legal_basis",
            "penalties",
        ),
        optional=("reasoning", "fine_amount", "payment_channel", "review_body", "court"),
        defaults={"review_body": "有权受理的行政复议机关", "court": "有管辖权的人民法院"},
        party_roles=("respondent",),
        role_labels=_PENALTY_ROLES,
        produced_by=("counterfeiting_penalty.decide",),
    ),
    _service_record("service_record"),
    _service_record(
        "answer_copy_service_record",
        defaults={"document_title": "答辩书副本"},
        produced_by=("patent_adjudication.forward_answer",),
    ),
    _service_record(
        "decision_service_record",
        defaults={"document_title": "行政处罚决定书"},
        produced_by=("counterfeiting_penalty.serve_decision",),
    ),
)

#: Every kind, by code.
KINDS: Mapping[str, DocumentKind] = MappingProxyType({kind.code: kind for kind in _DECLARED})
