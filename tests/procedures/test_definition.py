"""Validation of procedure definitions at construction."""

import pytest

import huhang.procedures
from huhang.procedures import (
    PREVIOUS,
    Clock,
    DefinitionError,
    ExcludedPeriod,
    Extension,
    Limit,
    Procedure,
    ProcedureError,
    State,
    Transition,
)
from huhang.procedures.definitions import PATENT_ADJUDICATION, patent_adjudication


def tiny(**overrides):
    fields = {
        "code": "t",
        "name": "tiny",
        "name_zh": "小程序",
        "profile": "test",
        "states": (State("new", "新"), State("open", "开"), State("done", "结", terminal=True)),
        "transitions": (
            Transition("start", ("new",), "open", ("handler",)),
            Transition("finish", ("open",), "done", ("handler",)),
        ),
        "initial_state": "new",
    }
    fields.update(overrides)
    return Procedure(**fields)


def test_a_consistent_definition_builds():
    assert tiny().actions == ("start", "finish")


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"initial_state": "nowhere"}, "initial state 'nowhere' is not a defined state"),
        (
            {"transitions": (Transition("start", ("new",), "limbo", ("handler",)),)},
            "transition 'start' leads to unknown state 'limbo'",
        ),
        (
            {"transitions": (Transition("start", ("ghost",), "open", ("handler",)),)},
            "transition 'start' starts from unknown state 'ghost'",
        ),
        (
            {"transitions": (Transition("start", ("new",), "open", ("handler",)),)},
            "state 'done' cannot be reached from 'new'",
        ),
        (
            {"transitions": (Transition("start", ("new",), "open", ()),)},
            "transition 'start' names no role",
        ),
        (
            {"roles": ("handler",), "transitions": (Transition("start", ("new",), "open", ("janitor",)),)},
            "unknown role 'janitor'",
        ),
        (
            {"clocks": (Clock("c", "时", ("start",), ("nope",), Limit(days=5), "某法第一条"),)},
            "clock 'c' refers to unknown action 'nope'",
        ),
        (
            {"clocks": (Clock("c", "时", ("start",), (), Limit(days=5), "某法第一条", excludes=("x",)),)},
            "clock 'c' excludes unknown period 'x'",
        ),
        (
            {"periods": (ExcludedPeriod("p", "中止", ("pause",), ("finish",)),)},
            "excluded period 'p' refers to unknown action 'pause'",
        ),
        (
            {
                "clocks": (
                    Clock(
                        "c",
                        "时",
                        ("start",),
                        (),
                        Limit(months=3),
                        "某法第一条",
                        extensions=(Extension("e", "finish", "handler", Limit(days=5), "某法第二条"),),
                    ),
                )
            },
            "extension 'e' is in days, the clock in months",
        ),
        (
            {"clocks": (Clock("c", "时", ("start",), (), Limit(days=5), ""),)},
            "clock 'c' cites no rule",
        ),
    ],
)
def test_inconsistent_definitions_are_refused_with_every_problem(overrides, problem):
    with pytest.raises(DefinitionError) as info:
        tiny(**overrides)
    assert any(problem in p for p in info.value.problems), info.value.problems
    assert isinstance(info.value, ProcedureError)
    assert isinstance(info.value, ValueError)
    assert info.value.message_zh.startswith("程序定义有误")


def test_previous_does_not_count_as_reaching_a_state():
    with pytest.raises(DefinitionError, match="'done' cannot be reached"):
        tiny(
            transitions=(
                Transition("start", ("new",), "open", ("handler",)),
                Transition("x", ("open",), PREVIOUS, ("handler",)),
            )
        )


@pytest.mark.parametrize("kwargs", [{}, {"days": 1, "months": 1}, {"days": 0}, {"working_days": True}])
def test_a_limit_takes_one_positive_unit(kwargs):
    with pytest.raises(DefinitionError, match="exactly one of"):
        Limit(**kwargs)


def test_the_patent_procedure_is_valid_in_both_profiles_and_records_its_parameters():
    assert PATENT_ADJUDICATION.profile == "S1-2025"
    assert dict(PATENT_ADJUDICATION.parameters)["restart_filing_clock_on_correction"] is True
    other = patent_adjudication(restart_filing_clock_on_correction=False)
    assert other.clock("filing").starts_on == ("file_request",)


def test_every_clock_of_the_patent_procedure_cites_an_article():
    for clock in PATENT_ADJUDICATION.clocks:
        assert clock.citation.startswith("《专利纠纷行政裁决和调解办法》第"), clock.code
        assert clock.citation.endswith("条")


def test_public_api_is_sorted_and_complete():
    assert huhang.procedures.__all__ == sorted(huhang.procedures.__all__, key=lambda n: (not n.isupper(), n))
    for name in huhang.procedures.__all__:
        assert hasattr(huhang.procedures, name)


def test_a_refusal_without_a_citation_is_refused():
    from huhang.procedures import Refusal

    refusal = Refusal("kind", "x", "not for x", "不适用", "")
    with pytest.raises(DefinitionError, match="refusal on 'kind' needs a citation"):
        tiny(transitions=(Transition("start", ("new",), "open", ("handler",), refused_if=(refusal,)),))


def test_the_mediation_and_penalty_procedures_build_with_their_defaults():
    from huhang.procedures.definitions import COUNTERFEITING_PENALTY, PATENT_MEDIATION

    assert dict(PATENT_MEDIATION.parameters) == {"other_time_limit": None, "roll": "rest_days"}
    assert COUNTERFEITING_PENALTY.clock("decision").limit == Limit(days=90)
