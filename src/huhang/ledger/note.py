"""Signed notes (c2sp.org/signed-note), compatible with golang.org/x/mod/sumdb/note.

A signed note is a text ending in a newline, a blank line, then one or more signature lines
``— <key name> <base64(4-byte key ID || signature)>`` (em dash U+2014, space). The whole note is
UTF-8 without control characters other than newline.

The example of golang.org/x/mod/sumdb/note:

>>> skey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
>>> text = "If you think cryptography is the answer to your problem,\\nthen you don't know what your problem is.\\n"
>>> signed = sign_note(text, [new_signer(skey)])
>>> print(signed, end="")
If you think cryptography is the answer to your problem,
then you don't know what your problem is.
<BLANKLINE>
— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=
>>> note = open_note(signed, [new_verifier("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")])
>>> note.signatures[0].name, f"{note.signatures[0].key_id:08x}"
('PeterNeumann', 'c74f20a3')
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from huhang.ledger.errors import InvalidSignatureError, NoteError, SuiteError, UnverifiedNoteError
from huhang.ledger.keys import (
    check_name,
    format_signer_key,
    format_verifier_key,
    is_valid_name,
    key_id,
    parse_signer_key,
    parse_verifier_key,
)
from huhang.ledger.suites import SUITES, Suite, get_suite

SIGNATURE_LINE_PREFIX = "\u2014 "
"""An em dash (U+2014) and a space start each signature line."""

_BAD_CHARACTER = re.compile("[\x00-\x09\x0b-\x1f\ud800-\udfff]")

MAX_SIGNATURES = 100
""":func:`open_note` rejects notes with more signature lines (the spec asks for at least 16)."""


class Verifier(Protocol):
    """What :func:`open_note` needs of a key: its name, its key ID and a signature check."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def verify(self, message: bytes, signature: bytes) -> bool: ...


class Signer(Protocol):
    """What :func:`sign_note` needs of a key: its name, its key ID and a signing function."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def sign(self, message: bytes) -> bytes: ...


@dataclass(frozen=True, slots=True)
class NoteSignature:
    """One signature line: the key's ``name`` and ``key_id``, and the ``signature`` bytes after the ID."""

    name: str
    key_id: int
    signature: bytes

    def to_line(self) -> str:
        """Return the signature line, newline included."""
        encoded = base64.b64encode(self.key_id.to_bytes(4, "big") + self.signature).decode()
        return f"{SIGNATURE_LINE_PREFIX}{self.name} {encoded}\n"


@dataclass(frozen=True, slots=True)
class Note:
    """An opened note: its ``text``, the ``signatures`` verified by known keys and the ``unverified`` rest."""

    text: str
    signatures: tuple[NoteSignature, ...] = ()
    unverified: tuple[NoteSignature, ...] = ()


@dataclass(frozen=True)
class NoteVerifier:
    """A public key that verifies note signatures (type 0x01 for Ed25519, our SM2 type for SM2)."""

    name: str
    key_id: int
    suite: Suite
    public_key: bytes = field(repr=False)
    _verify: Callable[[bytes, bytes], bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_verify", self.suite.signature.verifier(self.public_key))

    @staticmethod
    def key_type(suite: Suite) -> bytes:
        """The signature type byte(s) that prefix this kind of key (c2sp.org/signed-note)."""
        return suite.note_key_type

    @classmethod
    def from_public_key(cls, name: str, public_key: bytes, *, suite: Suite | str | None = None):
        """Return the verifier for key ``name`` with raw ``public_key`` of ``suite``."""
        suite = get_suite(suite)
        check_name(name)
        if not suite.signature.is_valid_public_key(public_key):
            raise NoteError(f"invalid {suite.signature.name} public key for {name}")
        return cls(name, key_id(name, cls.key_type(suite) + public_key), suite, bytes(public_key))

    @property
    def key(self) -> str:
        """The verifier key text, ``name+id+base64(type || public key)``."""
        return format_verifier_key(self.name, self.key_type(self.suite) + self.public_key)

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Report whether ``signature`` (without the key ID) is this key's signature of ``message``."""
        return self._verify(message, signature)


class NoteSigner:
    """A private key that signs notes. Its ``repr`` never shows the key."""

    __slots__ = ("_private_key", "_sign", "key_id", "name", "suite")

    def __init__(self, name: str, private_key: bytes, *, suite: Suite | str | None = None) -> None:
        """Make a signer for key ``name`` with the raw ``private_key`` of ``suite``."""
        self.suite = get_suite(suite)
        self.name = check_name(name)
        try:
            public_key = self.suite.signature.public_key(private_key)
        except SuiteError as error:
            raise NoteError(f"invalid signer key {name}: {error}") from None
        self.key_id = key_id(name, self.suite.note_key_type + public_key)
        self._private_key = bytes(private_key)
        self._sign = self.suite.signature.signer(self._private_key)

    def sign(self, message: bytes) -> bytes:
        """Return this key's signature of ``message`` (without the key ID)."""
        return self._sign(message)

    def verifier(self) -> NoteVerifier:
        """Return the matching verifier."""
        public_key = self.suite.signature.public_key(self._private_key)
        return NoteVerifier.from_public_key(self.name, public_key, suite=self.suite)

    def private_key_text(self) -> str:
        """Return the signer key text ``PRIVATE+KEY+name+id+base64(type || private key)``: keep it secret."""
        return format_signer_key(self.name, self.key_id, self.suite.note_key_type + self._private_key)

    def __repr__(self) -> str:
        return f"NoteSigner(name={self.name!r}, key_id={self.key_id:08x}, suite={self.suite.name!r})"


def generate_key(name: str, *, suite: Suite | str | None = None) -> tuple[str, str]:
    """Return a new ``(signer key, verifier key)`` text pair for key ``name``, like Go's ``note.GenerateKey``."""
    suite = get_suite(suite)
    check_name(name)
    signer = NoteSigner(name, suite.signature.generate_private_key(), suite=suite)
    return signer.private_key_text(), signer.verifier().key


def new_verifier(vkey: str) -> NoteVerifier:
    """Return the verifier of a verifier key text (Ed25519 type 0x01 or our SM2 note type).

    Raises :class:`NoteError` for malformed text, a wrong key ID or an unknown signature type.
    """
    name, _, typed = parse_verifier_key(vkey)
    suite, public_key = _split_type(typed, name)
    return NoteVerifier.from_public_key(name, public_key, suite=suite)


def new_signer(skey: str) -> NoteSigner:
    """Return the signer of a signer key text; raises :class:`NoteError` if it is malformed or inconsistent."""
    name, id_, typed = parse_signer_key(skey)
    suite, private_key = _split_type(typed, name)
    signer = NoteSigner(name, private_key, suite=suite)
    if signer.key_id != id_:
        raise NoteError(f"signer key {name}: key ID is {id_:08x}, but the public key hashes to {signer.key_id:08x}")
    return signer


def _split_type(typed_key: bytes, name: str) -> tuple[Suite, bytes]:
    for suite in SUITES.values():
        if typed_key.startswith(suite.note_key_type):
            return suite, typed_key[len(suite.note_key_type) :]
    if any(typed_key.startswith(suite.cosignature_key_type) for suite in SUITES.values()):
        raise NoteError(f"key {name} is a cosigner key: read it with new_cosignature_verifier")
    raise NoteError(f"key {name}: unknown note signature type 0x{typed_key[0]:02x}")


def check_text(text: object) -> str:
    """Return ``text`` if it can be signed; raise :class:`NoteError` otherwise.

    A text to sign is a non-empty str ending in a newline, free of control characters other than
    newline, and with no empty line (we sign only checkpoint-like texts; c2sp.org/signed-note would
    allow empty lines, and :func:`open_note` accepts them).
    """
    if not isinstance(text, str):
        raise NoteError(f"note text must be a str, got {type(text).__name__}")
    if not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    if text.startswith("\n") or "\n\n" in text:
        raise NoteError("note text must not contain empty lines")
    _check_characters(text)
    return text


def format_note(text: str, signatures: Iterable[NoteSignature]) -> str:
    """Return the signed note made of ``text`` and ``signatures`` (in order), checking both."""
    check_text(text)
    lines = []
    for signature in signatures:
        if not isinstance(signature, NoteSignature):
            raise NoteError(f"want NoteSignature, got {type(signature).__name__}")
        check_name(signature.name)
        if type(signature.key_id) is not int or not 0 <= signature.key_id < 1 << 32:
            raise NoteError(f"key ID of {signature.name} must be a uint32, got {signature.key_id!r}")
        if not isinstance(signature.signature, bytes) or not signature.signature:
            raise NoteError(f"signature of {signature.name} must be non-empty bytes")
        lines.append(signature.to_line())
    if not lines:
        raise NoteError("a signed note needs at least one signature")
    return text + "\n" + "".join(lines)


def sign_note(text: str, signers: Iterable[Signer], *, existing: Iterable[NoteSignature] = ()) -> str:
    """Return ``text`` signed by each of ``signers``.

    ``existing`` signatures (say, of an opened note) come first, except those by one of
    ``signers``' keys, which are replaced; then the new ones, in order. Raises
    :class:`NoteError` if the text cannot be signed (see :func:`check_text`).
    """
    message = check_text(text).encode()
    new = []
    for signer in signers:
        check_name(signer.name)
        new.append(NoteSignature(signer.name, signer.key_id, signer.sign(message)))
    replaced = {(s.name, s.key_id) for s in new}
    kept = [s for s in existing if (s.name, s.key_id) not in replaced]
    return format_note(text, [*kept, *new])


def open_note(message: str | bytes, verifiers: Verifier | Iterable[Verifier]) -> Note:
    """Parse the signed note ``message`` and verify its signatures by the known ``verifiers``.

    Signatures by unknown keys (name and key ID not both known) are kept, unverified, in
    ``Note.unverified``. Raises :class:`NoteError` if the note is malformed,
    :class:`InvalidSignatureError` if a known key's signature fails and
    :class:`UnverifiedNoteError` (carrying the parsed note) if no known key signed it.
    """
    known = _verifier_map(verifiers)
    if isinstance(message, bytes | bytearray):
        try:
            message = bytes(message).decode("utf-8")
        except UnicodeDecodeError:
            raise NoteError("malformed note: not valid UTF-8") from None
    if not isinstance(message, str):
        raise NoteError(f"note must be str or bytes, got {type(message).__name__}")
    _check_characters(message)
    split = message.rfind("\n\n")
    if split < 0:
        raise NoteError("malformed note: no blank line before the signatures")
    text, block = message[: split + 1], message[split + 2 :]
    if not block or not block.endswith("\n"):
        raise NoteError("malformed note: the signature block must be non-empty and end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"malformed note: {len(lines)} signature lines, at most {MAX_SIGNATURES} accepted")
    text_bytes = text.encode()
    verified: list[NoteSignature] = []
    unverified: list[NoteSignature] = []
    seen_lines: set[str] = set()
    seen_keys: set[tuple[str, int]] = set()
    for line in lines:
        signature = _parse_signature_line(line)
        verifier = known.get((signature.name, signature.key_id))
        if verifier is None:
            if line not in seen_lines:
                seen_lines.add(line)
                unverified.append(signature)
            continue
        if (signature.name, signature.key_id) in seen_keys:
            continue  # as in Go: a key's repeated signatures are dropped, only the first is checked
        seen_keys.add((signature.name, signature.key_id))
        if not verifier.verify(text_bytes, signature.signature):
            raise InvalidSignatureError(name=signature.name, key_id=signature.key_id)
        verified.append(signature)
    note = Note(text, tuple(verified), tuple(unverified))
    if not verified:
        raise UnverifiedNoteError(note)
    return note


def _verifier_map(verifiers: Verifier | Iterable[Verifier]) -> dict[tuple[str, int], Verifier]:
    if hasattr(verifiers, "verify"):
        verifiers = [verifiers]  # type: ignore[list-item]
    known: dict[tuple[str, int], Verifier] = {}
    for verifier in verifiers:  # type: ignore[union-attr]
        key = (verifier.name, verifier.key_id)
        if key in known and known[key] != verifier:
            raise NoteError(f"ambiguous key {verifier.name}+{verifier.key_id:08x}: two verifiers share name and key ID")
        known[key] = verifier
    return known


def _parse_signature_line(line: str) -> NoteSignature:
    if not line.startswith(SIGNATURE_LINE_PREFIX):
        raise NoteError(f"malformed note: signature line {line[:40]!r} does not start with an em dash and a space")
    name, _, encoded = line[len(SIGNATURE_LINE_PREFIX) :].partition(" ")
    if not is_valid_name(name):
        raise NoteError(f"malformed note: invalid key name {name!r} in a signature line")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"malformed note: signature of {name} is not base64") from None
    if len(raw) < 5:
        raise NoteError(f"malformed note: signature of {name} is {len(raw)} bytes, want a 4-byte key ID and more")
    return NoteSignature(name, int.from_bytes(raw[:4], "big"), raw[4:])


def _check_characters(text: str) -> None:
    bad = _BAD_CHARACTER.search(text)
    if bad is not None:
        code, offset = ord(bad.group()), bad.start()
        raise NoteError(f"malformed note: control or invalid character U+{code:04X} at offset {offset}")
