"""Model rules: identifiers, numbers, periods, and the "active on date D" selectors."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from huhang.registry import selectors
from huhang.registry.models import Copyright, Entity, Filing, Patent, ServiceStation, Trademark, TradeSecretDesignation
from tests.conftest import make_uscc

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "kind", "ok"),
    [
        ("国作登字-2026-A-00037559", "written", True),
        ("鄂作登字-2021-L-00268255", "art", True),
        ("2023SR0123456", "software", True),
        ("2023sr 0123456", "software", True),
        ("国作登字-2026-00037559", "written", False),
        ("SR0123456", "software", False),
    ],
)
def test_copyright_numbers(number, kind, ok):
    right = Copyright(title="作品", registration_number=number, work_kind=kind)
    if ok:
        right.full_clean()
    else:
        with pytest.raises(ValidationError) as exc:
            right.full_clean()
        assert "registration_number" in exc.value.message_dict


@pytest.mark.parametrize(("number", "clean"), [("第12345678号", "12345678"), ("G1234567", "G1234567")])
def test_trademark_numbers(number, clean):
    mark = Trademark(title="商标", registration_number=number, nice_class=9)
    mark.full_clean()
    assert mark.registration_number == clean


def test_trademark_rejects_class_46_and_letters():
    with pytest.raises(ValidationError) as exc:
        Trademark(title="x", registration_number="12A", nice_class=46).full_clean()
    assert {"registration_number", "nice_class"} <= set(exc.value.message_dict)


def test_patent_from_publication_number_only_derives_kind():
    patent = Patent(title="实用新型", publication_number="CN 219910140 U")
    patent.full_clean()
    assert (patent.publication_number, patent.kind, patent.country) == ("CN219910140U", "utility_model", "CN")


def test_patent_needs_a_number_and_valid_ipc():
    with pytest.raises(ValidationError) as exc:
        Patent(title="x", ipc_codes=["H01L31/02", "nonsense"]).full_clean()
    assert {"application_number", "ipc_codes"} <= set(exc.value.message_dict)


def test_database_refuses_entity_without_identifier():
    with pytest.raises(IntegrityError), transaction.atomic():
        Entity.objects.create(kind="enterprise", name="无码公司")


def test_database_refuses_backwards_period(entity_factory, centre):
    with pytest.raises(IntegrityError), transaction.atomic():
        Filing.objects.create(entity=entity_factory(), centre=centre, valid_from="2025-02-01", valid_to="2025-01-01")


def test_filing_with_a_non_centre_is_refused(entity_factory, court):
    filing = Filing(entity=entity_factory(), centre=court, valid_from="2025-01-01")
    with pytest.raises(ValidationError) as exc:
        filing.full_clean()
    assert "centre" in exc.value.message_dict


def test_active_on_date_selectors(entity_factory, centre, quick_centre):
    a, b, c = entity_factory(), entity_factory(), entity_factory()
    Filing.objects.create(entity=a, centre=centre, valid_from="2024-01-01")
    Filing.objects.create(entity=b, centre=centre, valid_from="2024-01-01", valid_to="2025-01-01")
    Filing.objects.create(entity=c, centre=quick_centre, valid_from="2025-06-01")
    on = dt.date(2025, 1, 1)
    assert set(selectors.entities_filed_with(centre_kind="protection_centre", on=on)) == {a}
    assert set(selectors.entities_filed_with(centre_kind="protection_centre", on=dt.date(2024, 12, 31))) == {a, b}
    assert not selectors.entities_filed_with(centre_kind="quick_rights_centre", on=on).exists()
    ServiceStation.objects.create(kind="trademark_guidance", name="甲", level="city", opened_on="2024-01-01")
    ServiceStation.objects.create(
        kind="trademark_guidance", name="乙", level="district", opened_on="2024-01-01", closed_on="2024-06-01"
    )
    assert selectors.stations_open_on(kind="trademark_guidance", on=on).count() == 1
    assert selectors.stations_open_on(kind="trademark_guidance", on=on, levels=["national"]).count() == 0
    TradeSecretDesignation.objects.create(entity=a, kind="contact_point", designated_on="2025-01-01")
    assert selectors.designations_active_on(kind="contact_point", on=on).count() == 1
    assert selectors.designations_active_on(kind="contact_point", on=dt.date(2024, 12, 31)).count() == 0


def test_uscc_is_normalised_on_clean():
    code = make_uscc(5)
    assert not code.isdigit(), "pick a code with a letter so that case matters"
    entity = Entity(kind="enterprise", name="x", uscc=code.lower())
    entity.full_clean()
    assert entity.uscc == code
