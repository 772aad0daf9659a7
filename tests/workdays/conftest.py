import pytest


@pytest.fixture
def schedule_2027():
    """A made-up 2027 schedule in the loading format (not the official one, which is unpublished)."""
    return {
        "year": 2027,
        "holidays": [
            {"name": "元旦", "dates": ["2027-01-01"]},
            {"name": "春节", "dates": [f"2027-02-{day:02d}" for day in range(6, 14)]},
        ],
        "workdays": ["2027-02-20"],
        "source": "test data, not an official notice",
        "published": "2026-11-20",
    }
