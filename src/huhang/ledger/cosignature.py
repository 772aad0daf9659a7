"""Witness cosignatures of checkpoints (c2sp.org/tlog-cosignature, ``cosignature/v1``).

A cosignature is one more signature line on a signed checkpoint. With Ed25519 (signature type
0x04) the line carries ``key ID (4 bytes) || timestamp (8 bytes, big-endian) || signature (64)``
and the signed message is::

    cosignature/v1
    time <timestamp, decimal seconds since the Unix epoch>
    <the checkpoint body, final newline included>

It states that at that time this was the largest consistent tree the witness had seen of the log
named by the origin line. The key ID is ``SHA-256(name || 0x0A || 0x04 || public key)[:4]``.

Key texts follow transparency-dev/formats and the witness network: a witness keeps an ordinary
note signer key (type 0x01) and publishes its cosignature verifier key (type 0x04). Both readers
here accept either type and derive the cosignature key ID from the public key.

The ``sm3-sm2`` suite uses the same message and layout with a 64-byte SM2 signature and our
extension type ``0xff || "huhang/sm2-cosignature/v1"``; only Huhang tools verify it.

>>> signer = CosignatureSigner("witness.example/w1", bytes(range(32)))
>>> body = "example.com/log\\n1\\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\\n"
>>> line = signer.sign(body, timestamp=1679315147)
>>> cosignature_timestamp(line), signer.verifier().verify(body.encode(), line.signature)
(1679315147, True)
"""

from __future__ import annotations

from dataclasses import dataclass

from huhang.ledger.checkpoint import parse_checkpoint
from huhang.ledger.errors import NoteError, SuiteError
from huhang.ledger.keys import (
    check_name,
    format_signer_key,
    key_id,
    parse_signer_key,
    parse_verifier_key,
)
from huhang.ledger.note import NoteSignature, NoteVerifier
from huhang.ledger.suites import SUITES, Suite, get_suite

COSIGNATURE_HEADER = "cosignature/v1\n"
MAX_TIMESTAMP = (1 << 63) - 1
"""Timestamps are seconds since the Unix epoch, at most 2**63 - 1 (c2sp.org/tlog-cosignature)."""


def cosigned_message(body: bytes | str, timestamp: int) -> bytes:
    """Return the message a cosignature signs: header line, time line, then the checkpoint ``body``."""
    if isinstance(body, str):
        body = body.encode()
    return f"{COSIGNATURE_HEADER}time {timestamp}\n".encode() + body


def cosignature_timestamp(signature: NoteSignature) -> int:
    """Return the timestamp a cosignature line carries; raises :class:`NoteError` if it has none."""
    if len(signature.signature) < 8:
        size = len(signature.signature)
        raise NoteError(f"cosignature of {signature.name} is {size} bytes, too short for a timestamp")
    return int.from_bytes(signature.signature[:8], "big")


@dataclass(frozen=True)
class CosignatureVerifier(NoteVerifier):
    """A witness's public key that checks its cosignatures; usable as a verifier of :func:`open_note`."""

    @staticmethod
    def key_type(suite: Suite) -> bytes:
        return suite.cosignature_key_type

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Report whether ``signature`` (timestamp || signature) cosigns the checkpoint body ``message``."""
        if len(signature) != 8 + self.suite.signature.signature_size:
            return False
        timestamp = int.from_bytes(signature[:8], "big")
        if timestamp > MAX_TIMESTAMP:
            return False
        return self._verify(cosigned_message(bytes(message), timestamp), bytes(signature[8:]))


class CosignatureSigner:
    """A witness's private key that cosigns checkpoints. Its ``repr`` never shows the key."""

    __slots__ = ("_private_key", "_sign", "key_id", "name", "suite")

    def __init__(self, name: str, private_key: bytes, *, suite: Suite | str | None = None) -> None:
        """Make a cosigner for witness ``name`` with the raw ``private_key`` of ``suite``."""
        self.suite = get_suite(suite)
        self.name = check_name(name)
        try:
            public_key = self.suite.signature.public_key(private_key)
        except SuiteError as error:
            raise NoteError(f"invalid cosigner key {name}: {error}") from None
        self.key_id = key_id(name, self.suite.cosignature_key_type + public_key)
        self._private_key = bytes(private_key)
        self._sign = self.suite.signature.signer(self._private_key)

    def sign(self, body: str, *, timestamp: int) -> NoteSignature:
        """Return the cosignature line of checkpoint ``body`` at ``timestamp`` (seconds since the epoch).

        The caller must first have checked that the checkpoint is consistent with every earlier
        one it saw of that log: that is what the cosignature asserts. Requires a well-formed
        checkpoint body and ``0 <= timestamp < 2**63``.
        """
        parse_checkpoint(body, suite=self.suite)
        if type(timestamp) is not int or not 0 <= timestamp <= MAX_TIMESTAMP:
            raise NoteError(f"cosignature timestamp must be an int in [0, 2**63), got {timestamp!r}")
        signature = self._sign(cosigned_message(body, timestamp))
        return NoteSignature(self.name, self.key_id, timestamp.to_bytes(8, "big") + signature)

    def verifier(self) -> CosignatureVerifier:
        """Return the matching verifier."""
        public_key = self.suite.signature.public_key(self._private_key)
        return CosignatureVerifier.from_public_key(self.name, public_key, suite=self.suite)

    def private_key_text(self) -> str:
        """Return the signer key text, in the ordinary note form (type 0x01 for Ed25519): keep it secret.

        That is the form transparency-dev/formats' ``NewSignerForCosignatureV1`` reads; its key ID
        is the note key ID, not :attr:`key_id`.
        """
        public_key = self.suite.signature.public_key(self._private_key)
        note_id = key_id(self.name, self.suite.note_key_type + public_key)
        return format_signer_key(self.name, note_id, self.suite.note_key_type + self._private_key)

    def __repr__(self) -> str:
        return f"CosignatureSigner(name={self.name!r}, key_id={self.key_id:08x}, suite={self.suite.name!r})"


def generate_cosigner_key(name: str, *, suite: Suite | str | None = None) -> tuple[str, str]:
    """Return a new ``(signer key, cosignature verifier key)`` text pair for witness ``name``.

    The signer key is in the ordinary note form, the verifier key in the cosignature form (type
    0x04 for Ed25519), which is what a witness publishes.
    """
    suite = get_suite(suite)
    signer = CosignatureSigner(name, suite.signature.generate_private_key(), suite=suite)
    return signer.private_key_text(), signer.verifier().key


def new_cosignature_verifier(vkey: str) -> CosignatureVerifier:
    """Return the cosignature verifier of a verifier key text.

    Accepts the cosignature form (type 0x04, or our SM2 cosignature type) and, like
    transparency-dev/formats, the ordinary note form of the same public key. Raises
    :class:`NoteError` for malformed text, a wrong key ID or another signature type.
    """
    name, _, typed = parse_verifier_key(vkey)
    suite, public_key, _ = _split_type(typed, name)
    return CosignatureVerifier.from_public_key(name, public_key, suite=suite)


def new_cosignature_signer(skey: str) -> CosignatureSigner:
    """Return the cosigner of a signer key text, in the note form or the cosignature form.

    Raises :class:`NoteError` if it is malformed or its key ID does not match its key.
    """
    name, id_, typed = parse_signer_key(skey)
    suite, private_key, key_type = _split_type(typed, name)
    signer = CosignatureSigner(name, private_key, suite=suite)
    wanted = key_id(name, key_type + suite.signature.public_key(private_key))
    if id_ != wanted:
        raise NoteError(f"cosigner key {name}: key ID is {id_:08x}, but the public key hashes to {wanted:08x}")
    return signer


def _split_type(typed_key: bytes, name: str) -> tuple[Suite, bytes, bytes]:
    for suite in SUITES.values():
        for key_type in (suite.cosignature_key_type, suite.note_key_type):
            if typed_key.startswith(key_type):
                return suite, typed_key[len(key_type) :], key_type
    raise NoteError(f"key {name}: unknown signature type 0x{typed_key[0]:02x} for a cosigner")
