"""SM2 signatures: the standard's worked example, strict checks, and OpenSSL interoperability."""

import shutil
import subprocess

import pytest

from huhang.ledger import sm2

# GM/T 0003.5-2012 / GB/T 32918.5-2017 Appendix A, "数字签名与验证示例" on the recommended curve:
# user ID "1234567812345678", message "message digest", and the fixed nonce k of the example.
KAT_PRIVATE = bytes.fromhex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
KAT_PUBLIC = bytes.fromhex(
    "04"
    "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
    "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
)
KAT_MESSAGE = b"message digest"
KAT_ZA = bytes.fromhex("B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3")
KAT_DIGEST = bytes.fromhex("F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640")
KAT_NONCE = int("59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21", 16)
KAT_SIGNATURE = bytes.fromhex(
    "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
    "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA"
)


def test_known_answer_public_key_za_and_digest():
    assert sm2.public_key(KAT_PRIVATE) == KAT_PUBLIC
    assert sm2.za(KAT_PUBLIC) == KAT_ZA
    assert sm2.message_digest(KAT_PUBLIC, KAT_MESSAGE) == KAT_DIGEST


def test_known_answer_signature_with_the_example_nonce():
    d = int.from_bytes(KAT_PRIVATE, "big")
    assert sm2._sign_digest(d, KAT_DIGEST, KAT_NONCE) == KAT_SIGNATURE


def test_known_answer_signature_verifies():
    assert sm2.verify(KAT_PUBLIC, KAT_MESSAGE, KAT_SIGNATURE)
    assert not sm2.verify(KAT_PUBLIC, b"message digesT", KAT_SIGNATURE)
    assert not sm2.verify(KAT_PUBLIC, KAT_MESSAGE, KAT_SIGNATURE, user_id=b"ALICE123@YAHOO.COM")


def test_sign_verify_round_trip_with_random_keys():
    private = sm2.generate_private_key()
    public = sm2.public_key(private)
    signature = sm2.sign(private, b"evidence")
    assert len(signature) == sm2.SIGNATURE_SIZE
    assert sm2.verify(public, b"evidence", signature)
    assert sm2.sign(private, b"evidence") != signature  # a fresh nonce each time
    other = sm2.public_key(sm2.generate_private_key())
    assert not sm2.verify(other, b"evidence", signature)


def _with(r: int, s: int) -> bytes:
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


R = int.from_bytes(KAT_SIGNATURE[:32], "big")
S = int.from_bytes(KAT_SIGNATURE[32:], "big")


@pytest.mark.parametrize(
    "signature",
    [
        _with(0, S),
        _with(R, 0),
        _with(sm2.N, S),
        _with(R, sm2.N),
        _with(R + sm2.N, S) if R + sm2.N < 1 << 256 else _with((1 << 256) - 1, S),
        KAT_SIGNATURE[:63],
        KAT_SIGNATURE + b"\x00",
        b"",
        "not bytes",
    ],
    ids=["r=0", "s=0", "r=n", "s=n", "r+n", "short", "long", "empty", "str"],
)
def test_verify_rejects_out_of_range_or_malformed_signatures(signature):
    assert sm2.verify(KAT_PUBLIC, KAT_MESSAGE, signature) is False


@pytest.mark.parametrize(
    "public_key",
    [
        KAT_PUBLIC[1:],
        b"\x02" + KAT_PUBLIC[1:],
        KAT_PUBLIC[:-1] + bytes([KAT_PUBLIC[-1] ^ 1]),  # off the curve
        b"\x04" + sm2.P.to_bytes(32, "big") + KAT_PUBLIC[33:],
        b"\x04" + bytes(64),
        b"",
        None,
    ],
    ids=["no-prefix", "compressed-prefix", "off-curve", "x=p", "zeros", "empty", "none"],
)
def test_invalid_public_keys_are_rejected(public_key):
    assert not sm2.is_valid_public_key(public_key)
    assert sm2.verify(public_key, KAT_MESSAGE, KAT_SIGNATURE) is False


@pytest.mark.parametrize(
    "private_key", [bytes(32), sm2.N.to_bytes(32, "big"), (sm2.N - 1).to_bytes(32, "big"), b"\x01"]
)
def test_invalid_private_keys_are_rejected(private_key):
    with pytest.raises(sm2.SuiteError):
        sm2.public_key(private_key)


def _openssl_has_sm2() -> bool:
    if shutil.which("openssl") is None:
        return False
    return (
        subprocess.run(["openssl", "list", "-public-key-algorithms"], capture_output=True, text=True).stdout.find("SM2")
        >= 0
    )


needs_openssl = pytest.mark.skipif(
    not _openssl_has_sm2(), reason="the openssl command with SM2 (OpenSSL 3) is not here"
)
SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200")  # id-ecPublicKey, curve SM2


def _der_signature(signature: bytes) -> bytes:
    def integer(value: bytes) -> bytes:
        value = value.lstrip(b"\x00") or b"\x00"
        if value[0] & 0x80:
            value = b"\x00" + value
        return b"\x02" + bytes([len(value)]) + value

    body = integer(signature[:32]) + integer(signature[32:])
    return b"\x30" + bytes([len(body)]) + body


def _raw_signature(der: bytes) -> bytes:
    assert der[0] == 0x30
    r_len = der[3]
    r = der[4 : 4 + r_len]
    s = der[6 + r_len : 6 + r_len + der[5 + r_len]]
    return int.from_bytes(r, "big").to_bytes(32, "big") + int.from_bytes(s, "big").to_bytes(32, "big")


@needs_openssl
def test_openssl_verifies_our_signatures(tmp_path):
    private = sm2.generate_private_key()
    (tmp_path / "pub.der").write_bytes(SPKI_PREFIX + sm2.public_key(private))
    for message in (b"", b"checkpoint\n42\n", bytes(range(256))):
        (tmp_path / "msg").write_bytes(message)
        (tmp_path / "sig").write_bytes(_der_signature(sm2.sign(private, message)))
        result = subprocess.run(
            [
                "openssl",
                "pkeyutl",
                "-verify",
                "-pubin",
                "-inkey",
                "pub.der",
                "-keyform",
                "DER",
                "-rawin",
                "-digest",
                "sm3",
                "-pkeyopt",
                "distid:1234567812345678",
                "-in",
                "msg",
                "-sigfile",
                "sig",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr


@needs_openssl
def test_we_verify_openssl_signatures(tmp_path):
    subprocess.run(["openssl", "genpkey", "-algorithm", "SM2", "-out", "key.pem"], cwd=tmp_path, check=True)
    spki = subprocess.run(
        ["openssl", "pkey", "-in", "key.pem", "-pubout", "-outform", "DER"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
    ).stdout
    assert spki.startswith(SPKI_PREFIX)
    public = spki[len(SPKI_PREFIX) :]
    (tmp_path / "msg").write_bytes(b"signed by OpenSSL\n")
    der = subprocess.run(
        [
            "openssl",
            "pkeyutl",
            "-sign",
            "-inkey",
            "key.pem",
            "-rawin",
            "-digest",
            "sm3",
            "-pkeyopt",
            "distid:1234567812345678",
            "-in",
            "msg",
        ],
        cwd=tmp_path,
        capture_output=True,
        check=True,
    ).stdout
    signature = _raw_signature(der)
    assert sm2.verify(public, b"signed by OpenSSL\n", signature)
    assert not sm2.verify(public, b"signed by OpenSSL!", signature)
