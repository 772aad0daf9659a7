import datetime as dt

import pytest

from huhang.monitoring.periods import PeriodError, parse_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "code"),
    [
        ("2025", D(2025, 1, 1), D(2026, 1, 1), "2025"),
        ("2025Q3", D(2025, 7, 1), D(2025, 10, 1), "2025Q3"),
        ("2025q4", D(2025, 10, 1), D(2026, 1, 1), "2025Q4"),
        ("2025-09", D(2025, 9, 1), D(2025, 10, 1), "2025-09"),
        ("2025-9", D(2025, 9, 1), D(2025, 10, 1), "2025-09"),
        ("2025-09-01..2025-12-31", D(2025, 9, 1), D(2026, 1, 1), "2025-09-01..2025-12-31"),
    ],
)
def test_periods_are_read_as_staff_write_them(text, start, end, code):
    period = parse_period(text)
    assert (period.start, period.end, period.code) == (start, end, code)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Cannot read the period"),
        ("2025Q5", "Cannot read the period"),
        ("2025-13", "no month 13"),
        ("2025-12-31..2025-01-01", "before it starts"),
        ("2025-02-30..2025-03-01", "Not a date"),
    ],
)
def test_bad_periods_are_refused_with_the_reason(text, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(text)


def test_elapsed_share_months_and_the_year_before():
    year = parse_period("2025")
    assert year.elapsed(D(2024, 12, 31)) == 0 and year.elapsed(D(2026, 1, 5)) == 1
    assert year.elapsed(D(2025, 7, 2)) == pytest.approx(183 / 365)
    assert [m.code for m in parse_period("2025-11-15..2026-01-10").months()] == ["2025-11", "2025-12", "2026-01"]
    assert parse_period("2024").shifted_years(-1).code == "2023"
    assert parse_period("2024-02-01..2024-02-29").shifted_years(-1).end == D(2023, 3, 1)
