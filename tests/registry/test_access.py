"""Each branch of the registry's permission gates."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from huhang.accounts.models import User
from huhang.accounts.roles import Role
from huhang.registry import access
from huhang.registry.models import Entity, Expert, Filing, Patent, ServiceStation
from tests.conftest import make_resident_id

pytestmark = pytest.mark.django_db


def test_anonymous_and_inactive_see_nothing(entity_factory, handler):
    entity_factory()
    assert not access.records_visible_to(AnonymousUser(), Entity).exists()
    handler.is_active = False
    assert not access.records_visible_to(handler, Entity).exists()
    assert not access.can_edit(handler, Entity)


@pytest.mark.parametrize("role_fixture", ["handler", "approver", "supervisor", "partner", "administrator"])
def test_staff_and_partners_see_everything(request, role_fixture, entity_factory):
    user = request.getfixturevalue(role_fixture)
    entity_factory()
    entity_factory()
    assert access.records_visible_to(user, Entity).count() == 2


def test_edit_rights_by_role(handler, approver, administrator, supervisor, partner, applicant):
    assert all(access.can_edit(u, Entity) for u in (handler, approver, administrator))
    assert not any(access.can_edit(u, Entity) for u in (supervisor, partner, applicant))


def test_applicant_sees_own_rights_and_filings_and_the_network(applicant, entity_factory, centre):
    other = entity_factory()
    mine = Patent.objects.create(title="mine", application_number="201911044411.X")
    mine.owners.add(applicant.entity)
    theirs = Patent.objects.create(title="theirs", application_number="201911044384.6")
    theirs.owners.add(other)
    Filing.objects.create(entity=applicant.entity, centre=centre, valid_from="2025-01-01")
    Filing.objects.create(entity=other, centre=centre, valid_from="2025-01-01")
    ServiceStation.objects.create(kind="trade_secret", name="站点", level="city", opened_on="2025-01-01")
    Expert.objects.create(name="专家", kind="expert_juror", fields="H01", appointed_on="2025-01-01")
    assert list(access.records_visible_to(applicant, Patent)) == [mine]
    assert access.records_visible_to(applicant, Filing).get().entity == applicant.entity
    assert access.records_visible_to(applicant, ServiceStation).count() == 1
    assert not access.records_visible_to(applicant, Expert).exists()
    with pytest.raises(Http404):
        access.access_record(applicant, Patent, theirs.pk)


def test_applicant_without_entity_sees_nothing_of_its_own(db):
    user = User.objects.create_user(username="nobody", password="x" * 12, role=Role.APPLICANT)
    assert not access.records_visible_to(user, Entity).exists()


def test_access_record_with_garbage_id_is_404(handler):
    with pytest.raises(Http404):
        access.access_record(handler, Entity, "not-a-number")


def test_identity_masking(entity_factory, supervisor, handler, partner):
    number = make_resident_id()
    person = entity_factory(kind="individual", resident_id=number, name="王五")
    person_user = User.objects.create_user(username="wangwu", password="x" * 12, role=Role.APPLICANT, entity=person)
    assert access.shown_identifier(handler, person) == number
    assert access.shown_identifier(person_user, person) == number
    for viewer in (supervisor, partner):
        assert access.shown_identifier(viewer, person) == number[:6] + "********" + number[-4:]
    company = entity_factory()
    assert access.shown_identifier(supervisor, company) == company.uscc
