"""The K1 selector the monitoring dashboard calls: the weighted score over a period, aggregated by the database."""

import datetime as dt

import pytest

from huhang.surveys import scoring, selectors, services
from huhang.surveys.models import Answer
from tests.surveys.conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def three(submit, districts, closed_case, small, settings):
    """Answers A (S = 440/6, W = 0.6), B (S = 60, W = 1) and C (S = 0, W = 0.5) in October 2026."""
    settings.HUHANG_SURVEY_CASE_QUESTIONNAIRE = "small"
    a = submit({"q1": 4, "q2": 8, "q3": "b"}, when=at(D(2026, 10, 1)), district=districts["420106"])
    b = submit({"q1": 5, "q2": 10, "q3": "a", "q4": 1}, when=at(D(2026, 10, 20)), district=districts["420111"])
    invitation = services.survey_invite_for_case(closed_case(), now=at(D(2026, 10, 16)))
    c = services.answer_submit_invitation(
        invitation=invitation, values={"q1": 1, "q2": 0}, respondent_type="individual", at=at(D(2026, 10, 31), 23, 59)
    )
    return a, b, c


def test_no_answers_give_no_score_never_zero(db):
    result = selectors.satisfaction(D(2026, 1, 1), D(2026, 2, 1))
    assert result.score is None
    assert result.sample_size == 0
    assert result.meets_target is None
    assert result.by_channel == {"portal": selectors.Figure(None, 0), "case": selectors.Figure(None, 0)}
    assert result.answer_ids == []


def test_the_database_aggregate_equals_the_hand_computation(three):
    a, b, c = three
    assert (a.score, a.weight) == (pytest.approx(440 / 6), pytest.approx(0.6))
    assert (b.score, b.weight) == (60.0, 1.0)
    assert (c.score, c.weight) == (0.0, 0.5)
    result = selectors.satisfaction(D(2026, 10, 1), D(2026, 11, 1))
    # (0.6 · 440/6 + 1 · 60 + 0.5 · 0) ÷ (0.6 + 1 + 0.5) = 104 ÷ 2.1
    assert result.score == pytest.approx(104 / 2.1)
    assert result.score == pytest.approx(scoring.period_score(scoring.AnswerScore(x.score, x.weight) for x in three))
    assert result.sample_size == 3
    assert result.by_channel["portal"] == selectors.Figure(pytest.approx((44 + 60) / 1.6), 2)
    assert result.by_channel["case"] == selectors.Figure(0.0, 1)
    assert sorted(result.answer_ids) == sorted(x.pk for x in three)


def test_the_score_is_two_queries_whatever_the_number_of_answers(three, django_assert_num_queries):
    with django_assert_num_queries(2):
        selectors.satisfaction(D(2026, 10, 1), D(2026, 11, 1))


def test_the_period_includes_its_start_and_excludes_its_end(three):
    _a, b, c = three
    assert selectors.satisfaction(D(2026, 10, 2), D(2026, 10, 31)).answer_ids == [b.pk]
    assert selectors.satisfaction(D(2026, 10, 31), D(2026, 11, 1)).answer_ids == [c.pk]  # 23:59 Beijing time
    assert selectors.satisfaction(D(2026, 9, 1), D(2026, 10, 1)).score is None


def test_a_district_is_given_as_a_row_or_its_code(three, districts):
    a, b, _c = three
    by_row = selectors.satisfaction(D(2026, 10, 1), D(2026, 11, 1), district=districts["420106"])
    by_code = selectors.satisfaction(D(2026, 10, 1), D(2026, 11, 1), district="420111")
    assert (by_row.answer_ids, by_row.score) == ([a.pk], pytest.approx(440 / 6))
    assert (by_code.answer_ids, by_code.score) == ([b.pk], 60.0)


def test_answers_not_counted_are_left_out(three, approver, submit):
    c = three[2]
    submit({"q1": 5, "q2": 10}, when=at(D(2026, 10, 5)), honeypot="x")
    services.answer_invalidate(actor=approver, answer=c, reason="同一当事人重复作答")
    result = selectors.satisfaction(D(2026, 10, 1), D(2026, 11, 1))
    assert result.sample_size == 2
    assert result.score == pytest.approx(104 / 1.6)
    assert Answer.objects.count() == 4
    assert selectors.not_counted_count(D(2026, 10, 1), D(2026, 11, 1)) == 2


def test_answers_to_questionnaires_outside_k1_are_left_out(three, db):
    from tests.surveys.conftest import small_definition

    other = services.questionnaire_publish(definition=small_definition(code="training", indicator=""))
    services.answer_submit_portal(
        questionnaire=other,
        values={"q1": 1, "q2": 0},
        respondent_type="other",
        client=services.Client(address="x", session="y"),
        at=at(D(2026, 10, 3)),
    )
    assert selectors.satisfaction(D(2026, 10, 1), D(2026, 11, 1)).sample_size == 3


def test_the_monthly_series(three, submit):
    submit({"q1": 3, "q2": 5}, when=at(D(2026, 12, 2)))
    months = selectors.satisfaction_by_month(D(2026, 9, 15), D(2027, 1, 1))
    assert [m.month for m in months] == [D(2026, 9, 1), D(2026, 10, 1), D(2026, 11, 1), D(2026, 12, 1)]
    assert [m.sample_size for m in months] == [0, 3, 0, 1]
    assert months[0].score is None and months[2].score is None
    assert months[1].score == pytest.approx(104 / 2.1)
    assert months[3].score == 50.0


def test_per_question_averages(three):
    figures = {f.key: f for f in selectors.question_averages(D(2026, 10, 1), D(2026, 11, 1))}
    assert list(figures) == ["q1", "q2", "q3", "q4"]  # the free-text question is not scored
    assert (figures["q1"].average, figures["q1"].answered) == (pytest.approx((75 + 100 + 0) / 3), 3)
    assert (figures["q3"].average, figures["q3"].answered) == (75.0, 2)
    assert (figures["q4"].average, figures["q4"].answered) == (0.0, 1)


def test_per_district(three):
    rows = selectors.satisfaction_by_district(D(2026, 10, 1), D(2026, 11, 1))
    assert [(r["district__code"], r["n"]) for r in rows] == [("420106", 1), ("420111", 1), (None, 1)]


@pytest.mark.parametrize(
    ("start", "end", "error"),
    [
        (D(2026, 2, 1), D(2026, 2, 1), ValueError),
        (D(2026, 3, 1), D(2026, 2, 1), ValueError),
        ("2026-01-01", D(2026, 2, 1), TypeError),
    ],
)
def test_a_period_must_run_forward(db, start, end, error):
    with pytest.raises(error):
        selectors.satisfaction(start, end)
