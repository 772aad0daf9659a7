"""Exceptions of the ledger core.

Every error the package raises on bad input is a :class:`LedgerError`, so a caller can catch
"any ledger failure" in one place::

    LedgerError
     ├── ProofError                 a Merkle proof is malformed or does not verify
     │    └── RootMismatchError     the proof is well formed but leads to another root
     ├── NoteError                  a signed note, a key or a signature line is malformed
     │    ├── InvalidSignatureError a known key's signature does not verify
     │    └── UnverifiedNoteError   no known key signed the note (the parsed note is attached)
     ├── CheckpointError            a checkpoint body is malformed or names the wrong log
     └── SuiteError                 an unknown crypto suite, or an operation the suite cannot do
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from huhang.ledger.note import Note


class LedgerError(Exception):
    """Base class of every error raised by :mod:`huhang.ledger`."""


class ProofError(LedgerError):
    """A Merkle inclusion or consistency proof is malformed or does not verify."""


class RootMismatchError(ProofError):
    """A well-formed proof leads to a root hash other than the expected one.

    ``size`` is the tree size whose root mismatched, ``expected`` the root the caller gave and
    ``computed`` the root the proof leads to.
    """

    def __init__(self, *, size: int, expected: bytes, computed: bytes, what: str = "root hash") -> None:
        self.size = size
        self.expected = bytes(expected)
        self.computed = bytes(computed)
        computed_hex, expected_hex = self.computed.hex(), self.expected.hex()
        super().__init__(f"{what} at size {size} mismatched: computed {computed_hex}, expected {expected_hex}")


class NoteError(LedgerError):
    """A signed note, a key text or a signature line is malformed."""


class InvalidSignatureError(NoteError):
    """A signature by a known key (``name``, ``key_id``) does not verify."""

    def __init__(self, *, name: str, key_id: int) -> None:
        self.name = name
        self.key_id = key_id
        super().__init__(f"invalid signature for key {name}+{key_id:08x}")


class UnverifiedNoteError(NoteError):
    """The note is well formed but no known key signed it; ``note`` holds what was parsed."""

    def __init__(self, note: Note, message: str = "note has no verifiable signatures: no known key signed it") -> None:
        self.note = note
        super().__init__(message)


class CheckpointError(LedgerError):
    """A checkpoint body is malformed, or it is not the checkpoint of the expected log."""


class SuiteError(LedgerError):
    """An unknown crypto suite was named, or a key belongs to another suite."""


class EntryRefused(LedgerError):
    """An entry was not appended: its side row's requirement did not hold when its batch was written."""
