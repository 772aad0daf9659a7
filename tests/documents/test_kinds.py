"""The catalogue of kinds: the codes the procedures name, declared fields, templates that only use them."""

import re
from pathlib import Path
from string import Template

import pytest

from huhang.documents import KINDS, ROLE_LABELS
from huhang.documents.kinds import COMMON_PLACEHOLDERS, FIELD_LABELS_ZH
from huhang.procedures.definitions import COUNTERFEITING_PENALTY, PATENT_ADJUDICATION, PATENT_MEDIATION

PROCEDURES = {p.code: p for p in (PATENT_ADJUDICATION, PATENT_MEDIATION, COUNTERFEITING_PENALTY)}
REQUIRED_KINDS = (
    "correction_notice",
    "filing_notice",
    "non_acceptance_notice",
    "request_copy_service_record",
    "oral_hearing_notice",
    "written_hearing_notice",
    "facts_and_grounds_notice",
    "evidence_notice",
    "suspension_notice",
    "resumption_notice",
    "adjudication_decision",
    "mediation_agreement",
    "revocation_decision",
    "jurisdiction_decision",
    "penalty_notice",
    "penalty_decision",
    "service_record",
)


def _placeholders(kind):
    texts = [kind.body]
    for choices in kind.choices.values():
        texts += [text for choice in choices.values() for text in (choice.text, choice.citation, choice.note)]
    return {name for text in texts for name in Template(text.replace("\\n", "\n")).get_identifiers()}


def test_every_kind_the_brief_names_exists():
    assert set(REQUIRED_KINDS) <= set(KINDS)


def test_codes_match_what_the_procedures_produce(kind):
    declared = KINDS[kind]
    assert declared.code == kind
    for producer in declared.produced_by:
        procedure_code, _, action = producer.partition(".")
        transition = next(t for t in PROCEDURES[procedure_code].transitions if t.action == action)
        assert kind in transition.produces, f"{producer} does not produce {kind}"


def test_template_uses_only_declared_names(kind):
    declared = KINDS[kind]
    fields = set(declared.required) | set(declared.optional) | set(declared.defaults)
    known = set(COMMON_PLACEHOLDERS) | set(ROLE_LABELS) | fields
    known |= {f"{name}_zh" for name in fields}
    known |= {f"{name}_{suffix}" for name in declared.choices for suffix in ("citation", "note")}
    assert _placeholders(declared) <= known


def test_every_field_is_labelled_in_chinese(kind):
    declared = KINDS[kind]
    for name in (*declared.required, *declared.optional):
        assert name in FIELD_LABELS_ZH, name


def test_choice_fields_are_declared_and_defaults_are_optional(kind):
    declared = KINDS[kind]
    fields = set(declared.required) | set(declared.optional)
    assert set(declared.choices) <= fields
    assert set(declared.minimums) <= fields
    assert set(declared.defaults) <= fields


def test_every_kind_cites_a_provision(kind):
    citation = KINDS[kind].citation
    assert re.search(r"《[^》]+》第[一二三四五六七八九十百]+条", citation), citation


@pytest.mark.parametrize(
    ("kind", "article"),
    [
        ("correction_notice", "第十六条"),
        ("filing_notice", "第二十条"),
        ("request_copy_service_record", "第二十二条"),
        ("oral_hearing_notice", "第二十六条"),
        ("evidence_notice", "第五十四条"),
        ("suspension_notice", "第二十八条"),
        ("adjudication_decision", "《中华人民共和国专利法》第六十五条"),
        ("mediation_agreement", "第六十九条"),
        ("revocation_decision", "第三十六条"),
        ("jurisdiction_decision", "第九条"),
        ("service_record", "第十条"),
    ],
)
def test_citations_name_the_governing_article(kind, article):
    assert article in KINDS[kind].citation


def test_every_kind_is_documented(kind):
    docs = (Path(__file__).resolve().parents[2] / "docs" / "documents.md").read_text(encoding="utf-8")
    assert f"| `{kind}` |" in docs, f"add {kind} to the kinds table of docs/documents.md"
