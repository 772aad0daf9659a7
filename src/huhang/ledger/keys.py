"""Key names, key IDs and the text forms of signed-note keys (c2sp.org/signed-note).

Formats, exactly as golang.org/x/mod/sumdb/note writes them:

- verifier key: ``<name>+<key ID as 8 lowercase hex digits>+<base64(type || public key)>``
- signer key: ``PRIVATE+KEY+<name>+<key ID>+<base64(type || private key)>``
- key ID: the first four bytes, big-endian, of ``SHA-256(name || 0x0A || type || public key)``

``type`` is the signature type: 0x01 for Ed25519 note signatures, 0x04 for Ed25519 cosignatures,
or 0xff followed by an identifier for algorithms C2SP assigns no byte to (our SM2 types). The key
ID uses SHA-256 whatever the suite: it names a key, it does not protect anything.

>>> key_id("PeterNeumann", bytes.fromhex("011a5cd907143c384c41e830c5bce12aa8817ec5649aaabf2c31388b35b2d744d6"))
3343851683
>>> f"{3343851683:08x}"
'c74f20a3'
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from huhang.ledger.errors import NoteError

_HEX8 = re.compile(r"[0-9a-fA-F]{8}\Z")
_PRIVATE_PREFIX = "PRIVATE+KEY+"


def is_valid_name(name: object) -> bool:
    """Report whether ``name`` is a valid key name: a non-empty str with no Unicode space and no ``+``."""
    return (
        isinstance(name, str)
        and name != ""
        and "+" not in name
        and not any(c.isspace() or ord(c) < 0x20 or 0xD800 <= ord(c) <= 0xDFFF for c in name)
    )


def check_name(name: object) -> str:
    """Return ``name`` if it is a valid key name; raise :class:`NoteError` otherwise."""
    if not is_valid_name(name):
        raise NoteError(f"invalid key name {name!r}: want a non-empty string without spaces or '+'")
    return name  # type: ignore[return-value]


def key_id(name: str, typed_public_key: bytes) -> int:
    """Return the key ID (a uint32) of key ``name`` with ``typed_public_key`` = type || public key.

    Requires a valid key name; raises :class:`NoteError` otherwise.
    """
    digest = hashlib.sha256(check_name(name).encode() + b"\n" + bytes(typed_public_key)).digest()
    return int.from_bytes(digest[:4], "big")


def format_verifier_key(name: str, typed_public_key: bytes) -> str:
    """Return the verifier key text for ``name`` and ``typed_public_key`` (type || public key)."""
    check_name(name)
    encoded = base64.b64encode(typed_public_key).decode()
    return f"{name}+{key_id(name, typed_public_key):08x}+{encoded}"


def parse_verifier_key(vkey: str) -> tuple[str, int, bytes]:
    """Return ``(name, key ID, type || public key)`` from verifier key text.

    Raises :class:`NoteError` if the text is malformed or its key ID does not match the key.
    """
    if not isinstance(vkey, str):
        raise NoteError(f"verifier key must be a str, got {type(vkey).__name__}")
    name, _, rest = vkey.partition("+")
    id_hex, _, key64 = rest.partition("+")
    key = _decode_key(name, id_hex, key64, "verifier key")
    wanted = key_id(name, key)
    if int(id_hex, 16) != wanted:
        raise NoteError(f"verifier key {name}: key ID is {id_hex}, but the key hashes to {wanted:08x}")
    return name, wanted, key


def format_signer_key(name: str, key_id_: int, typed_private_key: bytes) -> str:
    """Return the signer key text; ``key_id_`` is the ID of the matching public key."""
    check_name(name)
    encoded = base64.b64encode(typed_private_key).decode()
    return f"{_PRIVATE_PREFIX}{name}+{key_id_:08x}+{encoded}"


def parse_signer_key(skey: str) -> tuple[str, int, bytes]:
    """Return ``(name, key ID, type || private key)`` from signer key text.

    The caller must check the key ID against the public key it derives. Raises
    :class:`NoteError` if the text is malformed; the message never contains the key.
    """
    if not isinstance(skey, str) or not skey.startswith(_PRIVATE_PREFIX):
        raise NoteError("malformed signer key: want PRIVATE+KEY+<name>+<id>+<key>")
    name, _, rest = skey[len(_PRIVATE_PREFIX) :].partition("+")
    id_hex, _, key64 = rest.partition("+")
    key = _decode_key(name, id_hex, key64, "signer key")
    return name, int(id_hex, 16), key


def _decode_key(name: str, id_hex: str, key64: str, what: str) -> bytes:
    if not is_valid_name(name):
        raise NoteError(f"malformed {what}: invalid key name {name!r}")
    if not _HEX8.match(id_hex):
        raise NoteError(f"malformed {what} {name}: key ID must be 8 hex digits")
    try:
        key = base64.b64decode(key64, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"malformed {what} {name}: key is not base64") from None
    if not key:
        raise NoteError(f"malformed {what} {name}: empty key")
    return key
