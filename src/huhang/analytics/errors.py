"""Exceptions of the patent-analytics core.

Every error the package raises on bad input is an :class:`AnalyticsError`::

    AnalyticsError (ValueError)
     ├── LoadError            records or queries are malformed; ``problems`` lists each with its line
     ├── ReferenceDataError   a classification table is missing or not in the expected columns
     ├── StoreError           the analytical store is missing a prerequisite (e.g. no reference tables)
     └── SearchError          a search cannot run (no index, an unusable model directory, a bad query)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where (``source``, 1-based ``line``), which ``field`` and what."""

    source: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class AnalyticsError(ValueError):
    """Base class of every error raised by :mod:`huhang.analytics`."""


class LoadError(AnalyticsError):
    """Input lines are malformed. Nothing was written; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem], *, shown: int = 20) -> None:
        self.problems = tuple(problems)
        lines = [str(problem) for problem in self.problems[:shown]]
        more = len(self.problems) - shown
        if more > 0:
            lines.append(f"... and {more:,} more")
        count = len({(problem.source, problem.line) for problem in self.problems})
        super().__init__(f"{count:,} malformed line(s), nothing loaded:\n" + "\n".join(lines))


class ReferenceDataError(AnalyticsError):
    """A classification table is missing, unreadable or lacks expected columns."""


class StoreError(AnalyticsError):
    """The analytical store cannot do what was asked (a prerequisite is missing)."""


class SearchError(AnalyticsError):
    """A search cannot run: no index yet, an unusable model directory, or a malformed query."""
