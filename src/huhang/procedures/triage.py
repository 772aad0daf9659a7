"""繁简分流: route a matter to the simple or the ordinary track, with a reason for every rule.

A matter goes to the simple track only when every rule of :class:`TriageRules` passes; one failing rule sends
it to the ordinary track. Every :class:`Reason` states the matter's value, the threshold and the outcome, in
English and Chinese, so a handler can see (and a supervisor can check) why a track was proposed.

The thresholds are **not statutory**: neither the 2025 办法 nor the other rules in LEGAL.md set criteria for
繁简分流. The defaults below are a starting point for the protection centre to set (for instance from Django
settings through :meth:`TriageRules.from_mapping`). A staff override of the proposed track is recorded by the
Django layer, not here.

>>> result = triage(Matter(patents=1, parties=2, amount_claimed=300_000, evidence_complete=True,
...                        foreign_party=False, related_cases=0))
>>> result.track
'simple'
>>> result.reasons[2].message_zh
'请求金额300,000元，不超过500,000元，符合简易程序条件。'

Amounts are whole yuan (``int``, never ``float``), written ``1,234,567元`` / ``1,234,567 yuan``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from ._errors import ProcedureError

SIMPLE = "simple"
ORDINARY = "ordinary"

INVALID_MATTER = "invalid matter: {problems}"
INVALID_MATTER_ZH = "案件信息有误：{problems}"
INVALID_RULES = "invalid triage rules: {problems}"
INVALID_RULES_ZH = "繁简分流规则设置有误：{problems}"


class TriageError(ProcedureError):
    """A :class:`Matter` holds a value triage cannot use (a negative count, a ``bool`` for a number …).

    ``problems`` and ``problems_zh`` list every problem found, in English and Chinese.
    """

    code = "invalid_matter"
    template, template_zh = INVALID_MATTER, INVALID_MATTER_ZH

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = tuple(en for en, _ in problems)
        self.problems_zh = tuple(zh for _, zh in problems)
        super().__init__(
            self.template.format(problems="; ".join(self.problems)),
            self.template_zh.format(problems="；".join(self.problems_zh)),
        )


class TriageRulesError(TriageError):
    """Triage settings are malformed: an unknown key, a wrong type or a negative threshold."""

    code = "invalid_triage_rules"
    template, template_zh = INVALID_RULES, INVALID_RULES_ZH


def yuan(amount: int) -> str:
    """Render a whole number (yuan, or a count) with thousands separators: ``1234567`` → ``1,234,567``."""
    return f"{amount:,}"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _type_name(value: object) -> str:
    return type(value).__name__


def _count_problem(name: str, name_zh: str, value: object, minimum: int = 0) -> tuple[str, str] | None:
    """Return an (English, Chinese) problem when ``value`` is not an integer of at least ``minimum``."""
    if _is_int(value) and value >= minimum:
        return None
    what = "a non-negative integer" if minimum == 0 else f"an integer of at least {minimum}"
    what_zh = "非负整数" if minimum == 0 else f"不小于{minimum}的整数"
    return (
        f"{name} must be {what}, got {value!r} ({_type_name(value)})",
        f"{name_zh}须为{what_zh}，实为{value!r}（{_type_name(value)}）",
    )


def _bool_problem(name: str, name_zh: str, value: object) -> tuple[str, str] | None:
    if isinstance(value, bool):
        return None
    return (
        f"{name} must be true or false, got {value!r} ({_type_name(value)})",
        f"{name_zh}须为是或否（布尔值），实为{value!r}（{_type_name(value)}）",
    )


@dataclass(frozen=True)
class Matter:
    """The facts triage looks at. Built once, validated on construction (raises :class:`TriageError`)."""

    #: Number of patents (or other rights) asserted; ``0`` or more.
    patents: int
    #: Number of parties on all sides; at least 1.
    parties: int
    #: Amount claimed in whole yuan (``int``, never ``float``); ``None`` when no amount is stated.
    amount_claimed: int | None
    #: Whether the evidence needed to decide is complete on filing.
    evidence_complete: bool
    #: Whether any party is foreign (no domicile in the PRC, or a foreign / HK-Macao-Taiwan party).
    foreign_party: bool
    #: Earlier related cases between the same parties or on the same rights; ``0`` or more.
    related_cases: int
    #: Procedure code (e.g. ``"patent_adjudication"``); informative only, no rule reads it.
    kind: str = ""

    def __post_init__(self) -> None:
        problems = [
            _count_problem("patents", "涉案专利数量", self.patents),
            _count_problem("parties", "当事人数量", self.parties, minimum=1),
            None if self.amount_claimed is None else _count_problem("amount_claimed", "请求金额", self.amount_claimed),
            _bool_problem("evidence_complete", "证据是否齐全", self.evidence_complete),
            _bool_problem("foreign_party", "是否涉外", self.foreign_party),
            _count_problem("related_cases", "关联案件数量", self.related_cases),
        ]
        if not isinstance(self.kind, str):
            problems.append(
                (
                    f"kind must be a string, got {self.kind!r} ({_type_name(self.kind)})",
                    f"程序类型须为字符串，实为{self.kind!r}（{_type_name(self.kind)}）",
                )
            )
        found = [p for p in problems if p is not None]
        if found:
            raise TriageError(found)


@dataclass(frozen=True)
class TriageRules:
    """Thresholds for the simple track. Not statutory: defaults for the centre to set (see module docstring).

    Every field is validated on construction (raises :class:`TriageRulesError`).
    """

    #: Most patents (rights) asserted that still allow the simple track.
    max_patents_simple: int = 1
    #: Most parties (all sides together) that still allow the simple track.
    max_parties_simple: int = 2
    #: Largest amount claimed, in whole yuan, that still allows the simple track. No amount stated passes.
    max_amount_simple: int = 500_000
    #: When true, incomplete evidence sends the matter to the ordinary track.
    require_complete_evidence: bool = True
    #: When true, a foreign party sends the matter to the ordinary track (service abroad and a 30-day answer
    #: period, S1 Art. 22, make such matters slower).
    foreign_party_ordinary: bool = True
    #: Most earlier related cases that still allow the simple track.
    max_related_cases_simple: int = 0

    def __post_init__(self) -> None:
        found = [p for p in _rules_problems(self) if p is not None]
        if found:
            raise TriageRulesError(found)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> TriageRules:
        """Build rules from settings (e.g. ``settings.HUHANG_TRIAGE``); missing keys keep their defaults.

        Raises:
            TriageRulesError: ``mapping`` is not a mapping, has a key that is not a field, or a value of the
                wrong type (``"2"`` or ``2.0`` for an integer, ``1`` for a flag) or a negative threshold.
                Every problem is reported together.
        """
        if not isinstance(mapping, Mapping):
            raise TriageRulesError(
                [(f"expected a mapping, got {_type_name(mapping)}", f"须为键值映射，实为{_type_name(mapping)}")]
            )
        known = [f.name for f in fields(cls)]
        unknown = sorted(str(key) for key in mapping if key not in known)
        if unknown:
            names = ", ".join(unknown)
            raise TriageRulesError(
                [
                    (
                        f"unknown setting(s) {names} (known: {', '.join(known)})",
                        f"未知设置项{names}（可用：{', '.join(known)}）",
                    )
                ]
            )
        return cls(**dict(mapping))


def _rules_problems(rules: TriageRules) -> list[tuple[str, str] | None]:
    labels_zh = {
        "max_patents_simple": "简易程序专利数量上限",
        "max_parties_simple": "简易程序当事人数量上限",
        "max_amount_simple": "简易程序请求金额上限",
        "require_complete_evidence": "是否要求证据齐全",
        "foreign_party_ordinary": "涉外案件是否适用普通程序",
        "max_related_cases_simple": "简易程序关联案件数量上限",
    }
    problems: list[tuple[str, str] | None] = []
    for name, label_zh in labels_zh.items():
        check = _bool_problem if name in ("require_complete_evidence", "foreign_party_ordinary") else _count_problem
        # The setting's key is named in the Chinese message too: it is what an administrator has to correct.
        problems.append(check(name, f"{label_zh}（{name}）", getattr(rules, name)))
    return problems


@dataclass(frozen=True)
class Reason:
    """The outcome of one rule: ``rule`` is the :class:`Matter` field it reads; the messages are full sentences."""

    rule: str
    passed: bool
    message: str
    message_zh: str


TRACK_EN = {SIMPLE: "Simple track", ORDINARY: "Ordinary track"}
TRACK_ZH = {SIMPLE: "适用简易程序", ORDINARY: "适用普通程序"}


@dataclass(frozen=True)
class TriageResult:
    """The proposed track (``"simple"`` or ``"ordinary"``) and one :class:`Reason` per rule, in rule order."""

    track: str
    reasons: tuple[Reason, ...]

    @property
    def deciding(self) -> tuple[Reason, ...]:
        """Return the reasons that decided the track: the failed rules, or every rule for the simple track."""
        failed = tuple(r for r in self.reasons if not r.passed)
        return failed or self.reasons

    def _ordered(self) -> list[Reason]:
        deciding = self.deciding
        return [*deciding, *(r for r in self.reasons if r not in deciding)]

    @property
    def explanation(self) -> str:
        """Return the track and every reason in English, the deciding ones first."""
        failed = sum(1 for r in self.reasons if not r.passed)
        total = len(self.reasons)
        if failed:
            head = f"{TRACK_EN[self.track]}: {failed} of {total} rules fail."
        else:
            head = f"{TRACK_EN[self.track]}: all {total} rules pass."
        return " ".join([head, *(r.message for r in self._ordered())])

    @property
    def explanation_zh(self) -> str:
        """Return the track and every reason in Chinese, the deciding ones first."""
        failed = sum(1 for r in self.reasons if not r.passed)
        total = len(self.reasons)
        if failed:
            head = f"{TRACK_ZH[self.track]}：{total}项条件中有{failed}项不符合。"
        else:
            head = f"{TRACK_ZH[self.track]}：{total}项条件均符合。"
        return "".join([head, *(r.message_zh for r in self._ordered())])


def _outcome(passed: bool) -> tuple[str, str]:
    return ("passes", "符合简易程序条件") if passed else ("fails", "不符合简易程序条件")


def _maximum_reason(
    rule: str, label: str, label_zh: str, unit_zh: str, value: int, maximum: int, unit: str = ""
) -> Reason:
    passed = value <= maximum
    outcome, outcome_zh = _outcome(passed)
    relation = "within" if passed else "more than"
    relation_zh = "不超过" if passed else "超过"
    v, m = yuan(value), yuan(maximum)  # thousands separators for every number, counts as well as amounts
    return Reason(
        rule,
        passed,
        f"{label}: {v}{unit}, {relation} the simple-track maximum of {m}{unit} — {outcome}.",
        f"{label_zh}{v}{unit_zh}，{relation_zh}{m}{unit_zh}，{outcome_zh}。",
    )


def _amount_reason(matter: Matter, rules: TriageRules) -> Reason:
    if matter.amount_claimed is None:
        outcome, outcome_zh = _outcome(True)
        cap = yuan(rules.max_amount_simple)
        return Reason(
            "amount_claimed",
            True,
            f"Amount claimed: none stated, so the simple-track maximum of {cap} yuan does not apply — {outcome}.",
            f"未提出请求金额，不适用{cap}元上限，{outcome_zh}。",
        )
    return _maximum_reason(
        "amount_claimed", "Amount claimed", "请求金额", "元", matter.amount_claimed, rules.max_amount_simple, " yuan"
    )


def _evidence_reason(matter: Matter, rules: TriageRules) -> Reason:
    passed = matter.evidence_complete or not rules.require_complete_evidence
    outcome, outcome_zh = _outcome(passed)
    state, state_zh = ("complete", "证据齐全") if matter.evidence_complete else ("incomplete", "证据不齐全")
    if rules.require_complete_evidence:
        rule_en, rule_zh = "the simple track requires complete evidence", "简易程序要求证据齐全"
    else:
        rule_en, rule_zh = "the rules do not require complete evidence", "规则不要求证据齐全"
    return Reason(
        "evidence_complete",
        passed,
        f"Evidence: {state}; {rule_en} — {outcome}.",
        f"{state_zh}，{rule_zh}，{outcome_zh}。",
    )


def _foreign_reason(matter: Matter, rules: TriageRules) -> Reason:
    passed = not (matter.foreign_party and rules.foreign_party_ordinary)
    outcome, outcome_zh = _outcome(passed)
    state, state_zh = ("yes", "案件涉外") if matter.foreign_party else ("none", "案件不涉外")
    if rules.foreign_party_ordinary:
        rule_en, rule_zh = "matters with a foreign party go to the ordinary track", "涉外案件适用普通程序"
    else:
        rule_en, rule_zh = "the rules allow a foreign party on the simple track", "规则允许涉外案件适用简易程序"
    return Reason(
        "foreign_party",
        passed,
        f"Foreign party: {state}; {rule_en} — {outcome}.",
        f"{state_zh}，{rule_zh}，{outcome_zh}。",
    )


def triage(matter: Matter, rules: TriageRules | None = None) -> TriageResult:
    """Return the proposed track for ``matter`` under ``rules`` (default :class:`TriageRules`), with every reason.

    The simple track needs every rule to pass. Reasons come in a fixed order: patents, parties, amount claimed,
    evidence, foreign party, related cases.

    Raises:
        TriageError: ``matter`` is not a :class:`Matter` (a valid one cannot be built from bad values).
        TriageRulesError: ``rules`` is not a :class:`TriageRules`.
    """
    if not isinstance(matter, Matter):
        raise TriageError([(f"expected a Matter, got {_type_name(matter)}", f"须为Matter，实为{_type_name(matter)}")])
    rules = TriageRules() if rules is None else rules
    if not isinstance(rules, TriageRules):
        raise TriageRulesError(
            [(f"expected TriageRules, got {_type_name(rules)}", f"须为TriageRules，实为{_type_name(rules)}")]
        )
    reasons = (
        _maximum_reason("patents", "Patents asserted", "涉案专利", "件", matter.patents, rules.max_patents_simple),
        _maximum_reason("parties", "Parties", "当事人", "人", matter.parties, rules.max_parties_simple),
        _amount_reason(matter, rules),
        _evidence_reason(matter, rules),
        _foreign_reason(matter, rules),
        _maximum_reason(
            "related_cases", "Related cases", "关联案件", "件", matter.related_cases, rules.max_related_cases_simple
        ),
    )
    track = SIMPLE if all(r.passed for r in reasons) else ORDINARY
    return TriageResult(track, reasons)
