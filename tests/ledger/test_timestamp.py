"""RFC 3161 time-stamps against a local TSA: ``openssl ts -reply`` behind a tiny HTTP server.

The PKI, the TSA configuration and the HTTP server live in tests/ledger/tsa_support.py (shared with the
timestamper's and the receipts' tests). Tokens are cross-checked with ``openssl ts -verify``.
"""

import hashlib
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asn1crypto import cms, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from huhang.ledger.timestamp import (
    TimestampError,
    TimestampToken,
    request_timestamp,
    timestamp_request_der,
    verify_timestamp,
)
from tests.ledger.tsa_support import (
    EC_POLICY,
    RSA_POLICY,
    Pki,
    flip,
    run_openssl,
    signature_of,
)

SRC = Path(__file__).resolve().parents[2] / "src"
DATA = "武汉知识产权保护 ledger checkpoint 42\n".encode()


@pytest.fixture
def token(tsa) -> TimestampToken:
    return request_timestamp(DATA, url=tsa.url)


# --- Building requests ------------------------------------------------------------------------------------


@pytest.mark.parametrize("hash_name", ["sha256", "sha384", "sha512", "sm3"])
@pytest.mark.parametrize("cert_req", [True, False])
def test_request_without_nonce_is_byte_for_byte_what_openssl_builds(openssl, tmp_path, hash_name, cert_req):
    digest = hashlib.new(hash_name, DATA).digest()
    flags = ["-cert"] if cert_req else []
    run_openssl("ts", "-query", "-digest", digest.hex(), f"-{hash_name}", *flags, "-no_nonce", "-out", tmp_path / "q")
    assert timestamp_request_der(digest, hash_name, None, cert_req) == (tmp_path / "q").read_bytes()


def _query_text(der: bytes, path: Path) -> dict[str, str]:
    """Return what ``openssl ts -query -text`` prints of a DER query, field by field."""
    path.write_bytes(der)
    lines = run_openssl("ts", "-query", "-in", path, "-text").decode().splitlines()
    fields = {}
    for line in lines:
        if ": " in line and not line.startswith(" "):
            name, value = line.split(": ", 1)
            fields[name] = value.strip()
    hexdump = [line.split(" - ", 1)[1][:47] for line in lines if line.startswith("    ") and " - " in line]
    fields["Message data"] = "".join(hexdump).replace("-", " ").replace(" ", "")
    return fields


@pytest.mark.parametrize(
    ("hash_name", "nonce", "cert_req"),
    [("sha256", 0x1234_5678_9ABC_DEF0, True), ("sm3", 1, False), ("sha512", 2**64 - 1, True), ("sm3", None, True)],
)
def test_openssl_reads_our_request(openssl, tmp_path, hash_name, nonce, cert_req):
    digest = hashlib.new(hash_name, DATA).digest()
    fields = _query_text(timestamp_request_der(digest, hash_name, nonce, cert_req), tmp_path / "q.tsq")
    assert fields["Version"] == "1"
    assert fields["Hash Algorithm"] == hash_name
    assert fields["Message data"] == digest.hex()
    assert fields["Policy OID"] == "unspecified"
    if nonce is None:
        assert fields["Nonce"] == "unspecified"
    else:
        assert int(fields["Nonce"], 16) == nonce
    assert fields["Certificate required"] == ("yes" if cert_req else "no")


@pytest.mark.parametrize(
    ("digest", "hash_name", "nonce", "message"),
    [
        (bytes(31), "sha256", None, "32 bytes, not 31"),
        (bytes(32), "md5", None, "unsupported hash 'md5'"),
        (bytes(20), "sha1", None, "unsupported hash 'sha1'"),
        (bytes(32), "sm3", -1, "nonce must not be negative"),
    ],
)
def test_request_refuses_bad_arguments(digest, hash_name, nonce, message):
    with pytest.raises(TimestampError, match=message):
        timestamp_request_der(digest, hash_name, nonce, True)


# --- Asking the local TSA ---------------------------------------------------------------------------------


@pytest.mark.parametrize("hash_name", ["sha256", "sm3"])
def test_round_trip_with_the_rsa_tsa(pki, tsa, hash_name):
    before = datetime.now(UTC)
    token = request_timestamp(DATA, url=tsa.url, hash_name=hash_name)
    assert before - timedelta(seconds=5) <= token.gen_time <= datetime.now(UTC) + timedelta(seconds=5)
    assert token.gen_time.tzinfo is not None
    assert token.hash_name == hash_name
    assert token.digest == hashlib.new(hash_name, DATA).digest()
    assert token.policy_oid == RSA_POLICY
    assert token.serial_number > 0
    assert token.nonce is not None
    assert token.accuracy == timedelta(seconds=1, milliseconds=500, microseconds=100)
    assert token.tsa_name is not None and "护航测试时间戳服务 RSA" in token.tsa_name

    assert verify_timestamp(token.der, DATA, trusted_roots=[pki.pem("root")]) == token
    assert "Verification: OK" in pki.openssl_verifies(token.der, DATA)


@pytest.mark.parametrize("hash_name", ["sha256", "sm3"])
def test_round_trip_with_the_ecdsa_tsa_under_an_intermediate(pki, tsa, hash_name):
    tsa.section = "tsa_ec"
    token = request_timestamp(DATA, url=tsa.url, hash_name=hash_name)
    assert token.policy_oid == EC_POLICY
    assert token.tsa_name is None
    assert token.accuracy == timedelta(seconds=2)

    assert verify_timestamp(token.der, DATA, trusted_roots=[pki.pem("root")]) == token
    assert "Verification: OK" in pki.openssl_verifies(token.der, DATA)


def test_request_is_a_timestamp_query(tsa, token):
    content_type, query = tsa.requests[-1]
    assert content_type == "application/timestamp-query"
    request = tsp.TimeStampReq.load(query)
    assert request["nonce"].native == token.nonce
    assert request["cert_req"].native is True


def test_serial_numbers_differ(tsa):
    first = request_timestamp(DATA, url=tsa.url)
    second = request_timestamp(DATA, url=tsa.url)
    assert first.serial_number != second.serial_number
    assert first.nonce != second.nonce


def test_token_without_nonce_or_certificate_needs_the_tsa_certificate(pki, tsa):
    token = request_timestamp(DATA, url=tsa.url, nonce=False, cert_req=False)
    assert token.nonce is None
    with pytest.raises(TimestampError, match="does not include its TSA's certificate"):
        verify_timestamp(token.der, DATA)
    roots = [pki.pem("root")]
    assert verify_timestamp(token.der, DATA, tsa_certificates=[pki.pem("tsa_rsa")], trusted_roots=roots) == token


def test_tsa_refusal_is_reported_with_its_reasons(tsa):
    with pytest.raises(TimestampError, match=r"refused the request \(status rejection\).*bad_alg"):
        request_timestamp(DATA, url=tsa.url, hash_name="sha512")


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("wrong_nonce", "echoed a different nonce"),
        ("no_nonce", "did not echo the request's nonce"),
        ("other_digest", "time-stamped another digest"),
        ("http_error", "answered HTTP 500"),
        ("garbage", "the TSA's response is malformed"),
    ],
)
def test_misbehaving_tsa_is_caught(tsa, mode, message):
    tsa.mode = mode
    with pytest.raises(TimestampError, match=message):
        request_timestamp(DATA, url=tsa.url)


def test_granted_response_without_token_is_refused(tsa):
    tsa.mode = "fixed"
    status = tsp.PKIStatusInfo({"status": "granted"}).dump()
    tsa.fixed_reply = bytes([0x30, len(status)]) + status  # a TimeStampResp of a status alone
    with pytest.raises(TimestampError, match="sent no token"):
        request_timestamp(DATA, url=tsa.url)


def test_slow_tsa_times_out(tsa):
    tsa.mode = "slow"
    started = time.monotonic()
    with pytest.raises(TimestampError, match=r"(?i)cannot reach TSA.*timed out"):
        request_timestamp(DATA, url=tsa.url, timeout=0.2)
    assert time.monotonic() - started < 1.4


def test_server_down_is_reported():
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as server:
        port = server.server_address[1]
    with pytest.raises(TimestampError, match=rf"cannot reach TSA http://127\.0\.0\.1:{port}"):
        request_timestamp(DATA, url=f"http://127.0.0.1:{port}/tsa", timeout=2)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/tsa", "127.0.0.1:318", "http://", "http://[::1"]
)
def test_only_http_urls_are_accepted(url):
    with pytest.raises(TimestampError, match=r"(?i)url"):
        request_timestamp(DATA, url=url)


def test_credentials_in_the_url_stay_out_of_messages(tsa):
    tsa.mode = "http_error"
    with pytest.raises(TimestampError) as caught:
        request_timestamp(DATA, url=tsa.url.replace("http://", "http://court:s3cret@") + "?key=t0ken")
    assert "s3cret" not in str(caught.value) and "t0ken" not in str(caught.value)


def test_corrupted_responses_raise_only_timestamp_errors(tsa):
    tsa.mode = "fixed"
    good = tsa.pki.reply(timestamp_request_der(hashlib.sha256(DATA).digest(), "sha256", None, True))
    outcomes = set()
    for at in range(0, len(good), 7):
        tsa.fixed_reply = good[:at] + bytes([good[at] ^ 0x5A]) + good[at + 1 :]
        try:
            request_timestamp(DATA, url=tsa.url, nonce=False)
            outcomes.add("accepted")
        except TimestampError:
            outcomes.add("refused")
    assert "refused" in outcomes


# --- Verifying tokens -------------------------------------------------------------------------------------


def test_wrong_data_is_refused(pki, token):
    with pytest.raises(TimestampError, match="time-stamps other data"):
        verify_timestamp(token.der, DATA + b"!", trusted_roots=[pki.pem("root")])


def test_flipped_signature_is_refused(token):
    with pytest.raises(TimestampError, match="signature does not verify"):
        verify_timestamp(flip(token.der, signature_of(token.der)), DATA)


def test_flipped_imprint_is_refused(token):
    with pytest.raises(TimestampError, match="does not match its signed message digest: the token was altered"):
        verify_timestamp(flip(token.der, token.digest), DATA)


def test_untrusted_root_is_refused(pki, token):
    with pytest.raises(TimestampError, match="does not chain to a trusted root"):
        verify_timestamp(token.der, DATA, trusted_roots=[pki.pem("stranger")])


def test_intermediate_alone_is_no_root_for_the_rsa_tsa(pki, token):
    with pytest.raises(TimestampError, match="does not chain to a trusted root"):
        verify_timestamp(token.der, DATA, trusted_roots=[pki.pem("intermediate")])


def test_other_tsa_certificate_is_refused(pki, token):
    with pytest.raises(TimestampError, match="not signed by any of the given TSA certificates"):
        verify_timestamp(token.der, DATA, tsa_certificates=[pki.pem("tsa_ec")])


def test_certificates_are_accepted_in_every_form(pki, token):
    tsa_pem = pki.pem("tsa_rsa")
    der = pki.cert("tsa_rsa").public_bytes(serialization.Encoding.DER)
    for given in ([tsa_pem], [tsa_pem.decode()], [der], [pki.cert("tsa_rsa")], [pki.pem("tsa_ec") + tsa_pem]):
        assert verify_timestamp(token.der, DATA, tsa_certificates=given, trusted_roots=pki.pem("root")) == token
    assert verify_timestamp(token.der, DATA, trusted_roots=[tsa_pem]) == token, "a pinned TSA certificate as anchor"


@pytest.mark.parametrize(
    "bad", [b"", b"not a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", 42]
)
def test_malformed_certificates_are_refused(token, bad):
    with pytest.raises(TimestampError, match=r"tsa_certificates\[0\]|expected a certificate"):
        verify_timestamp(token.der, DATA, tsa_certificates=[bad])


@pytest.mark.parametrize("hash_name", ["sha256", "sm3"])
@pytest.mark.parametrize("section", ["tsa_rsa", "tsa_ec"])
def test_token_made_by_openssl_alone_verifies(pki, hash_name, section):
    token_der = pki.openssl_token(DATA, hash_name=hash_name, section=section)
    token = verify_timestamp(token_der, DATA, trusted_roots=[pki.pem("root")])
    assert token.der == token_der
    assert token.hash_name == hash_name
    assert token.nonce is not None
    with pytest.raises(TimestampError, match="time-stamps other data"):
        verify_timestamp(token_der, DATA[:-1], trusted_roots=[pki.pem("root")])


def test_openssl_token_without_certificate_verifies_with_the_given_one(pki):
    token_der = pki.openssl_token(DATA, cert=False)
    with pytest.raises(TimestampError, match="pass it in tsa_certificates"):
        verify_timestamp(token_der, DATA)
    assert verify_timestamp(token_der, DATA, tsa_certificates=[pki.pem("tsa_rsa")]).hash_name == "sha256"


def test_cms_signature_of_other_content_is_not_a_token(pki, tmp_path):
    (tmp_path / "data").write_bytes(DATA)
    signer = ["-signer", pki.dir / "tsa_rsa.crt", "-inkey", pki.dir / "tsa_rsa.key"]
    run_openssl(
        "cms", "-sign", "-in", tmp_path / "data", *signer, "-outform", "DER", "-nodetach", "-out", tmp_path / "x"
    )
    with pytest.raises(TimestampError, match=r"not a time-stamp token: signed content type 1\.2\.840\.113549\.1\.7\.1"):
        verify_timestamp((tmp_path / "x").read_bytes(), DATA)


def test_whole_response_is_named_as_such(pki):
    response = pki.reply(timestamp_request_der(hashlib.sha256(DATA).digest(), "sha256", None, True))
    with pytest.raises(TimestampError, match="whole TimeStampResp, not a token"):
        verify_timestamp(response, DATA)


@pytest.mark.parametrize(
    "junk",
    [b"", b"\x30", b"\x30\x80", b"\x30\x80" * 50_000, b"\x30\x84\xff\xff\xff\xff", b"garbage", bytes(100), "str", None],
    ids=["empty", "bare-tag", "indefinite", "deep", "huge-length", "text", "zeros", "str", "none"],
)
def test_malformed_input_raises_timestamp_error(junk):
    with pytest.raises(TimestampError):
        verify_timestamp(junk, DATA)


def test_certificate_is_not_a_token(pki):
    with pytest.raises(TimestampError, match="malformed"):
        verify_timestamp(pki.cert("root").public_bytes(serialization.Encoding.DER), DATA)


def signed_ranges(token_der: bytes) -> list[range]:
    """Return where the token holds what its signature covers: TSTInfo, attributes, signature, signer."""
    signed_data = cms.ContentInfo.load(token_der)["content"]
    signer_info = signed_data["signer_infos"][0]
    parts = [
        bytes(signed_data["encap_content_info"]["content"]),
        signer_info["signed_attrs"].dump(),
        signer_info["signature"].native,
        signed_data["certificates"][0].chosen.dump(),
    ]
    return [range(token_der.index(part), token_der.index(part) + len(part)) for part in parts]


@pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")
def test_every_corruption_of_a_token_raises_only_timestamp_errors(pki, tsa):
    tsa.section = "tsa_ec"  # the longer token: an intermediate certificate in it too
    good = request_timestamp(DATA, url=tsa.url).der
    roots = [pki.pem("root")]
    accepted = set()
    for at in range(len(good)):
        for mask in (0x01, 0x80):
            try:
                verify_timestamp(good[:at] + bytes([good[at] ^ mask]) + good[at + 1 :], DATA, trusted_roots=roots)
                accepted.add(at)
            except TimestampError:
                pass
    for cut in range(len(good)):
        with pytest.raises(TimestampError):
            verify_timestamp(good[:cut], DATA, trusted_roots=roots)
    with pytest.raises(TimestampError):
        verify_timestamp(good + b"\x00", DATA, trusted_roots=roots)
    # What no signature covers may change (versions, the digestAlgorithms set, NULL parameters), nothing else.
    assert not [at for at in accepted if any(at in signed for signed in signed_ranges(good))]
    assert len(accepted) < 40, sorted(accepted)


# --- Tokens re-signed by hand: what openssl refuses to make -----------------------------------------------


def _new_certificate(pki: Pki, *, eku: list | None, critical: bool = True, days: tuple[int, int] = (-1, 30)):
    """Issue from the test root a certificate for a new P-256 key; return (key, certificate)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Hand-made signer")]))
        .issuer_name(pki.cert("root").subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + timedelta(days=days[0]))
        .not_valid_after(now + timedelta(days=days[1]))
    )
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=critical)
    return key, builder.sign(pki.key("root"), hashes.SHA256())


def resign(token_der: bytes, key, certificate: x509.Certificate, *, pss: bool = False, ess: str | None = "own"):
    """Return the token's TSTInfo signed anew by ``key``, naming ``certificate`` as signer.

    ``ess`` is "own" for a signing-certificate attribute naming ``certificate``, "other" for one naming
    another certificate, or None for no such attribute.
    """
    tst_info = bytes(cms.ContentInfo.load(token_der)["content"]["encap_content_info"]["content"])
    cert_der = certificate.public_bytes(serialization.Encoding.DER)
    attributes = [
        {"type": "content_type", "values": ["tst_info"]},
        {"type": "message_digest", "values": [hashlib.sha256(tst_info).digest()]},
    ]
    if ess is not None:
        named = cert_der if ess == "own" else b"another certificate"
        certs = [{"cert_hash": hashlib.sha256(named).digest()}]
        attributes.append({"type": "signing_certificate_v2", "values": [{"certs": certs}]})
    signed_attributes = cms.CMSAttributes(attributes)
    to_sign = signed_attributes.dump()
    if isinstance(key, ec.EllipticCurvePrivateKey):
        signature, algorithm = key.sign(to_sign, ec.ECDSA(hashes.SHA256())), {"algorithm": "sha256_ecdsa"}
    elif pss:
        pss_padding = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
        signature = key.sign(to_sign, pss_padding, hashes.SHA256())
        mgf = {"algorithm": "mgf1", "parameters": {"algorithm": "sha256"}}
        parameters = {"hash_algorithm": {"algorithm": "sha256"}, "mask_gen_algorithm": mgf, "salt_length": 32}
        algorithm = {"algorithm": "rsassa_pss", "parameters": parameters}
    else:
        signature, algorithm = key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256()), {"algorithm": "sha256_rsa"}
    parsed_certificate = asn1_x509.Certificate.load(cert_der)
    signer_info = {
        "version": "v1",
        "sid": cms.SignerIdentifier(
            name="issuer_and_serial_number",
            value={"issuer": parsed_certificate.issuer, "serial_number": parsed_certificate.serial_number},
        ),
        "digest_algorithm": {"algorithm": "sha256"},
        "signed_attrs": signed_attributes,
        "signature_algorithm": algorithm,
        "signature": signature,
    }
    signed_data = {
        "version": "v3",
        "digest_algorithms": [{"algorithm": "sha256"}],
        "encap_content_info": {"content_type": "tst_info", "content": tsp.TSTInfo.load(tst_info)},
        "certificates": [parsed_certificate],
        "signer_infos": [cms.SignerInfo(signer_info)],
    }
    return cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(signed_data)}).dump()


def test_resigned_token_verifies_when_nothing_is_wrong(pki, token):
    """The hand-made tokens below fail only for the reason each test gives."""
    resigned = resign(token.der, pki.key("tsa_rsa"), pki.cert("tsa_rsa"))
    assert verify_timestamp(resigned, DATA, trusted_roots=[pki.pem("root")]).serial_number == token.serial_number
    assert "Verification: OK" in pki.openssl_verifies(resigned, DATA)
    key, certificate = _new_certificate(pki, eku=[ExtendedKeyUsageOID.TIME_STAMPING])
    assert verify_timestamp(resign(token.der, key, certificate), DATA, trusted_roots=[pki.pem("root")])


def test_rsa_pss_signature_verifies(pki, token):
    resigned = resign(token.der, pki.key("tsa_rsa"), pki.cert("tsa_rsa"), pss=True)
    assert verify_timestamp(resigned, DATA, trusted_roots=[pki.pem("root")]).digest == token.digest


@pytest.mark.parametrize(
    ("eku", "critical", "days", "message"),
    [
        (None, True, (-1, 30), "not a time-stamping certificate"),
        ([ExtendedKeyUsageOID.SERVER_AUTH], True, (-1, 30), "not a time-stamping certificate"),
        ([ExtendedKeyUsageOID.TIME_STAMPING], False, (-1, 30), "non-critical extended key usage"),
        ([ExtendedKeyUsageOID.TIME_STAMPING], True, (-30, -1), "was not valid at the token's time"),
        ([ExtendedKeyUsageOID.TIME_STAMPING], True, (1, 30), "was not valid at the token's time"),
    ],
    ids=["no-eku", "server-eku", "non-critical", "expired", "not-yet-valid"],
)
def test_unfit_signer_certificate_is_refused(pki, token, eku, critical, days, message):
    key, certificate = _new_certificate(pki, eku=eku, critical=critical, days=days)
    with pytest.raises(TimestampError, match=message):
        verify_timestamp(resign(token.der, key, certificate), DATA)


def test_missing_signing_certificate_attribute_is_refused(pki, token):
    resigned = resign(token.der, pki.key("tsa_rsa"), pki.cert("tsa_rsa"), ess=None)
    with pytest.raises(TimestampError, match="lacks the ESS signing-certificate attribute"):
        verify_timestamp(resigned, DATA)


def test_signing_certificate_attribute_naming_another_certificate_is_refused(pki, token):
    resigned = resign(token.der, pki.key("tsa_rsa"), pki.cert("tsa_rsa"), ess="other")
    with pytest.raises(TimestampError, match="signing-certificate attribute does not name"):
        verify_timestamp(resigned, DATA)


def test_signature_by_another_key_is_refused(pki, token):
    """A token claiming the TSA's certificate but signed with the other TSA's key."""
    forged = resign(token.der, pki.key("tsa_ec"), pki.cert("tsa_rsa"))
    with pytest.raises(TimestampError, match="signature algorithm does not fit the key"):
        verify_timestamp(forged, DATA)
    forged = resign(token.der, _new_certificate(pki, eku=None)[0], pki.cert("tsa_ec"))
    with pytest.raises(TimestampError, match="signature does not verify"):
        verify_timestamp(forged, DATA)


# --- Architecture -----------------------------------------------------------------------------------------


def test_module_does_not_import_django():
    code = "import sys, huhang.ledger.timestamp; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONPATH": str(SRC)}
    )
    assert out.stdout.strip() == "[]"
