"""The indicator figures of one matter (KPIS.md K5, K6, K7, K8, K19) from its replayed history."""

import datetime as dt

from huhang.procedures import handling, replay
from huhang.procedures.definitions import (
    COUNTERFEITING_PENALTY,
    JUDICIAL_CASE,
    PATENT_ADJUDICATION,
    PATENT_MEDIATION,
    RIGHTS_ASSISTANCE,
)

from .conftest import ACCEPTED, FILED, SERVED, build

D = dt.date
EVIDENCE = ("open_evidence", D(2026, 10, 12), "handler", {"period_days": 15})
WRITTEN = ("choose_written_hearing", D(2026, 10, 30), "handler")
COMMENT = ("notify_facts_for_comment", D(2026, 10, 30), "handler", {"period_days": 10})
REVIEWED = ("close_written_review", D(2026, 11, 10), "handler")
DECIDED = ("decide", D(2026, 11, 20), "handler")
PUBLISHED = ("publish", D(2026, 11, 24), "handler")


def figures(*steps, procedure=PATENT_ADJUDICATION):
    return handling(replay(procedure, build(*steps, procedure=procedure)))


def test_an_open_matter_has_its_acceptance_date_and_nothing_else():
    result = figures(FILED, ACCEPTED, SERVED)
    assert result.accepted_on == D(2026, 9, 28)
    assert (result.closed_on, result.handling_days, result.within_limit) == (None, None, None)
    assert result.mediation_offered is False


def test_handling_days_run_from_acceptance_to_the_closing_step():
    result = figures(FILED, ACCEPTED, SERVED, EVIDENCE, WRITTEN, COMMENT, REVIEWED, DECIDED, PUBLISHED)
    assert result.closed_on == D(2026, 11, 24)
    assert result.handling_days == (D(2026, 11, 24) - D(2026, 9, 28)).days == 57
    assert (result.excluded_days, result.within_limit) == (0, True)


def test_suspended_days_are_left_out_of_the_handling_days_once_only():
    result = figures(
        FILED,
        ACCEPTED,
        SERVED,
        ("suspend", D(2026, 10, 10), "handler", {"reason": "无效宣告请求已受理"}),
        ("resume", D(2026, 10, 30), "handler"),
        (*EVIDENCE[:1], D(2026, 11, 2), *EVIDENCE[2:]),
        ("choose_written_hearing", D(2026, 11, 18), "handler"),
        ("notify_facts_for_comment", D(2026, 11, 18), "handler", {"period_days": 10}),
        ("close_written_review", D(2026, 11, 30), "handler"),
        ("decide", D(2026, 12, 4), "handler"),
        ("publish", D(2026, 12, 8), "handler"),
    )
    # Several clocks exclude the same 20 days of 中止; they count once.
    assert result.excluded_days == 20
    assert result.handling_days == (D(2026, 12, 8) - D(2026, 9, 28)).days - 20


def test_a_matter_refused_before_acceptance_has_no_handling_days():
    result = figures(FILED, ("reject", D(2026, 9, 25), "handler", {"reason": "不属于受理范围"}))
    assert result.accepted_on is None and result.closed_on == D(2026, 9, 25)
    assert result.handling_days is None and result.within_limit is None


def test_a_late_clock_makes_the_matter_not_within_its_limits():
    late_service = ("serve_request_copy", D(2026, 10, 20), "handler")  # due 2026-10-10
    result = figures(
        FILED, ACCEPTED, late_service, ("revoke", D(2026, 10, 21), "handler", {"ground": "withdrawn"})
    )
    assert result.within_limit is False and result.handling_days == 23


def test_k19_mediation_offered_is_recorded_even_when_the_parties_decline():
    offered = figures(FILED, ACCEPTED, SERVED, ("offer_mediation", D(2026, 10, 12), "handler"))
    assert offered.mediation_offered is True
    assert figures(FILED, ACCEPTED, SERVED).mediation_offered is False


def test_k19_a_mediation_matter_is_mediation_offered_from_its_request():
    request = ("file_request", D(2026, 3, 2), "applicant", {"dispute_type": "infringement_damages"})
    result = figures(request, procedure=PATENT_MEDIATION)
    assert result.mediation_offered is True and result.accepted_on is None


def test_acceptance_is_the_procedures_own_step():
    assert COUNTERFEITING_PENALTY.acceptance == ("file_case",)
    assert RIGHTS_ASSISTANCE.acceptance == ("accept",)
    penalty = figures(
        ("receive_clue", D(2026, 3, 2), "handler", {"source": "complaint"}),
        ("file_case", D(2026, 3, 10), "handler"),
        procedure=COUNTERFEITING_PENALTY,
    )
    assert penalty.accepted_on == D(2026, 3, 10)


def test_court_cases_follow_the_trial_outcome_for_k7_and_k8():
    result = figures(
        ("file_ordinary", D(2025, 3, 31), "partner"),
        ("start_appraisal", D(2025, 5, 6), "partner"),
        ("end_appraisal", D(2025, 6, 5), "partner"),
        ("close_by_judgment", D(2025, 10, 20), "partner"),
        procedure=JUDICIAL_CASE,
    )
    assert (result.accepted_on, result.closed_on) == (D(2025, 3, 31), D(2025, 10, 20))
    assert (result.handling_days, result.excluded_days, result.within_limit) == (203 - 30, 30, True)
