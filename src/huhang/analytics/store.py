"""The analytical store: one DuckDB file holding the patents, their IPC codes and applicants, the reference
tables and what is derived from them (classification results, search tokens).

The caller chooses the file (the platform uses ``HUHANG_DATA_DIR/analytics/patents.duckdb``); the core only
takes a path. Loading is idempotent by ``id``: a record loaded again replaces the earlier one, in the same
transaction, so reloading a file updates and never duplicates. A load is all or nothing: when a line is
malformed nothing is written and :class:`~huhang.analytics.errors.LoadError` lists every problem, unless the
caller asked to skip bad lines (``skip_bad=True``), in which case the good lines are loaded and the bad
ones reported.

Tables (see docs/analytics.md for every column)::

    patents            one row per patent id
    patent_ipc         its IPC codes, normalised (H04W4/12), with level, subclass and main group
    patent_applicant   its applicants as published, with a grouping key
    ref_*              reference tables (huhang.analytics.reference)
    hv_*               high-value classification results (huhang.analytics.high_value)
    search_tokens      tokens of each patent's text for the lexical index (huhang.analytics.search)
    meta               versions: data_version grows with every load that changed something
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from huhang.analytics.errors import LoadError, Problem, StoreError
from huhang.analytics.records import Row, parse_record, read_jsonl

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while loading (bytes of the input files, or records)."""

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS patents (
        id VARCHAR NOT NULL, title VARCHAR, abstract VARCHAR, claims VARCHAR, pub_number VARCHAR,
        country VARCHAR, lang VARCHAR, kind VARCHAR, app_date DATE, pub_date DATE, priority_date DATE,
        grant_date DATE, lapse_date DATE, legal_status VARCHAR, region VARCHAR, family_offices VARCHAR[],
        family_foreign VARCHAR[], family_foreign_granted VARCHAR[], pledge_amount DOUBLE, awards VARCHAR[],
        national_awards VARCHAR[], extra JSON, source VARCHAR, line INTEGER, loaded_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS patent_ipc (
        patent_id VARCHAR NOT NULL, seq INTEGER NOT NULL, code VARCHAR NOT NULL, level VARCHAR NOT NULL,
        section VARCHAR NOT NULL, class VARCHAR, subclass VARCHAR, main_group VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS patent_applicant (
        patent_id VARCHAR NOT NULL, seq INTEGER NOT NULL, name VARCHAR NOT NULL, name_key VARCHAR NOT NULL)""",
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR NOT NULL, value VARCHAR)",
)
_STAGED_COLUMNS = {
    "id": "VARCHAR",
    "title": "VARCHAR",
    "abstract": "VARCHAR",
    "claims": "VARCHAR",
    "ipc": "VARCHAR[]",
    "applicants": "VARCHAR[]",
    "app_date": "DATE",
    "pub_date": "DATE",
    "priority_date": "DATE",
    "grant_date": "DATE",
    "lapse_date": "DATE",
    "pub_number": "VARCHAR",
    "country": "VARCHAR",
    "lang": "VARCHAR",
    "kind": "VARCHAR",
    "legal_status": "VARCHAR",
    "region": "VARCHAR",
    "family_offices": "VARCHAR[]",
    "family_foreign": "VARCHAR[]",
    "family_foreign_granted": "VARCHAR[]",
    "pledge_amount": "DOUBLE",
    "awards": "VARCHAR[]",
    "national_awards": "VARCHAR[]",
    "extra": "JSON",
    "source": "VARCHAR",
    "line": "INTEGER",
}
_PATENT_COLUMNS = [name for name in _STAGED_COLUMNS if name not in ("ipc", "applicants")]
_IPC_LEVEL_SQL = """CASE WHEN length(code) = 1 THEN 'section' WHEN length(code) = 3 THEN 'class'
    WHEN length(code) = 4 THEN 'subclass' WHEN code LIKE '%/00' THEN 'main_group' ELSE 'subgroup' END"""


def name_key_sql(value: str) -> str:
    """SQL for the grouping key of the applicant name ``value`` (a column, or ``?`` for a parameter).

    Applicants group on a key that ignores case, spacing and punctuation, and the common company-form variants
    of English names (Corp./Corporation, Inc., Co., Ltd.); navigation, the risk report and the PostgreSQL
    queries compute the key of a name they are given with this same expression.
    """
    return rf"""trim(regexp_replace(regexp_replace(regexp_replace(lower({value}),
    '[\s\.,;:·•()（）\[\]"''“”]+', ' ', 'g'),
    ' (corporation|corp|incorporated|inc|company|co|limited|ltd|llc|gmbh|ag|sa|plc|kk)\b', '', 'g'),
    '\s+', ' ', 'g'))"""


@dataclass
class LoadReport:
    """What a load did: lines read, records inserted and updated, lines skipped, and what to look at."""

    lines: int = 0
    inserted: int = 0  # ids new to the store
    updated: int = 0  # ids the store had before this load, replaced
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    unknown_ipc: list[Problem] = field(default_factory=list)
    unknown_ipc_codes: dict[str, int] = field(default_factory=dict)
    duplicates: list[Problem] = field(default_factory=list)
    ipc_checked: bool = False

    @property
    def loaded(self) -> int:
        """Records written (inserted or updated)."""
        return self.inserted + self.updated


class PatentStore:
    """A DuckDB analytical store at ``path`` (created with its tables when absent).

    Use it as a context manager, or call :meth:`close`. ``read_only=True`` opens an existing file for
    queries only, which lets several readers share it while no process writes.
    """

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False) -> None:
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise StoreError(f"no analytical store at {self.path}: load patents first")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(self.path), read_only=read_only)
        if not read_only:
            for statement in _SCHEMA:
                self.con.execute(statement)

    def __enter__(self) -> PatentStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (the file stays)."""
        self.con.close()

    # ------------------------------------------------------------------ helpers for the other modules

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one read query and return its rows."""
        return self.con.execute(sql, params or []).fetchall()

    def query_dicts(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run one read query and return its rows as dicts keyed by column name."""
        cursor = self.con.execute(sql, params or [])
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def table_exists(self, name: str) -> bool:
        """Return whether the store has a table called ``name``."""
        rows = self.query("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name])
        return bool(rows[0][0])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Run a block in one transaction: committed at the end, rolled back on any exception."""
        self.con.begin()
        try:
            yield
        except BaseException:
            self.con.rollback()
            raise
        self.con.commit()

    def meta(self, key: str) -> str | None:
        """Return a value of the ``meta`` table, or None."""
        rows = self.query("SELECT value FROM meta WHERE key = ?", [key])
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the ``meta`` table."""
        self.con.execute("DELETE FROM meta WHERE key = ?", [key])
        self.con.execute("INSERT INTO meta VALUES (?, ?)", [key, value])

    @property
    def data_version(self) -> int:
        """A number that grows with every load that changed the patents (derived data compare to it)."""
        return int(self.meta("data_version") or 0)

    def count(self) -> int:
        """Return the number of patents."""
        return self.query("SELECT count(*) FROM patents")[0][0]

    def has_reference(self) -> bool:
        """Return whether the classification reference tables are loaded."""
        return self.table_exists("ref_ipc") and self.table_exists("ref_sei_concordance")

    def get(self, patent_id: str) -> dict[str, Any] | None:
        """Return one patent with its IPC codes and applicants, or None."""
        rows = self.query_dicts("SELECT * FROM patents WHERE id = ?", [patent_id])
        if not rows:
            return None
        record = rows[0]
        record["ipc"] = [
            r[0] for r in self.query("SELECT code FROM patent_ipc WHERE patent_id = ? ORDER BY seq", [patent_id])
        ]
        record["applicants"] = [
            r[0] for r in self.query("SELECT name FROM patent_applicant WHERE patent_id = ? ORDER BY seq", [patent_id])
        ]
        return record

    # ------------------------------------------------------------------ loading

    def load_files(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        skip_bad: bool = False,
        progress: Progress | None = None,
        batch_size: int = 10_000,
    ) -> LoadReport:
        """Load JSON-lines files in the shared schema; see the module docstring for the rules."""
        paths = [Path(p) for p in paths]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise StoreError(f"no such file: {', '.join(missing)}")
        total = sum(p.stat().st_size for p in paths)
        offset = 0

        def rows() -> Iterator[tuple[Row | None, list[Problem]]]:
            nonlocal offset
            for path in paths:
                for _line, read, parsed in read_jsonl(str(path), source=str(path)):
                    yield parsed.row, parsed.problems
                    if progress is not None:
                        progress(offset + read, total)
                offset += path.stat().st_size

        return self._load(
            rows(), skip_bad=skip_bad, batch_size=batch_size, progress_end=lambda: progress and progress(total, total)
        )

    def load_records(
        self,
        records: Iterable[dict[str, Any]],
        *,
        source: str = "registry",
        skip_bad: bool = False,
        progress: Progress | None = None,
        total: int = 0,
        batch_size: int = 10_000,
    ) -> LoadReport:
        """Load records given as dicts in the shared schema (e.g. converted from the registry).

        A record's position (1-based) stands in for the line number in problems.
        """

        def rows() -> Iterator[tuple[Row | None, list[Problem]]]:
            for number, record in enumerate(records, start=1):
                parsed = parse_record(record, source=source, line=number)
                yield parsed.row, parsed.problems
                if progress is not None:
                    progress(number, max(total, number))

        return self._load(rows(), skip_bad=skip_bad, batch_size=batch_size, progress_end=None)

    def _load(self, rows, *, skip_bad: bool, batch_size: int, progress_end) -> LoadReport:
        report = LoadReport(ipc_checked=self.has_reference())
        seen: dict[str, tuple[str, int]] = {}
        batch: dict[str, Row] = {}
        with tempfile.TemporaryDirectory(prefix="load-", dir=self.path.parent) as work, self.transaction():
            self.con.execute("CREATE OR REPLACE TEMP TABLE loaded_ids (id VARCHAR)")
            for row, problems in rows:
                report.lines += 1
                if row is None:
                    report.problems += problems
                    report.skipped += 1
                    continue
                earlier = seen.get(row.id)
                if earlier is not None:
                    report.duplicates.append(
                        Problem(
                            row.source,
                            row.line,
                            "id",
                            f"{row.id} repeats {earlier[0]}:{earlier[1]}; the later one is kept",
                        )
                    )
                seen[row.id] = (row.source, row.line)
                if report.problems and not skip_bad:
                    continue  # keep validating, to report every problem, but write nothing
                batch.pop(row.id, None)
                batch[row.id] = row
                if len(batch) >= batch_size:
                    self._write(batch.values(), Path(work), report)
                    batch.clear()
            if report.problems and not skip_bad:
                raise LoadError(report.problems)
            if batch:
                self._write(batch.values(), Path(work), report)
            if report.loaded:
                self.set_meta("data_version", str(self.data_version + 1))
            if report.ipc_checked:
                self._report_unknown_ipc(report)
        if progress_end is not None:
            progress_end()
        return report

    def _write(self, rows: Iterable[Row], work: Path, report: LoadReport) -> None:
        staged = work / "batch.jsonl"
        with staged.open("w", encoding="utf-8") as file:
            for row in rows:
                file.write(row.as_json())
                file.write("\n")
        columns = ", ".join(f"'{name}': '{kind}'" for name, kind in _STAGED_COLUMNS.items())
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE staged AS SELECT * FROM read_json(?, format = 'newline_delimited', "  # noqa: S608
            f"columns = {{{columns}}}, maximum_object_size = 1073741824)",
            [str(staged)],
        )
        # Updated: in the store before this load. A repeat within the load is reported as a duplicate instead.
        staged_count, repeats, existing = self.query(
            """SELECT count(*), count(*) FILTER (WHERE id IN (SELECT id FROM loaded_ids)),
                      count(*) FILTER (WHERE id NOT IN (SELECT id FROM loaded_ids) AND id IN (SELECT id FROM patents))
            FROM staged"""
        )[0]
        for table, key in (("patents", "id"), ("patent_ipc", "patent_id"), ("patent_applicant", "patent_id")):
            self.con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT id FROM staged)")  # noqa: S608
        names = ", ".join(_PATENT_COLUMNS)
        self.con.execute(f"INSERT INTO patents ({names}, loaded_at) SELECT {names}, now() FROM staged")  # noqa: S608
        self.con.execute(
            f"""INSERT INTO patent_ipc
            SELECT patent_id, seq, code, {_IPC_LEVEL_SQL}, left(code, 1),
                   CASE WHEN length(code) >= 3 THEN left(code, 3) END,
                   CASE WHEN length(code) >= 4 THEN left(code, 4) END,
                   CASE WHEN contains(code, '/') THEN split_part(code, '/', 1) || '/00' END
            FROM (SELECT id AS patent_id, unnest(ipc) AS code, generate_subscripts(ipc, 1) AS seq FROM staged)"""  # noqa: S608
        )
        self.con.execute(
            f"""INSERT INTO patent_applicant
            SELECT patent_id, seq, name, {name_key_sql("name")}
            FROM (SELECT id AS patent_id, unnest(applicants) AS name, generate_subscripts(applicants, 1) AS seq
                  FROM staged)"""  # noqa: S608
        )
        self.con.execute("INSERT INTO loaded_ids SELECT id FROM staged")
        report.updated += existing
        report.inserted += staged_count - existing - repeats

    def _report_unknown_ipc(self, report: LoadReport) -> None:
        rows = self.query(
            """SELECT p.source, p.line, p.id, i.code FROM patent_ipc i JOIN patents p ON p.id = i.patent_id
            WHERE i.patent_id IN (SELECT id FROM loaded_ids)
              AND i.code NOT IN (SELECT code FROM ref_ipc)
            ORDER BY p.source, p.line, i.seq"""
        )
        for source, line, patent_id, code in rows:
            report.unknown_ipc.append(Problem(source, line, "ipc", f"{code} ({patent_id}) is in neither IPC table"))
            report.unknown_ipc_codes[code] = report.unknown_ipc_codes.get(code, 0) + 1
