"""The patent-analytics API: search and a patent's classification, token authentication, errors, OpenAPI."""

import pytest
from rest_framework.test import APIClient

from huhang.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(settings):
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages are checked in English
    return client


def _with_token(api, user, administrator):
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(actor=administrator, user=user, name='partner')[1]}")
    return api


def test_search_with_a_token_gives_hits_with_highlight_offsets(analytics, api, partner, administrator):
    response = _with_token(api, partner, administrator).get("/api/v1/patents/search/", {"q": "驱鸟 输电线路", "top": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "驱鸟 输电线路" and body["top"] == 3 and body["index_current"] is True
    assert body["documents"] == 7 and body["mode"] == "lexical"
    first = body["results"][0]
    assert first["id"] == "CN114081026A" and first["score"] > 0 and first["applicants"] == ["国网湖北省电力有限公司"]
    passage = first["passages"][0]
    assert passage["field"] == "title" and passage["text"] == "一种水电站高压输电线路驱鸟保护装置"
    assert [passage["text"][a:b] for a, b in passage["highlights"]] == ["输电线路驱鸟"]  # adjacent words merged


def test_search_keeps_the_language_asked_for(analytics, api, partner, administrator):
    client = _with_token(api, partner, administrator)
    results = client.get("/api/v1/patents/search/", {"q": "pizza 激光", "lang": "en"}).json()["results"]
    assert results and {hit["lang"] for hit in results} == {"en"}


@pytest.mark.parametrize(
    "params, field",
    [({}, "q"), ({"q": "the of"}, "q"), ({"q": "驱鸟", "top": 0}, "top"), ({"q": "驱鸟", "top": 101}, "top"),
     ({"q": "驱鸟", "lang": "de"}, "lang")],
)  # fmt: skip
def test_bad_search_parameters_are_400_with_the_field_named(analytics, api, partner, administrator, params, field):
    response = _with_token(api, partner, administrator).get("/api/v1/patents/search/", params)
    assert response.status_code == 400
    assert response.json()["message"] == "The data is not valid." and list(response.json()["errors"]) == [field]


def test_classification_of_a_patent_in_both_languages(analytics, api, applicant, administrator):
    client = _with_token(api, applicant, administrator)  # applicants may search and read classifications
    zh = client.get("/api/v1/patents/CN114081026A/classification/").json()
    en = client.get("/api/v1/patents/CN114081026A/classification/", {"lang": "en"}).json()
    assert zh["id"] == "CN114081026A" and zh["high_value"] in ("yes", "no", "unknown") and zh["current"] is True
    assert set(zh["categories"]) == {"sei", "family", "maintained", "pledge", "award"}
    assert zh["eligible"]["reasons"][0]["text"] == "中国国家知识产权局公布（CN）"
    assert en["eligible"]["reasons"][0]["text"] == "published by CNIPA (CN)"
    assert client.get("/api/v1/patents/CN999/classification/").status_code == 404
    assert client.get("/api/v1/patents/CN114081026A/classification/", {"lang": "fr"}).status_code == 400


def test_without_data_the_api_says_so_with_503(data_dir, api, partner, administrator):
    response = _with_token(api, partner, administrator).get("/api/v1/patents/search/", {"q": "驱鸟"})
    assert response.status_code == 503 and "huhang patents load" in response.json()["message"]


def test_the_api_needs_credentials(analytics, api):
    assert api.get("/api/v1/patents/search/", {"q": "驱鸟"}).status_code in (401, 403)


def test_registry_patents_api_is_still_reachable(analytics, api, partner, administrator):
    assert _with_token(api, partner, administrator).get("/api/v1/patents/").status_code == 200


def test_openapi_describes_the_endpoints(api, administrator):
    api.force_authenticate(administrator)
    schema = api.get("/api/schema/").content.decode()
    assert "/api/v1/patents/search/" in schema and "/api/v1/patents/{patent_id}/classification/" in schema


def test_before_the_classification_the_api_says_so_with_503(data_dir, reference_template, api, partner, administrator):
    import shutil

    from huhang.analytics import PatentStore
    from huhang.patents.paths import store_path
    from tests.analytics.conftest import write_jsonl
    from tests.patents.conftest import DOCS

    store_path().parent.mkdir(parents=True)
    shutil.copyfile(reference_template, store_path())
    with PatentStore(store_path()) as store:
        store.load_files([write_jsonl(data_dir / "docs.jsonl", DOCS)])
    response = _with_token(api, partner, administrator).get("/api/v1/patents/CN114081026A/classification/")
    assert response.status_code == 503 and "huhang patents classify" in response.json()["message"]
