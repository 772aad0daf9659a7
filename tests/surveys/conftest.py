"""Fixtures of the survey tests: a small questionnaire whose scores are easy to compute by hand, the shipped
one, closed cases with parties, and a maker of portal answers."""

import copy
import datetime as dt
import itertools

import pytest
from django.utils import timezone

from huhang.surveys import services

_clients = itertools.count(1)

# Weights 2 + 3 + 1 + 4 = 10. Item scores: likert 1..5 → 0, 25, 50, 75, 100; scale 0..10 → 0..100; a/b/c → 100/50/0.
SMALL = {
    "code": "small",
    "indicator": "K1",
    "channels": ["portal", "case"],
    "title": {"zh": "小问卷", "en": "Small questionnaire"},
    "questions": [
        {"key": "q1", "kind": "likert5", "text": {"zh": "问题一", "en": "Question one"}, "required": True, "weight": 2},
        {"key": "q2", "kind": "scale10", "text": {"zh": "问题二", "en": "Question two"}, "required": True, "weight": 3},
        {
            "key": "q3",
            "kind": "choice",
            "text": {"zh": "问题三", "en": "Question three"},
            "weight": 1,
            "options": [
                {"value": "a", "label": {"zh": "甲", "en": "A"}, "score": 100},
                {"value": "b", "label": {"zh": "乙", "en": "B"}, "score": 50},
                {"value": "c", "label": {"zh": "丙", "en": "C"}, "score": 0},
            ],
        },
        {"key": "q4", "kind": "likert5", "text": {"zh": "问题四", "en": "Question four"}, "weight": 4},
        {"key": "q5", "kind": "text", "text": {"zh": "建议", "en": "Suggestions"}},
    ],
}


def small_definition(**changes) -> dict:
    definition = copy.deepcopy(SMALL)
    definition.update(changes)
    return definition


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def small(db):
    return services.questionnaire_publish(definition=small_definition())


@pytest.fixture
def default_questionnaire(db):
    questionnaire, _new = services.questionnaire_load_default()
    return questionnaire


@pytest.fixture
def districts(db):
    from huhang.registry.models import District, Industry
    from huhang.registry.reference import load_reference_rows

    if not District.objects.exists():  # a transactional test before this one flushed the migration's rows
        load_reference_rows(District, Industry)
    return {d.code: d for d in District.objects.all()}


@pytest.fixture
def submit(small):
    """Submit a portal answer to ``small`` (or ``questionnaire``) from a new client unless one is given."""

    def make(values, *, questionnaire=None, client=None, when=None, respondent_type="enterprise", **kwargs):
        n = next(_clients)
        return services.answer_submit_portal(
            questionnaire=questionnaire or small,
            values=values,
            respondent_type=respondent_type,
            client=client or services.Client(address=f"10.0.0.{n}", session=f"session-{n}"),
            at=when,
            **kwargs,
        )

    return make


@pytest.fixture
def closed_case(centre, handler, entity_factory):
    """Make a case closed on ``closed_on`` with an applicant, a respondent and a partner party."""
    from huhang.cases.models import Case, CaseParty

    serial = itertools.count(1)

    def make(closed_on=dt.date(2026, 10, 15), *, is_open=False, organisation=None):
        n = next(serial)
        case = Case.objects.create(
            number=f"武知保裁〔2026〕{n}号",
            procedure="patent_adjudication",
            profile="2025",
            title=f"测试案件{n}",
            organisation=organisation or centre,
            opened_on=dt.date(2026, 6, 1),
            state="closed" if not is_open else "accepted",
            is_open=is_open,
            closed_on=None if is_open else closed_on,
            created_by=handler,
        )
        for role, name, entity in (
            ("applicant", "武汉长江光电有限公司", entity_factory(name=f"武汉长江光电有限公司{n}")),
            ("respondent", "武汉仿制电子有限公司", entity_factory(kind="individual", name=f"张三{n}")),
            ("partner", "武汉市中级人民法院", None),
        ):
            CaseParty.objects.create(case=case, role=role, name=name, entity=entity, added_by=handler)
        return case

    return make
