"""Durable storage of logs: entries, full tiles, signed checkpoints, their publications and time-stamps,
append-only in SQL.

One schema, two dialects: SQLite (the standard library's ``sqlite3``) and PostgreSQL (``psycopg``). Every
table refuses UPDATE and DELETE through a trigger, so even a bug in the platform cannot rewrite history;
someone with direct access to the database can still drop a trigger, which ``huhang ledger check``
detects by re-deriving every hash and checking it against the signed checkpoints.

An append writes its entries, the tiles they complete and the new signed checkpoint in one transaction,
so a crash leaves the log exactly at its last acknowledged checkpoint. On PostgreSQL the entry and tile
rows go in with ``COPY`` (binary), the fastest way the server takes rows; the transaction and its commit
are the same, so an append is exactly as durable as with ``INSERT``. An append may also insert *side
rows*: rows of the caller's own tables that record an entry (a platform's evidence row), written in the
same transaction with the entry's index and the checkpoint's size filled in (:class:`SideRow`).
"""

import enum
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

TABLES = (
    "ledger_log",
    "ledger_entry",
    "ledger_tile",
    "ledger_checkpoint",
    "ledger_publication",
    "ledger_timestamp",
)

_SQLITE_TABLES = {
    "ledger_log": """CREATE TABLE IF NOT EXISTS ledger_log (
        id INTEGER PRIMARY KEY, origin TEXT NOT NULL UNIQUE, suite TEXT NOT NULL,
        verifier_key TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)""",
    "ledger_entry": """CREATE TABLE IF NOT EXISTS ledger_entry (
        log_id INTEGER NOT NULL REFERENCES ledger_log(id), idx INTEGER NOT NULL, data BLOB NOT NULL,
        PRIMARY KEY (log_id, idx)) WITHOUT ROWID""",
    "ledger_tile": """CREATE TABLE IF NOT EXISTS ledger_tile (
        log_id INTEGER NOT NULL REFERENCES ledger_log(id), level INTEGER NOT NULL, idx INTEGER NOT NULL,
        hashes BLOB NOT NULL, PRIMARY KEY (log_id, level, idx)) WITHOUT ROWID""",
    "ledger_checkpoint": """CREATE TABLE IF NOT EXISTS ledger_checkpoint (
        log_id INTEGER NOT NULL REFERENCES ledger_log(id), size INTEGER NOT NULL, root BLOB NOT NULL,
        note TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
        PRIMARY KEY (log_id, size)) WITHOUT ROWID""",
    "ledger_publication": """CREATE TABLE IF NOT EXISTS ledger_publication (
        log_id INTEGER NOT NULL REFERENCES ledger_log(id), size INTEGER NOT NULL, note TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (log_id, size)) WITHOUT ROWID""",
    # An RFC 3161 token of the checkpoint of that size (huhang.ledger.timestamping); gen_time is the
    # token's own time, ISO 8601 UTC, copied out for display: the token is what proves it.
    "ledger_timestamp": """CREATE TABLE IF NOT EXISTS ledger_timestamp (
        log_id INTEGER NOT NULL REFERENCES ledger_log(id), size INTEGER NOT NULL, token BLOB NOT NULL,
        tsa_url TEXT NOT NULL, gen_time TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
        PRIMARY KEY (log_id, size), FOREIGN KEY (log_id, size) REFERENCES ledger_checkpoint(log_id, size))
        WITHOUT ROWID""",
}

_POSTGRES_TABLES = {
    "ledger_log": """CREATE TABLE IF NOT EXISTS ledger_log (
        id BIGSERIAL PRIMARY KEY, origin TEXT NOT NULL UNIQUE, suite TEXT NOT NULL,
        verifier_key TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())""",
    "ledger_entry": """CREATE TABLE IF NOT EXISTS ledger_entry (
        log_id BIGINT NOT NULL REFERENCES ledger_log(id), idx BIGINT NOT NULL, data BYTEA NOT NULL,
        PRIMARY KEY (log_id, idx))""",
    "ledger_tile": """CREATE TABLE IF NOT EXISTS ledger_tile (
        log_id BIGINT NOT NULL REFERENCES ledger_log(id), level SMALLINT NOT NULL, idx BIGINT NOT NULL,
        hashes BYTEA NOT NULL, PRIMARY KEY (log_id, level, idx))""",
    "ledger_checkpoint": """CREATE TABLE IF NOT EXISTS ledger_checkpoint (
        log_id BIGINT NOT NULL REFERENCES ledger_log(id), size BIGINT NOT NULL, root BYTEA NOT NULL,
        note TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (log_id, size))""",
    "ledger_publication": """CREATE TABLE IF NOT EXISTS ledger_publication (
        log_id BIGINT NOT NULL REFERENCES ledger_log(id), size BIGINT NOT NULL, note TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (log_id, size))""",
    "ledger_timestamp": """CREATE TABLE IF NOT EXISTS ledger_timestamp (
        log_id BIGINT NOT NULL REFERENCES ledger_log(id), size BIGINT NOT NULL, token BYTEA NOT NULL,
        tsa_url TEXT NOT NULL, gen_time TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (log_id, size), FOREIGN KEY (log_id, size) REFERENCES ledger_checkpoint(log_id, size))""",
}


def _sqlite_schema(tables: Sequence[str]) -> list[str]:
    return [
        *(_SQLITE_TABLES[table] for table in tables),
        *(
            f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
            for table in tables
            for op in ("UPDATE", "DELETE")
        ),
    ]


def _postgres_schema(tables: Sequence[str]) -> list[str]:
    return [
        *(_POSTGRES_TABLES[table] for table in tables),
        """CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$""",
        *(
            f"""DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '{table}_append_only') THEN
                CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
              END IF; END $$"""  # noqa: S608 - table names are this module's constants
            for table in tables
        ),
    ]


def schema_statements(vendor: str, tables: Sequence[str] | None = None) -> list[str]:
    """Return the DDL of the ledger's tables and triggers for ``vendor`` ("sqlite" or "postgresql").

    With ``tables``, only those tables and their triggers (a migration adding a table applies just its own).
    Every statement is idempotent (``IF NOT EXISTS``, ``OR REPLACE``): applying them again changes nothing.
    """
    build = {"sqlite": _sqlite_schema, "postgresql": _postgres_schema}[vendor]
    chosen = TABLES if tables is None else tuple(tables)
    unknown = sorted(set(chosen) - set(TABLES))
    if unknown:
        raise ValueError(f"not ledger tables: {', '.join(unknown)}")
    return build(chosen)


class Fill(enum.Enum):
    """What the store puts in a :class:`SideRow` column when the entry is appended."""

    INDEX = "index"  # the entry's index in the log
    CHECKPOINT_SIZE = "checkpoint_size"  # the size of the checkpoint that includes it


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}\Z")


@dataclass(frozen=True)
class Requirement:
    """A condition a :class:`SideRow` is written under: ``sql`` (a ``SELECT`` with ``?`` marks for ``params``)
    must return a row in the transaction that would append the entry, or the entry is refused with
    ``refusal`` (:class:`~huhang.ledger.errors.EntryRefused`) and nothing of it is written.

    Requirements equal in ``sql`` and ``params`` are checked once per batch.
    """

    sql: str
    params: tuple = ()
    refusal: str = "the entry's requirement does not hold"

    def __post_init__(self) -> None:
        if not self.sql.lstrip().upper().startswith("SELECT "):
            raise ValueError("a requirement is a SELECT")


@dataclass(frozen=True)
class SideRow:
    """A row of another table inserted in the transaction that appends its entry.

    ``values`` are ready for the database driver (as a DB-API ``execute`` takes them); :class:`Fill`
    members among them are replaced by the entry's index or the checkpoint's size. Table and column names
    must be plain SQL identifiers.
    """

    table: str
    columns: tuple[str, ...]
    values: tuple
    require: Requirement | None = None

    def __post_init__(self) -> None:
        names = (self.table, *self.columns)
        bad = [name for name in names if not isinstance(name, str) or not _IDENTIFIER.match(name)]
        if bad:
            raise ValueError(f"not plain SQL identifiers: {', '.join(map(repr, bad))}")
        if len(self.columns) != len(self.values):
            raise ValueError(f"{len(self.columns)} columns but {len(self.values)} values")

    def filled(self, *, index: int, checkpoint_size: int) -> tuple:
        fill = {Fill.INDEX: index, Fill.CHECKPOINT_SIZE: checkpoint_size}
        return tuple(fill[value] if isinstance(value, Fill) else value for value in self.values)


@dataclass(frozen=True)
class LogRecord:
    id: int
    origin: str
    suite: str
    verifier_key: str


@dataclass(frozen=True)
class StoredCheckpoint:
    size: int
    root: bytes
    note: str


@dataclass(frozen=True)
class StoredTimestamp:
    """An RFC 3161 token (DER) of the checkpoint of ``size``, the TSA it came from and its time (ISO 8601, UTC)."""

    size: int
    token: bytes = field(repr=False)
    tsa_url: str
    gen_time: str


class SqlStore:
    """The ledger's tables reached through a DB-API connection opened from a database URL."""

    def __init__(self, url: str):
        self.url = url
        parsed = urlparse(url)
        if parsed.scheme in {"sqlite", "sqlite3"}:
            self.vendor, self._mark = "sqlite", "?"
            path = unquote(parsed.path)
            path = path[1:] if parsed.netloc == "" and path.startswith("//") else path
            self._connect = lambda: _sqlite_connect(path or ":memory:")
        elif parsed.scheme in {"postgres", "postgresql", "pgsql"}:
            import psycopg

            self.vendor, self._mark = "postgresql", "%s"
            dsn = url.replace("pgsql://", "postgresql://", 1)
            # Autocommit: a read is one round trip; writes open their transaction explicitly.
            self._connect = lambda: psycopg.connect(dsn, autocommit=True)
        else:
            raise ValueError(f"unsupported database URL scheme {parsed.scheme!r}: use sqlite:// or postgres://")
        self.conn = self._connect()

    def is_integrity_error(self, exc: BaseException) -> bool:
        """Whether ``exc`` is the database refusing a row (a constraint): the transaction did not commit."""
        if self.vendor == "sqlite":
            return isinstance(exc, sqlite3.IntegrityError)
        import psycopg

        return isinstance(exc, psycopg.IntegrityError)

    def close(self) -> None:
        self.conn.close()

    def _sql(self, text: str) -> str:
        return text.replace("?", self._mark)

    def create_schema(self) -> None:
        with self.transaction() as cur:
            for statement in schema_statements(self.vendor):
                cur.execute(statement)

    def transaction(self):
        return _Transaction(self)

    # -- logs ------------------------------------------------------------------------------------

    def create_log(self, *, origin: str, suite: str, verifier_key: str) -> LogRecord:
        with self.transaction() as cur:
            cur.execute(
                self._sql("INSERT INTO ledger_log (origin, suite, verifier_key) VALUES (?, ?, ?)"),
                (origin, suite, verifier_key),
            )
        return self.find_log(origin)

    def find_log(self, origin: str | None = None) -> LogRecord | None:
        """Return the log named ``origin``, or the only log when ``origin`` is None."""
        cur = self.conn.cursor()
        if origin is None:
            cur.execute("SELECT id, origin, suite, verifier_key FROM ledger_log ORDER BY id")
            rows = cur.fetchall()
            if len(rows) > 1:
                raise ValueError(f"{len(rows)} logs in this database: name one by its origin")
        else:
            cur.execute(self._sql("SELECT id, origin, suite, verifier_key FROM ledger_log WHERE origin = ?"), (origin,))
            rows = cur.fetchall()
        return LogRecord(*rows[0]) if rows else None

    # -- reads -------------------------------------------------------------------------------------

    def latest_checkpoint(self, log_id: int) -> StoredCheckpoint | None:
        return self._one_checkpoint(
            "SELECT size, root, note FROM ledger_checkpoint WHERE log_id = ? ORDER BY size DESC LIMIT 1", (log_id,)
        )

    def checkpoint(self, log_id: int, size: int) -> StoredCheckpoint | None:
        return self._one_checkpoint(
            "SELECT size, root, note FROM ledger_checkpoint WHERE log_id = ? AND size = ?", (log_id, size)
        )

    def first_checkpoint_after(self, log_id: int, index: int) -> StoredCheckpoint | None:
        """Return the smallest checkpoint whose tree holds entry ``index`` (size > index), None if none does."""
        return self._one_checkpoint(
            "SELECT size, root, note FROM ledger_checkpoint WHERE log_id = ? AND size > ? ORDER BY size LIMIT 1",
            (log_id, index),
        )

    def checkpoints(self, log_id: int) -> list[StoredCheckpoint]:
        rows = self._all("SELECT size, root, note FROM ledger_checkpoint WHERE log_id = ? ORDER BY size", (log_id,))
        return [StoredCheckpoint(size, bytes(root), note) for size, root, note in rows]

    def _one_checkpoint(self, sql: str, params) -> StoredCheckpoint | None:
        rows = self._all(sql, params)
        return StoredCheckpoint(rows[0][0], bytes(rows[0][1]), rows[0][2]) if rows else None

    def entry_count(self, log_id: int) -> int:
        return self._all("SELECT COUNT(*) FROM ledger_entry WHERE log_id = ?", (log_id,))[0][0]

    def entries(self, log_id: int, begin: int, end: int) -> list[bytes]:
        rows = self._all(
            "SELECT data FROM ledger_entry WHERE log_id = ? AND idx >= ? AND idx < ? ORDER BY idx",
            (log_id, begin, end),
        )
        return [bytes(row[0]) for row in rows]

    def tile(self, log_id: int, level: int, index: int) -> bytes | None:
        rows = self._all(
            "SELECT hashes FROM ledger_tile WHERE log_id = ? AND level = ? AND idx = ?", (log_id, level, index)
        )
        return bytes(rows[0][0]) if rows else None

    def tiles(self, log_id: int, level: int, begin: int, end: int) -> list[bytes]:
        rows = self._all(
            "SELECT hashes FROM ledger_tile WHERE log_id = ? AND level = ? AND idx >= ? AND idx < ? ORDER BY idx",
            (log_id, level, begin, end),
        )
        return [bytes(row[0]) for row in rows]

    def tiles_by_id(self, log_id: int, keys: list[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        """Return the stored tiles ``{(level, index): hashes}`` among ``keys``, in one query.

        One primary-key lookup per tile, joined with ``UNION ALL``: given ``(level = ? AND idx = ?) OR …``
        instead, SQLite's planner reads every tile of the log once there are four keys or more.
        """
        if not keys:
            return {}
        one = "SELECT level, idx, hashes FROM ledger_tile WHERE log_id = ? AND level = ? AND idx = ?"
        params = tuple(value for level, index in keys for value in (log_id, level, index))
        rows = self._all(" UNION ALL ".join([one] * len(keys)), params)
        return {(level, index): bytes(hashes) for level, index, hashes in rows}

    def publications(self, log_id: int) -> list[tuple[int, str]]:
        return self._all("SELECT size, note FROM ledger_publication WHERE log_id = ? ORDER BY size", (log_id,))

    def latest_publication(self, log_id: int) -> tuple[int, str] | None:
        rows = self._all(
            "SELECT size, note FROM ledger_publication WHERE log_id = ? ORDER BY size DESC LIMIT 1", (log_id,)
        )
        return tuple(rows[0]) if rows else None

    def publication(self, log_id: int, size: int) -> str | None:
        rows = self._all("SELECT note FROM ledger_publication WHERE log_id = ? AND size = ?", (log_id, size))
        return rows[0][0] if rows else None

    def timestamp(self, log_id: int, size: int) -> StoredTimestamp | None:
        return self._one_timestamp(
            "SELECT size, token, tsa_url, gen_time FROM ledger_timestamp WHERE log_id = ? AND size = ?", (log_id, size)
        )

    def timestamps(self, log_id: int) -> list[StoredTimestamp]:
        rows = self._all(
            "SELECT size, token, tsa_url, gen_time FROM ledger_timestamp WHERE log_id = ? ORDER BY size", (log_id,)
        )
        return [StoredTimestamp(size, bytes(token), tsa_url, gen_time) for size, token, tsa_url, gen_time in rows]

    def latest_timestamp(self, log_id: int) -> StoredTimestamp | None:
        return self._one_timestamp(
            "SELECT size, token, tsa_url, gen_time FROM ledger_timestamp WHERE log_id = ? ORDER BY size DESC LIMIT 1",
            (log_id,),
        )

    def _one_timestamp(self, sql: str, params) -> StoredTimestamp | None:
        rows = self._all(sql, params)
        if not rows:
            return None
        size, token, tsa_url, gen_time = rows[0]
        return StoredTimestamp(size, bytes(token), tsa_url, gen_time)

    def _all(self, sql: str, params) -> list:
        # PostgreSQL: binary results, so tiles (16 KiB of hashes) arrive as bytes, not hex text to decode.
        cur = self.conn.cursor(binary=True) if self.vendor == "postgresql" else self.conn.cursor()
        cur.execute(self._sql(sql), params)
        return cur.fetchall()  # autocommit on both databases: a read holds no snapshot

    # -- writes ------------------------------------------------------------------------------------

    def append(
        self,
        cur,
        *,
        log_id: int,
        start: int,
        entries: Sequence[bytes],
        tiles: Iterable[tuple[int, int, bytes]],
        checkpoint: StoredCheckpoint,
        rows: Sequence[SideRow | None] = (),
    ) -> None:
        """Write a batch inside the caller's transaction ``cur`` (see :meth:`transaction`).

        ``rows[i]``, if given and not None, is the side row of entry ``i``.
        """
        entry_rows = ((log_id, start + i, data) for i, data in enumerate(entries))
        tile_rows = [(log_id, level, index, hashes) for level, index, hashes in tiles]
        if self.vendor == "postgresql":
            self._copy(cur, "ledger_entry (log_id, idx, data)", ("int8", "int8", "bytea"), entry_rows)
            if tile_rows:
                tile_types = ("int8", "int2", "int8", "bytea")
                self._copy(cur, "ledger_tile (log_id, level, idx, hashes)", tile_types, tile_rows)
        else:
            cur.executemany("INSERT INTO ledger_entry (log_id, idx, data) VALUES (?, ?, ?)", entry_rows)
            if tile_rows:
                cur.executemany("INSERT INTO ledger_tile (log_id, level, idx, hashes) VALUES (?, ?, ?, ?)", tile_rows)
        self._insert_side_rows(cur, start, checkpoint.size, rows)
        cur.execute(
            self._sql("INSERT INTO ledger_checkpoint (log_id, size, root, note) VALUES (?, ?, ?, ?)"),
            (log_id, checkpoint.size, checkpoint.root, checkpoint.note),
        )

    @staticmethod
    def _copy(cur, target: str, types: Sequence[str], rows: Iterable[tuple]) -> None:
        """PostgreSQL: send ``rows`` into ``target`` (``table (columns)``) with one binary ``COPY``."""
        with cur.copy(f"COPY {target} FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)

    def unmet(self, cur, rows: Sequence[SideRow | None]) -> dict[int, str]:
        """The offsets of ``rows`` whose requirement does not hold now, in the transaction ``cur``, with why."""
        verdicts: dict[tuple[str, tuple], bool] = {}
        unmet = {}
        for offset, row in enumerate(rows):
            if row is None or row.require is None:
                continue
            key = (row.require.sql, row.require.params)
            if key not in verdicts:
                cur.execute(self._sql(row.require.sql), row.require.params)
                verdicts[key] = cur.fetchone() is not None
            if not verdicts[key]:
                unmet[offset] = row.require.refusal
        return unmet

    def _insert_side_rows(self, cur, start: int, checkpoint_size: int, rows: Sequence[SideRow | None]) -> None:
        groups: dict[tuple[str, tuple[str, ...]], list[tuple]] = {}
        for offset, row in enumerate(rows):
            if row is not None:
                values = row.filled(index=start + offset, checkpoint_size=checkpoint_size)
                groups.setdefault((row.table, row.columns), []).append(values)
        for (table, columns), values in groups.items():
            names = ", ".join(f'"{column}"' for column in columns)
            marks = ", ".join("?" * len(columns))
            cur.executemany(self._sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks})'), values)  # noqa: S608

    def publish(self, *, log_id: int, size: int, note: str) -> None:
        with self.transaction() as cur:
            cur.execute(
                self._sql("INSERT INTO ledger_publication (log_id, size, note) VALUES (?, ?, ?)"),
                (log_id, size, note),
            )

    def add_timestamp(self, *, log_id: int, size: int, token: bytes, tsa_url: str, gen_time: str) -> None:
        """Store the time-stamp token of the checkpoint of ``size`` (which must exist); one per size, never replaced."""
        with self.transaction() as cur:
            cur.execute(
                self._sql(
                    "INSERT INTO ledger_timestamp (log_id, size, token, tsa_url, gen_time) VALUES (?, ?, ?, ?, ?)"
                ),
                (log_id, size, token, tsa_url, gen_time),
            )

    def latest_checkpoint_for_update(self, cur, log_id: int) -> StoredCheckpoint | None:
        """Return the log's latest checkpoint inside a write transaction, locking out other writers."""
        if self.vendor == "postgresql":
            # A statement of its own: under READ COMMITTED the next one sees what the lock's last holder committed.
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (0x4C4544474552 ^ log_id,))
        cur.execute(
            self._sql("SELECT size, root, note FROM ledger_checkpoint WHERE log_id = ? ORDER BY size DESC LIMIT 1"),
            (log_id,),
        )
        row = cur.fetchone()
        return StoredCheckpoint(row[0], bytes(row[1]), row[2]) if row else None


class _Transaction:
    """``with store.transaction() as cur:`` — commit on success, roll back on any exception."""

    def __init__(self, store: SqlStore):
        self.store = store

    def __enter__(self):
        conn = self.store.conn
        conn.execute("BEGIN IMMEDIATE" if self.store.vendor == "sqlite" else "BEGIN")
        return conn.cursor()

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.store.conn.commit()
        else:
            self.store.conn.rollback()
        return False


def _sqlite_connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit is on disk before the append is acknowledged, even across a power failure.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn
