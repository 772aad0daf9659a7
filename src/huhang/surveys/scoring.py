"""The satisfaction score (K1, docs/surveys.md "Scoring"): from one answer's values to a 0–100 score, and from
the answers of a period to the indicator.

Plain Python: no Django import, so that the formula can be read and tested on its own.

- An item's score maps its value to 0–100: a 1–5 Likert value v scores 25·(v − 1); a 0–10 value v scores 10·v;
  a single-choice option scores what the questionnaire gives that option (0–100).
- An answer's score is the weighted mean of its items' scores, over the scored questions it answered
  (A, weight w_i > 0): S = Σ_A w_i·s_i ÷ Σ_A w_i. Optional questions left unanswered are left out of the weights.
- An answer's weight is the share of the questionnaire's scored weight it answered: W = Σ_A w_i ÷ Σ_Q w_i
  (1 for an answer that rated every scored question), so that versions with different weight totals mix fairly.
- The period's score is the weighted mean of its valid answers: K = Σ W_a·S_a ÷ Σ W_a; none when there are no
  answers (never 0).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

LIKERT5 = "likert5"
SCALE10 = "scale10"
CHOICE = "choice"
TEXT = "text"
KINDS = (LIKERT5, SCALE10, CHOICE, TEXT)
#: Kinds whose value is a number on a scale: always scored when they carry a weight.
SCALES = {LIKERT5: (1, 5), SCALE10: (0, 10)}


def item_score(kind: str, value: object, *, option_scores: Mapping[str, float] | None = None) -> float:
    """Return the 0–100 score of ``value`` answered to a question of ``kind``.

    Raises ValueError for a value outside the question's scale or options, and for a free-text question.
    """
    if kind in SCALES:
        low, high = SCALES[kind]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{kind} takes a whole number from {low} to {high}, not {value!r}")
        return 25.0 * (value - 1) if kind == LIKERT5 else 10.0 * value
    if kind == CHOICE:
        scores = option_scores or {}
        if value not in scores or scores[value] is None:
            raise ValueError(f"option {value!r} has no score")
        return float(scores[value])
    raise ValueError(f"{kind} questions are not scored")


@dataclass(frozen=True)
class ScoredItem:
    """One answered scored question: its weight in the questionnaire and its 0–100 score."""

    weight: float
    score: float


@dataclass(frozen=True)
class AnswerScore:
    """An answer's score (0–100) and its weight in the period's mean (0 < weight ≤ 1)."""

    score: float
    weight: float


def answer_score(items: Iterable[ScoredItem], *, total_weight: float) -> AnswerScore | None:
    """Return the score of one answer from its answered scored ``items``; None if they carry no weight.

    ``total_weight`` is the sum of the weights of every scored question of the questionnaire (> 0).
    """
    if not total_weight > 0:
        raise ValueError(f"the questionnaire's weights must sum to a positive number, not {total_weight!r}")
    counted = [item for item in items if item.weight > 0]
    answered = math.fsum(item.weight for item in counted)
    if answered <= 0:
        return None
    score = math.fsum(item.weight * item.score for item in counted) / answered
    return AnswerScore(score=score, weight=answered / total_weight)


def period_score(answers: Iterable[AnswerScore]) -> float | None:
    """Return K = Σ W·S ÷ Σ W over ``answers``; None when there are none.

    The platform computes this in the database (``surveys.selectors``); this is the reference the tests compare it with.
    """
    answers = list(answers)
    weights = math.fsum(a.weight for a in answers)
    if not answers or weights <= 0:
        return None
    return math.fsum(a.weight * a.score for a in answers) / weights
