"""The registry of procedure definitions (definitions/__init__.py) and Procedure.category."""

import pytest

import huhang.procedures
from huhang.procedures import (
    CATEGORIES,
    DefinitionError,
    Procedure,
    ProcedureError,
    State,
    Transition,
    UnknownProcedure,
    definitions,
)
from huhang.procedures.definitions import PROCEDURES, procedure_for

EXPECTED = {
    "patent_adjudication": "adjudication",
    "patent_adjudication_2015": "adjudication",
    "patent_mediation": "mediation",
    "counterfeiting_penalty": "penalty",
    "rights_assistance": "assistance",
    "complaint_report": "complaint",
    "case_transfer": "transfer",
    "cross_city_notice": "notice",
    "judicial_case": "judicial",
}


def test_every_definition_is_registered_under_its_code_with_its_category():
    assert {code: p.category for code, p in PROCEDURES.items()} == EXPECTED
    assert all(code == p.code for code, p in PROCEDURES.items())
    assert set(EXPECTED.values()) == set(CATEGORIES)


def test_every_procedure_constant_of_the_package_is_in_the_registry():
    constants = [getattr(definitions, n) for n in definitions.__all__ if isinstance(getattr(definitions, n), Procedure)]
    assert sorted(p.code for p in constants) == sorted(PROCEDURES)


def test_the_registry_is_read_only():
    with pytest.raises(TypeError):
        PROCEDURES["x"] = PROCEDURES["judicial_case"]


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_procedure_for_returns_the_registered_procedure(code):
    assert procedure_for(code) is PROCEDURES[code]


@pytest.mark.parametrize("code", ["patent", "", None, "JUDICIAL_CASE"])
def test_procedure_for_an_unknown_code_raises_a_procedure_error_in_english_and_chinese(code):
    with pytest.raises(UnknownProcedure) as info:
        procedure_for(code)
    error = info.value
    assert isinstance(error, ProcedureError) and error.code == "unknown_procedure"
    assert f"unknown procedure {code!r}" in str(error) and "judicial_case" in str(error)
    assert error.message_zh.startswith(f"没有代码为“{code}”的程序") and "patent_mediation" in error.message_zh
    assert error.known == tuple(PROCEDURES)


def test_an_unknown_category_is_a_definition_error():
    with pytest.raises(DefinitionError, match="category 'court' is not one of adjudication, mediation"):
        Procedure(
            "t",
            "t",
            "小",
            "test",
            (State("new", "新"), State("done", "结", terminal=True)),
            (Transition("finish", ("new",), "done", ("handler",)),),
            "new",
            category="court",
        )


def test_the_new_public_names_are_exported():
    for name in ("CATEGORIES", "UnknownProcedure"):
        assert name in huhang.procedures.__all__
    # isort style, as ruff keeps it: CONSTANTS, then Classes, then functions.
    assert definitions.__all__ == sorted(definitions.__all__, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    for name in definitions.__all__:
        assert hasattr(definitions, name)


def test_every_procedure_its_clocks_and_its_parameters_are_documented():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "procedures.md").read_text(encoding="utf-8")
    for code, procedure in PROCEDURES.items():
        assert f"`{code}`" in text, code
        for name, _value in procedure.parameters:
            assert f"`{name}" in text, (code, name)
        for clock in procedure.clocks:
            assert f"| {clock.code} " in text, (code, clock.code)
