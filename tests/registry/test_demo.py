"""The demo data set: reproducible, valid, proportionate, idempotent with --if-empty, and usable to log in."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from huhang import identifiers
from huhang.accounts.models import User
from huhang.accounts.roles import OrganisationKind, Role
from huhang.registry import demo_ids, selectors
from huhang.registry.demo import DEMO_PASSWORD, DemoDataExists, generate_demo_data
from huhang.registry.demo_entities import region_of
from huhang.registry.demo_names import DEMO_SUFFIX
from huhang.registry.models import (
    Copyright,
    DataIP,
    Entity,
    EntityKind,
    Expert,
    Filing,
    GeographicalIndication,
    Patent,
    ServiceStation,
    StationKind,
    Trademark,
    TradeSecretAsset,
    TradeSecretDesignation,
)

pytestmark = pytest.mark.django_db
RECORD_MODELS = (
    Entity, Patent, Trademark, Copyright, GeographicalIndication, TradeSecretAsset, DataIP, Filing,
    TradeSecretDesignation, ServiceStation, Expert,
)  # fmt: skip
END_2024, END_2025 = dt.date(2024, 12, 31), dt.date(2025, 12, 31)


@pytest.fixture
def demo(db):
    """A demo data set at scale 300."""
    return generate_demo_data(scale=300, seed=11)


def snapshot() -> dict[str, list]:
    """Return what a demo data set consists of, without database ids or timestamps."""
    return {
        "entities": list(Entity.objects.order_by("id").values_list("kind", "name", "uscc", "resident_id", "size")),
        "patents": list(
            Patent.objects.order_by("id").values_list(
                "application_number", "publication_number", "title", "status", "ipc_codes", "applicant_names"
            )
        ),
        "trademarks": list(Trademark.objects.order_by("id").values_list("registration_number", "title")),
        "copyrights": list(Copyright.objects.order_by("id").values_list("registration_number", "title")),
        "filings": list(
            Filing.objects.order_by("id").values_list("entity__uscc", "reference", "valid_from", "valid_to")
        ),
        "stations": list(ServiceStation.objects.order_by("id").values_list("name", "level", "opened_on")),
        "experts": list(Expert.objects.order_by("id").values_list("name", "appointed_on")),
    }


def generated_snapshot(**kwargs) -> dict[str, list]:
    """Generate a data set, take its snapshot, and roll it back."""
    with transaction.atomic():
        generate_demo_data(**kwargs)
        result = snapshot()
        transaction.set_rollback(True)
    return result


def test_same_seed_and_scale_give_the_same_data():
    first = generated_snapshot(scale=80, seed=7)
    assert not Entity.objects.exists()
    assert generated_snapshot(scale=80, seed=7) == first
    assert len(first["entities"]) == 80 and first["patents"] and first["filings"]


def test_another_seed_gives_other_data():
    first = generated_snapshot(scale=80, seed=7)
    other = generated_snapshot(scale=80, seed=8)
    assert [e[1] for e in first["entities"][1:]] != [e[1] for e in other["entities"][1:]]


def test_every_identifier_is_valid_and_in_wuhan(demo):
    for entity in Entity.objects.select_related("district"):
        region = region_of(entity.district.code)
        if entity.kind == EntityKind.INDIVIDUAL:
            assert identifiers.validate_resident_id(entity.resident_id) == entity.resident_id
            assert entity.resident_id[:6] == region
        else:
            assert identifiers.validate_uscc(entity.uscc) == entity.uscc
            assert entity.uscc[2:8] == region and region.startswith("4201")
            assert entity.uscc[8:16].isalnum()
            assert entity.uscc[16] == demo_ids.organisation_code_check_char(entity.uscc[8:16])
    for patent in Patent.objects.all():
        parsed = identifiers.parse_patent_application_number(patent.application_number)
        assert parsed.number == patent.application_number and parsed.kind == patent.kind
        if patent.publication_number:
            publication = identifiers.parse_patent_publication_number(patent.publication_number)
            assert publication.patent_kind == patent.kind.removeprefix("pct_")


def test_every_record_passes_full_clean(demo):
    for model in RECORD_MODELS:
        rows = list(model.objects.all())
        assert rows, model
        for row in rows:
            row.full_clean()
    for user in User.objects.filter(username__startswith="demo_"):
        user.full_clean()


def test_everything_is_marked_and_named_as_demo(demo):
    for model in RECORD_MODELS:
        assert not model.objects.filter(is_demo=False).exists(), model
    assert all(name.endswith(DEMO_SUFFIX) for name in Entity.objects.values_list("name", flat=True))
    assert all(name.endswith(DEMO_SUFFIX) for name in ServiceStation.objects.values_list("name", flat=True))


def test_counts_are_proportionate_to_the_scale(demo):
    assert demo.counts["registry.entity"] == Entity.objects.count() == 300
    assert Patent.objects.count() == 600
    assert Trademark.objects.count() == 150
    assert Copyright.objects.count() == 225
    assert TradeSecretAsset.objects.count() == 30
    assert GeographicalIndication.objects.count() == 2
    enterprises = Entity.objects.filter(kind=EntityKind.ENTERPRISE).count()
    assert 0.7 * 300 < enterprises < 0.95 * 300
    for kind in EntityKind.values:
        assert Entity.objects.filter(kind=kind).exists(), kind
    zones = Entity.objects.values_list("district__code", flat=True)
    assert max(set(zones), key=list(zones).count) == "WH-EHT"
    assert Patent.objects.filter(owners__isnull=True).count() == 0


def test_the_indicators_k9_to_k17_have_data(demo):
    for kind in StationKind.values:
        assert selectors.stations_open_on(kind=kind, on=END_2025).exists(), kind
    assert ServiceStation.objects.exclude(closed_on=None).exists()
    assert selectors.entities_filed_with(centre_kind=OrganisationKind.PROTECTION_CENTRE, on=END_2025).exists()
    before = selectors.entities_filed_with(centre_kind=OrganisationKind.QUICK_RIGHTS_CENTRE, on=END_2024).count()
    after = selectors.entities_filed_with(centre_kind=OrganisationKind.QUICK_RIGHTS_CENTRE, on=END_2025).count()
    assert 0 < before < after  # K15 has a baseline and a growth
    assert Filing.objects.exclude(valid_to=None).exists()
    for kind in ("contact_point", "demonstration_point"):
        assert selectors.designations_active_on(kind=kind, on=END_2025).exists(), kind


def test_the_demo_applicant_has_records(demo):
    applicant = User.objects.get(username="demo_applicant")
    entity = applicant.entity
    assert entity.patents.count() >= 5
    for related in ("trademarks", "copyrights", "trade_secrets", "data_ip", "filings", "trade_secret_designations"):
        assert getattr(entity, related).exists(), related


def test_one_user_per_role_can_log_in(client, demo):
    # Through the login page: django-axes refuses client.login(), which authenticates without a request.
    users = User.objects.filter(username__startswith="demo_")
    assert {user.role for user in users} == set(Role.values)
    for user in users:
        response = client.post("/accounts/login/", {"username": user.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, user.username
        assert client.session["_auth_user_id"] == str(user.pk)
        client.logout()


def test_generating_twice_is_refused(demo):
    with pytest.raises(DemoDataExists):
        generate_demo_data(scale=10)


def test_entities_only_writes_entities_and_users(db):
    summary = generate_demo_data(scale=50, entities_only=True)
    assert Entity.objects.count() == 50 and not Patent.objects.exists() and not Filing.objects.exists()
    assert summary.counts["accounts.user"] == User.objects.filter(username__startswith="demo_").count()


def test_command_if_empty_is_idempotent(db):
    out = io.StringIO()
    call_command("demo_data", "--if-empty", "--scale", "40", "--password", "another-pass-2025", stdout=out)
    counts = {model: model.objects.count() for model in RECORD_MODELS}
    assert counts[Entity] == 40
    assert "demo_handler" in out.getvalue() and "another-pass-2025" in out.getvalue()
    again = io.StringIO()
    call_command("demo_data", "--if-empty", "--scale", "40", stdout=again)
    assert {model: model.objects.count() for model in RECORD_MODELS} == counts
    assert "changed" in again.getvalue()  # the default password is not theirs
    with pytest.raises(CommandError):
        call_command("demo_data", "--scale", "40", stdout=io.StringIO())


def test_command_if_empty_leaves_real_data_alone(entity_factory):
    entity_factory()
    call_command("demo_data", "--if-empty", stdout=io.StringIO())
    assert Entity.objects.count() == 1 and not User.objects.filter(username__startswith="demo_").exists()


def test_identifier_serials_never_collide():
    for space in (7, 1000, 10**7):
        values = {demo_ids.scramble(n, space, salt=3) for n in range(min(space, 20000))}
        assert len(values) == min(space, 20000) and max(values) < space
