"""Fixtures of the evidence tests: a ledger in the test database, an evidence store per test, holders and users.

The ledger writes through its own connection to the test database, so every test that appends runs with
``django_db(transaction=True)``. Its tables are not Django models: they outlive each test's flush, so the
suite shares one log (created by whichever test needs it first) and each test appends to it.
"""

import hashlib
import itertools
import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huhang.accounts.models import Organisation, User
from huhang.accounts.roles import OrganisationKind, Role
from huhang.evidence import ledger_service
from huhang.ledger.store import SqlStore
from tests.conftest import make_resident_id, make_uscc
from tests.ledger.tsa_support import openssl, pki, tsa, tsa_server  # noqa: F401 - the local TSA's fixtures

LEDGER_ORIGIN = "test.huhang.example/evidence"
PASSWORD = "correct horse battery"
_serial = itertools.count(1)

# A 1x1 PNG: content that is an image whatever its name says.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000105fe02fea70000000049454e44ae426082"
)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def ledger(transactional_db):
    """The instance's log, in the test database (created on first use)."""
    ledger_service.ledger_reset_for_tests()
    store = SqlStore(ledger_service.database_url())
    try:
        record = store.find_log()
    finally:
        store.close()
    if record is None:
        ledger_service.ledger_init(origin=LEDGER_ORIGIN)
    yield ledger_service.open_log()
    ledger_service.ledger_reset_for_tests()


@pytest.fixture
def ledger_start(ledger):
    """The log's size when the test began: earlier tests' entries lost their rows in the flush."""
    return ledger.size


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    settings.HUHANG_EVIDENCE_DIR = tmp_path / "evidence"
    return settings.HUHANG_EVIDENCE_DIR


S3_ACCESS_KEY, S3_SECRET_KEY = "huhang-test-access", "huhang-test-secret"
_bucket_serial = itertools.count(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """A local S3 server (moto, in a thread on 127.0.0.1): its URL."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_test_client(endpoint):
    from huhang.evidence.storage import s3_client

    return s3_client(endpoint, "us-east-1", S3_ACCESS_KEY, S3_SECRET_KEY)


@pytest.fixture
def s3_bucket(settings, s3_endpoint, monkeypatch):
    """Select the S3 store, with a fresh bucket on the local S3 server; return the bucket's name."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # the local server only, whatever proxy the machine sets
    bucket = f"huhang-evidence-{next(_bucket_serial)}"
    s3_test_client(s3_endpoint).create_bucket(Bucket=bucket)
    settings.HUHANG_EVIDENCE_STORE = "s3"
    settings.HUHANG_EVIDENCE_S3_ENDPOINT = s3_endpoint
    settings.HUHANG_EVIDENCE_S3_BUCKET = bucket
    settings.HUHANG_EVIDENCE_S3_REGION = "us-east-1"
    settings.HUHANG_EVIDENCE_S3_ACCESS_KEY = S3_ACCESS_KEY
    settings.HUHANG_EVIDENCE_S3_SECRET_KEY = S3_SECRET_KEY
    settings.HUHANG_EVIDENCE_S3_PREFIX = "evidence/"
    return bucket


@pytest.fixture(params=["local", "s3"])
def backend(request, evidence_dir):
    """Each store in turn, with a way to tamper with a stored blob behind the application's back."""
    import os

    if request.param == "s3":
        bucket = request.getfixturevalue("s3_bucket")
        client = s3_test_client(request.getfixturevalue("s3_endpoint"))

        class S3Tamper:
            name = "s3"

            def replace(self, key, data):
                client.put_object(Bucket=bucket, Key=f"evidence/{key}", Body=data)

            def delete(self, key):
                client.delete_object(Bucket=bucket, Key=f"evidence/{key}")

        return S3Tamper()

    class LocalTamper:
        name = "local"

        def replace(self, key, data):
            os.chmod(evidence_dir / key, 0o640)
            (evidence_dir / key).write_bytes(data)

        def delete(self, key):
            (evidence_dir / key).unlink()

    return LocalTamper()


def _organisation(name, kind):
    return Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]


def _user(username, role, organisation=None, entity=None):
    return User.objects.create_user(
        username=username, password=PASSWORD, role=role, organisation=organisation, entity=entity
    )


@pytest.fixture
def make_holder(transactional_db):
    from huhang.registry.models import Entity

    def make(**fields):
        fields.setdefault("kind", "enterprise")
        fields.setdefault("name", f"武汉存证测试科技有限公司{next(_serial)}")
        if fields["kind"] == "individual":
            fields.setdefault("resident_id", make_resident_id())
        else:
            fields.setdefault("uscc", make_uscc())
        return Entity.objects.create(**fields)  # no district: reference rows do not survive flushes

    return make


@pytest.fixture
def holder(make_holder):
    return make_holder(name="武汉长江光电有限公司")


@pytest.fixture
def owner(holder):
    """An applicant user of ``holder``."""
    return _user("owner", Role.APPLICANT, entity=holder)


@pytest.fixture
def stranger(make_holder):
    """An applicant user of another entity."""
    return _user("stranger", Role.APPLICANT, entity=make_holder(name="武汉其他企业有限公司"))


@pytest.fixture
def clerk(transactional_db):
    """A case handler of the protection centre."""
    return _user("clerk", Role.HANDLER, _organisation("武汉市知识产权保护中心", OrganisationKind.PROTECTION_CENTRE))


@pytest.fixture
def judge(transactional_db):
    """A partner user at a court."""
    return _user("judge", Role.PARTNER, _organisation("武汉市中级人民法院", OrganisationKind.COURT))


@pytest.fixture
def admin_user(transactional_db):
    return _user("boss", Role.ADMIN, _organisation("武汉市知识产权保护中心", OrganisationKind.PROTECTION_CENTRE))


def upload(data: bytes = b"%PDF-1.4 evidence of prior art\n", name: str = "prior-art.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/x-claimed-by-the-browser")


@pytest.fixture
def submit(ledger, owner, holder):
    """Submit a file as ``owner`` for ``holder``; keyword arguments override the defaults."""
    from huhang.evidence.services import evidence_submit

    def do(data: bytes = b"%PDF-1.4 evidence of prior art\n", name: str = "prior-art.pdf", **kwargs):
        kwargs.setdefault("actor", owner)
        kwargs.setdefault("holder", holder)
        kwargs.setdefault("kind", "document")
        kwargs.setdefault("title", "现有技术证据")
        kwargs.setdefault("description", "2019 年产品手册扫描件")
        return evidence_submit(upload=upload(data, name), **kwargs)

    return do
