"""Property tests over the covered years (hypothesis)."""

import datetime as dt

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from huhang.workdays import (  # noqa: E402
    RollOver,
    add_working_days,
    is_working_day,
    period_end,
    working_days_due,
)

# Far enough from the end of 2026 that n <= 60 working days never leaves the covered years.
starts = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2026, 9, 1))
counts = st.integers(min_value=1, max_value=60)


@given(starts, counts)
def test_result_is_a_working_day_after_start(start, n):
    end = add_working_days(start, n)
    assert end > start
    assert is_working_day(end)


@given(starts, counts)
def test_exactly_n_working_days_in_between(start, n):
    end = add_working_days(start, n)
    days = [start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(map(is_working_day, days)) == n


@given(starts, counts)
def test_additive(start, n):
    assert add_working_days(add_working_days(start, n), 1) == add_working_days(start, n + 1)


@given(starts, starts, counts)
def test_monotonic_in_start(a, b, n):
    a, b = min(a, b), max(a, b)
    assert add_working_days(a, n) <= add_working_days(b, n)


@given(starts, counts)
def test_provisional_flag_is_false_inside_covered_years(start, n):
    due = working_days_due(start, n, allow_provisional=True)
    assert not due.provisional and due.date == add_working_days(start, n)


@given(starts, st.integers(min_value=1, max_value=90))
def test_period_end_is_a_working_day_on_or_after_the_raw_end(start, days):
    end = period_end(start, days=days)
    raw = start + dt.timedelta(days=days)
    assert end >= raw and is_working_day(end)
    assert all(not is_working_day(raw + dt.timedelta(days=i)) for i in range((end - raw).days))
    assert period_end(start, days=days, roll=RollOver.HOLIDAYS_ONLY) <= end


@given(starts, st.integers(min_value=1, max_value=3))
def test_month_period_never_before_raw_end(start, months):
    end = period_end(start, months=months)
    assert is_working_day(end) and end > start
