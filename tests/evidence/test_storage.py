"""The evidence stores: local disk and S3-compatible (against a local moto server), one contract for both."""

import base64
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from botocore.exceptions import ClientError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation

from huhang.evidence import checks
from huhang.evidence.models import Evidence
from huhang.evidence.storage import S3Store, StoreError, evidence_store
from huhang.evidence.system_checks import evidence_settings
from tests.evidence.conftest import free_port, s3_test_client, sha256

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# The contract, for both backends.


def test_submitted_file_is_stored_by_hash_and_read_back(backend, submit):
    data = b"%PDF-1.4 the stored contract\n"
    evidence = submit(data)
    store = evidence_store()
    assert evidence.storage_key == f"{sha256(data)[:2]}/{sha256(data)[2:4]}/{sha256(data)}"
    assert store.exists(evidence.storage_key) and list(store.keys()) == [evidence.storage_key]
    stream = store.open(evidence.storage_key)
    try:
        assert stream.read() == data
    finally:
        stream.close()
    assert store.sha256_of(evidence.storage_key) == sha256(data)
    assert checks.evidence_check_files() == []


def test_same_content_is_stored_once(backend, submit):
    first, second = submit(b"same bytes"), submit(b"same bytes")
    assert first.storage_key == second.storage_key and first.ledger_index != second.ledger_index
    assert list(evidence_store().keys()) == [first.storage_key]
    assert evidence_store().put([b"same ", b"bytes"], max_bytes=100).created is False


def test_too_large_upload_leaves_nothing(backend, submit, ledger, settings):
    from django.core.exceptions import ValidationError

    settings.HUHANG_EVIDENCE_MAX_BYTES = 1000
    before = ledger.size
    with pytest.raises(ValidationError):
        submit(b"z" * 1001)
    assert Evidence.objects.count() == 0 and ledger.size == before and not list(evidence_store().keys())


def test_replaced_file_is_detected_by_the_check(backend, submit, ledger_start):
    evidence = submit(b"the genuine contract\n")
    forged = b"a forged contract!!\n"
    backend.replace(evidence.storage_key, forged)
    problems = checks.evidence_check_files()
    assert [p.subject for p in problems] == [f"evidence/{evidence.pk}"]
    assert f"was replaced: SHA-256 is now {sha256(forged)}" in problems[0].message


def test_missing_file_is_detected_by_the_check(backend, submit, ledger_start, client, owner):
    evidence = submit(b"soon gone")
    backend.delete(evidence.storage_key)
    problems = checks.evidence_check_files()
    assert [str(p) for p in problems] == [f"evidence/{evidence.pk}: its file is missing from the store"]
    client.force_login(owner)
    assert client.get(f"/evidence/{evidence.pk}/file").status_code == 403


def test_download_through_the_evidence_page_streams_the_file(backend, submit, client, owner):
    data = b"confidential pages " * 1000
    evidence = submit(data)
    client.force_login(owner)
    response = client.get(f"/evidence/{evidence.pk}/file")
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/octet-stream" and "attachment" in response["Content-Disposition"]


# S3 only.


def test_object_key_content_and_checksum(s3_bucket, s3_endpoint, submit):
    data = b"object content"
    evidence = submit(data, name="../../etc/passwd")
    client = s3_test_client(s3_endpoint)
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=s3_bucket)["Contents"]]
    assert keys == [f"evidence/{sha256(data)[:2]}/{sha256(data)[2:4]}/{sha256(data)}"]
    assert f"evidence/{evidence.storage_key}" == keys[0]
    obj = client.get_object(Bucket=s3_bucket, Key=keys[0], ChecksumMode="ENABLED")
    assert obj["Body"].read() == data and obj["ContentType"] == "application/octet-stream"
    if "ChecksumSHA256" in obj:  # kept by the server when it supports checksums
        assert obj["ChecksumSHA256"] == base64.b64encode(bytes.fromhex(sha256(data))).decode()


def test_existing_object_is_not_uploaded_again(s3_bucket, s3_endpoint, submit):
    puts = []
    client = s3_test_client(s3_endpoint)
    client.meta.events.register("before-call.s3.PutObject", lambda **kw: puts.append(1))
    try:
        submit(b"dedupe me")
        submit(b"dedupe me")
    finally:
        client.meta.events.unregister("before-call.s3.PutObject")
    assert len(puts) == 1


def test_endpoint_refusing_checksums_gets_a_plain_upload(s3_bucket, s3_endpoint, submit, monkeypatch):
    client = s3_test_client(s3_endpoint)
    original, calls = client.put_object, []

    def put_object(**kwargs):
        calls.append(sorted(k for k in kwargs if k.startswith("Checksum")))
        if "ChecksumSHA256" in kwargs:
            error = {"Error": {"Code": "InvalidArgument", "Message": "x-amz-checksum-sha256 is not supported"}}
            raise ClientError(error, "PutObject")
        return original(**kwargs)

    monkeypatch.setattr(client, "put_object", put_object)
    evidence = submit(b"plain upload")
    assert calls == [["ChecksumSHA256"], []]
    assert evidence_store().sha256_of(evidence.storage_key) == sha256(b"plain upload")


def test_large_file_goes_in_parts(s3_bucket, settings, tmp_path):
    store = evidence_store()
    store.multipart_threshold = 5 * 1024 * 1024  # the smallest part S3 accepts
    data = bytes(range(256)) * (6 * 1024 * 1024 // 256)
    step = 1 << 20
    blob = store.put((data[i : i + step] for i in range(0, len(data), step)), max_bytes=len(data))
    assert blob.created and blob.size == len(data) and blob.sha256 == sha256(data)
    head = store.client.head_object(Bucket=s3_bucket, Key=store.object_key(blob.key))
    assert head["ContentLength"] == len(data) and head["ETag"].strip('"').endswith("-2")  # two parts
    assert store.sha256_of(blob.key) == sha256(data)
    assert not list((settings.HUHANG_EVIDENCE_DIR / "incoming").iterdir())


@pytest.fixture
def refusing_endpoint(settings, s3_bucket):
    """An S3 endpoint on 127.0.0.1 that refuses every request's credentials."""

    class Refuse(BaseHTTPRequestHandler):
        def _refuse(self):
            body = (
                b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidAccessKeyId</Code>'
                b"<Message>The access key Id you provided does not exist in our records.</Message></Error>"
            )
            self.send_response(403)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_PUT = do_POST = do_HEAD = _refuse

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HUHANG_EVIDENCE_S3_ENDPOINT = f"http://127.0.0.1:{server.server_address[1]}"
    yield settings.HUHANG_EVIDENCE_S3_ENDPOINT
    server.shutdown()
    server.server_close()


def test_bad_credentials_are_a_clear_error_and_nothing_is_recorded(refusing_endpoint, submit, ledger, client, owner):
    before = ledger.size
    with pytest.raises(StoreError) as info:
        submit(b"never stored")
    assert "S3 evidence store" in str(info.value) and refusing_endpoint in str(info.value)
    assert "403" in str(info.value)
    client.force_login(owner)
    client.cookies["huhang_language"] = "en"
    response = client.post(
        "/evidence/new/", {"kind": "document", "title": "t", "file": SimpleUploadedFile("a.txt", b"never stored")}
    )
    assert response.status_code == 200 and "evidence store is not available" in response.content.decode()
    assert Evidence.objects.count() == 0 and ledger.size == before


def test_the_check_reports_an_unreachable_store(s3_bucket, submit, settings):
    evidence = submit(b"checked later")
    settings.HUHANG_EVIDENCE_S3_ENDPOINT = f"http://127.0.0.1:{free_port()}"
    problems = checks.evidence_check_files()
    assert [p.subject for p in problems] == [f"evidence/{evidence.pk}"]
    assert "could not be read from the store" in problems[0].message


# Settings.


def test_system_check_warns_when_no_certificate_font_is_installed(settings, tmp_path):
    settings.HUHANG_PDF_FONT = str(tmp_path / "missing.ttf")
    assert [problem.id for problem in evidence_settings(None)] == ["huhang.evidence.W001"]
    settings.HUHANG_PDF_FONT = __file__  # any file there: the check does not read it
    assert evidence_settings(None) == []


def test_system_check_accepts_complete_s3_settings(s3_bucket):
    assert [p.id for p in evidence_settings(None) if p.id.startswith("huhang.evidence.E")] == []
    assert isinstance(evidence_store(), S3Store)


@pytest.mark.parametrize(
    ("changes", "error", "words"),
    [
        (
            {"HUHANG_EVIDENCE_S3_BUCKET": "", "HUHANG_EVIDENCE_S3_SECRET_KEY": ""},
            "E006",
            "needs HUHANG_EVIDENCE_S3_BUCKET",
        ),
        ({"HUHANG_EVIDENCE_S3_ENDPOINT": "minio.local:9000"}, "E007", "not an http:// or https:// URL"),
        ({"HUHANG_EVIDENCE_S3_ENDPOINT": "ftp://minio.local"}, "E007", "not an http:// or https:// URL"),
        ({"HUHANG_EVIDENCE_S3_ENDPOINT": "http://minio.local:port"}, "E007", "not an http:// or https:// URL"),
        ({"HUHANG_EVIDENCE_S3_PREFIX": "/evidence/"}, "E008", "not a usable key prefix"),
        ({"HUHANG_EVIDENCE_STORE": "gcs"}, "E001", "is not available"),
    ],
    ids=["missing", "no-scheme", "ftp", "bad-port", "absolute-prefix", "unknown-store"],
)
def test_system_check_explains_bad_s3_settings(s3_bucket, settings, changes, error, words):
    for name, value in changes.items():
        setattr(settings, name, value)
    errors = [p for p in evidence_settings(None) if p.id.startswith("huhang.evidence.E")]
    assert [p.id for p in errors] == [f"huhang.evidence.{error}"] and words in errors[0].msg
    if error == "E006":
        assert "HUHANG_EVIDENCE_S3_SECRET_KEY" in errors[0].msg


def test_evidence_check_command_passes_on_s3(s3_bucket, submit, ledger_start):
    from io import StringIO

    submit(b"one")
    out = StringIO()
    call_command("evidence", "check", "--since", str(ledger_start), stdout=out)
    assert "every evidence row agrees" in out.getvalue()
