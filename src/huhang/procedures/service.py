"""送达: decide the date a document was served, which starts the periods that run from service.

Rules, as LEGAL.md §1.3 records them:

* Methods: post, in person (直接), leaving the document at the address (留置), public notice (公告), and
  **electronic** service only with the recipient's consent [S1 Art. 10]; S2 Art. 51 lists the same methods
  without electronic service.
* Electronic service is not used for a 裁决书 or a 调解书; a 调解书 is served directly, never by 留置
  [S3 第一章§2-四].
* Date of service: electronic — the day the document reaches the recipient's system [S3; CPL 2023 Art. 90];
  post — the actual receipt date shown by postal tracking [S3]; in person — the date signed for; 留置 — the
  day the document is left.
* Public notice: deemed served ``public_notice_days`` natural days after publication [S3: 60 days]; the
  publication day is not counted [CPL Art. 85], so notice published 2026-08-02 is deemed served 2026-10-01.
  CPL 2023 Art. 95 uses 30 days for courts; which figure S1-era practice uses is unconfirmed, hence a setting.

An attempt whose completing date is missing (a letter with no receipt date from tracking yet) raises
:class:`NotYetServed`: service is not complete and no period has started. No date is rolled over a holiday
here: the date of service is the day the period starts from, and the period's own last day is rolled by
:mod:`huhang.workdays`.

>>> import datetime as dt
>>> served = service_date(Attempt(Method.PUBLIC_NOTICE, "request_copy", published_on=dt.date(2026, 8, 2)))
>>> served.date, served.deemed
(datetime.date(2026, 10, 1), True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from ._errors import ProcedureError

S1_10 = "《专利纠纷行政裁决和调解办法》第十条"
S2_51 = "《专利行政执法办法》第五十一条"
S3_SERVICE = "《专利侵权纠纷行政裁决办案指南》第一章§2-四"
CPL_85 = "《中华人民共和国民事诉讼法》第八十五条"
CPL_90 = "《中华人民共和国民事诉讼法》第九十条"
CPL_95 = "《中华人民共和国民事诉讼法》第九十五条"
S1_10_EN, S2_51_EN, S3_EN = "S1 Art. 10", "S2 Art. 51", "S3 ch. 1 §2-4"
CPL_85_EN, CPL_90_EN, CPL_95_EN = "CPL (2023) Art. 85", "CPL (2023) Art. 90", "CPL (2023) Art. 95"

#: Document kinds named in messages; any other kind is shown by its code.
DOCUMENT_NAMES = {
    "adjudication_decision": ("an adjudication decision (裁决书)", "裁决书"),
    "mediation_agreement": ("a mediation agreement (调解书)", "调解书"),
}

ELECTRONIC_WITHOUT_CONSENT = "electronic service needs the recipient's consent, and none is recorded ({citation})"
ELECTRONIC_WITHOUT_CONSENT_ZH = "电子送达须经受送达人同意，未记录受送达人同意（{citation}）"
ELECTRONIC_EXCLUDED = "{document} may not be served electronically ({citation})"
ELECTRONIC_EXCLUDED_ZH = "{document}不适用电子送达（{citation}）"
DIRECT_REQUIRED = "{document} must be served directly, in person, not by {method} ({citation})"
DIRECT_REQUIRED_ZH = "{document}应当直接送达，不得{method}（{citation}）"
NOT_YET_SERVED = "{method} is not complete: no {missing} is recorded"
NOT_YET_SERVED_ZH = "{method}尚未完成：未记录{missing}"
DELIVERY_BEFORE_SENDING = "the delivery date {delivered} is before the date sent, {sent}"
DELIVERY_BEFORE_SENDING_ZH = "送达日期{delivered}早于发出日期{sent}"


class ServiceError(ProcedureError):
    """Service of a document is refused, or not complete; the message cites the rule."""

    code = "service_refused"


class ServiceRulesError(ServiceError):
    """Service settings are malformed; ``problems`` lists every problem found."""

    code = "invalid_service_rules"

    def __init__(self, problems: Iterable[tuple[str, str]]) -> None:
        pairs = tuple(problems)
        self.problems = tuple(en for en, _ in pairs)
        self.problems_zh = tuple(zh for _, zh in pairs)
        super().__init__(
            "invalid service rules: " + "; ".join(self.problems), "送达规则设置有误：" + "；".join(self.problems_zh)
        )


class InvalidAttempt(ServiceError):
    """An :class:`Attempt` holds a wrong value: not a :class:`Method`, not a date, a date its method does not use."""

    code = "invalid_service_attempt"

    def __init__(self, problems: Iterable[tuple[str, str]]) -> None:
        pairs = tuple(problems)
        self.problems = tuple(en for en, _ in pairs)
        self.problems_zh = tuple(zh for _, zh in pairs)
        super().__init__(
            "invalid service attempt: " + "; ".join(self.problems), "送达记录有误：" + "；".join(self.problems_zh)
        )


class ElectronicWithoutConsent(ServiceError):
    """Electronic service without the recipient's recorded consent (S1 Art. 10)."""

    code = "electronic_service_without_consent"


class ElectronicServiceExcluded(ServiceError):
    """Electronic service of a document kind it may not be used for, e.g. 裁决书, 调解书 (S3 第一章§2-四)."""

    code = "electronic_service_excluded"


class DirectServiceRequired(ServiceError):
    """A document that must be served in person (调解书) served another way, e.g. by 留置 (S3 第一章§2-四)."""

    code = "direct_service_required"


class NotYetServed(ServiceError):
    """The date that completes service by this method is not recorded: service is not complete."""

    code = "not_yet_served"


class DeliveryBeforeSending(ServiceError):
    """The recorded delivery date is earlier than the date the document was sent."""

    code = "delivery_before_sending"


class Method(StrEnum):
    """How a document is served (S1 Art. 10; S2 Art. 51)."""

    ELECTRONIC = "electronic"
    POST = "post"
    IN_PERSON = "in_person"
    LEFT_AT_ADDRESS = "left_at_address"
    PUBLIC_NOTICE = "public_notice"

    @property
    def label(self) -> str:
        return _METHOD_LABELS[self][0]

    @property
    def label_zh(self) -> str:
        return _METHOD_LABELS[self][1]


_METHOD_LABELS = {
    Method.ELECTRONIC: ("electronic service", "电子送达"),
    Method.POST: ("service by post", "邮寄送达"),
    Method.IN_PERSON: ("service in person", "直接送达"),
    Method.LEFT_AT_ADDRESS: ("leaving the document at the address (留置)", "留置送达"),
    Method.PUBLIC_NOTICE: ("service by public notice", "公告送达"),
}


def _type_name(value: object) -> str:
    return type(value).__name__


_KINDS_LABELS_ZH = {
    "electronic_excluded_kinds": "不适用电子送达的文书类型",
    "direct_only_kinds": "须直接送达的文书类型",
}


def _kinds(name: str, value: object, problems: list[tuple[str, str]]) -> frozenset[str]:
    """Return ``value`` as a frozenset of document-kind codes, or record a problem and return an empty set."""
    label_zh = f"{_KINDS_LABELS_ZH[name]}（{name}）"
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        problems.append(
            (
                f"{name} must be a set or list of document kinds, got {value!r} ({_type_name(value)})",
                f"{label_zh}须为文书类型的集合或列表，实为{value!r}（{_type_name(value)}）",
            )
        )
        return frozenset()
    items = list(value)
    bad = [item for item in items if not isinstance(item, str) or not item]
    if bad:
        problems.append(
            (
                f"{name} must hold non-empty strings, got {bad[0]!r} ({_type_name(bad[0])})",
                f"{label_zh}的元素须为非空字符串，实为{bad[0]!r}（{_type_name(bad[0])}）",
            )
        )
        return frozenset()
    return frozenset(items)


@dataclass(frozen=True)
class ServiceRules:
    """Settings for service. Validated on construction (raises :class:`ServiceRulesError`).

    Any set or list of kinds is accepted and stored as a ``frozenset``.
    """

    #: Natural days after publication when service by public notice is deemed complete. S3 第一章§2-四 sets 60;
    #: CPL 2023 Art. 95 uses 30 for courts; which applies under S1 is unconfirmed (LEGAL.md §1.3), hence a setting.
    public_notice_days: int = 60
    #: Document kinds never served electronically: 裁决书 and 调解书 (S3 第一章§2-四).
    electronic_excluded_kinds: frozenset[str] = field(
        default=frozenset({"adjudication_decision", "mediation_agreement"})
    )
    #: Document kinds that must be served directly, in person: 调解书, no 留置 (S3 第一章§2-四).
    direct_only_kinds: frozenset[str] = field(default=frozenset({"mediation_agreement"}))

    def __post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        days = self.public_notice_days
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            problems.append(
                (
                    f"public_notice_days must be a positive integer, got {days!r} ({_type_name(days)})",
                    f"公告送达期间天数（public_notice_days）须为正整数，实为{days!r}（{_type_name(days)}）",
                )
            )
        for name in ("electronic_excluded_kinds", "direct_only_kinds"):
            object.__setattr__(self, name, _kinds(name, getattr(self, name), problems))
        if problems:
            raise ServiceRulesError(problems)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> ServiceRules:
        """Build rules from settings (e.g. ``settings.HUHANG_SERVICE``); missing keys keep their defaults.

        Raises:
            ServiceRulesError: ``mapping`` is not a mapping, has a key that is not a field, or a wrong value
                (``"60"`` or ``0`` for the days, a bare string instead of a list of kinds). Every problem is
                reported together.
        """
        if not isinstance(mapping, Mapping):
            raise ServiceRulesError(
                [(f"expected a mapping, got {_type_name(mapping)}", f"须为键值映射，实为{_type_name(mapping)}")]
            )
        known = [f.name for f in fields(cls)]
        unknown = sorted(str(key) for key in mapping if key not in known)
        if unknown:
            names = ", ".join(unknown)
            raise ServiceRulesError(
                [
                    (
                        f"unknown setting(s) {names} (known: {', '.join(known)})",
                        f"未知设置项{names}（可用：{', '.join(known)}）",
                    )
                ]
            )
        return cls(**dict(mapping))


_DATE_LABELS_ZH = {"sent_on": "发出日期", "delivered_on": "送达日期", "published_on": "公告发布日期"}


def _date_problem(name: str, value: object) -> tuple[str, str] | None:
    # datetime is a subclass of date; a time of day would make the arithmetic ambiguous, so it is refused.
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return None
    return (
        f"{name} must be a date or None, got {value!r} ({_type_name(value)})",
        f"{_DATE_LABELS_ZH[name]}（{name}）须为日期或空，实为{value!r}（{_type_name(value)}）",
    )


@dataclass(frozen=True)
class Attempt:
    """One attempt to serve one document, as recorded by staff.

    Types are checked on construction (:class:`InvalidAttempt`); whether the dates fit the method is checked by
    :func:`service_date`. ``method`` may be given as its string value (``"post"``); it is stored as a
    :class:`Method`.
    """

    method: Method
    #: Code of the document kind, e.g. ``"request_copy"``, ``"adjudication_decision"``, ``"mediation_agreement"``.
    document_kind: str
    #: Whether the recipient's consent to electronic service is on record (S1 Art. 10).
    consent_to_electronic: bool = False
    #: The day the document was sent or handed to the post; informative, and checked against ``delivered_on``.
    sent_on: dt.date | None = None
    #: The day service was completed: electronic — arrival in the recipient's system (S3; CPL Art. 90);
    #: post — actual receipt per postal tracking (S3); in person — the date signed for; 留置 — the day left.
    delivered_on: dt.date | None = None
    #: Public notice only: the day the notice was published.
    published_on: dt.date | None = None

    def __post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        try:
            object.__setattr__(self, "method", Method(self.method))
        except (ValueError, TypeError):
            known = ", ".join(m.value for m in Method)
            problems.append(
                (
                    f"method must be one of {known}, got {self.method!r}",
                    f"送达方式须为{known}之一，实为{self.method!r}",
                )
            )
        if not isinstance(self.document_kind, str) or not self.document_kind:
            problems.append(
                (
                    f"document_kind must be a non-empty string, got {self.document_kind!r}",
                    f"文书类型须为非空字符串，实为{self.document_kind!r}",
                )
            )
        if not isinstance(self.consent_to_electronic, bool):
            problems.append(
                (
                    f"consent_to_electronic must be true or false, got {self.consent_to_electronic!r}",
                    f"是否同意电子送达须为是或否（布尔值），实为{self.consent_to_electronic!r}",
                )
            )
        for name in ("sent_on", "delivered_on", "published_on"):
            problem = _date_problem(name, getattr(self, name))
            if problem:
                problems.append(problem)
        if problems:
            raise InvalidAttempt(problems)


@dataclass(frozen=True)
class ServiceDate:
    """The date of service and how it was reached; ``deemed`` is true for service by public notice."""

    date: dt.date
    method: Method
    deemed: bool
    explanation: str
    explanation_zh: str
    #: The provisions applied, in Chinese (``；``-separated), as in LEGAL.md.
    citation: str
    #: The same provisions, short English form (``S1 Art. 10; …``).
    citation_en: str = ""


def _document_names(kind: str) -> tuple[str, str]:
    return DOCUMENT_NAMES.get(kind, (f"a document of kind '{kind}'", f"“{kind}”类文书"))


def _check_dates(attempt: Attempt) -> None:
    """Refuse a date the attempt's method does not use (checked here, not on construction, so that a form
    posting every date field reaches :func:`service_date` and gets its refusal)."""
    problems: list[tuple[str, str]] = []
    if attempt.method is Method.PUBLIC_NOTICE and attempt.delivered_on is not None:
        problems.append(
            (
                "service by public notice has no delivery date; record published_on instead",
                "公告送达没有签收日期，应记录公告发布日期（published_on）",
            )
        )
    if attempt.method is not Method.PUBLIC_NOTICE and attempt.published_on is not None:
        problems.append(
            (
                f"published_on is only for service by public notice, not {attempt.method.label}",
                f"公告发布日期仅适用于公告送达，不适用于{attempt.method.label_zh}",
            )
        )
    if problems:
        raise InvalidAttempt(problems)


def _check_allowed(attempt: Attempt, rules: ServiceRules) -> None:
    document, document_zh = _document_names(attempt.document_kind)
    if attempt.method is Method.ELECTRONIC and attempt.document_kind in rules.electronic_excluded_kinds:
        raise ElectronicServiceExcluded(
            ELECTRONIC_EXCLUDED.format(document=document, citation=S3_EN),
            ELECTRONIC_EXCLUDED_ZH.format(document=document_zh, citation=S3_SERVICE),
        )
    if attempt.method is not Method.IN_PERSON and attempt.document_kind in rules.direct_only_kinds:
        raise DirectServiceRequired(
            DIRECT_REQUIRED.format(document=document, method=attempt.method.label, citation=S3_EN),
            DIRECT_REQUIRED_ZH.format(document=document_zh, method=attempt.method.label_zh, citation=S3_SERVICE),
        )
    if attempt.method is Method.ELECTRONIC and not attempt.consent_to_electronic:
        raise ElectronicWithoutConsent(
            ELECTRONIC_WITHOUT_CONSENT.format(citation=S1_10_EN),
            ELECTRONIC_WITHOUT_CONSENT_ZH.format(citation=S1_10),
        )


# method → (missing date in English, in Chinese); the date that completes service by that method.
_COMPLETING_DATE = {
    Method.ELECTRONIC: ("date the document reached the recipient's system", "文书到达受送达人特定系统的日期"),
    Method.POST: ("receipt date from postal tracking", "邮件跟踪信息显示的签收日期"),
    Method.IN_PERSON: ("date the recipient signed for the document", "受送达人签收日期"),
    Method.LEFT_AT_ADDRESS: ("date the document was left at the address", "留置日期"),
    Method.PUBLIC_NOTICE: ("publication date of the notice", "公告发布日期"),
}


def service_date(attempt: Attempt, rules: ServiceRules | None = None) -> ServiceDate:
    """Return the date ``attempt`` served its document, explained and cited.

    Args:
        attempt: the recorded attempt.
        rules: the centre's :class:`ServiceRules`; default ``ServiceRules()`` (60-day public notice).

    Raises:
        ElectronicServiceExcluded: electronic service of a kind in ``rules.electronic_excluded_kinds`` (S3).
        DirectServiceRequired: a kind in ``rules.direct_only_kinds`` served other than in person, e.g. 留置 (S3).
        ElectronicWithoutConsent: electronic service with ``consent_to_electronic`` false (S1 Art. 10).
        NotYetServed: the date completing service by this method is missing (e.g. post with no receipt date).
        DeliveryBeforeSending: ``delivered_on`` is before ``sent_on``.
        InvalidAttempt: ``attempt`` is not an :class:`Attempt`, or holds a date its method does not use
            (``published_on`` for post, ``delivered_on`` for public notice).
        ServiceRulesError: ``rules`` is not a :class:`ServiceRules`.
    """
    if not isinstance(attempt, Attempt):
        raise InvalidAttempt(
            [(f"expected an Attempt, got {_type_name(attempt)}", f"须为Attempt，实为{_type_name(attempt)}")]
        )
    rules = ServiceRules() if rules is None else rules
    if not isinstance(rules, ServiceRules):
        raise ServiceRulesError(
            [(f"expected ServiceRules, got {_type_name(rules)}", f"须为ServiceRules，实为{_type_name(rules)}")]
        )
    _check_dates(attempt)
    _check_allowed(attempt, rules)
    method = attempt.method
    completed = attempt.published_on if method is Method.PUBLIC_NOTICE else attempt.delivered_on
    if completed is None:
        missing, missing_zh = _COMPLETING_DATE[method]
        raise NotYetServed(
            NOT_YET_SERVED.format(method=method.label.capitalize(), missing=missing),
            NOT_YET_SERVED_ZH.format(method=method.label_zh, missing=missing_zh),
        )
    if attempt.sent_on is not None and attempt.delivered_on is not None and attempt.delivered_on < attempt.sent_on:
        raise DeliveryBeforeSending(
            DELIVERY_BEFORE_SENDING.format(delivered=attempt.delivered_on, sent=attempt.sent_on),
            DELIVERY_BEFORE_SENDING_ZH.format(delivered=attempt.delivered_on, sent=attempt.sent_on),
        )
    if method is Method.PUBLIC_NOTICE:
        return _public_notice(completed, rules.public_notice_days)
    return _delivered(attempt, completed)


def _delivered(attempt: Attempt, day: dt.date) -> ServiceDate:
    method = attempt.method
    if method is Method.ELECTRONIC:
        en = (
            f"Served electronically on {day}, the day the document reached the recipient's system; "
            f"the recipient consented to electronic service ({S1_10_EN}; {S3_EN}; {CPL_90_EN})."
        )
        zh = f"电子送达，以文书到达受送达人特定系统之日{day}为送达日期；受送达人已同意电子送达。"
        cited, cited_en = (S1_10, S3_SERVICE, CPL_90), (S1_10_EN, S3_EN, CPL_90_EN)
    elif method is Method.POST:
        en = f"Served by post on {day}, the date of actual receipt shown by postal tracking ({S3_EN})."
        zh = f"邮寄送达，以邮件跟踪记录显示的实际签收日{day}为送达日期。"
        cited, cited_en = (S1_10, S2_51, S3_SERVICE), (S1_10_EN, S2_51_EN, S3_EN)
    elif method is Method.IN_PERSON:
        en = f"Served in person on {day}, the date the recipient signed for the document."
        zh = f"直接送达，以受送达人签收之日{day}为送达日期。"
        cited, cited_en = (S1_10, S2_51), (S1_10_EN, S2_51_EN)
    else:
        en = f"Served on {day} by leaving the document at the recipient's address (留置)."
        zh = f"留置送达，以留置之日{day}为送达日期。"
        cited, cited_en = (S1_10, S2_51), (S1_10_EN, S2_51_EN)
    if attempt.sent_on is not None:
        en += f" Sent on {attempt.sent_on}."
        zh += f"发出日期为{attempt.sent_on}。"
    return ServiceDate(day, method, False, en, zh, "；".join(cited), "; ".join(cited_en))


def _public_notice(published: dt.date, days: int) -> ServiceDate:
    day = published + dt.timedelta(days=days)
    en = (
        f"Notice published on {published}; service is deemed complete {days} days later, on {day} "
        f"(the publication day is not counted, {CPL_85_EN}). S3 ch. 1 §2-4 sets 60 days and {CPL_95_EN} 30 days "
        f"for courts; which applies is unconfirmed, and this centre's setting is {days} days."
    )
    zh = (
        f"公告于{published}发布，自发布之日起经过{days}日即视为送达，送达日期为{day}（发布当日不计入）。"
        f"《专利侵权纠纷行政裁决办案指南》规定为60日，民事诉讼法第九十五条规定法院公告送达为30日，"
        f"适用何者尚未确认；本中心设置为{days}日。"
    )
    cited = (S1_10, S2_51, S3_SERVICE, CPL_85, CPL_95)
    cited_en = (S1_10_EN, S2_51_EN, S3_EN, CPL_85_EN, CPL_95_EN)
    return ServiceDate(day, Method.PUBLIC_NOTICE, True, en, zh, "；".join(cited), "; ".join(cited_en))
