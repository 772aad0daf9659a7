"""met / on track / at risk / no data, as monitoring/status.py defines them."""

import datetime as dt
from decimal import Decimal

from huhang.monitoring.indicators import indicator
from huhang.monitoring.periods import parse_period
from huhang.monitoring.status import status_of

D = dt.date
YEAR = parse_period("2025")


def test_no_value_is_no_data():
    assert status_of(indicator("K3"), None, Decimal(85000), YEAR, D(2025, 6, 1))[0] == "no_data"


def test_meeting_the_target_is_met_whatever_the_date():
    assert status_of(indicator("K8"), Decimal(99), Decimal(100), YEAR, D(2025, 3, 1))[0] == "met"
    assert status_of(indicator("K9"), Decimal(201), Decimal(200), YEAR, D(2026, 3, 1))[0] == "met"
    assert status_of(indicator("K9"), Decimal(200), Decimal(200), YEAR, D(2026, 3, 1))[0] == "at_risk"  # "超过200"


def test_an_additive_count_is_projected_to_the_periods_end():
    # 2025-07-02 is half-way through the year (183 of 365 days).
    status, reason = status_of(indicator("K3"), Decimal(43000), Decimal(85000), YEAR, D(2025, 7, 2))
    assert status == "on_track" and "85,7" in reason
    assert status_of(indicator("K3"), Decimal(40000), Decimal(85000), YEAR, D(2025, 7, 2))[0] == "at_risk"


def test_a_register_keeps_pace_from_its_value_at_the_start():
    on_time = status_of(indicator("K9"), Decimal(151), Decimal(200), YEAR, D(2025, 7, 2), start_value=Decimal(100))
    behind = status_of(indicator("K9"), Decimal(140), Decimal(200), YEAR, D(2025, 7, 2), start_value=Decimal(100))
    assert on_time[0] == "on_track" and behind[0] == "at_risk"


def test_a_finished_period_that_missed_is_at_risk_and_says_so():
    status, reason = status_of(indicator("K1"), Decimal("80.2"), Decimal("83.5"), YEAR, D(2026, 1, 1))
    assert status == "at_risk" and "ended" in reason
