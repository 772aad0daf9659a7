"""Shared fixtures: one named user per role, organisations, and a maker of valid entities."""

import itertools

import pytest

from huhang.accounts.models import Organisation, User
from huhang.accounts.roles import OrganisationKind, Role
from huhang.identifiers import resident_id_check_char, uscc_check_char

_serial = itertools.count(1)


def make_uscc(n: int | None = None) -> str:
    """Return a valid 统一社会信用代码 for a Wuhan (420100) enterprise, distinct for each ``n``."""
    n = next(_serial) if n is None else n
    first17 = f"91420100{n:09d}"
    return first17 + uscc_check_char(first17)


def make_resident_id(n: int | None = None, birth: str = "19850317") -> str:
    n = next(_serial) if n is None else n
    first17 = f"420102{birth}{n % 1000:03d}"
    return first17 + resident_id_check_char(first17)


@pytest.fixture
def centre(db):
    return Organisation.objects.create(name="武汉市知识产权保护中心", kind=OrganisationKind.PROTECTION_CENTRE)


@pytest.fixture
def quick_centre(db):
    return Organisation.objects.create(name="武汉快维中心", kind=OrganisationKind.QUICK_RIGHTS_CENTRE)


@pytest.fixture
def court(db):
    return Organisation.objects.create(name="武汉市中级人民法院", kind=OrganisationKind.COURT)


def _user(username: str, role: str, organisation=None, entity=None) -> User:
    return User.objects.create_user(
        username=username,
        password="correct horse battery",
        role=role,
        organisation=organisation,
        entity=entity,
    )


@pytest.fixture
def handler(centre):
    return _user("handler", Role.HANDLER, centre)


@pytest.fixture
def approver(centre):
    return _user("approver", Role.APPROVER, centre)


@pytest.fixture
def supervisor(centre):
    return _user("supervisor", Role.SUPERVISOR, centre)


@pytest.fixture
def partner(court):
    return _user("partner", Role.PARTNER, court)


@pytest.fixture
def administrator(centre):
    return _user("administrator", Role.ADMIN, centre)


@pytest.fixture
def entity_factory(db):
    from huhang.registry.models import District, Entity, Industry
    from huhang.registry.reference import load_reference_rows

    if not District.objects.exists():  # a transactional test before this one flushed the migration's rows
        load_reference_rows(District, Industry)

    def make(**fields) -> Entity:
        fields.setdefault("kind", "enterprise")
        fields.setdefault("name", f"武汉测试光电科技有限公司{next(_serial)}")
        if fields["kind"] == "individual":
            fields.setdefault("resident_id", make_resident_id())
        else:
            fields.setdefault("uscc", make_uscc())
        fields.setdefault("district", District.objects.get(code="420106"))
        return Entity.objects.create(**fields)

    return make


@pytest.fixture
def applicant(entity_factory):
    entity = entity_factory(name="武汉长江光电有限公司")
    return _user("applicant", Role.APPLICANT, entity=entity)


@pytest.fixture(scope="session", autouse=True)
def _close_ledger_connections():
    """Close the ledger's own database connections at the end, so the test database can be dropped."""
    yield
    from huhang.evidence.ledger_service import ledger_reset_for_tests

    ledger_reset_for_tests()
