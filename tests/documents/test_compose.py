"""Filling templates: what is refused (all missing names at once), optional lines, lists, choices, rules."""

import dataclasses
import datetime as dt

import pytest

from huhang.documents import (
    KINDS,
    DocumentContext,
    DocumentError,
    DocumentKind,
    InvalidField,
    MissingField,
    Party,
    UnknownKind,
    _compose,
    missing_fields,
    render_docx,
)
from huhang.documents._compose import Paragraph, Rows, Signatures, compose

from .conftest import FIELDS, full_context


def texts(ctx):
    return [block.text for block in compose(ctx).blocks if isinstance(block, Paragraph)]


def body(ctx):
    return "\n".join(texts(ctx))


def test_a_full_context_lacks_nothing(kind):
    assert missing_fields(full_context(kind)) == ()


def test_unknown_kind_is_refused_with_the_known_kinds():
    ctx = full_context("filing_notice", kind="summons")
    with pytest.raises(UnknownKind) as caught:
        render_docx(ctx)
    assert caught.value.kind == "summons"
    assert set(caught.value.known) == set(KINDS)
    assert "未知的文书种类" in caught.value.message_zh
    with pytest.raises(UnknownKind):
        missing_fields(ctx)


def test_every_missing_field_is_listed_at_once():
    ctx = full_context("adjudication_decision", fields={}, number="", parties=())
    expected = (
        "number",
        "filed_on",
        "applicant_claims",
        "findings",
        "reasoning",
        "legal_basis",
        "decision_items",
        "parties[applicant]",
    )
    assert missing_fields(ctx) == expected
    with pytest.raises(MissingField) as caught:
        compose(ctx)
    error = caught.value
    assert error.fields == expected
    assert isinstance(error, DocumentError)
    assert isinstance(error, ValueError)
    assert error.code == "missing_document_field"
    assert "missing number, filed_on, applicant_claims" in error.message
    assert "文号（number）" in error.message_zh
    assert "经审理查明的事实（findings）" in error.message_zh
    assert "请求人（parties[applicant]）" in error.message_zh


def test_empty_values_count_as_missing():
    fields = {**FIELDS["correction_notice"], "defects": ("", "  "), "contact": ""}
    assert missing_fields(full_context("correction_notice", fields=fields)) == ("defects",)


def test_unknown_placeholder_in_a_template_is_reported_as_missing(monkeypatch):
    bogus = DocumentKind(
        code="bogus_notice",
        title_zh="测试通知书",
        title_en="Test",
        citation="《测试办法》第一条",
        body="本局受理的${case_title}，定于${hearing_on}在${nowhere}审理。\n特此通知。",
        required=("hearing_on",),
        addressed_to="applicant",
    )
    monkeypatch.setattr(_compose, "KINDS", {**KINDS, "bogus_notice": bogus})
    ctx = full_context("filing_notice", kind="bogus_notice", fields={})
    assert missing_fields(ctx) == ("hearing_on", "nowhere")


def test_the_salutation_comes_from_the_addressed_role_unless_given():
    assert compose(full_context("correction_notice")).salutation == "武汉光谷精密仪器有限公司："
    both = compose(full_context("oral_hearing_notice")).salutation
    assert both == "武汉光谷精密仪器有限公司、汉阳机电设备制造有限公司："
    given = compose(full_context("oral_hearing_notice", addressee="汉阳机电设备制造有限公司")).salutation
    assert given == "汉阳机电设备制造有限公司："
    assert compose(full_context("adjudication_decision")).salutation == ""


def test_a_notice_without_its_addressee_is_refused():
    applicant_only = full_context("filing_notice").parties[:1]
    ctx = full_context("request_copy_service_record", parties=applicant_only)
    assert missing_fields(ctx) == ("addressee",)
    assert missing_fields(full_context("service_record", addressee="")) == ("addressee",)


def test_lines_with_absent_optional_fields_are_dropped_and_numbering_stays_continuous():
    fields = {key: value for key, value in FIELDS["oral_hearing_notice"].items() if key != "contact"}
    text = body(full_context("oral_hearing_notice", fields=fields))
    assert "联系人" not in text
    assert "在线方式" not in text
    assert "三、合议组成员：张华（审查长）、李明、王芳。" in text
    assert "五、当事人申请延期" in text


def test_lists_become_numbered_sentences_alone_and_joined_inside_a_sentence():
    paragraphs = texts(full_context("correction_notice"))
    assert "一、请求人的主体资格证明（营业执照副本复印件）。" in paragraphs
    assert "三、载明据以请求处理的权利要求项的请求书。" in paragraphs
    evidence = body(full_context("penalty_notice"))
    assert "以上事实有现场检查笔录、询问笔录、商标注册人出具的鉴定意见、进货单据等证据证明。" in evidence


def test_dates_numbers_and_money_render_chinese_style():
    text = body(full_context("correction_notice"))
    assert "你方于2026年9月21日提交" in text
    assert "自收到本通知书之日起十五日内" in text
    decision = body(full_context("penalty_decision"))
    assert "缴纳罚款人民币伍万元整（¥50,000.00）" in decision
    hearing = body(full_context("oral_hearing_notice"))
    assert "口头审理时间：2026年12月3日9时30分。" in hearing


def test_newlines_in_values_start_new_paragraphs():
    paragraphs = texts(full_context("adjudication_decision"))
    assert "经审理查明：一、涉案专利权合法有效。" in paragraphs
    assert "二、被请求人于2026年5月至8月间制造、销售SX-200型精密测量仪。" in paragraphs


def test_defaults_fill_optional_fields():
    text = body(full_context("request_copy_service_record"))
    assert "自收到本通知书之日起十五日内向本局提交答辩书" in text
    assert "附件：请求书副本、证据材料副本" in text
    foreign = {**FIELDS["request_copy_service_record"], "answer_period_days": 30}
    assert "三十日内向本局提交答辩书" in body(full_context("request_copy_service_record", fields=foreign))
    adjudication = body(
        full_context("adjudication_decision", fields={**FIELDS["adjudication_decision"], "court": None})
    )
    assert "向有管辖权的人民法院提起行政诉讼" in adjudication


def test_the_adjudication_decision_states_the_remedy_of_patent_law_article_65():
    text = body(full_context("adjudication_decision"))
    assert "自收到本裁决书之日起十五日内，依照《中华人民共和国行政诉讼法》向武汉市中级人民法院提起行政诉讼" in text
    assert "本局可以申请人民法院强制执行" in text
    assert "本局裁决如下：" in text


def test_choices_print_their_text_citation_and_note():
    text = body(full_context("revocation_decision"))
    assert "本案属于请求人撤回处理请求的情形" in text
    assert "《专利纠纷行政裁决和调解办法》第三十六条第一款第（二）项" in text
    refused = body(full_context("non_acceptance_notice"))
    assert "《专利纠纷行政裁决和调解办法》第十六条" in refused
    assert "六十日内依法申请行政复议" in refused
    fields = {**FIELDS["non_acceptance_notice"], "ground": "mediation_declined"}
    assert "行政复议" not in body(full_context("non_acceptance_notice", fields=fields))
    fields = {**fields, "ground": "no_jurisdiction", "transfer_to": "湖北省知识产权局"}
    elsewhere = texts(full_context("non_acceptance_notice", fields=fields))
    assert "本局将把案件线索移送湖北省知识产权局处理。" in elsewhere
    assert any("六十日内依法申请行政复议" in text for text in elsewhere)
    hearing = body(full_context("penalty_notice"))
    assert "你方有权要求听证" in hearing
    no_hearing = body(full_context("penalty_notice", fields={**FIELDS["penalty_notice"], "hearing": "no"}))
    assert "听证" not in no_hearing


def test_an_optional_field_a_chosen_text_uses_becomes_required():
    fields = {**FIELDS["jurisdiction_decision"], "outcome": "upheld"}
    assert missing_fields(full_context("jurisdiction_decision", fields=fields)) == ("transfer_to",)
    fields["transfer_to"] = "湖北省知识产权局"
    assert "本案移送湖北省知识产权局处理。" in body(full_context("jurisdiction_decision", fields=fields))
    ground = {**FIELDS["revocation_decision"], "ground": "no_jurisdiction"}
    assert missing_fields(full_context("revocation_decision", fields=ground)) == ("transfer_to",)


INVALID = (
    ("unknown choice", "revocation_decision", {"ground": "bored"}, "ground must be one of"),
    ("date given as text", "suspension_notice", {"suspended_on": "2026-10-20"}, "suspended_on must be a date"),
    ("period as text", "correction_notice", {"period_days": "十五"}, "period_days must be a whole number"),
    ("money as float-like text", "penalty_decision", {"fine_amount": "5万"}, "fine_amount must be a Decimal"),
    ("evidence period under 15 d", "evidence_notice", {"period_days": 10}, "period_days must be at least 15"),
    ("answer period under 15 d", "request_copy_service_record", {"answer_period_days": 7}, "at least 15"),
    ("e-service of a decision", "service_record", {"method": "electronic"}, "may not be served electronically"),
)


@pytest.mark.parametrize(("kind", "change", "message"), [row[1:] for row in INVALID], ids=[r[0] for r in INVALID])
def test_invalid_values_are_refused(kind, change, message):
    ctx = full_context(kind, fields={**FIELDS[kind], **change})
    with pytest.raises(InvalidField) as caught:
        compose(ctx)
    assert message in str(caught.value)
    assert caught.value.problems_zh


def test_a_mediation_agreement_is_not_left_at_the_address():
    fields = {**FIELDS["service_record"], "method": "left", "document_title": "调解协议书"}
    with pytest.raises(InvalidField, match="served directly"):
        compose(full_context("service_record", fields=fields))


def test_issued_on_must_be_a_date():
    with pytest.raises(InvalidField, match="issued_on must be a date"):
        compose(full_context("filing_notice", issued_on="2026-11-21"))


def test_decisions_show_the_parties_and_agreements_their_signatures():
    blocks = compose(full_context("mediation_agreement")).blocks
    paragraphs = [block.text for block in blocks if isinstance(block, Paragraph)]
    assert paragraphs[0] == "请求人：武汉光谷精密仪器有限公司，地址：湖北省武汉市东湖新技术开发区高新大道999号。"
    assert "委托代理人：刘思远，湖北江城律师事务所律师" in paragraphs
    signatures = next(block for block in blocks if isinstance(block, Signatures))
    assert [cell.splitlines()[0] for cell in signatures.cells] == [
        "请求人：武汉光谷精密仪器有限公司",
        "被请求人：汉阳机电设备制造有限公司",
    ]


def test_penalty_documents_call_the_penalised_party_dangshiren():
    paragraphs = texts(full_context("penalty_decision"))
    assert paragraphs[0].startswith("当事人：武汉市江汉区鑫达商贸行")


def test_roles_a_kind_does_not_show_stay_out_of_its_party_block():
    complainant = Party("complainant", "武汉某某销售有限公司")
    parties = (*full_context("penalty_decision").parties, complainant)
    assert "武汉某某销售有限公司" not in body(full_context("penalty_decision", parties=parties))
    adjudication = (*full_context("adjudication_decision").parties, Party("third_party", "武汉第三方有限公司"))
    assert "第三人：武汉第三方有限公司。" in texts(full_context("adjudication_decision", parties=adjudication))


def test_service_records_keep_blank_rows_for_handwriting():
    fields = {key: FIELDS["service_record"][key] for key in ("document_title", "document_number", "method")}
    rows = next(block for block in compose(full_context("service_record", fields=fields)).blocks)
    assert isinstance(rows, Rows)
    table = dict(rows.rows)
    assert table["送达日期"] == ""
    assert table["送达方式"] == "直接送达"
    assert table["受送达人"] == "汉阳机电设备制造有限公司"
    assert table["送达机关"].startswith("武汉市知识产权局（印章）")


def test_the_closing_has_authority_and_chinese_date():
    composed = compose(full_context("filing_notice"))
    assert composed.closing == ("武汉市知识产权局", "2026年11月21日")
    assert compose(full_context("service_record")).closing is None


def test_a_citation_field_overrides_the_kinds_citation():
    fields = {**FIELDS["suspension_notice"], "citation": "《市场监督管理行政处罚程序规定》第四十七条"}
    assert "根据《市场监督管理行政处罚程序规定》第四十七条的规定" in body(
        full_context("suspension_notice", fields=fields)
    )


def test_context_is_frozen():
    ctx = full_context("filing_notice")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.number = "x"
    with pytest.raises(TypeError):
        ctx.fields["filed_on"] = dt.date(2026, 1, 1)
    assert isinstance(ctx, DocumentContext)
