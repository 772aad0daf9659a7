"""The scoring formula (docs/surveys.md "Scoring"), checked against sums done by hand."""

import subprocess
import sys
from pathlib import Path

import pytest

from huhang.surveys import scoring
from huhang.surveys.scoring import AnswerScore, ScoredItem

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("likert5", 1, 0.0),
        ("likert5", 2, 25.0),
        ("likert5", 3, 50.0),
        ("likert5", 4, 75.0),
        ("likert5", 5, 100.0),
        ("scale10", 0, 0.0),
        ("scale10", 7, 70.0),
        ("scale10", 10, 100.0),
    ],
    ids=lambda v: str(v),
)
def test_a_scale_value_maps_linearly_to_0_100(kind, value, expected):
    assert scoring.item_score(kind, value) == expected


def test_a_choice_scores_what_its_option_gives():
    assert scoring.item_score("choice", "b", option_scores={"a": 100, "b": 62.5}) == 62.5


@pytest.mark.parametrize(
    ("kind", "value", "options"),
    [
        ("likert5", 0, None),
        ("likert5", 6, None),
        ("likert5", True, None),
        ("likert5", 3.0, None),
        ("scale10", 11, None),
        ("scale10", -1, None),
        ("choice", "z", {"a": 100}),
        ("choice", "a", {"a": None}),
        ("text", "很好", None),
    ],
    ids=lambda v: repr(v),
)
def test_values_outside_the_scale_are_refused(kind, value, options):
    with pytest.raises(ValueError):
        scoring.item_score(kind, value, option_scores=options)


def test_answer_score_is_the_weighted_mean_of_the_answered_items():
    # Weights 2, 3, 1 answered of a questionnaire weighing 10 (a question of weight 4 left unanswered):
    # S = (2·75 + 3·80 + 1·50) ÷ 6 = 440 ÷ 6; W = 6 ÷ 10.
    result = scoring.answer_score([ScoredItem(2, 75.0), ScoredItem(3, 80.0), ScoredItem(1, 50.0)], total_weight=10)
    assert result.score == pytest.approx(440 / 6)
    assert result.weight == pytest.approx(0.6)


def test_an_unanswered_optional_question_is_left_out_of_the_weights_not_scored_zero():
    answered = scoring.answer_score([ScoredItem(2, 100.0)], total_weight=6)
    assert answered.score == 100.0  # not (2·100 + 4·0) ÷ 6
    assert answered.weight == pytest.approx(1 / 3)


def test_zero_weight_items_do_not_count_and_nothing_weighed_gives_none():
    assert scoring.answer_score([ScoredItem(0, 100.0), ScoredItem(1, 0.0)], total_weight=1).score == 0.0
    assert scoring.answer_score([ScoredItem(0, 100.0)], total_weight=1) is None
    assert scoring.answer_score([], total_weight=1) is None


def test_a_questionnaire_without_positive_weight_cannot_score():
    with pytest.raises(ValueError, match="positive"):
        scoring.answer_score([ScoredItem(1, 50.0)], total_weight=0)


def test_the_period_score_weighs_answers_by_the_share_they_answered():
    answers = [AnswerScore(440 / 6, 0.6), AnswerScore(60.0, 1.0), AnswerScore(0.0, 0.5)]
    # (0.6 · 440/6 + 1 · 60 + 0.5 · 0) ÷ (0.6 + 1 + 0.5) = 104 ÷ 2.1; the plain mean would be 44.44…
    assert scoring.period_score(answers) == pytest.approx(104 / 2.1)
    assert scoring.period_score(answers) != pytest.approx(sum(a.score for a in answers) / 3)


def test_no_answers_give_no_score_not_zero():
    assert scoring.period_score([]) is None


def test_the_scoring_module_imports_no_django():
    code = "import sys, huhang.surveys.scoring; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONPATH": str(SRC)}
    )
    assert out.stdout.strip() == "[]"
