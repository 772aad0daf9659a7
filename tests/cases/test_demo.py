"""Demo cases go through the real services: every case has its events, clocks, documents and triage."""

import pytest

from huhang.cases.demo import generate_demo_cases
from huhang.cases.models import Case, CaseClock, CaseDocument, TrackDecision
from huhang.registry import demo_accounts

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_accounts_and_entities(entity_factory):
    entity = entity_factory(name="武汉演示光电有限公司")
    for n in range(5):
        entity_factory(name=f"武汉演示被请求人有限公司{n}")
    organisations = demo_accounts.organisations_create()
    demo_accounts.users_create(organisations=organisations, entity=entity, password="demo-password-1")


def test_demo_cases_are_made_through_the_services(demo_accounts_and_entities, settings, tmp_path):
    settings.HUHANG_EVIDENCE_DIR = tmp_path / "evidence"
    seen = []
    assert generate_demo_cases(count=12, seed=7, progress=lambda done, total: seen.append((done, total))) == 12
    assert seen[-1] == (12, 12)
    cases = Case.objects.all()
    assert cases.count() == 12 and all(c.events.exists() for c in cases)
    assert TrackDecision.objects.filter(automatic=True).count() == 12
    assert CaseClock.objects.exists() and CaseDocument.objects.exists()
    assert all(c.handler is not None for c in cases)
    assert len({c.state for c in cases}) > 2
