"""Fixtures of the supervision tests: the package data loaded, departments linked to organisations, one user
per role, and an attachment store per test."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huhang.accounts.models import Organisation
from huhang.accounts.roles import OrganisationKind, Role
from huhang.supervision import loader, services
from huhang.supervision.models import Department, WorkItem
from tests.conftest import _user

PASSWORD = "correct horse battery"
# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000105fe02fea70000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def upload(data: bytes = PDF, name: str = "进展材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/x-claimed-by-the-browser")


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture(autouse=True)
def attachment_store(settings, tmp_path):
    settings.HUHANG_EVIDENCE_STORE = "local"
    settings.HUHANG_EVIDENCE_DIR = tmp_path / "store"
    return settings.HUHANG_EVIDENCE_DIR


@pytest.fixture
def loaded(db):
    """The package data, loaded."""
    return loader.load()


@pytest.fixture
def bureau(db):
    return Organisation.objects.create(name="武汉市市场监督管理局（知识产权局）", kind=OrganisationKind.IP_BUREAU)


@pytest.fixture
def centre_org(db):
    return Organisation.objects.create(name="中国（武汉）知识产权保护中心", kind=OrganisationKind.PROTECTION_CENTRE)


@pytest.fixture
def court_org(db):
    return Organisation.objects.create(name="武汉知识产权法庭", kind=OrganisationKind.COURT)


@pytest.fixture
def chief(bureau):
    """A supervisor (督办) at the IP bureau."""
    return _user("chief", Role.SUPERVISOR, bureau)


@pytest.fixture
def admin_user(bureau):
    return _user("boss", Role.ADMIN, bureau)


@pytest.fixture
def clerk(centre_org):
    """A handler at the protection centre."""
    return _user("clerk", Role.HANDLER, centre_org)


@pytest.fixture
def judge(court_org):
    """A partner user at the IP tribunal."""
    return _user("judge", Role.PARTNER, court_org)


@pytest.fixture
def outsider(quick_centre):
    """A handler of an organisation that is no responsible department (the shared quick rights centre)."""
    return _user("outsider", Role.HANDLER, quick_centre)


@pytest.fixture
def centre_dept(chief, centre_org):
    return services.department_create(actor=chief, name="中国（武汉）知识产权保护中心", organisation=centre_org)


@pytest.fixture
def court_dept(chief, court_org):
    return services.department_create(actor=chief, name="武汉知识产权法庭", organisation=court_org)


@pytest.fixture
def item(loaded):
    """DZ-3.3 构筑专业高效的功能平台."""
    return WorkItem.objects.get(code="DZ-3.3")


@pytest.fixture
def assigned(item, chief, centre_dept):
    """``item`` with the protection centre as its lead department."""
    services.item_assign(actor=chief, item=item, departments=[centre_dept], lead=centre_dept)
    return item


def departments_named(*names) -> list[Department]:
    return [Department.objects.get(name=n) for n in names]
