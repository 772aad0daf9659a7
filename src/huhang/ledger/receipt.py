"""Receipts (存证证明): everything needed to check, offline, that an entry is in a log.

A receipt is a JSON object::

    {
      "format": "huhang-receipt/v1",
      "origin": "<the log's origin>",
      "suite": "sha256-ed25519" | "sm3-sm2",
      "verifier_key": "<the log's verifier key, for information: trust only a key you got elsewhere>",
      "index": <the entry's index>,
      "leaf": "<base64 of the exact entry bytes>",
      "checkpoint": {"size": <tree size>, "root_hash": "<base64>", "cosignatures": <count>},
      "proof": "<a c2sp.org/tlog-proof@v1 text: index, inclusion proof, signed checkpoint>",
      "timestamp": {"token": "<base64 DER>", "tsa_url": "...", "gen_time": "<ISO 8601, UTC>"},  (optional)
      ...  other members (a verification URL, a summary) are informational and never trusted
    }

The ``proof`` member follows c2sp.org/tlog-proof: the line ``c2sp.org/tlog-proof@v1``, an optional
``extra`` line, ``index N``, one base64 hash per line from the leaf's sibling up, an empty line, then the
log's signed checkpoint verbatim, with the witnesses' cosignatures when it was published.

The optional ``timestamp`` member is an RFC 3161 time-stamp token (huhang.ledger.timestamping) of the exact
UTF-8 bytes of that signed checkpoint note, the text after the proof's blank line. ``tsa_url`` and
``gen_time`` are informational; the time that counts is the one the TSA signed in the token.

:func:`verify_receipt` trusts nothing in the receipt but the bytes it checks: the checkpoint's signature
against the verifier key the caller supplies, the inclusion proof against the signed root, the leaf
against the file, and a time-stamp token against the signed note (and the TSA's certificates or roots the
caller supplies). Every failure raises :class:`ReceiptError`, whose ``code`` names the failure (the web
page translates by code) and whose message says what differs. This module imports no Django.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from huhang.ledger.checkpoint import Checkpoint, open_checkpoint, parse_checkpoint
from huhang.ledger.cosignature import new_cosignature_verifier
from huhang.ledger.errors import (
    CheckpointError,
    InvalidSignatureError,
    LedgerError,
    NoteError,
    ProofError,
    RootMismatchError,
    UnverifiedNoteError,
)
from huhang.ledger.hashing import hash_leaf
from huhang.ledger.note import new_verifier
from huhang.ledger.proofs import inclusion_proof_length, verify_inclusion
from huhang.ledger.suites import get_suite
from huhang.ledger.timestamp import (
    CertificateInput,
    TimestampError,
    TimestampMismatchError,
    TimestampToken,
    format_gen_time,
    verify_timestamp,
)

RECEIPT_FORMAT = "huhang-receipt/v1"
TLOG_PROOF_HEADER = "c2sp.org/tlog-proof@v1"
MAX_RECEIPT_BYTES = 1 << 20
_DECIMAL = re.compile(r"(0|[1-9][0-9]*)\Z")

# The message of each failure, by code; tests import these so that each text is written once.
MESSAGES = {
    "too_large": "the receipt is larger than {limit} bytes",
    "malformed_json": "the receipt is not valid JSON: {detail}",
    "wrong_format": "the receipt's format is {got!r}, want {want!r}",
    "missing_field": "the receipt has no valid {field!r} member",
    "bad_key": "the verifier key is malformed: {detail}",
    "other_log": "the receipt is from the log {origin!r}, but the key given is for the log {key_origin!r}",
    "suite_mismatch": "the receipt says suite {got!r}, but the key given is a {want!r} key",
    "key_mismatch": "the receipt was issued under the key {receipt_key}, not the key given ({given}): "
    "wrong key, or a receipt from another log",
    "malformed_proof": "the proof is malformed: {detail}",
    "index_mismatch": "the proof is for index {proof_index}, but the receipt says index {index}",
    "bad_signature": "the checkpoint's signature does not verify with the key given: "
    "the checkpoint was altered or signed by another key",
    "unsigned": "the checkpoint is not signed by the key given ({key})",
    "bad_checkpoint": "the signed checkpoint is malformed or names another log: {detail}",
    "inconsistent": "the receipt's {field} ({got}) differs from the signed checkpoint's ({want})",
    "index_out_of_range": "index {index} is outside the signed tree of size {size}",
    "truncated_proof": "the inclusion proof has {got} hashes, want {want} for index {index} in a tree of "
    "size {size}: it was truncated or extended",
    "proof_mismatch": "the inclusion proof does not lead to the signed root hash: "
    "the proof or the leaf was modified (computed {computed}, signed {expected})",
    "bad_leaf": "the leaf is malformed: {detail}",
    "no_file_hash": "this receipt preserves no file (its leaf records no content hash)",
    "file_mismatch": "the file's {algorithm} is {got}, but the receipt records {want}: this is not the preserved file",
    "file_size_mismatch": "the file has {got} bytes, but the receipt records {want}",
    "bad_witness_key": "a witness key is malformed: {detail}",
    "bad_cosignature": "the cosignature of witness {name} does not verify: the checkpoint or the cosignature "
    "was altered",
    "quorum": "the checkpoint carries {got} valid cosignatures of the witnesses given, {want} required",
    "bad_timestamp": "the receipt's RFC 3161 time-stamp does not verify: {detail}",
    "timestamp_mismatch": "the receipt's time-stamp token is not for its checkpoint of size {size}: it time-stamps "
    "other data (another checkpoint, or the note's signatures were changed)",
    "timestamp_inconsistent": "the receipt's time-stamp time ({got}) differs from the one the TSA signed ({want})",
    "no_timestamp": "the receipt carries no RFC 3161 time-stamp",
}


class ReceiptError(LedgerError):
    """A receipt does not verify. ``code`` names the failure (a key of :data:`MESSAGES`), ``params`` its details."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code].format(**params))


@dataclass(frozen=True)
class VerifiedReceipt:
    """What a receipt proves once verified."""

    origin: str
    suite: str
    index: int
    tree_size: int
    root_hash: bytes
    leaf: bytes
    leaf_fields: dict = field(repr=False)
    checkpoint_note: str = field(repr=False)
    cosigners: tuple[str, ...] = ()
    file_checked: bool = False
    timestamp: TimestampToken | None = None
    """The receipt's RFC 3161 token, verified against the signed note; None when the receipt has none."""
    timestamp_anchored: bool = False
    """Whether the token's signer was checked against TSA certificates or trusted roots the caller gave
    (otherwise only against the certificate the token itself carries: its integrity, not who made it)."""


# -- writing -----------------------------------------------------------------------------------------


def format_tlog_proof(*, index: int, proof: Iterable[bytes], checkpoint_note: str, extra: bytes | None = None) -> str:
    """Return the c2sp.org/tlog-proof@v1 text of an inclusion ``proof`` in the signed ``checkpoint_note``."""
    lines = [TLOG_PROOF_HEADER]
    if extra is not None:
        lines.append("extra " + base64.b64encode(extra).decode())
    lines.append(f"index {index}")
    lines.extend(base64.b64encode(h).decode() for h in proof)
    return "\n".join(lines) + "\n\n" + checkpoint_note


def build_receipt(
    *,
    origin: str,
    suite: str,
    verifier_key: str,
    index: int,
    leaf: bytes,
    proof: Iterable[bytes],
    checkpoint_note: str,
    cosignatures: int = 0,
    timestamp_token: bytes | None = None,
    tsa_url: str | None = None,
    gen_time: str | None = None,
    extra_members: dict | None = None,
) -> dict:
    """Return the receipt object (ready for ``json.dumps``) of entry ``index`` holding ``leaf``.

    ``timestamp_token`` is an RFC 3161 token (DER) of exactly ``checkpoint_note``, from the TSA at ``tsa_url``
    at ``gen_time``.
    """
    body = checkpoint_note[: checkpoint_note.index("\n\n") + 1]
    checkpoint = parse_checkpoint(body, suite=suite)
    receipt = {
        "format": RECEIPT_FORMAT,
        "origin": origin,
        "suite": suite,
        "verifier_key": verifier_key,
        "index": index,
        "leaf": base64.b64encode(leaf).decode(),
        "checkpoint": {
            "size": checkpoint.size,
            "root_hash": base64.b64encode(checkpoint.root_hash).decode(),
            "cosignatures": cosignatures,
        },
        "proof": format_tlog_proof(index=index, proof=proof, checkpoint_note=checkpoint_note),
    }
    if timestamp_token is not None:
        receipt["timestamp"] = {
            "token": base64.b64encode(timestamp_token).decode(),
            "tsa_url": tsa_url,
            "gen_time": gen_time,
        }
    for key, value in (extra_members or {}).items():
        receipt.setdefault(key, value)
    return receipt


# -- reading -----------------------------------------------------------------------------------------


def parse_tlog_proof(text: str, *, digest_size: int = 32) -> tuple[int, list[bytes], str]:
    """Return ``(index, proof hashes, signed checkpoint note)`` from a tlog-proof text.

    Raises :class:`ReceiptError` (``malformed_proof``) unless the text follows c2sp.org/tlog-proof@v1.
    """
    if not isinstance(text, str):
        raise ReceiptError("malformed_proof", detail="it is not a text")
    head, sep, note = text.partition("\n\n")
    if not sep or not note:
        raise ReceiptError("malformed_proof", detail="no empty line before the signed checkpoint")
    lines = head.split("\n")
    if lines[0] != TLOG_PROOF_HEADER:
        raise ReceiptError("malformed_proof", detail=f"the first line is {lines[0][:40]!r}, want {TLOG_PROOF_HEADER}")
    rest = lines[1:]
    if rest and rest[0].startswith("extra "):
        rest = rest[1:]  # opaque and unauthenticated: never used
    if not rest or not rest[0].startswith("index "):
        raise ReceiptError("malformed_proof", detail="no 'index N' line")
    index_text = rest[0][len("index ") :]
    if not _DECIMAL.match(index_text) or int(index_text) >= 1 << 63:
        raise ReceiptError(
            "malformed_proof", detail=f"index {index_text[:24]!r} is not a decimal without leading zeros"
        )
    hashes = []
    for number, line in enumerate(rest[1:], start=1):
        try:
            value = base64.b64decode(line, validate=True)
        except (binascii.Error, ValueError):
            raise ReceiptError("malformed_proof", detail=f"proof line {number} is not base64") from None
        if len(value) != digest_size:
            raise ReceiptError(
                "malformed_proof", detail=f"proof line {number} holds {len(value)} bytes, want {digest_size}"
            )
        hashes.append(value)
    return int(index_text), hashes, note


def _member(receipt: dict, name: str, kind: type | tuple[type, ...]) -> object:
    value = receipt.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ReceiptError("missing_field", field=name)
    return value


def load_receipt(receipt: str | bytes | dict) -> dict:
    """Return the receipt object of JSON text, bytes or an already parsed object; check its format."""
    if isinstance(receipt, bytes | bytearray):
        if len(receipt) > MAX_RECEIPT_BYTES:
            raise ReceiptError("too_large", limit=MAX_RECEIPT_BYTES)
        try:
            receipt = bytes(receipt).decode("utf-8")
        except UnicodeDecodeError:
            raise ReceiptError("malformed_json", detail="not UTF-8") from None
    if isinstance(receipt, str):
        if len(receipt) > MAX_RECEIPT_BYTES:
            raise ReceiptError("too_large", limit=MAX_RECEIPT_BYTES)
        try:
            receipt = json.loads(receipt)
        except ValueError as exc:
            raise ReceiptError("malformed_json", detail=str(exc)) from None
    if not isinstance(receipt, dict):
        raise ReceiptError("malformed_json", detail="the top level is not an object")
    if receipt.get("format") != RECEIPT_FORMAT:
        raise ReceiptError("wrong_format", got=receipt.get("format"), want=RECEIPT_FORMAT)
    return receipt


def verify_receipt(
    receipt_json: str | bytes | dict,
    *,
    verifier_key: str,
    file_bytes: bytes | BinaryIO | None = None,
    witness_keys: Iterable[str] = (),
    quorum: int = 0,
    tsa_certificates: Sequence[CertificateInput] | None = None,
    trusted_roots: Sequence[CertificateInput] | None = None,
    require_timestamp: bool = False,
) -> VerifiedReceipt:
    """Check ``receipt_json`` against the log's ``verifier_key`` and, if given, the preserved file.

    ``file_bytes`` is the file's content, or a binary file object read to its end in chunks.

    ``witness_keys`` are cosignature verifier keys of witnesses the caller trusts; at least ``quorum`` of
    them must have cosigned the checkpoint.

    When the receipt carries an RFC 3161 time-stamp, its token must time-stamp the exact signed checkpoint
    note of the proof, and its signature must verify: with one of ``tsa_certificates`` when given (the TSA's
    certificates, PEM or DER), else with the certificate the token carries; with ``trusted_roots`` its
    signer must also chain to one of them. ``require_timestamp`` refuses a receipt without a token.

    Raises :class:`ReceiptError` with the reason on any mismatch; returns what the receipt proves otherwise.
    """
    receipt = load_receipt(receipt_json)
    origin = _member(receipt, "origin", str)
    index = _member(receipt, "index", int)
    leaf_b64 = _member(receipt, "leaf", str)
    proof_text = _member(receipt, "proof", str)

    try:
        verifier = new_verifier(verifier_key.strip() if isinstance(verifier_key, str) else verifier_key)
    except LedgerError as exc:
        raise ReceiptError("bad_key", detail=str(exc)) from None
    if origin != verifier.name:
        raise ReceiptError("other_log", origin=origin, key_origin=verifier.name)
    suite = verifier.suite
    stated_suite = receipt.get("suite", suite.name)
    if stated_suite != suite.name:
        raise ReceiptError("suite_mismatch", got=stated_suite, want=suite.name)
    stated_key = receipt.get("verifier_key")
    if isinstance(stated_key, str) and stated_key.strip() != verifier.key:
        raise ReceiptError("key_mismatch", receipt_key=_short_key(stated_key), given=_short_key(verifier.key))

    witnesses = []
    for key in witness_keys:
        try:
            witnesses.append(new_cosignature_verifier(key.strip()))
        except LedgerError as exc:
            raise ReceiptError("bad_witness_key", detail=str(exc)) from None

    proof_index, proof, note_text = parse_tlog_proof(proof_text, digest_size=suite.digest_size)
    if proof_index != index:
        raise ReceiptError("index_mismatch", proof_index=proof_index, index=index)
    checkpoint, cosigners = _open_checkpoint(note_text, verifier, witnesses, suite)
    _check_stated_checkpoint(receipt, checkpoint)
    if index >= checkpoint.size:
        raise ReceiptError("index_out_of_range", index=index, size=checkpoint.size)

    try:
        leaf = base64.b64decode(leaf_b64, validate=True)
    except (binascii.Error, ValueError):
        raise ReceiptError("missing_field", field="leaf") from None
    try:
        verify_inclusion(
            leaf_hash=hash_leaf(leaf, suite=suite),
            index=index,
            size=checkpoint.size,
            proof=proof,
            root=checkpoint.root_hash,
            suite=suite,
        )
    except RootMismatchError as exc:
        raise ReceiptError("proof_mismatch", computed=exc.computed.hex(), expected=exc.expected.hex()) from None
    except ProofError:
        want = inclusion_proof_length(index, checkpoint.size)
        raise ReceiptError("truncated_proof", got=len(proof), want=want, index=index, size=checkpoint.size) from None

    if len(cosigners) < quorum:
        raise ReceiptError("quorum", got=len(cosigners), want=quorum)

    timestamp = _check_timestamp(receipt, note_text, checkpoint.size, tsa_certificates, trusted_roots)
    if timestamp is None and require_timestamp:
        raise ReceiptError("no_timestamp")

    fields = _leaf_fields(leaf)
    if file_bytes is not None:
        _check_file(fields, file_bytes, suite.name)
    return VerifiedReceipt(
        origin=origin,
        suite=suite.name,
        index=index,
        tree_size=checkpoint.size,
        root_hash=checkpoint.root_hash,
        leaf=leaf,
        leaf_fields=fields,
        checkpoint_note=note_text,
        cosigners=tuple(cosigners),
        file_checked=file_bytes is not None,
        timestamp=timestamp,
        timestamp_anchored=timestamp is not None and (tsa_certificates is not None or trusted_roots is not None),
    )


def _open_checkpoint(note_text, verifier, witnesses, suite) -> tuple[Checkpoint, list[str]]:
    try:
        checkpoint, note = open_checkpoint(note_text, verifier, others=witnesses, suite=suite)
    except InvalidSignatureError as exc:
        if exc.name == verifier.name and exc.key_id == verifier.key_id:
            raise ReceiptError("bad_signature") from None
        raise ReceiptError("bad_cosignature", name=exc.name) from None
    except UnverifiedNoteError:
        raise ReceiptError("unsigned", key=_short_key(verifier.key)) from None
    except CheckpointError as exc:
        raise ReceiptError("bad_checkpoint", detail=str(exc)) from None
    except NoteError as exc:
        raise ReceiptError("malformed_proof", detail=str(exc)) from None
    witness_ids = {(w.name, w.key_id) for w in witnesses}
    cosigners = [s.name for s in note.signatures if (s.name, s.key_id) in witness_ids]
    return checkpoint, cosigners


def _check_stated_checkpoint(receipt: dict, checkpoint: Checkpoint) -> None:
    """The informational ``checkpoint`` member, when present, must agree with the signed checkpoint."""
    stated = receipt.get("checkpoint")
    if stated is None:
        return
    if not isinstance(stated, dict):
        raise ReceiptError("missing_field", field="checkpoint")
    size = stated.get("size", checkpoint.size)
    if size != checkpoint.size:
        raise ReceiptError("inconsistent", field="checkpoint size", got=size, want=checkpoint.size)
    root = stated.get("root_hash", base64.b64encode(checkpoint.root_hash).decode())
    if root != base64.b64encode(checkpoint.root_hash).decode():
        want = base64.b64encode(checkpoint.root_hash).decode()
        raise ReceiptError("inconsistent", field="root hash", got=root, want=want)


def _check_timestamp(
    receipt: dict, note_text: str, size: int, tsa_certificates, trusted_roots
) -> TimestampToken | None:
    """Verify the receipt's ``timestamp`` member, if any, against the signed note; return what the token says."""
    member = receipt.get("timestamp")
    if member is None:
        return None
    if not isinstance(member, dict) or not isinstance(member.get("token"), str):
        raise ReceiptError("missing_field", field="timestamp")
    try:
        token_der = base64.b64decode(member["token"], validate=True)
    except (binascii.Error, ValueError):
        raise ReceiptError("missing_field", field="timestamp") from None
    try:
        token = verify_timestamp(
            token_der, note_text.encode("utf-8"), tsa_certificates=tsa_certificates, trusted_roots=trusted_roots
        )
    except TimestampMismatchError:
        raise ReceiptError("timestamp_mismatch", size=size) from None
    except TimestampError as exc:
        raise ReceiptError("bad_timestamp", detail=str(exc)) from None
    stated = member.get("gen_time")
    if stated is not None:
        try:
            same = isinstance(stated, str) and datetime.fromisoformat(stated) == token.gen_time
        except ValueError:
            same = False
        if not same:
            raise ReceiptError("timestamp_inconsistent", got=str(stated)[:40], want=format_gen_time(token.gen_time))
    return token


def _leaf_fields(leaf: bytes) -> dict:
    try:
        fields = json.loads(leaf.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ReceiptError("bad_leaf", detail="it is not UTF-8 JSON") from None
    if not isinstance(fields, dict):
        raise ReceiptError("bad_leaf", detail="it is not a JSON object")
    return fields


def _check_file(fields: dict, content: bytes | BinaryIO, suite_name: str) -> None:
    if not isinstance(fields.get("sha256"), str):
        raise ReceiptError("no_file_hash")
    hashes = {"sha256": get_suite("sha256-ed25519").new_hash(b"")}
    if suite_name == "sm3-sm2" and isinstance(fields.get("sm3"), str):
        hashes["sm3"] = get_suite("sm3-sm2").new_hash(b"")
    size = 0
    chunks = (
        [content] if isinstance(content, bytes | bytearray | memoryview) else iter(lambda: content.read(1 << 20), b"")
    )
    for chunk in chunks:
        size += len(chunk)
        for h in hashes.values():
            h.update(chunk)
    for name, h in hashes.items():
        want, got = fields[name], h.hexdigest()
        if got != want:
            raise ReceiptError("file_mismatch", algorithm={"sha256": "SHA-256", "sm3": "SM3"}[name], got=got, want=want)
    stated = fields.get("size")
    if isinstance(stated, int) and not isinstance(stated, bool) and stated != size:
        raise ReceiptError("file_size_mismatch", got=size, want=stated)


def _short_key(key: str) -> str:
    name, _, rest = key.partition("+")
    key_id, _, _ = rest.partition("+")
    return f"{name}+{key_id}" if key_id else key[:60]
