"""The evidence API: token authentication, the receipt as the answer, errors in the platform's shape."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from huhang.accounts.services import api_token_create
from huhang.evidence.models import Evidence
from huhang.ledger.receipt import verify_receipt
from tests.evidence.conftest import PNG

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api():
    return APIClient()


def _token(user, admin_user):
    return api_token_create(actor=admin_user, user=user, name="enterprise system")[1]


def test_upload_with_a_token_answers_with_the_receipt(api, ledger, owner, admin_user):
    assert api.post("/api/v1/evidence/", {}, format="multipart").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {_token(owner, admin_user)}")
    response = api.post(
        "/api/v1/evidence/",
        {"kind": "image", "title": "样品照片", "file": SimpleUploadedFile("../../x.pdf", PNG)},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    receipt = response.json()
    evidence = Evidence.objects.get()
    assert response["Location"] == f"/api/v1/evidence/{evidence.pk}/receipt/"
    assert evidence.media_type == "image/png" and evidence.original_name == "x.pdf"
    verified = verify_receipt(receipt, verifier_key=ledger.record.verifier_key, file_bytes=PNG)
    assert verified.index == evidence.ledger_index
    again = api.get(f"/api/v1/evidence/{evidence.pk}/receipt/")
    assert again.status_code == 200 and again.json()["leaf"] == receipt["leaf"]


def test_hash_only_submission(api, ledger, clerk, holder, admin_user, evidence_dir):
    api.credentials(HTTP_AUTHORIZATION=f"Token {_token(clerk, admin_user)}")
    digest = hashlib.sha256(b"secret formula").hexdigest()
    response = api.post(
        "/api/v1/evidence/hashes/",
        {"holder": holder.uscc, "kind": "source_code", "title": "核心算法", "sha256": digest, "size": 14},
        format="json",
    )
    assert response.status_code == 201, response.json()
    evidence = Evidence.objects.get()
    assert (evidence.holder, evidence.sha256, evidence.size, evidence.storage_key) == (holder, digest, 14, "")
    assert not evidence_dir.exists() or not any(p.is_file() for p in evidence_dir.rglob("*"))
    verify_receipt(response.json(), verifier_key=ledger.record.verifier_key, file_bytes=b"secret formula")


def test_errors_have_the_platform_shape(api, ledger, clerk, stranger, holder, admin_user):
    api.credentials(HTTP_AUTHORIZATION=f"Token {_token(clerk, admin_user)}")
    response = api.post(
        "/api/v1/evidence/hashes/",
        {"holder": holder.uscc, "kind": "other", "title": "t", "sha256": "xyz"},
        format="json",
    )
    assert response.status_code == 400 and "sha256" in response.json()["errors"]
    response = api.post("/api/v1/evidence/hashes/", {"kind": "other", "title": "t", "sha256": "ab" * 32}, format="json")
    assert response.status_code == 400 and "holder" in response.json()["errors"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {_token(stranger, admin_user)}")
    response = api.post(
        "/api/v1/evidence/hashes/",
        {"holder": holder.uscc, "kind": "other", "title": "t", "sha256": "ab" * 32},
        format="json",
    )
    assert response.status_code == 403 and response.json()["message"]
    assert Evidence.objects.count() == 0


def test_receipts_of_others_are_not_found(api, ledger, submit, stranger, admin_user):
    evidence = submit()
    api.credentials(HTTP_AUTHORIZATION=f"Token {_token(stranger, admin_user)}")
    response = api.get(f"/api/v1/evidence/{evidence.pk}/receipt/")
    assert response.status_code == 404 and set(response.json()) == {"message", "errors"}


def test_the_openapi_description_names_the_endpoints(api, owner):
    api.force_authenticate(owner)
    schema = api.get("/api/schema/?format=json").json()
    assert {"/api/v1/evidence/", "/api/v1/evidence/hashes/", "/api/v1/evidence/{id}/receipt/"} <= set(schema["paths"])


def test_a_ledger_or_store_that_fails_answers_503_and_records_nothing(
    api, ledger, clerk, holder, admin_user, monkeypatch
):
    from huhang.evidence import ledger_service, services
    from huhang.evidence.storage import StoreError
    from huhang.ledger.errors import LedgerError

    def broken_ledger(data, **options):
        raise LedgerError("disk full")

    class BrokenStore:
        def put(self, chunks, **options):
            raise StoreError("the S3 evidence store failed to store an object: InvalidAccessKeyId")

    api.credentials(HTTP_AUTHORIZATION=f"Token {_token(clerk, admin_user)}")
    before = ledger.size
    monkeypatch.setattr(ledger_service, "ledger_submit_many", broken_ledger)
    response = api.post(
        "/api/v1/evidence/hashes/",
        {"holder": holder.uscc, "kind": "other", "title": "t", "sha256": "ab" * 32},
        format="json",
    )
    assert response.status_code == 503 and "disk full" in response.json()["message"]
    monkeypatch.setattr(services, "evidence_store", BrokenStore)
    response = api.post(
        "/api/v1/evidence/",
        {"holder": holder.uscc, "kind": "image", "title": "t", "file": SimpleUploadedFile("a.png", PNG)},
        format="multipart",
    )
    assert response.status_code == 503 and response.json()["message"]
    assert "InvalidAccessKeyId" not in response.json()["message"], "the store's details stay in the server's log"
    assert Evidence.objects.count() == 0 and ledger.size == before
