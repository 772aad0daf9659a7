"""A local RFC 3161 TSA for tests: ``openssl ts -reply`` behind a tiny HTTP server, and its PKI.

The session fixture ``pki`` makes a small PKI in a temporary directory (a root CA, an intermediate CA, an RSA
TSA issued by the root, an ECDSA TSA issued by the intermediate, and a stranger root) and an OpenSSL TSA
configuration with one section per TSA. ``tsa_server`` (session) and ``tsa`` (reset for each test) are an
HTTP server answering queries by running ``openssl ts -reply``; it can be told to misbehave.

Used by tests/ledger/test_timestamp.py (the RFC 3161 client and verifier), test_timestamping.py (the
timestamper) and tests/evidence/test_receipt_timestamps.py: the conftests of both folders import the fixtures.
"""

import hashlib
import os
import shutil
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.hazmat.primitives import serialization

OPENSSL = shutil.which("openssl")

RSA_POLICY = "1.2.156.1.3161.1"
EC_POLICY = "1.2.156.1.3161.2"

EXTENSIONS = """\
[req]
distinguished_name = dn
[dn]
[root_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[intermediate_ext]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[tsa_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""

TSA_CONFIG = """\
[tsa]
default_tsa = tsa_rsa

[tsa_rsa]
serial = {dir}/serial
crypto_device = builtin
signer_cert = {dir}/tsa_rsa.crt
signer_key = {dir}/tsa_rsa.key
signer_digest = sha256
certs = {dir}/root.crt
default_policy = {rsa_policy}
other_policies = 1.2.156.1.3161.9
digests = sha256, sha384, sm3
accuracy = secs:1, millisecs:500, microsecs:100
clock_precision_digits = 3
ordering = yes
tsa_name = yes
ess_cert_id_chain = yes
ess_cert_id_alg = sha256

[tsa_ec]
serial = {dir}/serial
crypto_device = builtin
signer_cert = {dir}/tsa_ec.crt
signer_key = {dir}/tsa_ec.key
signer_digest = sha384
certs = {dir}/intermediate.crt
default_policy = {ec_policy}
other_policies = 1.2.156.1.3161.9
digests = sha256, sm3
accuracy = secs:2
ordering = no
tsa_name = no
ess_cert_id_chain = no
"""


# --- The local PKI and TSA --------------------------------------------------------------------------------


def run_openssl(*args: str | Path, cwd: Path | None = None, stdin: bytes | None = None) -> bytes:
    """Run openssl, fail with its message if it fails, and return its standard output."""
    result = subprocess.run(
        [OPENSSL, *map(str, args)], cwd=cwd, input=stdin, capture_output=True, timeout=60, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"openssl {' '.join(map(str, args))} failed: {result.stderr.decode(errors='replace')}")
    return result.stdout


@dataclass
class Pki:
    """The files of the local PKI and TSA, and helpers that run ``openssl ts``."""

    dir: Path
    # ``openssl ts -reply`` reads and rewrites the serial file with no lock of its own: two at once (a slow
    # answer still running when the next test asks) can fail with "Error during serial number generation".
    _serial_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def pem(self, name: str) -> bytes:
        return (self.dir / f"{name}.crt").read_bytes()

    def cert(self, name: str) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.pem(name))

    def key(self, name: str):
        return serialization.load_pem_private_key((self.dir / f"{name}.key").read_bytes(), password=None)

    @property
    def config(self) -> Path:
        return self.dir / "tsa.cnf"

    def reply(self, query: bytes, section: str = "tsa_rsa", *, token_only: bool = False) -> bytes:
        """Answer a DER TimeStampReq as the TSA ``section`` would: a TimeStampResp, or only its token."""
        work = self.dir / "work" / uuid.uuid4().hex
        work.mkdir(parents=True)
        (work / "query.tsq").write_bytes(query)
        args = ["ts", "-reply", "-config", self.config, "-section", section, "-queryfile", work / "query.tsq"]
        with self._serial_lock:
            run_openssl(*args, "-out", work / "reply.tsr", *(["-token_out"] if token_only else []))
        return (work / "reply.tsr").read_bytes()

    def openssl_token(self, data: bytes, *, hash_name: str = "sha256", section: str = "tsa_rsa", cert: bool = True):
        """Return a token that ``openssl ts -query`` and ``openssl ts -reply`` make for ``data``, no Python."""
        work = self.dir / "work" / uuid.uuid4().hex
        work.mkdir(parents=True)
        (work / "data").write_bytes(data)
        run_openssl("ts", "-query", "-data", work / "data", f"-{hash_name}", *(["-cert"] if cert else []),
                    "-out", work / "query.tsq")  # fmt: skip
        return self.reply((work / "query.tsq").read_bytes(), section, token_only=True)

    def openssl_verifies(self, token_der: bytes, data: bytes) -> str:
        """Return what ``openssl ts -verify`` says of the token for ``data`` with the root as the only anchor."""
        work = self.dir / "work" / uuid.uuid4().hex
        work.mkdir(parents=True)
        (work / "data").write_bytes(data)
        (work / "token.der").write_bytes(token_der)
        args = ["ts", "-verify", "-data", work / "data", "-in", work / "token.der", "-token_in"]
        result = subprocess.run(
            [OPENSSL, *map(str, args), "-CAfile", str(self.dir / "root.crt")],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return result.stdout + result.stderr


def _make_pki(root: Path) -> Pki:
    (root / "ext.cnf").write_text(EXTENSIONS)
    ext = root / "ext.cnf"
    rsa, p256 = ["-newkey", "rsa:2048"], ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]

    def self_signed(name: str, subject: str) -> None:
        run_openssl("req", "-x509", *rsa, "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.crt", "-utf8",
                    "-subj", subject, "-days", "3650", "-config", ext, "-extensions", "root_ext", cwd=root)  # fmt: skip

    def issued(name: str, subject: str, key: list[str], issuer: str, extensions: str) -> None:
        run_openssl("req", "-new", *key, "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr", "-utf8",
                    "-subj", subject, "-config", ext, cwd=root)  # fmt: skip
        run_openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{issuer}.crt", "-CAkey", f"{issuer}.key",
                    "-set_serial", str(int.from_bytes(os.urandom(8), "big")), "-days", "825",
                    "-extfile", ext, "-extensions", extensions, "-out", f"{name}.crt", cwd=root)  # fmt: skip

    self_signed("root", "/C=CN/O=护航测试/CN=护航测试根 CA")
    self_signed("stranger", "/C=CN/O=Somebody Else/CN=Stranger Root CA")
    issued("intermediate", "/C=CN/O=护航测试/CN=护航测试中间 CA", rsa, "root", "intermediate_ext")
    issued("tsa_rsa", "/C=CN/O=武汉公证处/CN=护航测试时间戳服务 RSA", rsa, "root", "tsa_ext")
    issued("tsa_ec", "/C=CN/O=武汉公证处/CN=护航测试时间戳服务 EC", p256, "intermediate", "tsa_ext")
    (root / "serial").write_text("01\n")
    (root / "tsa.cnf").write_text(TSA_CONFIG.format(dir=root, rsa_policy=RSA_POLICY, ec_policy=EC_POLICY))
    return Pki(root)


@pytest.fixture(scope="session")
def openssl() -> str:
    if OPENSSL is None:
        if os.environ.get("CI"):
            pytest.fail("openssl is required on CI for the RFC 3161 tests (apt-get install openssl)")
        pytest.skip("openssl is not installed: the RFC 3161 tests need `openssl ts` (apt-get install openssl)")
    return OPENSSL


@pytest.fixture(scope="session")
def pki(openssl, tmp_path_factory) -> Pki:
    return _make_pki(tmp_path_factory.mktemp("tsa"))


class LocalTsa:
    """A TSA on 127.0.0.1 that answers with ``openssl ts -reply``, or misbehaves as ``mode`` says."""

    def __init__(self, pki: Pki) -> None:
        self.pki = pki
        self.reset()
        handler = type("Handler", (_TsaHandler,), {"tsa": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # a client that gave up is no error here
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsa"
        self.thread = threading.Thread(target=self.server.serve_forever, name="local-tsa", daemon=True)

    def reset(self) -> None:
        self.mode = "ok"
        self.section = "tsa_rsa"
        self.fixed_reply = b""
        self.requests: list[tuple[str | None, bytes]] = []

    def answer(self, query: bytes) -> tuple[int, bytes]:
        """Return the HTTP status and body for a query, as the current mode says."""
        if self.mode == "http_error":
            return 500, b"internal error"
        if self.mode == "garbage":
            return 200, b"this is not DER"
        if self.mode == "fixed":
            return 200, self.fixed_reply
        if self.mode == "slow":
            time.sleep(1.5)
        return 200, self.pki.reply(self._rewrite(query), self.section)

    def _rewrite(self, query: bytes) -> bytes:
        """Alter the query before the real TSA sees it, so that its signed answer misleads the client."""
        if self.mode not in ("wrong_nonce", "no_nonce", "other_digest"):
            return query
        request = tsp.TimeStampReq.load(query).copy()
        if self.mode == "wrong_nonce":
            request["nonce"] = request["nonce"].native + 1
        elif self.mode == "no_nonce":
            request["nonce"] = None
        else:
            imprint = request["message_imprint"].copy()
            imprint["hashed_message"] = hashlib.sha256(b"something else").digest()
            request["message_imprint"] = imprint
        return request.dump(force=True)


class _TsaHandler(BaseHTTPRequestHandler):
    tsa: LocalTsa

    def do_POST(self) -> None:
        query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.tsa.requests.append((self.headers.get("Content-Type"), query))
        status, body = self.tsa.answer(query)
        self.send_response(status)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        """Keep the test output quiet."""


@pytest.fixture(scope="session")
def tsa_server(pki):
    tsa = LocalTsa(pki)
    tsa.thread.start()
    yield tsa
    tsa.server.shutdown()
    tsa.server.server_close()


@pytest.fixture
def tsa(tsa_server) -> LocalTsa:
    tsa_server.reset()
    return tsa_server


def flip(der: bytes, needle: bytes) -> bytes:
    """Return ``der`` with one bit flipped in the middle of ``needle``, which occurs exactly once in it."""
    assert der.count(needle) == 1
    at = der.index(needle) + len(needle) // 2
    return der[:at] + bytes([der[at] ^ 0x01]) + der[at + 1 :]


def signature_of(token_der: bytes) -> bytes:
    return cms.ContentInfo.load(token_der)["content"]["signer_infos"][0]["signature"].native
