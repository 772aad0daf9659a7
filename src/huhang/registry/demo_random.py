"""Random choices shared by the demo generators: every one draws from a ``random.Random`` it is given.

Plain Python: no Django import.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Final

AS_OF: Final = dt.date(2026, 11, 20)
"""The last day the demo data describes; fixed so that the same seed gives the same data on any day."""


def section_rng(seed: int, section: str) -> random.Random:
    """Return the random stream of one section, so that sections do not shift each other's draws."""
    return random.Random(f"huhang-demo:{seed}:{section}")


def pick(rng: random.Random, weights: Sequence[float]) -> int:
    """Return an index into ``weights``, chosen with those weights."""
    return rng.choices(range(len(weights)), weights=weights)[0]


def date_between(rng: random.Random, first: dt.date, last: dt.date, *, skew: float = 1.0) -> dt.date:
    """Return a date in [first, last]; ``skew`` > 1 favours later dates, < 1 earlier ones."""
    span = (last - first).days
    return first + dt.timedelta(days=int(span * rng.random() ** (1 / skew)))


def date_in_year(rng: random.Random, year: int) -> dt.date:
    """Return a date of ``year``, not after :data:`AS_OF`."""
    return date_between(rng, dt.date(year, 1, 1), min(dt.date(year, 12, 31), AS_OF))


def year_from(rng: random.Random, weights: dict[int, float]) -> int:
    """Return a year chosen with the given weights."""
    years = list(weights)
    return years[pick(rng, list(weights.values()))]


def add_years(day: dt.date, years: int) -> dt.date:
    """Return ``day`` shifted by whole years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
