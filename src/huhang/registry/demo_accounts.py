"""Demo organisations (the centres, the bureau, partners, neighbouring cities) and one demo user per role.

The organisations are the real public bodies of Wuhan's protection system, marked ``is_demo``; the users
are named ``demo_<role>`` and share the one password the caller gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from huhang.accounts.models import Organisation, User
from huhang.accounts.roles import OrganisationKind, Role
from huhang.registry.models import District

K = OrganisationKind
# name, English name, kind, district code (or None)
ORGANISATIONS: Final = (
    ("中国（武汉）知识产权保护中心", "China (Wuhan) IP Protection Centre", K.PROTECTION_CENTRE, "WH-EHT"),
    ("武汉市知识产权快速维权中心", "Wuhan Quick IP Rights Protection Centre", K.QUICK_RIGHTS_CENTRE, None),
    (
        "武汉市市场监督管理局（知识产权局）",
        "Wuhan Administration for Market Regulation (IP Office)",
        K.IP_BUREAU,
        None,
    ),
    ("武汉东湖新技术开发区知识产权局", "East Lake High-tech Zone IP Office", K.DISTRICT_OFFICE, "WH-EHT"),
    (
        "武汉经济技术开发区（汉南区）市场监督管理局",
        "Wuhan Economic and Technological Development Zone AMR",
        K.DISTRICT_OFFICE,
        "WH-WEDZ",
    ),
    ("洪山区市场监督管理局", "Hongshan District AMR", K.DISTRICT_OFFICE, "420111"),
    ("江岸区市场监督管理局", "Jiang'an District AMR", K.DISTRICT_OFFICE, "420102"),
    ("武汉市中级人民法院", "Wuhan Intermediate People's Court", K.COURT, None),
    ("武汉知识产权法庭", "Wuhan Intellectual Property Tribunal", K.COURT, None),
    ("武汉海关", "Wuhan Customs", K.CUSTOMS, None),
    ("武汉市公安局", "Wuhan Public Security Bureau", K.POLICE, None),
    ("长沙市市场监督管理局（知识产权局）", "Changsha AMR (IP Office)", K.NEIGHBOUR_CITY, None),
    ("合肥市市场监督管理局（知识产权局）", "Hefei AMR (IP Office)", K.NEIGHBOUR_CITY, None),
    ("南昌市市场监督管理局（知识产权局）", "Nanchang AMR (IP Office)", K.NEIGHBOUR_CITY, None),
)
PROTECTION_CENTRE, QUICK_RIGHTS_CENTRE, IP_BUREAU = (row[0] for row in ORGANISATIONS[:3])
# username, role, organisation name (None: the demo enterprise), display name
USERS: Final = (
    ("demo_applicant", Role.APPLICANT, None, "演示企业用户"),
    ("demo_handler", Role.HANDLER, PROTECTION_CENTRE, "演示承办人"),
    ("demo_quick_handler", Role.HANDLER, QUICK_RIGHTS_CENTRE, "演示承办人（快维中心）"),
    ("demo_approver", Role.APPROVER, PROTECTION_CENTRE, "演示审批人"),
    ("demo_supervisor", Role.SUPERVISOR, IP_BUREAU, "演示督办人"),
    ("demo_partner", Role.PARTNER, "武汉知识产权法庭", "演示协作单位用户"),
    ("demo_admin", Role.ADMIN, PROTECTION_CENTRE, "演示管理员"),
)
USERNAMES: Final = tuple(row[0] for row in USERS)


@dataclass(frozen=True)
class DemoAccount:
    """A demo user as the ``demo_data`` command lists it."""

    username: str
    role: str
    affiliation: str


def organisations_create() -> dict[str, Organisation]:
    """Create the demo organisations that do not exist yet; return all of them by name."""
    districts = {d.code: d for d in District.objects.all()}
    result = {}
    for name, name_en, kind, district in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={"name_en": name_en, "kind": kind, "district": districts.get(district), "is_demo": True},
        )
        result[name] = org
    return result


def users_create(*, organisations: dict[str, Organisation], entity, password: str) -> list[DemoAccount]:
    """Create one demo user per role (two handlers: one per centre), all with ``password``."""
    accounts = []
    for username, role, org_name, display in USERS:
        org = organisations[org_name] if org_name else None
        user = User(
            username=username,
            role=role,
            organisation=org,
            entity=None if org else entity,
            display_name=display,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        accounts.append(DemoAccount(username, role, str(org or entity)))
    return accounts
