"""Transparency log checkpoints (c2sp.org/tlog-checkpoint): the signed tree head of a log.

The body of a checkpoint is the text of a signed note: the log's origin, the tree size in
decimal, the root hash in standard base64, then optional non-empty extension lines::

    example.com/behind-the-sofa
    20852163
    CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

Parsing is strict so that a checkpoint has exactly one text form: no leading zeros, canonical
base64, a root hash of the suite's digest size, no control characters.

>>> text = "example.com/behind-the-sofa\\n20852163\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\\n"
>>> checkpoint = parse_checkpoint(text)
>>> checkpoint.origin, checkpoint.size, checkpoint.root_hash.hex()[:16]
('example.com/behind-the-sofa', 20852163, '0ac5186a91863e8e')
>>> format_checkpoint(checkpoint) == text
True
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass

from huhang.ledger.errors import CheckpointError, UnverifiedNoteError
from huhang.ledger.note import Note, Verifier, open_note
from huhang.ledger.suites import Suite, get_suite

MAX_SIZE = (1 << 63) - 1
_DECIMAL = re.compile(r"(0|[1-9][0-9]*)\Z")
_BAD_CHARACTER = re.compile("[\x00-\x1f\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A log's ``origin``, tree ``size`` and ``root_hash`` at that size, with optional ``extensions`` lines."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()


def format_checkpoint(checkpoint: Checkpoint, *, suite: Suite | str | None = None) -> str:
    """Return the note text of ``checkpoint``, final newline included.

    Requires a non-empty origin and extension lines without control characters, ``0 <= size <
    2**63`` and a root hash of the suite's digest size; raises :class:`CheckpointError` otherwise.
    """
    suite = get_suite(suite)
    _check_line(checkpoint.origin, "origin")
    if type(checkpoint.size) is not int or not 0 <= checkpoint.size <= MAX_SIZE:
        raise CheckpointError(f"checkpoint size must be an int in [0, 2**63), got {checkpoint.size!r}")
    if not isinstance(checkpoint.root_hash, bytes) or len(checkpoint.root_hash) != suite.digest_size:
        want = suite.digest_size
        raise CheckpointError(f"checkpoint root hash must be {want} bytes, got {checkpoint.root_hash!r:.80}")
    if not isinstance(checkpoint.extensions, tuple):
        got = type(checkpoint.extensions).__name__
        raise CheckpointError(f"checkpoint extensions must be a tuple of lines, got {got}")
    for line in checkpoint.extensions:
        _check_line(line, "extension line")
    root = base64.b64encode(checkpoint.root_hash).decode()
    return "\n".join([checkpoint.origin, str(checkpoint.size), root, *checkpoint.extensions]) + "\n"


def parse_checkpoint(text: str, *, suite: Suite | str | None = None) -> Checkpoint:
    """Return the checkpoint whose note text is ``text`` (final newline included).

    Raises :class:`CheckpointError` unless ``text`` is exactly what :func:`format_checkpoint` writes.
    """
    suite = get_suite(suite)
    if not isinstance(text, str):
        raise CheckpointError(f"checkpoint text must be a str, got {type(text).__name__}")
    if not text.endswith("\n"):
        raise CheckpointError("checkpoint text must end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointError(f"checkpoint has {len(lines)} lines, want at least 3 (origin, size, root hash)")
    origin, size_text, root_text, *extensions = lines
    _check_line(origin, "origin")
    for line in extensions:
        _check_line(line, "extension line")
    if not _DECIMAL.match(size_text) or int(size_text) > MAX_SIZE:
        raise CheckpointError(f"checkpoint size {size_text[:40]!r} is not a decimal in [0, 2**63), no leading zeros")
    try:
        root_hash = base64.b64decode(root_text, validate=True)
    except (binascii.Error, ValueError):
        raise CheckpointError(f"checkpoint root hash {root_text[:80]!r} is not base64") from None
    if len(root_hash) != suite.digest_size:
        raise CheckpointError(f"checkpoint root hash has {len(root_hash)} bytes, want {suite.digest_size}")
    if base64.b64encode(root_hash).decode() != root_text:
        raise CheckpointError(f"checkpoint root hash {root_text!r} is not in canonical base64")
    return Checkpoint(origin, int(size_text), root_hash, tuple(extensions))


def open_checkpoint(
    message: str | bytes,
    log: Verifier,
    *,
    others: Iterable[Verifier] = (),
    origin: str | None = None,
    suite: Suite | str | None = None,
) -> tuple[Checkpoint, Note]:
    """Open a signed checkpoint: verify the ``log``'s signature and parse the body.

    ``others`` (say, witnesses' cosignature verifiers) are checked too when they signed; the
    note is rejected unless the log itself signed it. The checkpoint's origin must equal
    ``origin``, by default the log key's name (c2sp.org/tlog-checkpoint recommends they match).
    Raises :class:`~huhang.ledger.errors.NoteError` for signature problems and
    :class:`CheckpointError` for a bad body or a foreign origin.
    """
    note = open_note(message, [log, *others])
    if not any(s.name == log.name and s.key_id == log.key_id for s in note.signatures):
        raise UnverifiedNoteError(note, f"checkpoint is not signed by the log key {log.name}+{log.key_id:08x}")
    checkpoint = parse_checkpoint(note.text, suite=suite)
    expected = log.name if origin is None else origin
    if checkpoint.origin != expected:
        raise CheckpointError(f"checkpoint origin is {checkpoint.origin!r}, want {expected!r}")
    return checkpoint, note


def _check_line(line: object, what: str) -> None:
    if not isinstance(line, str) or not line:
        raise CheckpointError(f"checkpoint {what} must be a non-empty str, got {line!r:.80}")
    bad = _BAD_CHARACTER.search(line)
    if bad is not None:
        raise CheckpointError(f"checkpoint {what} contains control character U+{ord(bad.group()):04X}")
