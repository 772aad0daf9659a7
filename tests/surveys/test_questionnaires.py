"""Publishing questionnaires: versions, the shipped questionnaire, and definitions refused whole."""

import copy

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from huhang.audit.models import AuditEvent
from huhang.surveys import questionnaires, selectors, services
from huhang.surveys.models import Answer, Question, Questionnaire
from tests.surveys.conftest import small_definition

pytestmark = pytest.mark.django_db


def test_the_shipped_questionnaire_loads_once(default_questionnaire):
    q = default_questionnaire
    assert (q.code, q.version, q.indicator) == ("k1-satisfaction", 1, "K1")
    assert q.title_zh == "知识产权保护社会满意度调查问卷"
    texts = " ".join(q.questions.values_list("text_zh", flat=True))
    for topic in ("维权渠道便捷度", "办案效率", "办案公正性", "服务态度", "保护效果总体评价"):
        assert topic in texts
    assert q.on_portal and q.for_cases
    assert q.total_weight == sum(w for w in q.questions.values_list("weight", flat=True) if w is not None)
    again, new = services.questionnaire_load_default()
    assert (again.pk, new) == (q.pk, False)
    assert Questionnaire.objects.count() == 1


def test_every_question_and_option_of_the_shipped_questionnaire_has_an_english_text(default_questionnaire):
    for question in default_questionnaire.questions.all():
        assert question.text_en, question.key
        assert all(o["label"]["en"] for o in question.options), question.key


def test_a_new_version_leaves_answers_to_the_old_one_unchanged(small, submit):
    old = submit({"q1": 4, "q2": 8, "q3": "b"})
    changed = small_definition()
    changed["questions"][0]["weight"] = 10
    changed["questions"][1]["text"] = {"zh": "问题二（新）", "en": "Question two (new)"}
    v2 = services.questionnaire_publish(definition=changed)
    assert (v2.code, v2.version) == ("small", 2)
    old.refresh_from_db()
    assert old.questionnaire_id == small.pk
    assert old.score == pytest.approx(440 / 6) and old.weight == pytest.approx(0.6)
    assert set(old.items.values_list("question__questionnaire_id", flat=True)) == {small.pk}
    assert Question.objects.get(questionnaire=small, key="q2").text_zh == "问题二"
    assert selectors.portal_questionnaire("small").pk == v2.pk
    new = submit({"q1": 4, "q2": 8, "q3": "b"}, questionnaire=v2)
    assert new.score == pytest.approx((10 * 75 + 3 * 80 + 50) / 14)


def test_an_old_version_no_longer_takes_answers(small, submit):
    services.questionnaire_publish(definition=small_definition(title={"zh": "小问卷二"}))
    with translation.override("en"), pytest.raises(ValidationError, match="replaced by a newer version"):
        submit({"q1": 4, "q2": 8})
    assert not Answer.objects.exists()


def test_publishing_the_same_definition_again_is_refused(small):
    with translation.override("en"), pytest.raises(ValidationError, match="identical to its published version 1"):
        services.questionnaire_publish(definition=small_definition())
    assert Questionnaire.objects.count() == 1


def test_only_an_administrator_publishes_from_the_pages(handler, administrator):
    with pytest.raises(PermissionDenied):
        services.questionnaire_publish(definition=small_definition(), actor=handler)
    published = services.questionnaire_publish(definition=small_definition(), actor=administrator)
    assert published.published_by == administrator
    assert AuditEvent.objects.filter(action="survey.questionnaire.publish", actor=administrator).count() == 1


def _without_weights(definition, keep=()):
    for q in definition["questions"]:
        if q["key"] not in keep:
            q.pop("weight", None)
            for option in q.get("options", []):
                option.pop("score", None)
    return definition


def _edit(fn):
    definition = small_definition()
    fn(definition)
    return definition


def _set(path_key, field, value):
    def change(definition):
        for q in definition["questions"]:
            if q["key"] == path_key:
                q[field] = value

    return change


BAD = [
    (
        "weights summing to zero",
        _edit(lambda d: [q.__setitem__("weight", 0) for q in d["questions"] if "weight" in q]),
        "The weights of the scored questions sum to 0; they must sum to a positive number.",
    ),
    (
        "no scored question",
        {
            "code": "unscored",
            "title": "无评分问卷",
            "questions": [
                {"key": "why", "kind": "text", "text": "为什么？"},
                {
                    "key": "which",
                    "kind": "choice",
                    "text": "哪一个？",
                    "options": [{"value": "x", "label": "甲"}, {"value": "y", "label": "乙"}],
                },
            ],
        },
        "The questionnaire has no scored question: give at least one scale or single-choice question a weight.",
    ),
    (
        "a negative weight",
        _edit(_set("q2", "weight", -1)),
        "Question 2 (q2): the weight must be a number of 0 or more, not -1.",
    ),
    (
        "a weight as text",
        _edit(_set("q2", "weight", "3")),
        'Question 2 (q2): the weight must be a number of 0 or more, not "3".',
    ),
    (
        "a scale without weight",
        _edit(lambda d: d["questions"][0].pop("weight")),
        "Question 1 (q1): a scale question needs a weight (0 or more).",
    ),
    (
        "a weighted text question",
        _edit(_set("q5", "weight", 1)),
        "Question 5 (q5): free-text questions are not scored; remove the weight.",
    ),
    ("a key used twice", _edit(_set("q2", "key", "q1")), "Question 2: the key “q1” is used twice."),
    (
        "an unknown kind",
        _edit(_set("q1", "kind", "stars")),
        'Question 1 (q1): “kind” must be one of likert5, scale10, choice, text, not "stars".',
    ),
    (
        "a weighted choice without option scores",
        _edit(lambda d: d["questions"][2]["options"][1].pop("score")),
        "Question 3 (q3): a weighted single-choice question needs a score from 0 to 100 for every option (option “b”).",
    ),
    (
        "a question without Chinese text",
        _edit(_set("q1", "text", {"en": "Only English"})),
        "Question 1 (q1): “text” needs a Chinese text (zh).",
    ),
    (
        "no questions",
        small_definition(questions=[]),
        "The questionnaire has no questions: “questions” must be a non-empty list.",
    ),
    (
        "a bad code",
        small_definition(code="Small Survey"),
        "“code” is required: lowercase letters, digits and hyphens, up to 64 characters.",
    ),
    (
        "an unknown channel",
        small_definition(channels=["email"]),
        "“channels” must list “portal” and/or “case”, each once.",
    ),
    ("not an object", ["q1"], "The questionnaire must be a JSON object."),
]


@pytest.mark.parametrize(("definition", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_definition_is_refused_with_its_reason_and_nothing_written(definition, message):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.questionnaire_publish(definition=copy.deepcopy(definition))
    assert message in refused.value.messages
    assert not Questionnaire.objects.exists()
    assert not Question.objects.exists()
    assert not AuditEvent.objects.exists()


def test_every_problem_is_reported_at_once():
    definition = small_definition(code="")
    definition["questions"][0]["weight"] = -2
    definition["questions"][3]["kind"] = "stars"
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        questionnaires.normalise(definition)
    assert len(refused.value.messages) == 3
