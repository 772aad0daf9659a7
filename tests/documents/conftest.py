"""A full context for every document kind: one patent-infringement adjudication and one counterfeiting case."""

import datetime as dt
from decimal import Decimal

import pytest

from huhang.documents import KINDS, DocumentContext, Party

D = dt.date

APPLICANT = Party(
    "applicant",
    "武汉光谷精密仪器有限公司",
    id_label="统一社会信用代码：91420100MA4K****1X",
    address="湖北省武汉市东湖新技术开发区高新大道999号",
    representative="法定代表人：陈建华，董事长\n委托代理人：刘思远，湖北江城律师事务所律师",
)
RESPONDENT = Party(
    "respondent",
    "汉阳机电设备制造有限公司",
    id_label="统一社会信用代码：91420105MA4L****7Q",
    address="湖北省武汉市汉阳区龙阳大道88号",
    representative="法定代表人：王立新，总经理",
)
PENALISED = Party(
    "respondent",
    "武汉市江汉区鑫达商贸行",
    id_label="统一社会信用代码：92420103MA4M****5K",
    address="湖北省武汉市江汉区解放大道688号",
    representative="经营者：赵明",
)

ADJUDICATION = {
    "number": "武知保裁字〔2026〕第12号",
    "case_number": "武知保裁〔2026〕12号",
    "case_title": "武汉光谷精密仪器有限公司与汉阳机电设备制造有限公司专利侵权纠纷案",
    "authority": "武汉市知识产权局",
    "issued_on": D(2026, 11, 21),
    "parties": (APPLICANT, RESPONDENT),
}
PENALTY = {
    "number": "武市监处罚〔2026〕第58号",
    "case_number": "武市监立〔2026〕58号",
    "case_title": "武汉市江汉区鑫达商贸行涉嫌销售侵犯注册商标专用权商品案",
    "authority": "武汉市市场监督管理局",
    "issued_on": D(2026, 11, 21),
    "parties": (PENALISED,),
}
PENALTY_KINDS = ("penalty_notice", "penalty_decision", "decision_service_record")

FIELDS = {
    "correction_notice": {
        "received_on": D(2026, 9, 21),
        "defects": (
            "请求人的主体资格证明（营业执照副本复印件）",
            "涉案专利的专利登记簿副本",
            "载明据以请求处理的权利要求项的请求书",
        ),
        "period_days": 15,
        "contact": "李明，027-12345678",
    },
    "filing_notice": {
        "received_on": D(2026, 9, 21),
        "filed_on": D(2026, 9, 28),
        "panel": "张华（审查长）、李明、王芳",
        "contact": "李明，027-12345678",
    },
    "non_acceptance_notice": {
        "received_on": D(2026, 9, 21),
        "reasons": ("请求人未能提供证明其为专利权人或者利害关系人的材料", "经本局释明后，请求人在指定期限内仍未补正"),
        "ground": "not_corrected",
    },
    "request_copy_service_record": {
        "filed_on": D(2026, 9, 28),
        "panel": "张华（审查长）、李明、王芳",
        "contact": "李明，027-12345678",
    },
    "notice_to_comment": {
        "received_on": D(2026, 9, 28),
        "contact": "李明，027-12345678",
    },
    "oral_hearing_notice": {
        "hearing_on": D(2026, 12, 3),
        "hearing_time": dt.time(9, 30),
        "hearing_place": "武汉市知识产权局第一审理庭（武汉市江岸区沿江大道188号）",
        "panel": "张华（审查长）、李明、王芳",
        "contact": "李明，027-12345678",
    },
    "written_hearing_notice": {
        "reason": "本案事实清楚，双方当事人提交的证据足以认定案件事实",
        "period_days": 10,
    },
    "facts_and_grounds_notice": {
        "facts": "被请求人于2026年5月至8月间制造、销售的SX-200型精密测量仪，具备涉案专利权利要求1的全部技术特征。",
        "grounds": "被控侵权产品落入涉案专利权的保护范围，依照《中华人民共和国专利法》第十一条第一款的规定，构成侵权。",
        "proposed_decision": "责令被请求人立即停止制造、销售侵权产品。",
        "period_days": 7,
    },
    "evidence_notice": {
        "period_days": 15,
        "matters": ("被控侵权产品的技术特征", "被请求人制造、销售被控侵权产品的事实"),
    },
    "suspension_notice": {
        "reason": "涉案实用新型专利权被申请宣告无效并已被国家知识产权局受理",
        "suspended_on": D(2026, 10, 20),
    },
    "resumption_notice": {
        "suspended_on": D(2026, 10, 20),
        "resumed_on": D(2026, 11, 21),
        "reason": "国家知识产权局已作出维持涉案专利权有效的审查决定",
    },
    "adjudication_decision": {
        "filed_on": D(2026, 9, 28),
        "proceedings": "本局于2026年12月3日进行了口头审理，双方当事人的委托代理人到庭参加。本案现已审理终结。",
        "patent": "ZL201911044411.X，名称为“一种精密测量仪”的实用新型专利",
        "applicant_claims": (
            "请求人是涉案专利的专利权人。被请求人未经许可，制造、销售落入涉案专利权利要求1保护范围的产品，"
            "请求责令被请求人立即停止侵权行为。"
        ),
        "respondent_defence": "被控侵权产品未落入涉案专利权的保护范围，请求驳回请求人的请求。",
        "findings": "一、涉案专利权合法有效。\n二、被请求人于2026年5月至8月间制造、销售SX-200型精密测量仪。",
        "reasoning": (
            "被控侵权产品具备涉案专利权利要求1记载的全部技术特征，落入涉案专利权的保护范围。"
            "被请求人未经专利权人许可，以生产经营为目的制造、销售该产品，构成专利侵权。"
        ),
        "legal_basis": (
            "《中华人民共和国专利法》第十一条第一款、第六十五条，《专利纠纷行政裁决和调解办法》第三十一条、第三十二条"
        ),
        "decision_items": (
            "责令被请求人立即停止制造、销售侵犯ZL201911044411.X号专利权的SX-200型精密测量仪，销毁制造侵权产品的专用模具，并不得销售、使用尚未售出的侵权产品或者以任何其他形式将其投放市场",
            "驳回请求人的其他请求",
        ),
        "court": "武汉市中级人民法院",
    },
    "mediation_agreement": {
        "dispute_summary": "请求人认为被请求人制造、销售的SX-200型精密测量仪侵犯其专利权，请求本局处理。",
        "terms": (
            "被请求人自本协议书生效之日起停止制造、销售SX-200型精密测量仪",
            "被请求人于2026年12月31日前向请求人支付赔偿金人民币80,000元",
            "请求人放弃其他请求",
        ),
        "confirmation_court": "武汉市中级人民法院",
        "mediators": "张华、李明",
    },
    "revocation_decision": {
        "filed_on": D(2026, 9, 28),
        "ground_detail": "2026年11月10日，请求人以双方已自行和解为由，向本局书面申请撤回处理请求。",
        "ground": "withdrawn",
    },
    "jurisdiction_decision": {
        "objector": "被请求人汉阳机电设备制造有限公司",
        "objection_received_on": D(2026, 10, 15),
        "objection": "被请求人住所地不在本局管辖区域内，本案应由其他管理专利工作的部门处理。",
        "reasoning": "被请求人住所地位于武汉市汉阳区，侵权行为地亦在武汉市，本局对本案有管辖权。",
        "outcome": "rejected",
    },
    "penalty_notice": {
        "facts": (
            "2026年9月，你方在经营场所销售标有“LUXEN”商标的运动鞋120双，经商标注册人鉴定，"
            "均为侵犯注册商标专用权的商品，货值金额人民币36,000元。"
        ),
        "evidence": ("现场检查笔录", "询问笔录", "商标注册人出具的鉴定意见", "进货单据"),
        "violated_provision": "《中华人民共和国商标法》第五十七条第（三）项",
        "legal_basis": "《中华人民共和国商标法》第六十条第二款",
        "proposed_penalties": ("没收侵权运动鞋120双", "罚款人民币50,000元"),
        "hearing": "yes",
        "contact": "周强，027-87654321",
        "contact_address": "武汉市江岸区沿江大道188号",
    },
    "penalty_decision": {
        "filed_on": D(2026, 9, 10),
        "facts": (
            "2026年9月，当事人在经营场所销售标有“LUXEN”商标的运动鞋120双，经商标注册人鉴定，"
            "均为侵犯注册商标专用权的商品，货值金额人民币36,000元。"
        ),
        "evidence": ("现场检查笔录", "询问笔录", "商标注册人出具的鉴定意见", "进货单据"),
        "notified_on": D(2026, 11, 3),
        "statement_outcome": "当事人在法定期限内未提出陈述、申辩，也未要求听证。",
        "violated_provision": "《中华人民共和国商标法》第五十七条第（三）项",
        "legal_basis": "《中华人民共和国商标法》第六十条第二款",
        "penalties": ("没收侵权运动鞋120双", "罚款人民币50,000元"),
        "fine_amount": Decimal("50000"),
        "payment_channel": "凭本决定书到指定银行或者通过电子支付系统缴纳",
        "review_body": "武汉市人民政府",
        "court": "武汉市江岸区人民法院",
    },
    "service_record": {
        "document_title": "专利侵权纠纷行政裁决书",
        "document_number": "武知保裁字〔2026〕第12号",
        "method": "direct",
        "place": "湖北省武汉市汉阳区龙阳大道88号",
        "server": "李明、王芳",
        "served_on": D(2026, 11, 23),
    },
    "answer_copy_service_record": {
        "document_number": "武知保裁字〔2026〕第15号",
        "method": "post",
        "place": "湖北省武汉市东湖新技术开发区高新大道999号",
    },
    "decision_service_record": {
        "document_number": "武市监处罚〔2026〕第58号",
        "method": "direct",
        "server": "周强、吴静",
    },
}

ADDRESSEES = {
    "service_record": RESPONDENT.name,
    "answer_copy_service_record": APPLICANT.name,
    "decision_service_record": PENALISED.name,
}


def full_context(kind: str, /, **changes) -> DocumentContext:
    """Return a complete context for ``kind``; ``changes`` replace attributes (``fields=`` replaces all fields)."""
    base = PENALTY if kind in PENALTY_KINDS else ADJUDICATION
    values = {**base, "kind": kind, "addressee": ADDRESSEES.get(kind, ""), "fields": FIELDS[kind], **changes}
    return DocumentContext(**values)


@pytest.fixture(params=sorted(KINDS))
def kind(request):
    return request.param
