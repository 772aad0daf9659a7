"""The registry's back-office pages: lists, details, forms with field errors, history, access."""

import pytest
from django.urls import reverse

from huhang.registry.models import Entity, Filing, Patent
from tests.conftest import make_resident_id, make_uscc

pytestmark = pytest.mark.django_db


def test_list_search_filter_and_pagination(client, handler, entity_factory):
    for i in range(60):
        entity_factory(name=f"武汉光电{i}有限公司" if i % 2 else f"武汉生物{i}有限公司")
    client.force_login(handler)
    page = client.get("/registry/entities/")
    assert page.status_code == 200
    assert "60" in page.content.decode()
    found = client.get("/registry/entities/", {"q": "光电"}).content.decode()
    assert "武汉光电1有限公司" in found and "武汉生物2有限公司" not in found
    second = client.get("/registry/entities/", {"page": 2}).content.decode()
    assert "第 2 页，共 2 页" in second


def test_create_form_shows_field_error_in_chinese_and_writes_nothing(client, handler):
    client.force_login(handler)
    good = make_uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = client.post(
        "/registry/entities/new/", {"kind": "enterprise", "name": "武汉错误码有限公司", "uscc": bad}
    )
    assert response.status_code == 200
    assert "校验码错误" in response.content.decode()
    assert Entity.objects.count() == 0


def test_create_then_edit_keeps_history_with_who_and_reason(client, handler):
    client.force_login(handler)
    code = make_uscc()
    response = client.post("/registry/entities/new/", {"kind": "enterprise", "name": "武汉甲有限公司", "uscc": code})
    entity = Entity.objects.get(uscc=code)
    assert response.url == reverse("registry:detail", args=["entities", entity.pk])
    client.post(
        f"/registry/entities/{entity.pk}/edit/",
        {"kind": "enterprise", "name": "武汉乙有限公司", "uscc": code, "reason": "更名"},
    )
    versions = list(entity.history.order_by("history_date"))
    assert [v.name for v in versions] == ["武汉甲有限公司", "武汉乙有限公司"]
    assert {v.history_user for v in versions} == {handler}
    assert versions[-1].history_change_reason == "更名"
    detail = client.get(f"/registry/entities/{entity.pk}/").content.decode()
    assert "更名" in detail and "handler" in detail


def test_patent_form_derives_kind_and_resolves_owners(client, handler, entity_factory):
    owner = entity_factory()
    client.force_login(handler)
    client.post(
        "/registry/patents/new/",
        {"title": "一种光纤连接器", "application_number": "ZL201911044411.X", "status": "valid",
         "owners": owner.uscc, "ipc_codes": "g02b6/38; H01L31/02"},
    )
    patent = Patent.objects.get()
    assert patent.application_number == "201911044411.X"
    assert patent.kind == "invention"
    assert patent.ipc_codes == ["G02B6/38", "H01L31/02"] and patent.ipc_main == "G02B6/38"
    assert list(patent.owners.all()) == [owner]


def test_unknown_owner_is_a_field_error(client, handler):
    client.force_login(handler)
    response = client.post(
        "/registry/patents/new/",
        {"title": "X", "application_number": "202210635727.1", "status": "valid", "owners": make_uscc()},
    )
    assert "未登记" in response.content.decode() or "No entity" in response.content.decode()
    assert Patent.objects.count() == 0


def test_overlapping_filing_is_refused(client, handler, entity_factory, centre):
    entity = entity_factory()
    Filing.objects.create(entity=entity, centre=centre, valid_from="2025-01-01")
    client.force_login(handler)
    response = client.post(
        "/registry/filings/new/",
        {"entity": entity.uscc, "centre": centre.pk, "valid_from": "2025-06-01"},
    )
    assert response.status_code == 200
    assert Filing.objects.count() == 1


def test_applicant_sees_only_own_entity(client, applicant, entity_factory):
    other = entity_factory(name="别家公司")
    client.force_login(applicant)
    listing = client.get("/registry/entities/").content.decode()
    assert applicant.entity.name in listing and "别家公司" not in listing
    assert client.get(f"/registry/entities/{other.pk}/").status_code == 404
    assert client.get("/registry/entities/new/").status_code == 403


def test_resident_id_masked_for_supervisor_but_not_handler(client, supervisor, handler, entity_factory):
    number = make_resident_id()
    person = entity_factory(kind="individual", name="张三", resident_id=number)
    client.force_login(supervisor)
    page = client.get(f"/registry/entities/{person.pk}/").content.decode()
    assert number not in page and number[:6] + "********" + number[-4:] in page
    client.force_login(handler)
    assert number in client.get(f"/registry/entities/{person.pk}/").content.decode()


def test_supervisor_cannot_edit(client, supervisor, entity_factory):
    entity = entity_factory()
    client.force_login(supervisor)
    assert client.get(f"/registry/entities/{entity.pk}/edit/").status_code == 403
    assert client.post(f"/registry/entities/{entity.pk}/edit/", {"name": "x"}).status_code == 403


@pytest.mark.parametrize(
    "slug",
    ["entities", "patents", "trademarks", "copyrights", "geographical-indications", "trade-secrets", "data-ip",
     "filings", "stations", "trade-secret-library", "experts"],
)
def test_every_register_has_list_and_form(client, handler, slug):
    client.force_login(handler)
    assert client.get(f"/registry/{slug}/").status_code == 200
    assert client.get(f"/registry/{slug}/new/").status_code == 200


def test_unknown_register_is_404(client, handler):
    client.force_login(handler)
    assert client.get("/registry/nonsense/").status_code == 404


def test_english_is_selectable(client, handler):
    client.force_login(handler)
    client.post("/i18n/setlang/", {"language": "en", "next": "/registry/"})
    assert "Registry overview" in client.get("/registry/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/registry/"})
    assert "登记概览" in client.get("/registry/").content.decode()


def test_entity_detail_lists_its_rights_and_filings(client, handler, entity_factory, centre):
    owner, other = entity_factory(), entity_factory()
    mine = Patent.objects.create(title="一种光模块", application_number="202210635727.1")
    mine.owners.add(owner)
    Patent.objects.create(title="别人的专利", application_number="202321160956.9").owners.add(other)
    Filing.objects.create(entity=owner, centre=centre, valid_from="2025-03-01", reference="BH-2025-001")
    client.force_login(handler)
    page = client.get(f"/registry/entities/{owner.pk}/").content.decode()
    assert "一种光模块" in page and "BH-2025-001" in page and "别人的专利" not in page
