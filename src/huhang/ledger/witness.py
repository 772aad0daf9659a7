"""A witness (c2sp.org/tlog-witness): cosign a log's checkpoint only if it extends what was cosigned before.

A witness is run by another organisation than the log, against its own database. For each log it
knows (an origin and the log's note verifier key), it remembers the last checkpoint it cosigned. It
cosigns a new checkpoint only after checking, atomically with the update of that record, that

- a known key of the log signed it (else :class:`ForbiddenError`, HTTP 403; unknown origin: 404);
- the client's ``old_size`` is the size the witness last cosigned, 0 if none (else :class:`ConflictError`
  carrying the witness's size, 409) and not beyond the checkpoint's size (:class:`BadRequestError`, 400);
- a checkpoint of that same size has the same root hash (else :class:`ForkError`, 409);
- the consistency proof leads from the stored root to the new one (else :class:`InconsistentError`, 422).

The two refusals that may show the log lying (a second root at one size, a failed proof) are recorded
with both signed checkpoints as :class:`Evidence`. Every cosigned checkpoint is also kept in an
append-only history. The state lives in SQLite (a file) or PostgreSQL, in three tables::

    witness_checkpoint(origin PRIMARY KEY, size, root, note, updated_at)  the latest cosigned, per log
    witness_history(id, origin, size, root, note, cosignatures, cosigned_at)   append-only
    witness_evidence(id, origin, kind, old_size, proof, witnessed_note, submitted_note, recorded_at)

The latest record changes only by compare-and-swap in a transaction, so of two racing submissions
from the same old size exactly one wins and the other gets a :class:`ConflictError`.
"""

from __future__ import annotations

import base64
import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from huhang.ledger.checkpoint import Checkpoint, open_checkpoint, parse_checkpoint
from huhang.ledger.cosignature import CosignatureSigner, CosignatureVerifier, new_cosignature_signer
from huhang.ledger.errors import (
    CheckpointError,
    InvalidSignatureError,
    LedgerError,
    NoteError,
    ProofError,
    UnverifiedNoteError,
)
from huhang.ledger.hashing import empty_root
from huhang.ledger.note import NoteVerifier, open_note
from huhang.ledger.proofs import verify_consistency

MAX_IDLE_CONNECTIONS = 8
MAX_PROOF_LINES = 63
"""c2sp.org/tlog-witness: a client sends at most 63 consistency proof hashes."""

FORK = "fork"
"""Evidence kind: two checkpoints signed by the log, of one size, with different root hashes."""
INCONSISTENT = "inconsistent"
"""Evidence kind: a signed checkpoint whose consistency proof from the witnessed one failed."""


class WitnessError(LedgerError):
    """A witness refused a checkpoint, or a log could not get it cosigned."""


class UnknownLogError(WitnessError):
    """The checkpoint's origin is not a log this witness follows (HTTP 404)."""


class ForbiddenError(WitnessError):
    """No key the witness trusts for the origin signed the checkpoint (HTTP 403)."""


class BadRequestError(WitnessError):
    """The request is malformed, or its old size exceeds the checkpoint's size (HTTP 400)."""


class ConflictError(WitnessError):
    """The client's old size is not the size the witness last cosigned, which is ``size`` (HTTP 409)."""

    def __init__(self, size: int, message: str) -> None:
        self.size = size
        super().__init__(message)


class ForkError(WitnessError):
    """The log signed two checkpoints of one size with different roots; ``evidence`` holds both (HTTP 409)."""

    def __init__(self, evidence: Evidence) -> None:
        self.evidence = evidence
        super().__init__(
            f"fork of {evidence.origin}: it signed another root at size {evidence.witnessed.size}; refused and recorded"
        )


class InconsistentError(WitnessError):
    """The consistency proof does not lead from the witnessed checkpoint to the new one (HTTP 422)."""

    def __init__(self, message: str, evidence: Evidence | None = None) -> None:
        self.evidence = evidence
        super().__init__(message)


@dataclass(frozen=True)
class WitnessedState:
    """What the witness last cosigned for ``origin``: its size, root hash and signed note."""

    origin: str
    size: int
    root: bytes
    note: str
    updated_at: str


@dataclass(frozen=True)
class Cosigned:
    """One row of the history: a checkpoint the witness cosigned, and the cosignature lines it returned."""

    origin: str
    size: int
    root: bytes
    note: str
    cosignatures: str
    cosigned_at: str


@dataclass(frozen=True)
class Evidence:
    """A refused checkpoint beside the one the witness had cosigned: both signed by the log.

    ``kind`` is :data:`FORK` (same size, other root: proof of equivocation by itself) or
    :data:`INCONSISTENT` (the proof from ``old_size`` failed: proof of equivocation unless the log
    can produce a consistency proof between the two, which an honest log always can).
    """

    id: int
    origin: str
    kind: str
    old_size: int
    proof: tuple[bytes, ...]
    witnessed_note: str
    submitted_note: str
    recorded_at: str

    @property
    def witnessed(self) -> Checkpoint:
        """The checkpoint the witness had cosigned (parsed, signatures not checked: see :meth:`verify`)."""
        return parse_checkpoint(_note_text(self.witnessed_note))

    @property
    def submitted(self) -> Checkpoint:
        """The checkpoint the witness refused (parsed, signatures not checked: see :meth:`verify`)."""
        return parse_checkpoint(_note_text(self.submitted_note))

    def verify(self, log_key: NoteVerifier) -> tuple[Checkpoint, Checkpoint]:
        """Check that ``log_key`` signed both checkpoints; return ``(witnessed, submitted)``.

        For a :data:`FORK` it also checks that the sizes match and the roots differ. Raises
        :class:`~huhang.ledger.errors.NoteError` or :class:`WitnessError` if the evidence does not hold.
        """
        suite = log_key.suite
        first, _ = open_checkpoint(self.witnessed_note, log_key, origin=self.origin, suite=suite)
        second, _ = open_checkpoint(self.submitted_note, log_key, origin=self.origin, suite=suite)
        if self.kind == FORK and (first.size != second.size or first.root_hash == second.root_hash):
            raise WitnessError("not a fork: the two checkpoints differ in size or agree on the root")
        return first, second


def _note_text(note: str) -> str:
    """Return the text of a signed note (what precedes the blank line and the signatures)."""
    return note[: note.rindex("\n\n") + 1]


# -- storage ---------------------------------------------------------------------------------------

_TABLES = {
    "sqlite": [
        """CREATE TABLE IF NOT EXISTS witness_checkpoint (
            origin TEXT PRIMARY KEY, size INTEGER NOT NULL, root BLOB NOT NULL, note TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS witness_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT, origin TEXT NOT NULL, size INTEGER NOT NULL, root BLOB NOT NULL,
            note TEXT NOT NULL, cosignatures TEXT NOT NULL, cosigned_at TEXT NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS witness_evidence (
            id INTEGER PRIMARY KEY AUTOINCREMENT, origin TEXT NOT NULL, kind TEXT NOT NULL,
            old_size INTEGER NOT NULL, proof TEXT NOT NULL, witnessed_note TEXT NOT NULL,
            submitted_note TEXT NOT NULL, recorded_at TEXT NOT NULL)""",
        *(
            f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
            for table in ("witness_history", "witness_evidence")
            for op in ("UPDATE", "DELETE")
        ),
    ],
    "postgresql": [
        """CREATE TABLE IF NOT EXISTS witness_checkpoint (
            origin TEXT PRIMARY KEY, size BIGINT NOT NULL, root BYTEA NOT NULL, note TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS witness_history (
            id BIGSERIAL PRIMARY KEY, origin TEXT NOT NULL, size BIGINT NOT NULL, root BYTEA NOT NULL,
            note TEXT NOT NULL, cosignatures TEXT NOT NULL, cosigned_at TEXT NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS witness_evidence (
            id BIGSERIAL PRIMARY KEY, origin TEXT NOT NULL, kind TEXT NOT NULL, old_size BIGINT NOT NULL,
            proof TEXT NOT NULL, witnessed_note TEXT NOT NULL, submitted_note TEXT NOT NULL,
            recorded_at TEXT NOT NULL)""",
        """CREATE OR REPLACE FUNCTION witness_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$""",
        *(
            f"""DO $$ BEGIN
                  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '{table}_append_only') THEN
                    CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table}
                    FOR EACH STATEMENT EXECUTE FUNCTION witness_append_only();
                  END IF; END $$"""  # noqa: S608 - table names are this module's constants
            for table in ("witness_history", "witness_evidence")
        ),
    ],
}


class _LostRace(Exception):
    """The compare-and-swap found another state than expected: roll back."""


class WitnessStore:
    """The witness's own tables, in a SQLite file (a path or ``sqlite:///path``) or PostgreSQL (a URL).

    Each operation borrows a connection from a small pool, so that racing requests run on separate
    connections and the database itself arbitrates between their updates.
    """

    def __init__(self, location: str | Path) -> None:
        text = str(location)
        parsed = urlparse(text)
        if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
            self.vendor, self._mark = "postgresql", "%s"
            self._dsn = text.replace("pgsql://", "postgresql://", 1)
        elif parsed.scheme in {"sqlite", "sqlite3"} or "://" not in text:
            self.vendor, self._mark = "sqlite", "?"
            path = unquote(parsed.path) if "://" in text else text
            path = path[1:] if "://" in text and parsed.netloc == "" and path.startswith("//") else path
            if not path or path == ":memory:":
                raise ValueError("a witness keeps its state in a file or a server database, not in memory")
            self._dsn = path
        else:
            raise ValueError(f"unsupported witness database {text!r}: give a file path, sqlite:// or postgresql://")
        self.location = text
        self._lock = threading.Lock()
        self._idle: list[Any] = []
        self._closed = False
        self.create_schema()

    def _connect(self) -> Any:
        if self.vendor == "sqlite":
            conn = sqlite3.connect(self._dsn, isolation_level=None, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")  # cosign only what is on disk
            return conn
        import psycopg

        return psycopg.connect(self._dsn, autocommit=True)

    @contextlib.contextmanager
    def _connected(self) -> Iterator[Any]:
        """Lend a connection of the pool to one operation (opening one if none is idle)."""
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = self._connect()
        healthy = False
        try:
            yield conn
            healthy = True
        except _LostRace:
            healthy = True
            raise
        finally:
            with self._lock:
                keep = healthy and not self._closed and len(self._idle) < MAX_IDLE_CONNECTIONS
                if keep:
                    self._idle.append(conn)
            if not keep:
                with contextlib.suppress(Exception):
                    conn.close()

    def close(self) -> None:
        """Close the idle connections, and the others as soon as their operation ends."""
        with self._lock:
            self._closed, idle, self._idle = True, self._idle, []
        for conn in idle:
            with contextlib.suppress(Exception):
                conn.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._connected() as conn:
            if self.vendor == "postgresql":
                with conn.transaction():
                    yield conn.cursor()
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn.cursor()
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self._connected() as conn:
            cur = conn.cursor()
            cur.execute(sql.replace("?", self._mark), tuple(params))
            return cur.fetchall()

    def create_schema(self) -> None:
        """Create the tables and triggers unless they exist."""
        with self._transaction() as cur:
            for statement in _TABLES[self.vendor]:
                cur.execute(statement)

    # -- reads ---------------------------------------------------------------------------------------

    def state(self, origin: str) -> WitnessedState | None:
        """Return what the witness last cosigned for ``origin``, or None."""
        rows = self._rows(
            "SELECT origin, size, root, note, updated_at FROM witness_checkpoint WHERE origin = ?", (origin,)
        )
        return _state(rows[0]) if rows else None

    def states(self) -> list[WitnessedState]:
        """Return the latest cosigned checkpoint of every log, by origin."""
        rows = self._rows("SELECT origin, size, root, note, updated_at FROM witness_checkpoint ORDER BY origin")
        return [_state(row) for row in rows]

    def history(self, origin: str) -> list[Cosigned]:
        """Return every checkpoint of ``origin`` the witness cosigned, oldest first."""
        rows = self._rows(
            "SELECT origin, size, root, note, cosignatures, cosigned_at FROM witness_history WHERE origin = ? "
            "ORDER BY id",
            (origin,),
        )
        return [Cosigned(o, s, bytes(r), n, c, t) for o, s, r, n, c, t in rows]

    def evidence(self, origin: str | None = None) -> list[Evidence]:
        """Return the recorded evidence against ``origin`` (every log when None), oldest first."""
        sql = (
            "SELECT id, origin, kind, old_size, proof, witnessed_note, submitted_note, recorded_at "
            "FROM witness_evidence"
        )
        rows = (
            self._rows(sql + " ORDER BY id")
            if origin is None
            else self._rows(sql + " WHERE origin = ? ORDER BY id", (origin,))
        )
        return [_evidence(row) for row in rows]

    # -- writes --------------------------------------------------------------------------------------

    def swap(self, origin: str, *, expected: WitnessedState | None, new: WitnessedState, cosignatures: str) -> bool:
        """Replace ``expected`` (None: no record yet) by ``new`` and add it to the history, atomically.

        Return False, changing nothing, if the stored state is no longer ``expected``'s size and root.
        """
        try:
            with self._transaction() as cur:
                if expected is None:
                    cur.execute(
                        self._sql(
                            "INSERT INTO witness_checkpoint (origin, size, root, note, updated_at) "
                            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (origin) DO NOTHING"
                        ),
                        (origin, new.size, new.root, new.note, new.updated_at),
                    )
                else:
                    cur.execute(
                        self._sql(
                            "UPDATE witness_checkpoint SET size = ?, root = ?, note = ?, updated_at = ? "
                            "WHERE origin = ? AND size = ? AND root = ?"
                        ),
                        (new.size, new.root, new.note, new.updated_at, origin, expected.size, expected.root),
                    )
                if cur.rowcount != 1:
                    raise _LostRace
                cur.execute(
                    self._sql(
                        "INSERT INTO witness_history (origin, size, root, note, cosignatures, cosigned_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)"
                    ),
                    (origin, new.size, new.root, new.note, cosignatures, new.updated_at),
                )
        except _LostRace:
            return False
        return True

    def record_evidence(
        self,
        *,
        origin: str,
        kind: str,
        old_size: int,
        proof: Sequence[bytes],
        witnessed_note: str,
        submitted_note: str,
        recorded_at: str,
    ) -> Evidence:
        """Keep a refused checkpoint beside the witnessed one; the same pair is kept once."""
        encoded = "".join(base64.b64encode(h).decode() + "\n" for h in proof)
        select = (
            "SELECT id, origin, kind, old_size, proof, witnessed_note, submitted_note, recorded_at "
            "FROM witness_evidence WHERE origin = ? AND kind = ? AND witnessed_note = ? AND submitted_note = ?"
        )
        key = (origin, kind, witnessed_note, submitted_note)
        with self._transaction() as cur:
            cur.execute(self._sql(select), key)
            row = cur.fetchone()
            if row is None:
                cur.execute(
                    self._sql(
                        "INSERT INTO witness_evidence (origin, kind, old_size, proof, witnessed_note, "
                        "submitted_note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    ),
                    (origin, kind, old_size, encoded, witnessed_note, submitted_note, recorded_at),
                )
                cur.execute(self._sql(select), key)
                row = cur.fetchone()
        return _evidence(row)

    def _sql(self, text: str) -> str:
        return text.replace("?", self._mark)


def _state(row: tuple) -> WitnessedState:
    origin, size, root, note, updated_at = row
    return WitnessedState(origin, size, bytes(root), note, updated_at)


def _evidence(row: tuple) -> Evidence:
    id_, origin, kind, old_size, proof, witnessed, submitted, recorded_at = row
    hashes = tuple(base64.b64decode(line) for line in proof.splitlines())
    return Evidence(id_, origin, kind, old_size, hashes, witnessed, submitted, recorded_at)


# -- the witness -----------------------------------------------------------------------------------


class Witness:
    """Cosign checkpoints of the ``known_logs`` ({origin: note verifier(s)}) with ``signer``'s key(s).

    ``store`` is a :class:`WitnessStore` or where to open one (a file path or a database URL);
    ``signer`` a :class:`~huhang.ledger.cosignature.CosignatureSigner`, its key text, or several;
    ``clock`` gives the cosignature time in seconds since the epoch.
    """

    def __init__(
        self,
        store: WitnessStore | str | Path,
        signer: CosignatureSigner | str | Sequence[CosignatureSigner | str],
        known_logs: Mapping[str, NoteVerifier | Sequence[NoteVerifier]],
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store if isinstance(store, WitnessStore) else WitnessStore(store)
        signers = [signer] if isinstance(signer, CosignatureSigner | str) else list(signer)
        self.signers = [new_cosignature_signer(s) if isinstance(s, str) else s for s in signers]
        if not self.signers:
            raise ValueError("a witness needs at least one cosigner key")
        self.known_logs: dict[str, tuple[NoteVerifier, ...]] = {}
        for origin, keys in known_logs.items():
            keys = (keys,) if hasattr(keys, "verify") else tuple(keys)  # type: ignore[arg-type]
            if not keys or len({k.suite.name for k in keys}) != 1:
                raise ValueError(f"log {origin}: give one or more keys, all of one crypto suite")
            self.known_logs[origin] = keys
        self.clock = clock

    @property
    def verifiers(self) -> list[CosignatureVerifier]:
        """The cosignature verifiers a log or a relying party configures for this witness."""
        return [s.verifier() for s in self.signers]

    def latest(self, origin: str) -> WitnessedState | None:
        """Return what this witness last cosigned for ``origin``."""
        return self.store.state(origin)

    def evidence(self, origin: str | None = None) -> list[Evidence]:
        """Return the recorded evidence of misbehaviour, of ``origin`` or of every log."""
        return self.store.evidence(origin)

    def add_checkpoint(self, old_size: int, consistency_proof: Sequence[bytes], signed_checkpoint: str | bytes) -> str:
        """Cosign ``signed_checkpoint`` if it extends, by ``consistency_proof``, the one cosigned at ``old_size``.

        Return the cosignature lines (``— name base64...\\n``, one per witness key). Raise the
        :class:`WitnessError` subclass of the first check that fails (see the module docstring);
        nothing is changed unless every check passes.
        """
        text = _decode(signed_checkpoint)
        origin = text.split("\n", 1)[0]
        keys = self.known_logs.get(origin)
        if keys is None:
            raise UnknownLogError(f"unknown log {origin[:200]!r}: this witness does not follow it")
        checkpoint, body = self._open(text, origin, keys)
        proof = _check_request(old_size, consistency_proof, checkpoint)
        suite = keys[0].suite
        if checkpoint.size == 0 and checkpoint.root_hash != empty_root(suite=suite):
            raise InconsistentError("a checkpoint of size 0 must have the root hash of the empty tree")
        state = self.store.state(origin)
        known_size = state.size if state is not None else 0
        if old_size != known_size:
            raise ConflictError(known_size, f"old size {old_size} is not {known_size}, the size last cosigned")
        if state is not None and checkpoint.size == state.size and checkpoint.root_hash != state.root:
            evidence = self._record(FORK, state, old_size, proof, text)
            raise ForkError(evidence)
        if known_size == 0:
            if proof:
                raise InconsistentError(f"the proof from size 0 must be empty, got {len(proof)} hashes")
        else:
            try:
                verify_consistency(
                    old_size=known_size,
                    new_size=checkpoint.size,
                    old_root=state.root,  # type: ignore[union-attr]
                    new_root=checkpoint.root_hash,
                    proof=proof,
                    suite=suite,
                )
            except ProofError as error:
                evidence = None
                if checkpoint.size != known_size:  # at one size, the roots agree: the proof alone is bad
                    evidence = self._record(INCONSISTENT, state, old_size, proof, text)  # type: ignore[arg-type]
                raise InconsistentError(f"consistency proof from size {known_size} failed: {error}", evidence) from None
        return self._cosign(origin, checkpoint, body, text, state)

    def _open(self, text: str, origin: str, keys: tuple[NoteVerifier, ...]) -> tuple[Checkpoint, str]:
        try:
            note = open_note(text, keys)
        except (InvalidSignatureError, UnverifiedNoteError) as error:
            raise ForbiddenError(f"checkpoint of {origin} is not signed by a key trusted for it: {error}") from None
        except NoteError as error:
            raise BadRequestError(f"malformed signed checkpoint: {error}") from None
        try:
            checkpoint = parse_checkpoint(note.text, suite=keys[0].suite)
        except CheckpointError as error:
            raise BadRequestError(f"malformed checkpoint: {error}") from None
        if checkpoint.origin != origin:  # pragma: no cover - the first line is the origin
            raise BadRequestError(f"checkpoint origin {checkpoint.origin!r} is not {origin!r}")
        return checkpoint, note.text

    def _cosign(self, origin: str, checkpoint: Checkpoint, body: str, text: str, state: WitnessedState | None) -> str:
        now = self.clock()
        lines = "".join(s.sign(body, timestamp=int(now)).to_line() for s in self.signers)
        new = WitnessedState(origin, checkpoint.size, checkpoint.root_hash, text, _iso(now))
        if not self.store.swap(origin, expected=state, new=new, cosignatures=lines):
            current = self.store.state(origin)
            size = current.size if current is not None else 0
            raise ConflictError(size, f"another submission for {origin} won the race; the witness is at size {size}")
        return lines

    def _record(self, kind: str, state: WitnessedState, old_size: int, proof: list[bytes], text: str) -> Evidence:
        return self.store.record_evidence(
            origin=state.origin,
            kind=kind,
            old_size=old_size,
            proof=proof,
            witnessed_note=state.note,
            submitted_note=text,
            recorded_at=_iso(self.clock()),
        )


def _decode(signed_checkpoint: str | bytes) -> str:
    if isinstance(signed_checkpoint, bytes | bytearray):
        try:
            return bytes(signed_checkpoint).decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequestError("signed checkpoint is not valid UTF-8") from None
    if not isinstance(signed_checkpoint, str):
        raise BadRequestError(f"signed checkpoint must be str or bytes, got {type(signed_checkpoint).__name__}")
    return signed_checkpoint


def _check_request(old_size: object, proof: object, checkpoint: Checkpoint) -> list[bytes]:
    if type(old_size) is not int or old_size < 0:
        raise BadRequestError(f"old size must be a non-negative int, got {old_size!r:.40}")
    if old_size > checkpoint.size:
        raise BadRequestError(f"old size {old_size} exceeds the checkpoint's size {checkpoint.size}")
    if not isinstance(proof, list | tuple) or not all(isinstance(h, bytes | bytearray) for h in proof):
        raise BadRequestError("the consistency proof must be a list of hashes (bytes)")
    if len(proof) > MAX_PROOF_LINES:
        raise BadRequestError(f"consistency proof has {len(proof)} hashes, at most {MAX_PROOF_LINES} accepted")
    return [bytes(h) for h in proof]


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="microseconds")
