"""Closed within the 审限? (K7, LEGAL.md §4) and days taken (K8), from a replayed judicial case."""

import datetime as dt

import pytest

from huhang.procedures import ProcedureError, replay
from huhang.procedures.definitions import (
    JUDICIAL_CASE,
    PATENT_ADJUDICATION,
    closed_within_limit,
    judicial_case,
    trial_outcome,
)

from .conftest import FILED, build

D = dt.date
ORDINARY = ("file_ordinary", D(2025, 3, 31), "partner")
EXTEND_6M = ("extend_ordinary", D(2025, 9, 1), "court_president")


def status(*steps, procedure=JUDICIAL_CASE):
    return replay(procedure, build(*steps, procedure=procedure))


def test_cpl_152_closed_before_the_6_months_is_within_the_limit():
    closed = status(ORDINARY, ("close_by_judgment", D(2025, 9, 30), "partner"))
    outcome = trial_outcome(closed)
    assert outcome.limit_clock == "ordinary" and outcome.within_limit
    assert (outcome.filed_on, outcome.closed_on, outcome.closing_action) == (
        D(2025, 3, 31),
        D(2025, 9, 30),
        "close_by_judgment",
    )
    assert outcome.due == outcome.due_without_extensions == D(2025, 9, 30)
    assert (outcome.elapsed_days, outcome.excluded_days, outcome.extended) == (183, 0, False)
    assert closed_within_limit(closed) is True


def test_cpl_152_closed_after_the_6_months_without_extension_is_late():
    closed = status(ORDINARY, ("close_by_mediation", D(2025, 10, 10), "partner"))
    assert closed_within_limit(closed) is False


def test_cpl_152_closed_within_an_approved_extension_counts_only_if_the_parameter_says_so():
    closed = status(ORDINARY, EXTEND_6M, ("close_by_judgment", D(2025, 12, 15), "partner"))
    outcome = trial_outcome(closed)
    assert (outcome.due, outcome.due_without_extensions) == (D(2026, 3, 31), D(2025, 9, 30))
    assert outcome.extended and outcome.extensions_count_as_in_limit and outcome.within_limit
    assert closed_within_limit(closed, extensions_count_as_in_limit=False) is False
    strict = judicial_case(extensions_count_as_in_limit=False)
    assert closed_within_limit(status(*_steps(closed), procedure=strict)) is False


def test_s5_art_243_excluded_days_move_the_limit_and_are_reported_for_k8():
    closed = status(
        ORDINARY,
        ("start_appraisal", D(2025, 5, 6), "partner"),
        ("end_appraisal", D(2025, 6, 5), "partner"),
        ("close_by_judgment", D(2025, 10, 20), "partner"),
    )
    outcome = trial_outcome(closed)
    assert outcome.due == D(2025, 10, 30) and outcome.within_limit  # 9-30 + 30 days
    assert (outcome.elapsed_days, outcome.excluded_days) == (203, 30)


def test_s5_art_258_a_converted_case_is_judged_by_the_ordinary_limit_from_the_original_filing():
    closed = status(
        ("file_summary", D(2025, 3, 3), "partner"),
        ("convert_to_ordinary", D(2025, 5, 20), "partner"),
        ("close_by_withdrawal", D(2025, 8, 1), "partner"),
    )
    outcome = trial_outcome(closed)
    assert (outcome.limit_clock, outcome.filed_on, outcome.due) == ("ordinary", D(2025, 3, 3), D(2025, 9, 3))
    assert outcome.elapsed_days == 151 and outcome.within_limit


def test_cpl_164_summary_case_closed_within_its_1_month_extension():
    closed = status(
        ("file_summary", D(2025, 6, 30), "partner"),
        ("extend_summary", D(2025, 9, 15), "court_president"),
        ("close_by_ruling", D(2025, 10, 20), "partner"),
    )
    outcome = trial_outcome(closed)
    assert (outcome.limit_clock, outcome.due, outcome.due_without_extensions) == (
        "summary",
        D(2025, 10, 30),
        D(2025, 9, 30),
    )
    assert outcome.within_limit
    assert trial_outcome(closed, extensions_count_as_in_limit=False).within_limit is False


def test_an_open_case_and_a_foreign_related_case_have_no_outcome():
    assert trial_outcome(status(ORDINARY)) is None
    foreign = status(
        ("file_ordinary", D(2025, 3, 31), "partner", {"foreign_related": True}),
        ("close_by_judgment", D(2026, 3, 31), "partner"),
    )
    assert closed_within_limit(foreign) is None


def test_another_procedure_is_refused_in_english_and_chinese():
    with pytest.raises(ProcedureError) as info:
        trial_outcome(replay(PATENT_ADJUDICATION, build(FILED)))
    assert "judicial case" in str(info.value) and "仅适用于法院案件" in info.value.message_zh


def _steps(status_):
    return [(e.action, e.at, e.actor_role, dict(e.payload)) for e in status_.history]
