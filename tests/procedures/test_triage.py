"""繁简分流: every rule passing and failing, the explanations in both languages, and refused input and settings."""

import dataclasses
import doctest
import importlib

import pytest

from huhang.procedures import (
    Matter,
    ProcedureError,
    Reason,
    TriageError,
    TriageResult,
    TriageRules,
    TriageRulesError,
    triage,
)

# A matter that passes every default rule: one patent, two parties, 300,000 yuan, complete evidence.
SIMPLE_MATTER = Matter(
    patents=1,
    parties=2,
    amount_claimed=300_000,
    evidence_complete=True,
    foreign_party=False,
    related_cases=0,
    kind="patent_adjudication",
)
RULES_IN_ORDER = ["patents", "parties", "amount_claimed", "evidence_complete", "foreign_party", "related_cases"]


def reason(result: TriageResult, rule: str) -> Reason:
    return next(r for r in result.reasons if r.rule == rule)


def test_a_matter_passing_every_rule_goes_to_the_simple_track():
    result = triage(SIMPLE_MATTER)
    assert result.track == "simple"
    assert [r.rule for r in result.reasons] == RULES_IN_ORDER
    assert all(r.passed for r in result.reasons)
    assert result.deciding == result.reasons
    assert result.explanation == (
        "Simple track: all 6 rules pass. "
        "Patents asserted: 1, within the simple-track maximum of 1 — passes. "
        "Parties: 2, within the simple-track maximum of 2 — passes. "
        "Amount claimed: 300,000 yuan, within the simple-track maximum of 500,000 yuan — passes. "
        "Evidence: complete; the simple track requires complete evidence — passes. "
        "Foreign party: none; matters with a foreign party go to the ordinary track — passes. "
        "Related cases: 0, within the simple-track maximum of 0 — passes."
    )
    assert result.explanation_zh == (
        "适用简易程序：6项条件均符合。"
        "涉案专利1件，不超过1件，符合简易程序条件。"
        "当事人2人，不超过2人，符合简易程序条件。"
        "请求金额300,000元，不超过500,000元，符合简易程序条件。"
        "证据齐全，简易程序要求证据齐全，符合简易程序条件。"
        "案件不涉外，涉外案件适用普通程序，符合简易程序条件。"
        "关联案件0件，不超过0件，符合简易程序条件。"
    )


# (id, change to SIMPLE_MATTER, rules, rule, passed, Chinese reason, text in the English reason)
CASES = [
    (
        "patents at the maximum",
        {"patents": 1},
        {},
        "patents",
        True,
        "涉案专利1件，不超过1件，符合简易程序条件。",
        "1, within",
    ),
    (
        "patents over",
        {"patents": 2},
        {},
        "patents",
        False,
        "涉案专利2件，超过1件，不符合简易程序条件。",
        "2, more than",
    ),
    ("no patent", {"patents": 0}, {}, "patents", True, "涉案专利0件，不超过1件，符合简易程序条件。", "0, within"),
    (
        "patents, raised cap",
        {"patents": 3},
        {"max_patents_simple": 3},
        "patents",
        True,
        "涉案专利3件，不超过3件，符合简易程序条件。",
        "of 3",
    ),
    (
        "parties at the maximum",
        {"parties": 2},
        {},
        "parties",
        True,
        "当事人2人，不超过2人，符合简易程序条件。",
        "Parties: 2, within",
    ),
    (
        "parties over",
        {"parties": 3},
        {},
        "parties",
        False,
        "当事人3人，超过2人，不符合简易程序条件。",
        "Parties: 3, more than",
    ),
    (
        "amount at the maximum",
        {"amount_claimed": 500_000},
        {},
        "amount_claimed",
        True,
        "请求金额500,000元，不超过500,000元，符合简易程序条件。",
        "500,000 yuan, within the simple-track maximum of 500,000 yuan",
    ),
    (
        "amount one yuan over",
        {"amount_claimed": 500_001},
        {},
        "amount_claimed",
        False,
        "请求金额500,001元，超过500,000元，不符合简易程序条件。",
        "500,001 yuan, more than",
    ),
    (
        "amount in the millions",
        {"amount_claimed": 1_234_567},
        {"max_amount_simple": 2_000_000},
        "amount_claimed",
        True,
        "请求金额1,234,567元，不超过2,000,000元，符合简易程序条件。",
        "1,234,567 yuan",
    ),
    (
        "no amount stated",
        {"amount_claimed": None},
        {},
        "amount_claimed",
        True,
        "未提出请求金额，不适用500,000元上限，符合简易程序条件。",
        "none stated, so the simple-track maximum of 500,000 yuan does not apply",
    ),
    (
        "zero amount",
        {"amount_claimed": 0},
        {},
        "amount_claimed",
        True,
        "请求金额0元，不超过500,000元，符合简易程序条件。",
        "0 yuan",
    ),
    (
        "evidence incomplete",
        {"evidence_complete": False},
        {},
        "evidence_complete",
        False,
        "证据不齐全，简易程序要求证据齐全，不符合简易程序条件。",
        "Evidence: incomplete; the simple track requires complete evidence — fails.",
    ),
    (
        "evidence incomplete, not required",
        {"evidence_complete": False},
        {"require_complete_evidence": False},
        "evidence_complete",
        True,
        "证据不齐全，规则不要求证据齐全，符合简易程序条件。",
        "Evidence: incomplete; the rules do not require complete evidence — passes.",
    ),
    (
        "evidence complete, not required",
        {},
        {"require_complete_evidence": False},
        "evidence_complete",
        True,
        "证据齐全，规则不要求证据齐全，符合简易程序条件。",
        "Evidence: complete;",
    ),
    (
        "foreign party",
        {"foreign_party": True},
        {},
        "foreign_party",
        False,
        "案件涉外，涉外案件适用普通程序，不符合简易程序条件。",
        "Foreign party: yes; matters with a foreign party go to the ordinary track — fails.",
    ),
    (
        "foreign party allowed",
        {"foreign_party": True},
        {"foreign_party_ordinary": False},
        "foreign_party",
        True,
        "案件涉外，规则允许涉外案件适用简易程序，符合简易程序条件。",
        "Foreign party: yes; the rules allow a foreign party on the simple track — passes.",
    ),
    (
        "no foreign party, rule off",
        {},
        {"foreign_party_ordinary": False},
        "foreign_party",
        True,
        "案件不涉外，规则允许涉外案件适用简易程序，符合简易程序条件。",
        "Foreign party: none;",
    ),
    (
        "no related case",
        {"related_cases": 0},
        {},
        "related_cases",
        True,
        "关联案件0件，不超过0件，符合简易程序条件。",
        "0, within",
    ),
    (
        "a related case",
        {"related_cases": 1},
        {},
        "related_cases",
        False,
        "关联案件1件，超过0件，不符合简易程序条件。",
        "1, more than",
    ),
    (
        "related cases, raised cap",
        {"related_cases": 2},
        {"max_related_cases_simple": 2},
        "related_cases",
        True,
        "关联案件2件，不超过2件，符合简易程序条件。",
        "Related cases: 2, within the simple-track maximum of 2 — passes.",
    ),
]


@pytest.mark.parametrize(
    ("change", "rules", "rule", "passed", "zh", "en"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_rule_passes_or_fails_with_value_threshold_and_outcome(change, rules, rule, passed, zh, en):
    result = triage(dataclasses.replace(SIMPLE_MATTER, **change), TriageRules(**rules))
    got = reason(result, rule)
    assert (got.passed, got.message_zh) == (passed, zh)
    assert en in got.message
    assert got.message.endswith("— passes." if passed else "— fails.")
    assert result.track == ("simple" if passed else "ordinary")  # every other rule passes in these rows


def test_every_rule_is_seen_both_passing_and_failing():
    seen = {(c[3], c[4]) for c in CASES}
    assert seen == {(rule, passed) for rule in RULES_IN_ORDER for passed in (True, False)}


def test_one_failing_rule_is_enough_and_the_deciding_reasons_come_first():
    matter = Matter(
        patents=3, parties=2, amount_claimed=1_234_567, evidence_complete=False, foreign_party=False, related_cases=0
    )
    result = triage(matter)
    assert result.track == "ordinary"
    assert [r.rule for r in result.deciding] == ["patents", "amount_claimed", "evidence_complete"]
    assert [r.rule for r in result.reasons] == RULES_IN_ORDER  # the reasons themselves keep the rule order
    assert result.explanation == (
        "Ordinary track: 3 of 6 rules fail. "
        "Patents asserted: 3, more than the simple-track maximum of 1 — fails. "
        "Amount claimed: 1,234,567 yuan, more than the simple-track maximum of 500,000 yuan — fails. "
        "Evidence: incomplete; the simple track requires complete evidence — fails. "
        "Parties: 2, within the simple-track maximum of 2 — passes. "
        "Foreign party: none; matters with a foreign party go to the ordinary track — passes. "
        "Related cases: 0, within the simple-track maximum of 0 — passes."
    )
    assert result.explanation_zh == (
        "适用普通程序：6项条件中有3项不符合。"
        "涉案专利3件，超过1件，不符合简易程序条件。"
        "请求金额1,234,567元，超过500,000元，不符合简易程序条件。"
        "证据不齐全，简易程序要求证据齐全，不符合简易程序条件。"
        "当事人2人，不超过2人，符合简易程序条件。"
        "案件不涉外，涉外案件适用普通程序，符合简易程序条件。"
        "关联案件0件，不超过0件，符合简易程序条件。"
    )


def test_the_default_rules_are_the_documented_ones():
    assert TriageRules() == TriageRules(
        max_patents_simple=1,
        max_parties_simple=2,
        max_amount_simple=500_000,
        require_complete_evidence=True,
        foreign_party_ordinary=True,
        max_related_cases_simple=0,
    )
    assert triage(SIMPLE_MATTER) == triage(SIMPLE_MATTER, TriageRules()) == triage(SIMPLE_MATTER, None)


def test_rules_from_settings_override_only_the_keys_given():
    rules = TriageRules.from_mapping({"max_patents_simple": 3, "foreign_party_ordinary": False})
    assert rules == dataclasses.replace(TriageRules(), max_patents_simple=3, foreign_party_ordinary=False)
    assert TriageRules.from_mapping({}) == TriageRules()
    foreign_three_patents = dataclasses.replace(SIMPLE_MATTER, patents=3, foreign_party=True)
    assert triage(foreign_three_patents).track == "ordinary"
    assert triage(foreign_three_patents, rules).track == "simple"


# (id, settings, text in the English message, text in the Chinese message)
BAD_SETTINGS = [
    (
        "unknown key",
        {"max_patent": 1},
        "unknown setting(s) max_patent (known: max_patents_simple,",
        "未知设置项max_patent",
    ),
    (
        "string for int",
        {"max_patents_simple": "2"},
        "max_patents_simple must be a non-negative integer, got '2' (str)",
        "简易程序专利数量上限（max_patents_simple）须为非负整数",
    ),
    (
        "float amount",
        {"max_amount_simple": 500_000.0},
        "max_amount_simple must be a non-negative integer, got 500000.0 (float)",
        "（max_amount_simple）须为非负整数",
    ),
    (
        "bool for int",
        {"max_parties_simple": True},
        "max_parties_simple must be a non-negative integer, got True (bool)",
        "简易程序当事人数量上限",
    ),
    (
        "negative",
        {"max_related_cases_simple": -1},
        "max_related_cases_simple must be a non-negative integer, got -1",
        "关联案件数量上限",
    ),
    (
        "int for bool",
        {"require_complete_evidence": 1},
        "require_complete_evidence must be true or false, got 1 (int)",
        "是否要求证据齐全（require_complete_evidence）须为是或否",
    ),
    (
        "string for bool",
        {"foreign_party_ordinary": "false"},
        "foreign_party_ordinary must be true or false, got 'false'",
        "涉外案件是否适用普通程序",
    ),
    ("not a mapping", [("max_patents_simple", 1)], "expected a mapping, got list", "须为键值映射"),
]


@pytest.mark.parametrize(("settings", "en", "zh"), [b[1:] for b in BAD_SETTINGS], ids=[b[0] for b in BAD_SETTINGS])
def test_bad_settings_are_refused_with_a_clear_error(settings, en, zh):
    with pytest.raises(TriageRulesError) as caught:
        TriageRules.from_mapping(settings)
    assert caught.value.code == "invalid_triage_rules"
    assert str(caught.value).startswith("invalid triage rules: ")
    assert en in str(caught.value)
    assert caught.value.message_zh.startswith("繁简分流规则设置有误：")
    assert zh in caught.value.message_zh


def test_every_bad_setting_is_reported_at_once():
    with pytest.raises(TriageRulesError) as caught:
        TriageRules.from_mapping(
            {"max_patents_simple": -1, "max_amount_simple": "50万", "foreign_party_ordinary": None}
        )
    assert len(caught.value.problems) == len(caught.value.problems_zh) == 3
    assert "；" in caught.value.message_zh


# (id, change to SIMPLE_MATTER, text in the English message, text in the Chinese message)
BAD_MATTERS = [
    (
        "negative patents",
        {"patents": -1},
        "patents must be a non-negative integer, got -1 (int)",
        "涉案专利数量须为非负整数，实为-1",
    ),
    ("no party", {"parties": 0}, "parties must be an integer of at least 1, got 0", "当事人数量须为不小于1的整数"),
    (
        "bool for a count",
        {"parties": True},
        "parties must be an integer of at least 1, got True (bool)",
        "实为True（bool）",
    ),
    (
        "float amount",
        {"amount_claimed": 1234.5},
        "amount_claimed must be a non-negative integer, got 1234.5 (float)",
        "请求金额须为非负整数",
    ),
    ("string amount", {"amount_claimed": "500000"}, "got '500000' (str)", "请求金额须为非负整数"),
    ("negative amount", {"amount_claimed": -1}, "amount_claimed must be a non-negative integer, got -1", "请求金额"),
    ("bool amount", {"amount_claimed": False}, "got False (bool)", "请求金额"),
    (
        "int for evidence",
        {"evidence_complete": 1},
        "evidence_complete must be true or false, got 1 (int)",
        "证据是否齐全须为是或否",
    ),
    (
        "None for foreign",
        {"foreign_party": None},
        "foreign_party must be true or false, got None",
        "是否涉外须为是或否",
    ),
    (
        "negative related",
        {"related_cases": -2},
        "related_cases must be a non-negative integer, got -2",
        "关联案件数量须为非负整数",
    ),
    ("kind not a string", {"kind": 7}, "kind must be a string, got 7 (int)", "程序类型须为字符串"),
]


@pytest.mark.parametrize(("change", "en", "zh"), [b[1:] for b in BAD_MATTERS], ids=[b[0] for b in BAD_MATTERS])
def test_invalid_matters_are_refused_in_both_languages(change, en, zh):
    with pytest.raises(TriageError) as caught:
        dataclasses.replace(SIMPLE_MATTER, **change)
    assert type(caught.value) is TriageError
    assert caught.value.code == "invalid_matter"
    assert str(caught.value).startswith("invalid matter: ")
    assert en in str(caught.value)
    assert caught.value.message_zh.startswith("案件信息有误：")
    assert zh in caught.value.message_zh


def test_every_problem_of_a_matter_is_reported_at_once():
    with pytest.raises(TriageError) as caught:
        Matter(patents=-1, parties=0, amount_claimed=1.5, evidence_complete=1, foreign_party=0, related_cases=None)
    assert [p.split(" ")[0] for p in caught.value.problems] == RULES_IN_ORDER


def test_triage_refuses_what_is_not_a_matter_or_rules():
    with pytest.raises(TriageError, match="expected a Matter, got dict"):
        triage({"patents": 1})
    with pytest.raises(TriageRulesError, match="expected TriageRules, got dict"):
        triage(SIMPLE_MATTER, {"max_patents_simple": 1})


def test_errors_belong_to_the_procedure_hierarchy():
    assert issubclass(TriageRulesError, TriageError)
    assert issubclass(TriageError, ProcedureError)
    assert issubclass(TriageError, ValueError)


def test_results_and_rules_are_immutable():
    result = triage(SIMPLE_MATTER)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.track = "ordinary"
    with pytest.raises(dataclasses.FrozenInstanceError):
        TriageRules().max_patents_simple = 5


def test_module_doctests():
    failures, attempted = doctest.testmod(importlib.import_module("huhang.procedures.triage"))
    assert attempted and not failures
