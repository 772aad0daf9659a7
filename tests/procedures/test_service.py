"""送达 (LEGAL.md §1.3): the date of service per method around the 2026 National Day holiday, and every refusal."""

import dataclasses
import datetime as dt
import doctest
import importlib

import pytest

from huhang.procedures import (
    Attempt,
    DeliveryBeforeSending,
    DirectServiceRequired,
    ElectronicServiceExcluded,
    ElectronicWithoutConsent,
    InvalidAttempt,
    Method,
    NotYetServed,
    ProcedureError,
    ServiceError,
    ServiceRules,
    ServiceRulesError,
    service_date,
)
from huhang.workdays import period_end

D = dt.date
S1_10 = "《专利纠纷行政裁决和调解办法》第十条"
S2_51 = "《专利行政执法办法》第五十一条"
S3 = "《专利侵权纠纷行政裁决办案指南》第一章§2-四"
CPL_85, CPL_90, CPL_95 = (f"《中华人民共和国民事诉讼法》第{n}条" for n in ("八十五", "九十", "九十五"))


# (id, attempt, date of service, citation, text in the English explanation, text in the Chinese explanation)
SERVED = [
    (
        "e-service arrives the day it is sent (S1 Art. 10, CPL Art. 90)",
        Attempt(Method.ELECTRONIC, "request_copy", True, sent_on=D(2026, 9, 30), delivered_on=D(2026, 9, 30)),
        D(2026, 9, 30),
        f"{S1_10}；{S3}；{CPL_90}",
        "the day the document reached the recipient's system; the recipient consented",
        "电子送达，以文书到达受送达人特定系统之日2026-09-30为送达日期；受送达人已同意电子送达。",
    ),
    (
        "e-service arriving on a holiday is served that day, not rolled over",
        Attempt(Method.ELECTRONIC, "evidence_notice", True, sent_on=D(2026, 9, 30), delivered_on=D(2026, 10, 2)),
        D(2026, 10, 2),
        f"{S1_10}；{S3}；{CPL_90}",
        "Served electronically on 2026-10-02",
        "发出日期为2026-09-30。",
    ),
    (
        "post: actual receipt per postal tracking (S3)",
        Attempt(Method.POST, "request_copy", sent_on=D(2026, 9, 28), delivered_on=D(2026, 10, 9)),
        D(2026, 10, 9),
        f"{S1_10}；{S2_51}；{S3}",
        "Served by post on 2026-10-09, the date of actual receipt shown by postal tracking (S3 ch. 1 §2-4). "
        "Sent on 2026-09-28.",
        "邮寄送达，以邮件跟踪记录显示的实际签收日2026-10-09为送达日期。发出日期为2026-09-28。",
    ),
    (
        "post received on the make-up Saturday",
        Attempt(Method.POST, "request_copy", delivered_on=D(2026, 10, 10)),
        D(2026, 10, 10),
        f"{S1_10}；{S2_51}；{S3}",
        "Served by post on 2026-10-10",
        "2026-10-10为送达日期",
    ),
    (
        "in person: the date signed for",
        Attempt(Method.IN_PERSON, "request_copy", delivered_on=D(2026, 10, 8)),
        D(2026, 10, 8),
        f"{S1_10}；{S2_51}",
        "Served in person on 2026-10-08, the date the recipient signed for the document.",
        "直接送达，以受送达人签收之日2026-10-08为送达日期。",
    ),
    (
        "a 调解书 served in person",
        Attempt(Method.IN_PERSON, "mediation_agreement", delivered_on=D(2026, 11, 2)),
        D(2026, 11, 2),
        f"{S1_10}；{S2_51}",
        "Served in person on 2026-11-02",
        "直接送达",
    ),
    (
        "留置: the day the document is left",
        Attempt(Method.LEFT_AT_ADDRESS, "adjudication_decision", delivered_on=D(2026, 10, 12)),
        D(2026, 10, 12),
        f"{S1_10}；{S2_51}",
        "Served on 2026-10-12 by leaving the document at the recipient's address (留置).",
        "留置送达，以留置之日2026-10-12为送达日期。",
    ),
]


@pytest.mark.parametrize(
    ("attempt", "served", "citation", "en", "zh"), [s[1:] for s in SERVED], ids=[s[0] for s in SERVED]
)
def test_the_date_of_service_per_method(attempt, served, citation, en, zh):
    result = service_date(attempt)
    assert (result.date, result.method, result.deemed) == (served, attempt.method, False)
    assert result.citation == citation
    assert en in result.explanation
    assert zh in result.explanation_zh


def test_the_answer_period_runs_from_the_date_of_service():
    # Received by post 2026-09-16: the 15-day answer period (S1 Art. 22) ends on 10-01, a National Day holiday,
    # and rolls to 10-08 (LEGAL.md §7).
    served = service_date(Attempt(Method.POST, "request_copy", sent_on=D(2026, 9, 14), delivered_on=D(2026, 9, 16)))
    assert period_end(served.date, days=15) == D(2026, 10, 8)


def test_public_notice_is_deemed_served_60_days_after_publication_not_counting_that_day():
    result = service_date(Attempt(Method.PUBLIC_NOTICE, "request_copy", published_on=D(2026, 8, 2)))
    assert (result.date, result.method, result.deemed) == (D(2026, 10, 1), Method.PUBLIC_NOTICE, True)
    assert result.citation == f"{S1_10}；{S2_51}；{S3}；{CPL_85}；{CPL_95}"
    assert result.citation_en == "S1 Art. 10; S2 Art. 51; S3 ch. 1 §2-4; CPL (2023) Art. 85; CPL (2023) Art. 95"
    assert result.explanation == (
        "Notice published on 2026-08-02; service is deemed complete 60 days later, on 2026-10-01 "
        "(the publication day is not counted, CPL (2023) Art. 85). S3 ch. 1 §2-4 sets 60 days and "
        "CPL (2023) Art. 95 30 days for courts; which applies is unconfirmed, and this centre's setting is 60 days."
    )
    assert result.explanation_zh == (
        "公告于2026-08-02发布，自发布之日起经过60日即视为送达，送达日期为2026-10-01（发布当日不计入）。"
        "《专利侵权纠纷行政裁决办案指南》规定为60日，民事诉讼法第九十五条规定法院公告送达为30日，"
        "适用何者尚未确认；本中心设置为60日。"
    )
    # The deemed date is a National Day holiday and is not rolled over; the answer period that runs from it is.
    assert period_end(result.date, days=15) == D(2026, 10, 16)


def test_public_notice_with_the_30_day_setting_of_cpl_art_95():
    rules = ServiceRules.from_mapping({"public_notice_days": 30})
    result = service_date(Attempt(Method.PUBLIC_NOTICE, "request_copy", published_on=D(2026, 9, 8)), rules)
    assert (result.date, result.deemed) == (D(2026, 10, 8), True)
    assert "this centre's setting is 30 days" in result.explanation
    assert "本中心设置为30日" in result.explanation_zh


# (id, attempt, rules, error class, code, text in the English message, Chinese message)
REFUSALS = [
    (
        "e-service without consent (S1 Art. 10)",
        Attempt(Method.ELECTRONIC, "request_copy", False, delivered_on=D(2026, 9, 30)),
        None,
        ElectronicWithoutConsent,
        "electronic_service_without_consent",
        "electronic service needs the recipient's consent, and none is recorded (S1 Art. 10)",
        f"电子送达须经受送达人同意，未记录受送达人同意（{S1_10}）",
    ),
    (
        "e-service of a 裁决书 (S3)",
        Attempt(Method.ELECTRONIC, "adjudication_decision", True, delivered_on=D(2026, 10, 9)),
        None,
        ElectronicServiceExcluded,
        "electronic_service_excluded",
        "an adjudication decision (裁决书) may not be served electronically (S3 ch. 1 §2-4)",
        f"裁决书不适用电子送达（{S3}）",
    ),
    (
        "e-service of a 调解书 (S3), even with consent",
        Attempt(Method.ELECTRONIC, "mediation_agreement", True, delivered_on=D(2026, 10, 9)),
        None,
        ElectronicServiceExcluded,
        "electronic_service_excluded",
        "a mediation agreement (调解书) may not be served electronically",
        f"调解书不适用电子送达（{S3}）",
    ),
    (
        "留置 of a 调解书 (S3)",
        Attempt(Method.LEFT_AT_ADDRESS, "mediation_agreement", delivered_on=D(2026, 10, 9)),
        None,
        DirectServiceRequired,
        "direct_service_required",
        "a mediation agreement (调解书) must be served directly, in person, not by leaving the document at the "
        "address (留置) (S3 ch. 1 §2-4)",
        f"调解书应当直接送达，不得留置送达（{S3}）",
    ),
    (
        "a 调解书 by post (S3)",
        Attempt(Method.POST, "mediation_agreement", delivered_on=D(2026, 10, 9)),
        None,
        DirectServiceRequired,
        "direct_service_required",
        "not by service by post",
        f"调解书应当直接送达，不得邮寄送达（{S3}）",
    ),
    (
        "a 调解书 by public notice (S3)",
        Attempt(Method.PUBLIC_NOTICE, "mediation_agreement", published_on=D(2026, 8, 2)),
        None,
        DirectServiceRequired,
        "direct_service_required",
        "not by service by public notice",
        f"调解书应当直接送达，不得公告送达（{S3}）",
    ),
    (
        "post without a receipt date from tracking: not yet served",
        Attempt(Method.POST, "request_copy", sent_on=D(2026, 9, 28)),
        None,
        NotYetServed,
        "not_yet_served",
        "Service by post is not complete: no receipt date from postal tracking is recorded",
        "邮寄送达尚未完成：未记录邮件跟踪信息显示的签收日期",
    ),
    (
        "e-service with no arrival date",
        Attempt(Method.ELECTRONIC, "request_copy", True, sent_on=D(2026, 9, 30)),
        None,
        NotYetServed,
        "not_yet_served",
        "Electronic service is not complete: no date the document reached the recipient's system is recorded",
        "电子送达尚未完成：未记录文书到达受送达人特定系统的日期",
    ),
    (
        "in person, not signed for",
        Attempt(Method.IN_PERSON, "request_copy"),
        None,
        NotYetServed,
        "not_yet_served",
        "Service in person is not complete: no date the recipient signed for the document is recorded",
        "直接送达尚未完成：未记录受送达人签收日期",
    ),
    (
        "留置 with no date",
        Attempt(Method.LEFT_AT_ADDRESS, "request_copy"),
        None,
        NotYetServed,
        "not_yet_served",
        "no date the document was left at the address is recorded",
        "留置送达尚未完成：未记录留置日期",
    ),
    (
        "public notice not yet published",
        Attempt(Method.PUBLIC_NOTICE, "request_copy"),
        None,
        NotYetServed,
        "not_yet_served",
        "Service by public notice is not complete: no publication date of the notice is recorded",
        "公告送达尚未完成：未记录公告发布日期",
    ),
    (
        "delivered before it was sent",
        Attempt(Method.POST, "request_copy", sent_on=D(2026, 10, 9), delivered_on=D(2026, 10, 8)),
        None,
        DeliveryBeforeSending,
        "delivery_before_sending",
        "the delivery date 2026-10-08 is before the date sent, 2026-10-09",
        "送达日期2026-10-08早于发出日期2026-10-09",
    ),
    (
        "a kind the centre excludes from e-service",
        Attempt(Method.ELECTRONIC, "penalty_decision", True, delivered_on=D(2026, 10, 9)),
        ServiceRules(electronic_excluded_kinds=["penalty_decision"]),
        ElectronicServiceExcluded,
        "electronic_service_excluded",
        "a document of kind 'penalty_decision' may not be served electronically",
        f"“penalty_decision”类文书不适用电子送达（{S3}）",
    ),
]


@pytest.mark.parametrize(
    ("attempt", "rules", "error", "code", "en", "zh"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_refusals_name_the_rule_in_both_languages(attempt, rules, error, code, en, zh):
    with pytest.raises(error) as caught:
        service_date(attempt, rules)
    assert type(caught.value) is error
    assert isinstance(caught.value, ServiceError)
    assert caught.value.code == code
    assert en in str(caught.value)
    assert caught.value.message_zh == zh


def test_the_centre_can_lift_the_document_restrictions():
    rules = ServiceRules(electronic_excluded_kinds=(), direct_only_kinds=())
    decision = Attempt(Method.ELECTRONIC, "adjudication_decision", True, delivered_on=D(2026, 10, 9))
    left = Attempt(Method.LEFT_AT_ADDRESS, "mediation_agreement", delivered_on=D(2026, 10, 9))
    assert service_date(decision, rules).date == service_date(left, rules).date == D(2026, 10, 9)
    with pytest.raises(ElectronicWithoutConsent):  # consent is statutory (S1 Art. 10), not a setting
        service_date(dataclasses.replace(decision, consent_to_electronic=False), rules)


def test_the_default_rules_follow_s3():
    assert ServiceRules() == ServiceRules(
        public_notice_days=60,
        electronic_excluded_kinds=frozenset({"adjudication_decision", "mediation_agreement"}),
        direct_only_kinds=frozenset({"mediation_agreement"}),
    )


def test_rules_from_settings_take_lists_and_keep_defaults_for_missing_keys():
    rules = ServiceRules.from_mapping({"electronic_excluded_kinds": ["adjudication_decision"]})
    assert rules.electronic_excluded_kinds == frozenset({"adjudication_decision"})
    assert rules.direct_only_kinds == frozenset({"mediation_agreement"})
    assert rules.public_notice_days == 60
    assert ServiceRules.from_mapping({}) == ServiceRules()


# (id, settings, text in the English message, text in the Chinese message)
BAD_SETTINGS = [
    (
        "unknown key",
        {"public_notice_day": 30},
        "unknown setting(s) public_notice_day (known: public_notice_days,",
        "未知设置项public_notice_day",
    ),
    (
        "string days",
        {"public_notice_days": "60"},
        "public_notice_days must be a positive integer, got '60' (str)",
        "公告送达期间天数（public_notice_days）须为正整数",
    ),
    ("zero days", {"public_notice_days": 0}, "public_notice_days must be a positive integer, got 0", "实为0"),
    ("bool days", {"public_notice_days": True}, "got True (bool)", "公告送达期间天数"),
    ("float days", {"public_notice_days": 30.0}, "got 30.0 (float)", "公告送达期间天数"),
    (
        "bare string of kinds",
        {"direct_only_kinds": "mediation_agreement"},
        "direct_only_kinds must be a set or list of document kinds",
        "须直接送达的文书类型（direct_only_kinds）须为文书类型的集合或列表",
    ),
    (
        "kinds holding a number",
        {"electronic_excluded_kinds": ["adjudication_decision", 3]},
        "electronic_excluded_kinds must hold non-empty strings, got 3 (int)",
        "不适用电子送达的文书类型（electronic_excluded_kinds）的元素须为非空字符串",
    ),
    ("kinds not iterable", {"electronic_excluded_kinds": None}, "got None (NoneType)", "不适用电子送达的文书类型"),
    ("not a mapping", "public_notice_days=30", "expected a mapping, got str", "须为键值映射"),
]


@pytest.mark.parametrize(("settings", "en", "zh"), [b[1:] for b in BAD_SETTINGS], ids=[b[0] for b in BAD_SETTINGS])
def test_bad_settings_are_refused_with_a_clear_error(settings, en, zh):
    with pytest.raises(ServiceRulesError) as caught:
        ServiceRules.from_mapping(settings)
    assert caught.value.code == "invalid_service_rules"
    assert str(caught.value).startswith("invalid service rules: ")
    assert en in str(caught.value)
    assert caught.value.message_zh.startswith("送达规则设置有误：")
    assert zh in caught.value.message_zh


def test_every_bad_setting_is_reported_at_once():
    with pytest.raises(ServiceRulesError) as caught:
        ServiceRules.from_mapping(
            {"public_notice_days": -30, "direct_only_kinds": "x", "electronic_excluded_kinds": [""]}
        )
    assert len(caught.value.problems) == len(caught.value.problems_zh) == 3


# (id, Attempt arguments, text in the English message, text in the Chinese message)
BAD_ATTEMPTS = [
    (
        "unknown method",
        ("fax", "request_copy"),
        "method must be one of electronic, post, in_person, left_at_address, public_notice, got 'fax'",
        "送达方式须为",
    ),
    ("empty kind", (Method.POST, ""), "document_kind must be a non-empty string", "文书类型须为非空字符串"),
    (
        "consent not a bool",
        (Method.ELECTRONIC, "request_copy", "yes"),
        "consent_to_electronic must be true or false, got 'yes'",
        "是否同意电子送达须为是或否",
    ),
    (
        "date as a string",
        (Method.POST, "request_copy", False, "2026-09-28"),
        "sent_on must be a date or None, got '2026-09-28' (str)",
        "发出日期（sent_on）须为日期或空",
    ),
    (
        "datetime, not a date",
        (Method.POST, "request_copy", False, None, dt.datetime(2026, 10, 9, 10, 30)),
        "delivered_on must be a date or None, got datetime.datetime(2026, 10, 9, 10, 30) (datetime)",
        "送达日期（delivered_on）须为日期或空",
    ),
    (
        "publication date for post",
        (Method.POST, "request_copy", False, None, D(2026, 10, 9), D(2026, 10, 1)),
        "published_on is only for service by public notice, not service by post",
        "公告发布日期仅适用于公告送达，不适用于邮寄送达",
    ),
    (
        "delivery date for public notice",
        (Method.PUBLIC_NOTICE, "request_copy", False, None, D(2026, 10, 9), D(2026, 8, 2)),
        "service by public notice has no delivery date; record published_on instead",
        "公告送达没有签收日期",
    ),
]


@pytest.mark.parametrize(("args", "en", "zh"), [b[1:] for b in BAD_ATTEMPTS], ids=[b[0] for b in BAD_ATTEMPTS])
def test_malformed_attempts_are_refused(args, en, zh):
    with pytest.raises(InvalidAttempt) as caught:
        service_date(Attempt(*args))  # types are refused by Attempt, dates that do not fit the method by service_date
    assert caught.value.code == "invalid_service_attempt"
    assert str(caught.value).startswith("invalid service attempt: ")
    assert en in str(caught.value)
    assert caught.value.message_zh.startswith("送达记录有误：")
    assert zh in caught.value.message_zh


def test_a_method_may_be_given_by_its_value():
    attempt = Attempt("post", "request_copy", delivered_on=D(2026, 10, 9))
    assert attempt.method is Method.POST
    assert service_date(attempt).method is Method.POST
    assert [m.value for m in Method] == ["electronic", "post", "in_person", "left_at_address", "public_notice"]
    assert Method.LEFT_AT_ADDRESS.label_zh == "留置送达"


def test_service_date_refuses_what_is_not_an_attempt_or_rules():
    with pytest.raises(InvalidAttempt, match="expected an Attempt, got dict"):
        service_date({"method": "post"})
    with pytest.raises(ServiceRulesError, match="expected ServiceRules, got dict"):
        service_date(Attempt(Method.POST, "request_copy", delivered_on=D(2026, 10, 9)), {"public_notice_days": 30})


def test_errors_belong_to_the_procedure_hierarchy():
    for error in (
        ServiceRulesError,
        InvalidAttempt,
        ElectronicWithoutConsent,
        ElectronicServiceExcluded,
        DirectServiceRequired,
        NotYetServed,
        DeliveryBeforeSending,
    ):
        assert issubclass(error, ServiceError)
    assert issubclass(ServiceError, ProcedureError)
    assert issubclass(ServiceError, ValueError)


def test_module_doctests():
    failures, attempted = doctest.testmod(importlib.import_module("huhang.procedures.service"))
    assert attempted and not failures
