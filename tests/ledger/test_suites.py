"""Crypto suites: lookup, hash known answers, and the signature schemes behind notes."""

import pytest

from huhang.ledger import DEFAULT_SUITE, SHA256_ED25519, SM3_SM2, SUITES, SuiteError, get_suite


def test_lookup():
    assert get_suite() is DEFAULT_SUITE is SHA256_ED25519
    assert get_suite("sm3-sm2") is SM3_SM2
    assert get_suite(SM3_SM2) is SM3_SM2
    assert set(SUITES) == {"sha256-ed25519", "sm3-sm2"}
    for bad in ("sha256", "SM3-SM2", 1, b"sm3-sm2"):
        with pytest.raises(SuiteError, match="unknown crypto suite"):
            get_suite(bad)


@pytest.mark.parametrize(
    "message, digest",
    [
        # GB/T 32905-2016 Appendix A, examples 1 and 2.
        (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
        (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
    ],
)
def test_sm3_known_answers(message, digest):
    assert SM3_SM2.hash(message).hex() == digest
    assert SM3_SM2.new_hash(message).digest().hex() == digest


def test_sha256_known_answer():
    # FIPS 180-2 Appendix B.1.
    assert SHA256_ED25519.hash(b"abc").hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_sm3_factory_objects_are_independent():
    first = SM3_SM2.new_hash(b"a")
    second = SM3_SM2.new_hash(b"b")
    first.update(b"bc")
    assert first.digest() == SM3_SM2.hash(b"abc")
    assert second.digest() == SM3_SM2.hash(b"b")


def test_digest_sizes_and_key_types():
    assert SHA256_ED25519.digest_size == SM3_SM2.digest_size == 32
    assert (SHA256_ED25519.note_key_type, SHA256_ED25519.cosignature_key_type) == (b"\x01", b"\x04")
    # c2sp.org/signed-note reserves 0xff for algorithms it assigns no byte to, followed by an identifier.
    assert SM3_SM2.note_key_type == b"\xffhuhang/sm2-note/v1"
    assert SM3_SM2.cosignature_key_type == b"\xffhuhang/sm2-cosignature/v1"
    types = [s.note_key_type for s in SUITES.values()] + [s.cosignature_key_type for s in SUITES.values()]
    # No key type may be a prefix of another: key texts are told apart by prefix.
    assert not any(a != b and b.startswith(a) for a in types for b in types)


@pytest.mark.parametrize("suite", [SHA256_ED25519, SM3_SM2], ids=lambda s: s.name)
def test_signature_scheme_contract(suite):
    scheme = suite.signature
    private = scheme.generate_private_key()
    assert len(private) == scheme.private_key_size
    public = scheme.public_key(private)
    assert len(public) == scheme.public_key_size and scheme.is_valid_public_key(public)
    signature = scheme.signer(private)(b"message")
    assert len(signature) == scheme.signature_size
    verify = scheme.verifier(public)
    assert verify(b"message", signature)
    assert not verify(b"messagE", signature)
    assert not verify(b"message", signature[:-1])
    assert not verify(b"message", bytes(scheme.signature_size))
    assert not scheme.is_valid_public_key(public[:-1])
    with pytest.raises(SuiteError):
        scheme.public_key(private[:-1])


def test_repr_is_short():
    assert repr(SM3_SM2) == "Suite(name='sm3-sm2', hash_name='sm3', digest_size=32)"
