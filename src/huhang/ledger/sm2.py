"""SM2 digital signatures (GB/T 32918.2-2016) on the recommended curve of GB/T 32918.5-2017.

Formats, chosen to be fixed-length and unambiguous:

- private key: 32 bytes, the big-endian integer d with 1 <= d <= n - 2;
- public key: 65 bytes, ``0x04 || x || y`` (uncompressed point, GB/T 32918.1 §4.2.9);
- signature: 64 bytes, ``r || s`` big-endian, with 1 <= r, s <= n - 1 (no DER, so no malleable encodings).

The signed digest is ``e = SM3(Z_A || M)`` where ``Z_A`` binds the signer's public key and user ID
(``DEFAULT_USER_ID``, "1234567812345678", as GM/T 0009-2012 prescribes when none is agreed).

The elliptic-curve arithmetic comes from snowland-smx (``pysmx``), which is pure Python: it is slow
(milliseconds per operation) and its scalar multiplication is not constant-time, so a signing key
used here can leak through timing to an attacker who can time many signatures. Deployments that
must meet 密评 (GM/T 0054) requirements sign with a certified cryptographic module instead; this module
then only verifies, which involves no secret.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from types import ModuleType

from huhang.ledger.errors import SuiteError

# Curve parameters of GB/T 32918.5-2017 (sm2p256v1).
P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
GX = 0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
GY = 0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0

DEFAULT_USER_ID = b"1234567812345678"
PRIVATE_KEY_SIZE = 32
PUBLIC_KEY_SIZE = 65
SIGNATURE_SIZE = 64

_FIXED_ZA_INPUT = b"".join(v.to_bytes(32, "big") for v in (A, B, GX, GY))


def new_sm3(data: bytes = b"") -> hashlib._Hash:
    """Return a new SM3 hash object (GB/T 32905-2016) fed with ``data``.

    Raises :class:`SuiteError` if this Python's OpenSSL does not provide SM3.
    """
    try:
        return hashlib.new("sm3", data)
    except ValueError as error:  # OpenSSL built without SM3
        raise SuiteError("SM3 is not available in this Python's OpenSSL (OpenSSL 3 provides it)") from error


@functools.cache
def _pysmx_sm2() -> ModuleType:
    # Imported on first use: the package takes a quarter of a second to import, which callers of
    # the SHA-256 suite should not pay.
    import pysmx.SM2

    return pysmx.SM2


def is_valid_public_key(public_key: bytes) -> bool:
    """Report whether ``public_key`` is a 65-byte uncompressed point on the curve."""
    if not isinstance(public_key, bytes | bytearray) or len(public_key) != PUBLIC_KEY_SIZE or public_key[0] != 4:
        return False
    x = int.from_bytes(public_key[1:33], "big")
    y = int.from_bytes(public_key[33:], "big")
    # The point at infinity has no affine encoding, and the cofactor is 1, so every point on
    # the curve other than infinity generates the whole group.
    return x < P and y < P and (y * y - (x * x * x + A * x + B)) % P == 0


def za(public_key: bytes, user_id: bytes = DEFAULT_USER_ID) -> bytes:
    """Return ``Z_A = SM3(ENTL || ID || a || b || xG || yG || xA || yA)`` (GB/T 32918.2 §5.5).

    Requires a valid public key and a user ID shorter than 8192 bytes.
    """
    if not is_valid_public_key(public_key):
        raise SuiteError("invalid SM2 public key: want 65 bytes 0x04 || x || y on the curve")
    if len(user_id) >= 8192:
        raise SuiteError(f"SM2 user ID too long: {len(user_id)} bytes, want fewer than 8192")
    h = new_sm3((len(user_id) * 8).to_bytes(2, "big"))
    h.update(user_id)
    h.update(_FIXED_ZA_INPUT)
    h.update(public_key[1:])
    return h.digest()


def message_digest(public_key: bytes, message: bytes, user_id: bytes = DEFAULT_USER_ID) -> bytes:
    """Return the digest ``e = SM3(Z_A || M)`` that an SM2 signature signs."""
    h = new_sm3(za(public_key, user_id))
    h.update(message)
    return h.digest()


def generate_private_key() -> bytes:
    """Return a new random private key (32 bytes, 1 <= d <= n - 2)."""
    return (secrets.randbelow(N - 2) + 1).to_bytes(PRIVATE_KEY_SIZE, "big")


def _private_scalar(private_key: bytes) -> int:
    if not isinstance(private_key, bytes | bytearray) or len(private_key) != PRIVATE_KEY_SIZE:
        raise SuiteError(f"invalid SM2 private key: want {PRIVATE_KEY_SIZE} bytes")
    d = int.from_bytes(private_key, "big")
    if not 1 <= d <= N - 2:
        raise SuiteError("invalid SM2 private key: want 1 <= d <= n - 2")
    return d


def public_key(private_key: bytes) -> bytes:
    """Return the 65-byte public key of ``private_key``."""
    sm2 = _pysmx_sm2()
    point = sm2.kG(_private_scalar(private_key), sm2.sm2_G, 64)
    return b"\x04" + bytes.fromhex(point)


def _sign_digest(d: int, e: bytes, k: int) -> bytes | None:
    """Return ``r || s`` for digest ``e`` with nonce ``k``, or None when ``k`` must be redrawn."""
    return _pysmx_sm2().Sign(e.hex(), f"{d:064x}", f"{k:064x}", 64, Hexstr=1)


def sign(private_key: bytes, message: bytes, *, user_id: bytes = DEFAULT_USER_ID) -> bytes:
    """Return the 64-byte SM2 signature ``r || s`` of ``message`` (SM3 digest with ``Z_A``)."""
    return signer(private_key, user_id=user_id)(message)


def signer(private_key: bytes, *, user_id: bytes = DEFAULT_USER_ID) -> Callable[[bytes], bytes]:
    """Return a function that signs messages with ``private_key``; ``Z_A`` is computed once."""
    d = _private_scalar(private_key)
    prefix = za(public_key(private_key), user_id)

    def sign_message(message: bytes) -> bytes:
        h = new_sm3(prefix)
        h.update(message)
        e = h.digest()
        while True:
            signature = _sign_digest(d, e, secrets.randbelow(N - 1) + 1)
            if signature is not None:
                return signature

    return sign_message


def verify(public_key: bytes, message: bytes, signature: bytes, *, user_id: bytes = DEFAULT_USER_ID) -> bool:
    """Report whether ``signature`` (64 bytes ``r || s``) is a valid SM2 signature of ``message``.

    Return False, never raise, for malformed keys or signatures.
    """
    if not is_valid_public_key(public_key):
        return False
    if not isinstance(signature, bytes | bytearray) or len(signature) != SIGNATURE_SIZE:
        return False
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    # GB/T 32918.2 §7.1 B1, B2; also rules out the malleable s + n.
    if not (1 <= r < N and 1 <= s < N):
        return False
    e = message_digest(public_key, message, user_id)
    try:
        return bool(_pysmx_sm2().Verify(bytes(signature), e.hex(), bytes(public_key[1:]).hex(), 64, Hexstr=1))
    except Exception:  # a library fault on crafted input (e.g. a sum at infinity) is a rejection
        return False
