"""Fixtures of the case tests: a protection centre with staff, an applicant and a respondent enterprise."""

import datetime as dt

import pytest

from huhang.accounts.models import Organisation
from huhang.accounts.roles import OrganisationKind, Role
from huhang.cases import services
from huhang.cases.models import PartyRole
from huhang.procedures.triage import Matter
from tests.conftest import _user

PASSWORD = "correct horse battery"


def make_user(username, role, organisation=None, entity=None):
    return _user(username, role, organisation, entity)


@pytest.fixture(autouse=True)
def document_store(settings, tmp_path):
    settings.HUHANG_EVIDENCE_DIR = tmp_path / "evidence"
    return settings.HUHANG_EVIDENCE_DIR


@pytest.fixture
def office(db):
    return Organisation.objects.create(name="武汉市知识产权局", kind=OrganisationKind.IP_BUREAU)


@pytest.fixture
def clerk(office):
    return make_user("clerk", Role.HANDLER, office)


@pytest.fixture
def head(office):
    return make_user("head", Role.APPROVER, office)


@pytest.fixture
def outsider(db):
    other = Organisation.objects.create(name="武汉快维中心", kind=OrganisationKind.QUICK_RIGHTS_CENTRE)
    return make_user("outsider", Role.HANDLER, other)


@pytest.fixture
def requester_entity(db):
    from huhang.registry.models import Entity
    from tests.conftest import make_uscc

    return Entity.objects.create(
        kind="enterprise", name="武汉长江光电有限公司", uscc=make_uscc(), address="武汉市东湖新技术开发区高新大道1号"
    )


@pytest.fixture
def respondent_entity(db):
    from huhang.registry.models import Entity
    from tests.conftest import make_uscc

    return Entity.objects.create(
        kind="enterprise", name="武汉仿制电子有限公司", uscc=make_uscc(), address="武汉市江岸区解放大道2号"
    )


@pytest.fixture
def requester(requester_entity):
    return make_user("requester", Role.APPLICANT, entity=requester_entity)


@pytest.fixture
def respondent_user(respondent_entity):
    return make_user("respondent", Role.APPLICANT, entity=respondent_entity)


@pytest.fixture
def filed(requester, office, respondent_entity):
    """A patent-infringement adjudication request filed online on 2026-09-28 (a Monday)."""

    def make(at=dt.date(2026, 9, 28), consent=True, domicile=True, patent_kind="invention", **kwargs):
        return services.case_open(
            actor=requester,
            procedure_code="patent_adjudication",
            title="武汉长江光电有限公司诉武汉仿制电子有限公司侵害发明专利权纠纷",
            summary="请求责令被请求人停止制造、销售侵权产品。",
            organisation=office,
            parties=[
                services.PartySpec(
                    PartyRole.APPLICANT, "武汉长江光电有限公司", entity=requester.entity, electronic_consent=consent
                ),
                services.PartySpec(
                    PartyRole.RESPONDENT,
                    "武汉仿制电子有限公司",
                    entity=respondent_entity,
                    address="武汉市江岸区解放大道2号",
                    domicile_in_prc=domicile,
                ),
            ],
            at=at,
            facts={"patent_kind": patent_kind, "respondent_domicile_in_prc": domicile},
            matter=Matter(
                patents=1,
                parties=2,
                amount_claimed=300_000,
                evidence_complete=True,
                foreign_party=False,
                related_cases=0,
            ),
            **kwargs,
        )

    return make
