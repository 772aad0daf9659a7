"""Answers from the public portal: scores stored at submission, refusals that write nothing, repeats, the
honeypot and the rate limit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from huhang.surveys import services
from huhang.surveys.models import Answer, AnswerItem, Flag
from tests.surveys.conftest import at, small_definition

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 10, 12)


def test_an_answer_stores_its_items_score_and_weight(submit, districts):
    answer = submit(
        {"q1": "4", "q2": 8, "q3": "b", "q5": "  多一些培训。 "}, district=districts["420106"], when=at(DAY)
    )
    assert answer.score == pytest.approx(440 / 6)
    assert answer.weight == pytest.approx(0.6)
    assert (answer.channel, answer.flag, answer.submitted_on, answer.code) == ("portal", "", DAY, "small")
    assert answer.district.code == "420106"
    items = {i.question.key: i for i in answer.items.select_related("question")}
    assert set(items) == {"q1", "q2", "q3", "q5"}
    assert (items["q1"].value, items["q1"].score) == ("4", 75.0)
    assert (items["q3"].value, items["q3"].score) == ("b", 50.0)
    assert (items["q5"].text, items["q5"].score) == ("多一些培训。", None)


def test_the_client_address_is_kept_only_as_a_keyed_hash(submit):
    answer = submit({"q1": 4, "q2": 8}, client=services.Client(address="203.0.113.7", session="abc"))
    assert answer.client_digest and "203.0.113.7" not in answer.client_digest
    assert len(answer.client_digest) == 64


REFUSED = [
    ({"q2": 8}, "q1", "Please answer this question."),
    ({"q1": 6, "q2": 8}, "q1", "Choose a whole number from 1 to 5."),
    ({"q1": "four", "q2": 8}, "q1", "Choose a whole number from 1 to 5."),
    ({"q1": True, "q2": 8}, "q1", "Choose a whole number from 1 to 5."),
    ({"q1": 4, "q2": 11}, "q2", "Choose a whole number from 0 to 10."),
    ({"q1": 4, "q2": 8, "q3": "z"}, "q3", "Choose one of the options given."),
    ({"q1": 4, "q2": 8, "q5": "长" * 2001}, "q5", "At most 2000 characters, please."),
    ({"q1": 4, "q2": 8, "q9": 3}, "__all__", "Unknown questions: q9."),
]


@pytest.mark.parametrize(("values", "field", "message"), REFUSED, ids=[r[2] + " " + r[1] for r in REFUSED])
def test_a_bad_answer_is_refused_with_the_question_named_and_nothing_written(submit, values, field, message):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        submit(values)
    assert message in refused.value.message_dict[field]
    assert not Answer.objects.exists() and not AnswerItem.objects.exists()


def test_the_respondent_type_must_be_one_of_the_list(submit):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        submit({"q1": 4, "q2": 8}, respondent_type="robot")
    assert refused.value.message_dict["respondent_type"] == ["Choose who you are answering as."]
    assert not Answer.objects.exists()


def test_an_answer_must_rate_at_least_one_scored_question(db):
    definition = small_definition(code="optional")
    for q in definition["questions"]:
        q["required"] = False
    questionnaire = services.questionnaire_publish(definition=definition)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.answer_submit_portal(
            questionnaire=questionnaire,
            values={"q5": "只有建议"},
            respondent_type="individual",
            client=services.Client(),
        )
    assert refused.value.message_dict["__all__"] == ["Please rate at least one of the scored questions."]
    assert not Answer.objects.exists()


def test_a_questionnaire_closed_on_the_portal_takes_no_portal_answers(db):
    questionnaire = services.questionnaire_publish(definition=small_definition(code="cases-only", channels=["case"]))
    with translation.override("en"), pytest.raises(ValidationError, match="not open on the portal"):
        services.answer_submit_portal(
            questionnaire=questionnaire, values={"q1": 4, "q2": 8}, respondent_type="lawyer", client=services.Client()
        )


def test_the_honeypot_keeps_the_answer_but_does_not_count_it(submit):
    answer = submit({"q1": 5, "q2": 10}, honeypot="http://spam.example")
    assert answer.flag == Flag.HONEYPOT and not answer.counted
    assert answer.flag_reason and answer.flagged_by is None and answer.flagged_at == answer.submitted_at


def test_a_second_answer_of_the_same_session_that_day_is_kept_as_a_duplicate(submit):
    browser = services.Client(address="198.51.100.1", session="browser-1")
    first = submit({"q1": 4, "q2": 8}, client=browser, when=at(DAY, 9))
    again = submit(
        {"q1": 1, "q2": 0}, client=services.Client(address="198.51.100.2", session="browser-1"), when=at(DAY, 15)
    )
    next_day = submit({"q1": 2, "q2": 3}, client=browser, when=at(DAY + dt.timedelta(days=1), 9))
    assert first.flag == Flag.NONE
    assert again.flag == Flag.DUPLICATE
    assert next_day.flag == Flag.NONE
    assert Answer.objects.count() == 3


def test_one_counted_answer_per_address_and_day_by_default(submit):
    first = submit({"q1": 4, "q2": 8}, client=services.Client(address="198.51.100.9", session="a"), when=at(DAY, 9))
    second = submit({"q1": 4, "q2": 8}, client=services.Client(address="198.51.100.9", session="b"), when=at(DAY, 10))
    assert (first.flag, second.flag) == (Flag.NONE, Flag.DUPLICATE)


def test_an_office_behind_one_address_may_be_allowed_more_answers(submit, settings):
    settings.HUHANG_SURVEY_ANSWERS_PER_ADDRESS_PER_DAY = 2
    flags = [
        submit({"q1": 4, "q2": 8}, client=services.Client(address="198.51.100.9", session=s), when=at(DAY, 9 + n)).flag
        for n, s in enumerate("abc")
    ]
    assert flags == [Flag.NONE, Flag.NONE, Flag.DUPLICATE]


def test_an_invalidated_answer_does_not_block_the_next_one_of_its_session(submit, approver):
    browser = services.Client(address="198.51.100.3", session="s")
    first = submit({"q1": 4, "q2": 8}, client=browser, when=at(DAY, 9))
    services.answer_invalidate(actor=approver, answer=first, reason="误填，本人要求重填")
    assert submit({"q1": 4, "q2": 8}, client=browser, when=at(DAY, 10)).flag == Flag.NONE


def test_too_many_answers_from_one_address_in_an_hour_are_refused(submit, settings):
    settings.HUHANG_SURVEY_RATE_PER_HOUR = 3
    start = at(DAY, 9)
    for n in range(3):
        submit(
            {"q1": 4, "q2": 8},
            client=services.Client(address="192.0.2.1", session=f"s{n}"),
            when=start + dt.timedelta(minutes=n),
        )
    with translation.override("en"), pytest.raises(services.RateLimited) as refused:
        submit(
            {"q1": 4, "q2": 8},
            client=services.Client(address="192.0.2.1", session="s9"),
            when=start + dt.timedelta(minutes=30),
        )
    assert "at most 3" in str(refused.value)
    assert Answer.objects.count() == 3
    later = submit(
        {"q1": 4, "q2": 8},
        client=services.Client(address="192.0.2.1", session="s10"),
        when=start + dt.timedelta(minutes=61),
    )
    assert later.pk is not None


def test_a_bad_setting_is_reported_by_name(submit, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.HUHANG_SURVEY_RATE_PER_HOUR = 0
    with pytest.raises(ImproperlyConfigured, match="HUHANG_SURVEY_RATE_PER_HOUR"):
        submit({"q1": 4, "q2": 8})
    assert not Answer.objects.exists()


def test_an_answer_is_never_changed_or_deleted(submit):
    from huhang.evidence.models import InsertOnlyError

    answer = submit({"q1": 4, "q2": 8})
    answer.score = 100
    with pytest.raises(InsertOnlyError):
        answer.save()
    with pytest.raises(InsertOnlyError):
        answer.save(update_fields=["score"])
    with pytest.raises(InsertOnlyError):
        answer.delete()
    answer.refresh_from_db()
    assert answer.score == 78.0  # (2·75 + 3·80) ÷ 5
