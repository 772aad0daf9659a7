"""The registry API: token authentication, masking, validation errors, no deletes, OpenAPI."""

import pytest
from rest_framework.test import APIClient

from huhang.accounts.services import api_token_create, api_token_revoke
from huhang.registry.models import Entity
from tests.conftest import make_resident_id, make_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _token_for(user, administrator):
    return api_token_create(actor=administrator, user=user, name="court system")[1]


def test_token_authentication_and_revocation(api, partner, administrator, entity_factory):
    entity_factory()
    assert api.get("/api/v1/entities/").status_code == 401
    token, key = api_token_create(actor=administrator, user=partner, name="court system")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get("/api/v1/entities/")
    assert response.status_code == 200 and response.json()["count"] == 1
    api_token_revoke(actor=administrator, token=token)
    assert api.get("/api/v1/entities/").status_code == 401
    assert token.digest != key and key not in token.digest


def test_partner_reads_but_cannot_write(api, partner, administrator):
    api.credentials(HTTP_AUTHORIZATION=f"Token {_token_for(partner, administrator)}")
    response = api.post("/api/v1/entities/", {"kind": "enterprise", "name": "X", "uscc": make_uscc()})
    assert response.status_code == 403


def test_create_with_bad_code_gives_field_error(api, handler):
    api.force_authenticate(handler)
    response = api.post("/api/v1/entities/", {"kind": "enterprise", "name": "X", "uscc": "91110000600037341A"})
    assert response.status_code == 400
    body = response.json()
    assert "uscc" in body["errors"] and "L" in body["errors"]["uscc"][0]
    assert Entity.objects.count() == 0


def test_create_and_history(api, handler):
    api.force_authenticate(handler)
    response = api.post(
        "/api/v1/entities/", {"kind": "enterprise", "name": "武汉测试", "uscc": make_uscc(), "district": "420106"}
    )
    assert response.status_code == 201, response.json()
    entity = Entity.objects.get()
    assert entity.history.get().history_user == handler


def test_resident_id_masked_for_partner(api, partner, administrator, entity_factory):
    number = make_resident_id()
    entity_factory(kind="individual", name="李四", resident_id=number)
    api.credentials(HTTP_AUTHORIZATION=f"Token {_token_for(partner, administrator)}")
    row = api.get("/api/v1/entities/").json()["results"][0]
    assert row["resident_id"] != number and row["resident_id"].endswith(number[-4:])


def test_owners_by_identifier(api, handler, entity_factory):
    owner = entity_factory()
    api.force_authenticate(handler)
    response = api.post(
        "/api/v1/patents/",
        {"title": "一种装置", "application_number": "202321160956.9", "owners": [owner.uscc]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["owners"] == [owner.uscc]
    unknown = api.post(
        "/api/v1/patents/",
        {"title": "一种装置", "application_number": "201830251564.1", "owners": [make_uscc()]},
        format="json",
    )
    assert unknown.status_code == 400 and "owners" in unknown.json()["errors"]


def test_no_delete(api, handler, entity_factory):
    entity = entity_factory()
    api.force_authenticate(handler)
    assert api.delete(f"/api/v1/entities/{entity.pk}/").status_code == 405


def test_applicant_sees_only_own(api, applicant, entity_factory):
    entity_factory(name="别家")
    api.force_authenticate(applicant)
    names = [row["name"] for row in api.get("/api/v1/entities/").json()["results"]]
    assert names == [applicant.entity.name]


def test_openapi_schema_describes_every_register(client):
    schema = client.get("/api/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    for slug in ["entities", "patents", "filings", "stations", "experts"]:
        assert f"/api/v1/{slug}/" in schema["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "swagger" in docs.lower() and "cdn" not in docs.lower()


def test_openapi_describes_the_token_scheme(client):
    schema = client.get("/api/schema/?format=json").json()
    assert schema["components"]["securitySchemes"]["apiToken"]["name"] == "Authorization"


def test_api_rate_limit_answers_429(api, handler, monkeypatch):
    from django.core.cache import caches

    from huhang.registry.api import RegistryViewSet
    from huhang.site.throttling import ApiUserRateThrottle

    caches["throttle"].clear()
    monkeypatch.setattr(ApiUserRateThrottle, "THROTTLE_RATES", {"user": "2/minute"})
    monkeypatch.setattr(RegistryViewSet, "throttle_classes", [ApiUserRateThrottle])
    api.force_authenticate(handler)
    assert [api.get("/api/v1/entities/").status_code for _ in range(3)] == [200, 200, 429]
