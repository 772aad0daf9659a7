"""Crypto suites: the hash function and the signature algorithm a log is created with.

A log picks one suite when it is created and keeps it for life (its checkpoints, proofs and
content hashes all depend on it):

- ``sha256-ed25519`` (the default): SHA-256 for the Merkle tree and content hashes, Ed25519
  signatures. Checkpoints and proofs interoperate with the Go reference implementation
  (golang.org/x/mod/sumdb) and with every C2SP tool.
- ``sm3-sm2`` (国密): SM3 (GB/T 32905) for the tree and content hashes, SM2 (GB/T 32918) signatures
  with the default user ID. C2SP assigns no signed-note type to SM2, so this suite uses the
  extension mechanism of c2sp.org/signed-note: type byte ``0xff`` followed by our identifier,
  ``huhang/sm2-note/v1`` for note signatures and ``huhang/sm2-cosignature/v1`` for cosignatures.
  Only Huhang tools verify these.

>>> DEFAULT_SUITE.name, DEFAULT_SUITE.digest_size
('sha256-ed25519', 32)
>>> get_suite("sm3-sm2").hash(b"abc").hex()
'66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from huhang.ledger import sm2
from huhang.ledger.errors import SuiteError

HashFactory = Callable[[bytes], Any]
"""Make a hashlib-style object fed with the given bytes (``.update``, ``.digest``)."""


class SignatureScheme(Protocol):
    """A signature algorithm as the signed-note code needs it; keys and signatures are raw bytes."""

    name: str
    private_key_size: int
    public_key_size: int
    signature_size: int

    def generate_private_key(self) -> bytes: ...

    def public_key(self, private_key: bytes) -> bytes: ...

    def is_valid_public_key(self, public_key: bytes) -> bool: ...

    def signer(self, private_key: bytes) -> Callable[[bytes], bytes]: ...

    def verifier(self, public_key: bytes) -> Callable[[bytes, bytes], bool]: ...


class Ed25519Scheme:
    """Ed25519 (RFC 8032): 32-byte seeds as private keys, 32-byte public keys, 64-byte signatures."""

    name = "ed25519"
    private_key_size = 32
    public_key_size = 32
    signature_size = 64

    def generate_private_key(self) -> bytes:
        """Return a new random 32-byte seed."""
        return Ed25519PrivateKey.generate().private_bytes_raw()

    def public_key(self, private_key: bytes) -> bytes:
        """Return the public key of the 32-byte seed ``private_key``."""
        return self._load_private(private_key).public_key().public_bytes_raw()

    def is_valid_public_key(self, public_key: bytes) -> bool:
        """Report whether ``public_key`` is 32 bytes that decode as an Ed25519 point."""
        if not isinstance(public_key, bytes | bytearray):
            return False
        try:
            Ed25519PublicKey.from_public_bytes(bytes(public_key))
        except (ValueError, TypeError):
            return False
        return len(public_key) == self.public_key_size

    def signer(self, private_key: bytes) -> Callable[[bytes], bytes]:
        """Return a function that signs a message with ``private_key``."""
        return self._load_private(private_key).sign

    def verifier(self, public_key: bytes) -> Callable[[bytes, bytes], bool]:
        """Return a function ``(message, signature) -> bool`` checking signatures by ``public_key``."""
        key = Ed25519PublicKey.from_public_bytes(bytes(public_key))

        def verify(message: bytes, signature: bytes) -> bool:
            if len(signature) != self.signature_size:
                return False
            try:
                key.verify(signature, message)
            except InvalidSignature:
                return False
            return True

        return verify

    def _load_private(self, private_key: bytes) -> Ed25519PrivateKey:
        if not isinstance(private_key, bytes | bytearray) or len(private_key) != self.private_key_size:
            raise SuiteError(f"invalid Ed25519 private key: want a {self.private_key_size}-byte seed")
        return Ed25519PrivateKey.from_private_bytes(bytes(private_key))


class SM2Scheme:
    """SM2 with SM3 and the default user ID; formats as in :mod:`huhang.ledger.sm2`."""

    name = "sm2"
    private_key_size = sm2.PRIVATE_KEY_SIZE
    public_key_size = sm2.PUBLIC_KEY_SIZE
    signature_size = sm2.SIGNATURE_SIZE

    def generate_private_key(self) -> bytes:
        """Return a new random 32-byte private key."""
        return sm2.generate_private_key()

    def public_key(self, private_key: bytes) -> bytes:
        """Return the 65-byte public key of ``private_key``."""
        return sm2.public_key(private_key)

    def is_valid_public_key(self, public_key: bytes) -> bool:
        """Report whether ``public_key`` is a 65-byte uncompressed point on the curve."""
        return sm2.is_valid_public_key(public_key)

    def signer(self, private_key: bytes) -> Callable[[bytes], bytes]:
        """Return a function that signs a message with ``private_key``."""
        return sm2.signer(bytes(private_key))

    def verifier(self, public_key: bytes) -> Callable[[bytes, bytes], bool]:
        """Return a function ``(message, signature) -> bool`` checking signatures by ``public_key``."""
        key = bytes(public_key)

        def verify(message: bytes, signature: bytes) -> bool:
            return sm2.verify(key, message, signature)

        return verify


@dataclass(frozen=True, slots=True)
class Suite:
    """A hash function and a signature scheme, with the signed-note key types that name them.

    ``note_key_type`` and ``cosignature_key_type`` are the bytes that prefix the public key in
    a verifier key and in the key ID hash (c2sp.org/signed-note "signature type").
    """

    name: str
    hash_name: str
    digest_size: int
    new_hash: HashFactory = field(repr=False)
    signature: SignatureScheme = field(repr=False)
    note_key_type: bytes = field(repr=False)
    cosignature_key_type: bytes = field(repr=False)

    def hash(self, data: bytes) -> bytes:
        """Return the digest of ``data`` (a content hash, not a Merkle leaf hash)."""
        return self.new_hash(data).digest()


def _sm3_factory() -> HashFactory:
    try:
        prototype = hashlib.new("sm3")
    except ValueError:
        prototype = None

    def new_sm3(data: bytes = b"") -> Any:
        # Copying a ready object is about twice as fast as hashlib.new("sm3", ...).
        if prototype is None:
            return sm2.new_sm3(data)  # raises SuiteError with the reason
        h = prototype.copy()
        h.update(data)
        return h

    return new_sm3


SHA256_ED25519 = Suite(
    name="sha256-ed25519",
    hash_name="sha256",
    digest_size=32,
    new_hash=hashlib.sha256,
    signature=Ed25519Scheme(),
    note_key_type=b"\x01",
    cosignature_key_type=b"\x04",
)

SM3_SM2 = Suite(
    name="sm3-sm2",
    hash_name="sm3",
    digest_size=32,
    new_hash=_sm3_factory(),
    signature=SM2Scheme(),
    note_key_type=b"\xffhuhang/sm2-note/v1",
    cosignature_key_type=b"\xffhuhang/sm2-cosignature/v1",
)

DEFAULT_SUITE = SHA256_ED25519
SUITES: dict[str, Suite] = {suite.name: suite for suite in (SHA256_ED25519, SM3_SM2)}


def get_suite(suite: Suite | str | None = None) -> Suite:
    """Return the suite named ``suite`` (a name from ``SUITES`` or a :class:`Suite`); None means the default.

    Raises :class:`SuiteError` for anything else.
    """
    if suite is None:
        return DEFAULT_SUITE
    if isinstance(suite, Suite):
        return suite
    if isinstance(suite, str) and suite in SUITES:
        return SUITES[suite]
    raise SuiteError(f"unknown crypto suite {suite!r}: want one of {', '.join(SUITES)}")
