"""Ledger benchmarks: durable appends, signed receipts, proofs, verification and storage of the evidence log.

Every figure is measured on the database of the run: SQLite files in the throw-away data directory (WAL,
``synchronous=FULL``, as :class:`~huhang.ledger.store.SqlStore` opens them), or the PostgreSQL of
DATABASE_URL (the benchmark's logs in a schema of their own, ``huhang_bench_ledger``). Every checkpoint is
signed with a real Ed25519 key. Entries are 32 random bytes, or evidence leaves as the platform writes them
(``huhang.evidence.leaf.evidence_leaf``, about 420 B). The references are measured in the same run, on the
same entries: the raw speed of SHA-256 through ``hashlib`` (the hashing a Merkle log cannot avoid: the limit)
and the PyPI package ``pymerkle`` (version 7: ``InmemoryTree`` and ``SqliteTree``).

1. ``append``: ``Log.append`` in batches of 1,000 and 10,000 (each call: entries, tiles and a signed
   checkpoint committed in one transaction; on PostgreSQL the rows go in with binary ``COPY``), against the
   SHA-256 limit (one leaf and one interior hash per entry), a raw ``executemany`` INSERT of the same rows,
   pymerkle's ``SqliteTree.append_entries`` (+ ``get_root``, the tree head our checkpoint carries) and
   ``InmemoryTree.append_entry``.
2. ``sequencer``: ``Sequencer.append`` (submit, then wait for the signed receipt) from 1, 16 and 128
   producer threads, with the default ``max_delay`` (0) and with 2 ms: appends/s and the latency from submission
   to the receipt (p50/p99); ``append_many``; the same latency at fixed offered rates (open loop); against a
   bare one-row durable commit measured just before, and pymerkle's ``SqliteTree.append_entry``.
3. ``proofs``: logs of 1,000,000 and 10,000,000 entries (kept in the system temporary directory and reused
   with ``--keep``): build speed, time to reopen (rebuild of the right edge), inclusion and consistency
   proofs at random indices and sizes on a freshly opened log (median/p99 µs, wall and CPU time), their
   verification against the SHA-256 limit of the hashes it computes, bytes stored per entry; pymerkle's
   proofs, verification and storage at 1,000,000 entries.
4. ``receipts``: receipts of a log of evidence leaves, made (proof + ``build_receipt``) and verified
   (``verify_receipt``), against raw Ed25519 verification plus the hashes.
5. ``http``: ``POST /api/v1/evidence/hashes/`` through ``huhang serve`` (granian) in a subprocess, with one
   web process and with ``--workers 2`` and ``3`` (web processes that hand their appends to the parent, the
   log's one writer), driven by ``wrk`` (a load generator written in C, Debian's package ``wrk``) over 8, 32
   and 64 keep-alive connections for a fixed time, each request a new hash; without ``wrk``, by Python
   threads over ``http.client`` for a fixed number of requests. Receipts/s, latency p50/p99, the CPU time per
   receipt of the server's processes (web and writer apart) and of the load generator, and a check that the
   evidence rows written match the receipts answered. The reference, in the same run: the same server
   (granian, same processes) answering every POST with a fixed body of a receipt's size, driven the same way
   (the limit of HTTP alone). Skipped, with a message, while the endpoint is missing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import http.client
import inspect
import io
import json
import os
import random
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from benchmarks.harness import Result, say
from huhang.ledger import hash_leaf, new_verifier, open_note, sign_note, verify_consistency, verify_inclusion
from huhang.ledger.log import Hasher, Log
from huhang.ledger.note import generate_key, new_signer
from huhang.ledger.sequencer import Sequencer
from huhang.ledger.store import SqlStore
from huhang.ledger.suites import Suite, get_suite

BENCHMARKS = ("append", "sequencer", "proofs", "receipts", "http")
ENTRY_BYTES = 32
SUITE = "sha256-ed25519"
ORIGIN = "bench.huhang.example"
PG_SCHEMA = "huhang_bench_ledger"
HTTP_PATH = "/api/v1/evidence/hashes/"
HTTP_THREADS = 32  # threads of each web process: enough requests waiting together to fill the batches
RUN_ID = time.strftime("%Y%m%d%H%M%S")


def run(*, quick: bool, work_dir: Path, only: str | None = None, keep: bool = False) -> list[Result]:
    """Run the ledger benchmarks (or ``only`` the one so named); ``quick`` uses small sizes to check that
    everything works; ``keep`` keeps the largest log for the next run (and reuses one kept before)."""
    db = Database.from_environment(work_dir)
    say(f"ledger benchmarks on {db.vendor}")
    load_before = os.getloadavg()
    results: list[Result] = []
    if only in (None, "append"):
        results += append_benchmark(db, total=20_000 if quick else 200_000, work_dir=work_dir)
    if only in (None, "sequencer"):
        results += sequencer_benchmark(
            db,
            threads=(1, 8) if quick else (1, 16, 128),
            seconds=1.0 if quick else 8.0,
            rates=(2_000,) if quick else (2_000, 20_000),
            work_dir=work_dir,
        )
    if only in (None, "proofs"):
        sizes = (10_000, 100_000) if quick else (1_000_000, 10_000_000)
        results += proofs_benchmark(
            db, sizes=sizes, samples=300 if quick else 2_000, pymerkle_size=sizes[0], keep=keep, work_dir=work_dir
        )
    if only in (None, "receipts"):
        results += receipts_benchmark(db, entries=5_000 if quick else 100_000, samples=300 if quick else 2_000)
    if only in (None, "http"):
        results += http_benchmark(
            work_dir,
            configurations=((1, (8,)), (2, (32,))) if quick else ((1, (8, 32, 64)), (2, (32, 64)), (3, (64,))),
            seconds=3 if quick else 15,
            requests=300 if quick else 3_000,
            cap=5 if quick else 90,
            timeout=10 if quick else 120,
        )
    load_after = os.getloadavg()
    results.append(
        Result(
            "load of the 2-core machine (other work shares it)",
            f"load average over 1/5/15 min: {'/'.join(f'{x:.1f}' for x in load_before)} at the start, "
            f"{'/'.join(f'{x:.1f}' for x in load_after)} at the end",
            "—",
            "—",
        )
    )
    return results


# ------------------------------------------------------------------------------------------ storage


@dataclass
class Database:
    """Where the benchmark logs live: a SQLite file each, or one PostgreSQL schema for all."""

    vendor: str
    work_dir: Path
    pg_url: str = ""

    @classmethod
    def from_environment(cls, work_dir: Path) -> Database:
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://", "pgsql://")):
            separator = "&" if "?" in url else "?"
            # The platform's own tables stay untouched: another schema, first on the search path.
            pg_url = f"{url}{separator}options={quote(f'-c search_path={PG_SCHEMA}')}"
            store = SqlStore(url)
            with store.transaction() as cur:
                cur.execute(f"CREATE SCHEMA IF NOT EXISTS {PG_SCHEMA}")
            store.close()
            return cls("postgresql", work_dir, pg_url)
        return cls("sqlite", work_dir / "ledger")

    def url(self, name: str, directory: Path | None = None) -> str:
        if self.vendor == "postgresql":
            return self.pg_url
        directory = directory or self.work_dir
        directory.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{directory / name}.sqlite3"

    def path(self, name: str, directory: Path | None = None) -> Path:
        return (directory or self.work_dir) / f"{name}.sqlite3"

    def store(self, name: str, directory: Path | None = None) -> SqlStore:
        store = SqlStore(self.url(name, directory))
        store.create_schema()
        return store

    def bytes_used(self, store: SqlStore) -> tuple[int, dict[str, int]]:
        """Return the bytes the ledger tables take (SQLite: the whole file, after a WAL checkpoint)."""
        cur = store.conn.cursor()
        if self.vendor == "sqlite":
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cur.execute("PRAGMA page_count")
            pages = cur.fetchone()[0]
            cur.execute("PRAGMA page_size")
            total = pages * cur.fetchone()[0]
            try:
                cur.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
                parts = {name: size for name, size in cur.fetchall()}
            except sqlite3.DatabaseError:
                parts = {}
            return total, parts
        parts = {}
        for table in ("ledger_entry", "ledger_tile", "ledger_checkpoint"):
            cur.execute("SELECT pg_total_relation_size(%s)", (f"{PG_SCHEMA}.{table}",))
            parts[table] = cur.fetchone()[0]
        store.conn.rollback()
        return sum(parts.values()), parts


@dataclass
class BenchLog:
    log: Log
    verifier_key: str

    @property
    def store(self) -> SqlStore:
        return self.log.store


def new_log(db: Database, name: str, directory: Path | None = None, *, origin: str | None = None) -> BenchLog:
    """Create a log with a fresh Ed25519 key, signing every checkpoint as the platform does."""
    store = db.store(name, directory)
    origin = origin or f"{ORIGIN}/{name}-{RUN_ID}"
    signer_key, verifier_key = generate_key(origin, suite=SUITE)
    signer = new_signer(signer_key)
    record = store.create_log(origin=origin, suite=SUITE, verifier_key=verifier_key)
    log = Log(store, record, Hasher.for_suite(SUITE), lambda body: sign_note(body, [signer]))
    return BenchLog(log, verifier_key)


def reopen_log(db: Database, name: str, directory: Path | None = None, *, origin: str) -> BenchLog | None:
    """Open an existing log read-only (its checkpoints stay verifiable; it signs nothing more)."""
    store = db.store(name, directory)
    if store.find_log(origin) is None:
        store.close()
        return None
    return read_only_log(store, origin)


def read_only_log(store: SqlStore, origin: str) -> BenchLog:
    record = store.find_log(origin)

    def no_signing(body: str) -> str:
        raise RuntimeError("a reopened benchmark log is read-only")

    return BenchLog(Log(store, record, Hasher.for_suite(record.suite), no_signing), record.verifier_key)


def entry_batches(count: int, batch: int, seed: str) -> Iterator[list[bytes]]:
    """Yield ``count`` random entries of ENTRY_BYTES in lists of ``batch``."""
    rnd = random.Random(seed)
    for start in range(0, count, batch):
        n = min(batch, count - start)
        blob = rnd.randbytes(n * ENTRY_BYTES)
        yield [blob[i : i + ENTRY_BYTES] for i in range(0, len(blob), ENTRY_BYTES)]


def evidence_leaves(count: int, seed: str) -> list[bytes]:
    """Return ``count`` canonical evidence leaves (hash-only mode) as the platform appends them, about 420 B."""
    import datetime as dt
    import uuid

    from huhang.evidence.leaf import evidence_leaf

    rnd = random.Random(seed)
    moment = dt.datetime(2026, 11, 21, 6, 0, tzinfo=dt.UTC)
    return [
        evidence_leaf(
            id=str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
            holder_name=f"武汉光谷{rnd.choice('星辰华中长江东湖')}光电科技有限公司",
            holder_id=f"91420100MA4K{rnd.randrange(10**6):06d}",
            kind=rnd.choice(("document", "image", "contract", "source_code")),
            title=f"产品外观设计图纸（第{rnd.randrange(1, 100)}版）",
            description="",
            submitted_by=f"user/{rnd.randrange(1, 500)}",
            time=moment + dt.timedelta(seconds=i),
            mode="hash",
            sha256=rnd.randbytes(32).hex(),
            size=None,
            media_type=None,
        )
        for i in range(count)
    ]


# ------------------------------------------------------------------------------------------ references


@dataclass(frozen=True)
class Sha256Limit:
    """Raw ``hashlib`` SHA-256 speed on the shapes a Merkle log hashes: leaves and interior nodes."""

    leaf_ns: float
    node_ns: float

    @classmethod
    def measure(cls, entries: list[bytes], chunk: int = 2_000, rounds: int = 5) -> Sha256Limit:
        """Time ``hashlib`` on chunks of ``entries``; keep the fastest chunk (the machine is shared)."""
        sha256 = hashlib.sha256
        hashes = [sha256(b"\x00" + e).digest() for e in entries]
        pairs = list(zip(hashes[0::2], hashes[1::2], strict=False))
        best_leaf = best_node = float("inf")
        for _ in range(rounds):
            for start in range(0, len(entries) - chunk + 1, chunk):
                part = entries[start : start + chunk]
                started = time.perf_counter_ns()
                for e in part:
                    sha256(b"\x00" + e).digest()
                best_leaf = min(best_leaf, (time.perf_counter_ns() - started) / chunk)
            for start in range(0, len(pairs) - chunk + 1, chunk):
                part = pairs[start : start + chunk]
                started = time.perf_counter_ns()
                for left, right in part:
                    sha256(b"\x01" + left + right).digest()
                best_node = min(best_node, (time.perf_counter_ns() - started) / chunk)
        return cls(best_leaf, best_node)

    @property
    def appends_per_second(self) -> float:
        """A tree of n leaves has n - 1 interior nodes: one leaf and one node hash per entry."""
        return 1e9 / (self.leaf_ns + self.node_ns)

    def describe(self) -> str:
        return (
            f"SHA-256 limit (`hashlib`, leaf {self.leaf_ns:.0f} ns + interior node {self.node_ns:.0f} ns "
            f"per entry): {self.appends_per_second:,.0f} entries/s"
        )


def raw_insert_rate(db: Database, batches: list[list[bytes]]) -> float:
    """Entries/s of a bare ``executemany`` INSERT of (log_id, idx, data), one durable commit per batch."""
    store = db.store("raw-insert")
    try:
        with store.transaction() as cur:
            blob = "BLOB" if db.vendor == "sqlite" else "BYTEA"
            cur.execute(
                "CREATE TABLE IF NOT EXISTS bench_raw (k BIGINT NOT NULL, idx BIGINT NOT NULL, "
                f"data {blob} NOT NULL, PRIMARY KEY (k, idx))"
            )
        key = int(time.time() * 1000) % 1_000_000_007
        sql = store._sql("INSERT INTO bench_raw (k, idx, data) VALUES (?, ?, ?)")
        start, count = 0, 0
        started = time.perf_counter()
        for batch in batches:
            with store.transaction() as cur:
                cur.executemany(sql, [(key, start + i, data) for i, data in enumerate(batch)])
            start += len(batch)
            count += len(batch)
        return count / (time.perf_counter() - started)
    finally:
        store.close()


def bare_commit_ms(db: Database, times: int) -> list[float]:
    """Milliseconds of a one-row INSERT + COMMIT each (the floor of any durable acknowledgement)."""
    store = db.store("bare-commit")
    try:
        with store.transaction() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS bench_commit (k BIGINT NOT NULL, idx BIGINT NOT NULL, PRIMARY KEY (k, idx))"
            )
        key = int(time.time() * 1000) % 1_000_000_007
        sql = store._sql("INSERT INTO bench_commit (k, idx) VALUES (?, ?)")
        samples = []
        for i in range(times):
            started = time.perf_counter()
            with store.transaction() as cur:
                cur.execute(sql, (key, i))
            samples.append((time.perf_counter() - started) * 1000)
        return samples
    finally:
        store.close()


def pymerkle_module():
    try:
        import pymerkle
    except ImportError:
        say("pymerkle is not installed (it is a dev dependency: `uv sync`): its references are skipped")
        return None
    return pymerkle


def pymerkle_sqlite(path: Path):
    pymerkle = pymerkle_module()
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return pymerkle.SqliteTree(str(path))


# ------------------------------------------------------------------------------------------ 1. append


def append_benchmark(db: Database, *, total: int, work_dir: Path) -> list[Result]:
    """Durable appends in-process: ``Log.append`` in batches, against pymerkle, raw INSERT and SHA-256."""
    results = []
    pymerkle = pymerkle_module()
    random_entries = [e for batch in entry_batches(total, 10_000, "append") for e in batch]
    leaves = evidence_leaves(total // 4, "append-evidence")
    mean_leaf = statistics.mean(len(leaf) for leaf in leaves)
    limits = {
        "random": Sha256Limit.measure(random_entries[:100_000]),
        "evidence": Sha256Limit.measure(leaves[:50_000]),
    }
    cases = (
        (f"{ENTRY_BYTES} B random entries", random_entries, 1_000, "random"),
        (f"{ENTRY_BYTES} B random entries", random_entries, 10_000, "random"),
        (f"evidence leaves (canonical JSON, mean {mean_leaf:.0f} B)", leaves, 1_000, "evidence"),
    )
    for what, entries, batch, kind in cases:
        limit = limits[kind]
        batches = [entries[i : i + batch] for i in range(0, len(entries), batch)]
        bench = new_log(db, f"append-{kind}-{batch}")
        say(f"Log.append: {len(entries):,} {what} in batches of {batch:,}")
        started = time.perf_counter()
        for part in batches:
            bench.log.append(part)
        ours = len(entries) / (time.perf_counter() - started)
        bench.store.close()
        raw = raw_insert_rate(db, batches)
        results.append(
            Result(
                f"`Log.append`, batches of {batch:,}: {len(entries):,} {what} ({db.vendor})",
                f"{ours:,.0f} entries/s ({1e6 / ours:.1f} µs each)",
                limit.describe(),
                f"{ours / limit.appends_per_second:.2f} of the limit",
            )
        )
        results.append(
            Result(
                "",
                "",
                f"raw `executemany` INSERT of the same entry rows, one commit per batch: {raw:,.0f} rows/s",
                f"{ours / raw:.2f}× the raw rate",
            )
        )
        if pymerkle is None:
            continue
        say(f"pymerkle SqliteTree.append_entries + get_root: the same entries in batches of {batch:,}")
        tree = pymerkle_sqlite(work_dir / "pymerkle" / f"append-{kind}-{batch}.sqlite3")
        started = time.perf_counter()
        for part in batches:
            tree.append_entries(part)
            tree.get_root()
        theirs = len(entries) / (time.perf_counter() - started)
        tree.close()
        results.append(
            Result(
                "",
                "",
                f"pymerkle `SqliteTree.append_entries` + `get_root` per batch: {theirs:,.0f} entries/s "
                "(rollback journal, synchronous=FULL, no signature)",
                f"{ours / theirs:.2f}× pymerkle",
            )
        )
        if batch == 10_000:
            say(f"pymerkle InmemoryTree.append_entry × {len(entries):,}")
            tree = pymerkle.InmemoryTree()
            started = time.perf_counter()
            for data in entries:
                tree.append_entry(data)
            theirs = len(entries) / (time.perf_counter() - started)
            results.append(
                Result(
                    "",
                    "",
                    f"pymerkle `InmemoryTree.append_entry` (in memory, not durable): {theirs:,.0f} entries/s",
                    f"{ours / theirs:.2f}× pymerkle",
                )
            )
    return results


# ------------------------------------------------------------------------------------------ 2. sequencer


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def ms(value: float) -> str:
    return f"{value:.2f}" if value < 1 else f"{value:.1f}" if value < 10 else f"{value:.0f}"


def sequencer_benchmark(
    db: Database, *, threads: tuple[int, ...], seconds: float, rates: tuple[int, ...], work_dir: Path
) -> list[Result]:
    """Concurrent producers through the Sequencer: throughput and submission→signed-receipt latency."""
    results = []
    pool = evidence_leaves(20_000, "sequencer")
    what = f"evidence leaves of {statistics.mean(len(leaf) for leaf in pool):.0f} B"
    single_rate = None
    default_delay = inspect.signature(Sequencer).parameters["max_delay"].default
    for n in threads:
        for delay in sorted({default_delay, 0.002}):
            # The disk is shared: measure the floor of a durable commit right before each configuration.
            bare = bare_commit_ms(db, 200 if seconds >= 5 else 50)
            bench = new_log(db, f"sequencer-{n}-{delay}")
            say(f"Sequencer: {n} producer thread(s), submit + wait, max_delay={delay}, {seconds:.0f} s")
            rate, latencies, commits = closed_loop(bench.log, pool, producers=n, seconds=seconds, max_delay=delay)
            size = bench.log.size
            total, _ = db.bytes_used(bench.store) if db.vendor == "sqlite" else (0, {})
            bench.store.close()
            storage = f"; {total / size:,.0f} B stored per entry" if total else ""
            measured = (
                f"{rate:,.0f} appends/s; receipt latency p50 {ms(percentile(latencies, 50))} ms, "
                f"p99 {ms(percentile(latencies, 99))} ms; {size / commits:,.1f} entries per commit{storage}"
            )
            reference = (
                f"bare one-row INSERT + COMMIT just before: median {ms(statistics.median(bare))} ms, "
                f"p99 {ms(percentile(bare, 99))} ms"
            )
            ratio = f"p50 {percentile(latencies, 50) / statistics.median(bare):.1f}× a bare commit"
            if delay == default_delay:
                single_rate = rate if n == 1 else single_rate
                label = (
                    f"`Sequencer.append` (submit, wait for the signed receipt), {n} producer thread"
                    f"{'s' * (n > 1)}, {what}, default `max_delay` ({delay * 1000:g} ms)"
                )
                results.append(Result(label, measured, reference, ratio))
            else:
                results.append(Result("", f"with `max_delay={delay * 1000:g} ms`: {measured}", reference, ratio))
    bench = new_log(db, "sequencer-pipelined")
    say(f"Sequencer: 4 threads × append_many(1,000), {seconds:.0f} s")
    rate, latencies, commits = closed_loop(bench.log, pool, producers=4, seconds=seconds, window=1_000)
    size = bench.log.size
    bench.store.close()
    results.append(
        Result(
            f"`Sequencer.append_many` (1,000 entries per call), 4 producer threads, {what}",
            f"{rate:,.0f} appends/s; receipt of a call p50 {ms(percentile(latencies, 50))} ms, "
            f"p99 {ms(percentile(latencies, 99))} ms; {size / commits:,.0f} entries per commit",
            "—",
            "—",
        )
    )
    for offered in rates:
        bench = new_log(db, f"sequencer-rate-{offered}")
        say(f"Sequencer: open loop at {offered:,} submissions/s, {seconds:.0f} s")
        served, latencies = open_loop(bench.log, pool, rate=offered, seconds=seconds)
        bench.store.close()
        results.append(
            Result(
                f"submission → signed receipt, {what}, offered at {offered:,}/s (open loop, `Sequencer.submit`)",
                f"p50 {ms(percentile(latencies, 50))} ms, p99 {ms(percentile(latencies, 99))} ms, "
                f"max {ms(max(latencies))} ms ({served:,.0f} entries/s served)",
                "target: p99 ≤ 1 s",
                f"p99 = {percentile(latencies, 99) / 1000:.3f} of the target",
            )
        )
    pymerkle = pymerkle_module()
    if pymerkle is not None and single_rate is not None:
        say("pymerkle SqliteTree.append_entry, one entry per commit")
        tree = pymerkle_sqlite(work_dir / "pymerkle" / "single.sqlite3")
        samples = []
        deadline = time.perf_counter() + min(seconds, 5)
        for data in pool:
            started = time.perf_counter()
            tree.append_entry(data)
            samples.append((time.perf_counter() - started) * 1000)
            if started > deadline:
                break
        tree.close()
        theirs = 1000 / statistics.mean(samples)
        results.append(
            Result(
                "",
                "(1 producer thread, above)",
                f"pymerkle `SqliteTree.append_entry`, one entry per commit: {theirs:,.0f} appends/s, "
                f"median {ms(statistics.median(samples))} ms (no signature)",
                f"{single_rate / theirs:.2f}× pymerkle",
            )
        )
    return results


def closed_loop(
    log: Log, pool: list[bytes], *, producers: int, seconds: float, window: int = 1, max_delay: float | None = None
) -> tuple[float, list[float], int]:
    """``producers`` threads each append (``window`` entries of ``pool`` per call) and wait, until ``seconds`` pass.

    Return entries/s, each call's milliseconds and the number of commits.
    """
    before = len(log.store.checkpoints(log.record.id))
    latencies: list[list[float]] = [[] for _ in range(producers)]
    counts = [0] * producers
    start_gate = threading.Barrier(producers + 1)
    stop = threading.Event()
    options = {} if max_delay is None else {"max_delay": max_delay}
    with Sequencer(log, **options) as sequencer:

        def produce(slot: int) -> None:
            mine = latencies[slot]
            at = slot * 7919
            start_gate.wait()
            while not stop.is_set():
                entries = [pool[(at + i) % len(pool)] for i in range(window)]
                at += window
                started = time.perf_counter()
                if window == 1:
                    sequencer.append(entries[0])
                else:
                    sequencer.append_many(entries)
                mine.append((time.perf_counter() - started) * 1000)
                counts[slot] += window

        workers = [threading.Thread(target=produce, args=(i,), daemon=True) for i in range(producers)]
        for worker in workers:
            worker.start()
        start_gate.wait()
        started = time.perf_counter()
        time.sleep(seconds)
        stop.set()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - started
    commits = len(log.store.checkpoints(log.record.id)) - before
    return sum(counts) / elapsed, [x for mine in latencies for x in mine], commits


def open_loop(log: Log, pool: list[bytes], *, rate: int, seconds: float) -> tuple[float, list[float]]:
    """Submit entries of ``pool`` at ``rate``/s whatever the answers; return the rate served and each latency (ms)."""
    total = int(rate * seconds)
    entries = [pool[i % len(pool)] for i in range(total)]
    submitted = [0.0] * total
    done = [0.0] * total
    finished = threading.Event()
    remaining = [total]
    lock = threading.Lock()

    def resolved(i: int) -> Callable[[object], None]:
        def callback(_future) -> None:
            done[i] = time.perf_counter()
            with lock:
                remaining[0] -= 1
                if remaining[0] == 0:
                    finished.set()

        return callback

    with Sequencer(log) as sequencer:
        started = time.perf_counter()
        sent = 0
        while sent < total:
            due = min(total, int((time.perf_counter() - started) * rate) + 1)
            while sent < due:
                submitted[sent] = time.perf_counter()
                sequencer.submit(entries[sent]).add_done_callback(resolved(sent))
                sent += 1
            time.sleep(0.0005)
        finished.wait()
        elapsed = max(done) - started
    return total / elapsed, [(d - s) * 1000 for s, d in zip(submitted, done, strict=True)]


# ------------------------------------------------------------------------------------------ 3. proofs


@dataclass
class Timing:
    """Wall-clock samples, and the calling thread's CPU time for the same calls (which leaves out the time
    the thread waited while other processes had the shared cores)."""

    samples_us: list[float]
    cpu_us: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples_us)

    @property
    def p99(self) -> float:
        return percentile(self.samples_us, 99)

    def text(self) -> str:
        text = f"median {us(self.median)} µs, p99 {us(self.p99)} µs"
        if self.cpu_us:
            text += f" (CPU time: median {us(statistics.median(self.cpu_us))}, p99 {us(percentile(self.cpu_us, 99))})"
        return text


def us(value: float) -> str:
    return f"{value:,.1f}" if value < 10 else f"{value:,.0f}"


def time_each(calls: list[Callable[[], object]]) -> tuple[Timing, list[object]]:
    samples, cpu, outputs = [], [], []
    for call in calls:
        started, started_cpu = time.perf_counter_ns(), time.thread_time_ns()
        outputs.append(call())
        cpu.append((time.thread_time_ns() - started_cpu) / 1000)
        samples.append((time.perf_counter_ns() - started) / 1000)
    return Timing(samples, cpu), outputs


def kept_dir() -> Path:
    return Path(tempfile.gettempdir()) / "huhang-bench-ledger"


def big_log(db: Database, size: int, *, keep: bool) -> tuple[BenchLog, str]:
    """Return a log of ``size`` entries (built now, or kept from an earlier ``--keep`` run) and how it came."""
    name = f"proofs-{size}"
    directory = kept_dir() if keep and db.vendor == "sqlite" else None
    origin = f"{ORIGIN}/{name}-{ENTRY_BYTES}B" if keep else f"{ORIGIN}/{name}-{RUN_ID}"
    if keep:
        kept = reopen_log(db, name, directory, origin=origin)
        if kept is not None and kept.log.size == size:
            say(f"reusing the log of {size:,} entries kept in {directory or PG_SCHEMA}")
            return kept, "kept from an earlier run"
        if kept is not None:
            kept.store.close()
            if db.vendor == "postgresql":  # an unfinished log of that name: build another beside it
                origin = f"{ORIGIN}/{name}-{ENTRY_BYTES}B-{RUN_ID}"
    if directory is not None:  # a kept SQLite file that is unfinished or holds something else: start afresh
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db.path(name, directory)}{suffix}").unlink(missing_ok=True)
    bench = new_log(db, name, directory, origin=origin)
    batch = 100_000 if size >= 1_000_000 else 10_000
    say(f"building a log of {size:,} entries ({ENTRY_BYTES} B) in batches of {batch:,}")
    appending = 0.0
    for entries in entry_batches(size, batch, name):
        started = time.perf_counter()
        bench.log.append(entries)
        appending += time.perf_counter() - started
        if bench.log.size % 1_000_000 == 0:
            say(f"  {bench.log.size:,} entries, {bench.log.size / appending:,.0f} entries/s")
    return bench, f"built in {appending:.0f} s: {size / appending:,.0f} entries/s in batches of {batch:,}"


def proofs_benchmark(
    db: Database, *, sizes: tuple[int, ...], samples: int, pymerkle_size: int, keep: bool, work_dir: Path
) -> list[Result]:
    """Proofs, their verification, reopening and storage at each of ``sizes``; pymerkle at ``pymerkle_size``."""
    results = []
    node_ns = Sha256Limit.measure(next(entry_batches(20_000, 20_000, "sha"))).node_ns
    for size in sizes:
        baseline = None
        if db.vendor == "postgresql":  # the schema holds other logs too: measure what this one adds
            probe = db.store("probe")
            baseline = db.bytes_used(probe)[1]
            probe.close()
        bench, how = big_log(db, size, keep=keep)
        url, origin = bench.store.url, bench.log.origin
        total, parts = db.bytes_used(bench.store)
        if baseline is not None:
            parts = {table: part - baseline.get(table, 0) for table, part in parts.items()}
            total = sum(parts.values())
        bench.store.close()
        # Reopen: a new connection, the right edge rebuilt from the stored entries and tiles.
        reopen = []
        for _ in range(5):
            started = time.perf_counter()
            opened = reopen_from_url(url, origin)
            reopen.append((time.perf_counter() - started) * 1000)
            opened.store.close()
        results.append(Result(f"log of {size:,} entries ({db.vendor})", how, "—", "—"))
        results.append(
            Result(
                f"reopen the log of {size:,} entries (connect, rebuild the right edge, check the last root)",
                f"median {ms(statistics.median(reopen))} ms, max {ms(max(reopen))} ms (OS file cache warm)",
                "—",
                "—",
            )
        )
        detail = ", ".join(
            f"{table.removeprefix('ledger_')} {part / size:.1f}"
            for table, part in sorted(parts.items())
            if part >= 0.01 * total
        )
        if baseline is not None and how.startswith("kept"):
            total, detail = 0, "not measured: the log was kept from an earlier run"
        results.append(
            Result(
                f"bytes stored per entry: {size:,} entries of {ENTRY_BYTES} B ({db.vendor})",
                f"{total / size:.1f} B/entry ({total / 1e6:,.0f} MB; {detail})" if total else detail,
                "",
                "",
            )
        )
        log = reopen_from_url(url, origin).log
        ours = proof_timings(log, size=size, samples=samples)
        log.store.close()
        theirs = pymerkle_proofs(size, samples=samples, work_dir=work_dir) if size == pymerkle_size else {}
        if "storage" in theirs:
            results.append(Result("", "", f"pymerkle {theirs['storage']}", f"{total / size / theirs['bytes']:.2f}×"))
        for kind, (label, timing, verify, hashes) in ours.items():
            ref = theirs.get(kind)
            reference, ratio = "—", "—"
            if ref is not None:
                reference = f"pymerkle {ref['tree']}: {ref['prove'].text()}"
                ratio = f"{timing.median / ref['prove'].median:.3f}× pymerkle (median)"
            elif kind in ("inclusion", "consistency") and size != pymerkle_size:
                reference = f"pymerkle: not run at this size (see {pymerkle_size:,})"
            results.append(Result(f"{label}, {size:,} entries (freshly opened log)", timing.text(), reference, ratio))
            if verify is None:
                continue
            limit_us = hashes * node_ns / 1000
            ref_verify = f"SHA-256 limit for the {hashes:.1f} hashes it does: {us(limit_us)} µs"
            ratio_verify = f"{verify.median / limit_us:.1f}× the limit"
            if ref is not None:
                ref_verify += f"; pymerkle `verify_{kind}`: {ref['verify'].text()}"
                ratio_verify += f"; {verify.median / ref['verify'].median:.2f}× pymerkle"
            results.append(Result(f"`verify_{kind}` of these proofs", verify.text(), ref_verify, ratio_verify))
        for kind in ("build", "first-proof"):
            if kind in theirs:
                results.append(Result(f"pymerkle at {size:,} entries: {kind}", theirs[kind], "—", "—"))
    results += note_verification()
    return results


def reopen_from_url(url: str, origin: str) -> BenchLog:
    return read_only_log(SqlStore(url), origin)


def hashes_in(check: Callable[[Suite], object]) -> int:
    """Return how many hashes ``check(suite)`` computes (a verifier called with a counting suite)."""
    base = get_suite(SUITE)
    count = 0

    def new_hash(data: bytes = b""):
        nonlocal count
        count += 1
        return base.new_hash(data)

    check(dataclasses.replace(base, new_hash=new_hash))
    return count


def proof_timings(log: Log, *, size: int, samples: int) -> dict[str, tuple[str, Timing, Timing | None, float]]:
    """Time inclusion and consistency proofs at random indices and sizes, then their verification."""
    rnd = random.Random(f"proofs-{size}")
    root = log.root()
    out: dict[str, tuple[str, Timing, Timing | None, float]] = {}

    say(f"  {samples:,} inclusion proofs at size {size:,}")
    indices = [rnd.randrange(size) for _ in range(samples)]
    timing, proofs = time_each([lambda i=i: log.inclusion_proof(i) for i in indices])
    leaves = [hash_leaf(log.entry(i)) for i in indices]
    verify, _ = time_each(
        [
            lambda i=i, p=p, h=h: verify_inclusion(leaf_hash=h, index=i, size=size, proof=p, root=root)
            for i, p, h in zip(indices, proofs, leaves, strict=True)
        ]
    )
    hashes = statistics.mean(
        hashes_in(
            lambda suite, i=i, p=p, h=h: verify_inclusion(
                leaf_hash=h, index=i, size=size, proof=p, root=root, suite=suite
            )
        )
        for i, p, h in zip(indices, proofs, leaves, strict=True)
    )
    out["inclusion"] = ("inclusion proof, random index, at the current size", timing, verify, hashes)

    say(f"  {samples:,} inclusion proofs at random earlier sizes")
    pairs = []
    for _ in range(samples):
        s = rnd.randrange(1, size + 1)
        pairs.append((rnd.randrange(s), s))
    timing, _ = time_each([lambda i=i, s=s: log.inclusion_proof(i, s) for i, s in pairs])
    out["inclusion-old"] = ("inclusion proof, random index, at a random earlier size", timing, None, 0)

    say(f"  {samples:,} consistency proofs from random sizes to the current size")
    olds = [rnd.randrange(1, size) for _ in range(samples)]
    timing, proofs = time_each([lambda o=o: log.consistency_proof(o) for o in olds])
    old_roots = [log.root(o) for o in olds]
    verify, _ = time_each(
        [
            lambda o=o, p=p, r=r: verify_consistency(old_size=o, new_size=size, old_root=r, new_root=root, proof=p)
            for o, p, r in zip(olds, proofs, old_roots, strict=True)
        ]
    )
    hashes = statistics.mean(
        hashes_in(
            lambda suite, o=o, p=p, r=r: verify_consistency(
                old_size=o, new_size=size, old_root=r, new_root=root, proof=p, suite=suite
            )
        )
        for o, p, r in zip(olds, proofs, old_roots, strict=True)
    )
    out["consistency"] = ("consistency proof, random old size → current size", timing, verify, hashes)

    say(f"  {samples:,} consistency proofs between random sizes")
    ranges = []
    for _ in range(samples):
        a, b = sorted(rnd.randrange(1, size + 1) for _ in range(2))
        ranges.append((a, b))
    timing, _ = time_each([lambda a=a, b=b: log.consistency_proof(a, b) for a, b in ranges])
    out["consistency-old"] = ("consistency proof between two random sizes", timing, None, 0)

    timing, _ = time_each([lambda s=s: log.root(s) for _, s in pairs])
    out["root"] = ("root hash at a random earlier size", timing, None, 0)
    return out


def pymerkle_proofs(size: int, *, samples: int, work_dir: Path) -> dict:
    """pymerkle's proofs and verification at ``size``: in memory, and on SQLite while it keeps pace."""
    pymerkle = pymerkle_module()
    if pymerkle is None:
        return {}
    entries = [e for batch in entry_batches(size, 100_000, f"pymerkle-{size}") for e in batch]
    rnd = random.Random(f"pymerkle-proofs-{size}")
    out: dict = {}
    say(f"pymerkle: InmemoryTree of {size:,} entries")
    started = time.perf_counter()
    memory = pymerkle.InmemoryTree()
    for data in entries:
        memory.append_entry(data)
    built_memory = time.perf_counter() - started
    say(f"pymerkle: SqliteTree of {size:,} entries")
    path = work_dir / "pymerkle" / f"proofs-{size}.sqlite3"
    disk = pymerkle_sqlite(path)
    started = time.perf_counter()
    disk.append_entries(entries)
    built_disk = time.perf_counter() - started
    disk.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    disk_bytes = path.stat().st_size
    out["bytes"] = disk_bytes / size
    out["storage"] = (
        f"`SqliteTree` file: {disk_bytes / size:.1f} B/entry (entry and leaf hash per row, no interior nodes)"
    )
    out["build"] = (
        f"InmemoryTree.append_entry: {size / built_memory:,.0f} entries/s; "
        f"SqliteTree.append_entries (one transaction): {size / built_disk:,.0f} entries/s"
    )
    started = time.perf_counter()
    disk.prove_inclusion(rnd.randrange(1, size + 1))
    first = time.perf_counter() - started
    out["first-proof"] = (
        f"first SqliteTree inclusion proof (empty subroot cache: reads and hashes the leaves): {first * 1000:,.0f} ms"
    )
    say(f"pymerkle: {samples:,} inclusion and consistency proofs of each tree")
    for tree_name, tree in (("InmemoryTree", memory), ("SqliteTree", disk)):
        indices = [rnd.randrange(1, size + 1) for _ in range(samples)]
        incl, proofs = time_each([lambda i=i, t=tree: t.prove_inclusion(i) for i in indices])
        root = tree.get_root()
        bases = [tree.get_leaf(i) for i in indices]
        verify, _ = time_each(
            [lambda p=p, b=b, r=root: pymerkle.verify_inclusion(b, r, p) for p, b in zip(proofs, bases, strict=True)]
        )
        olds = [rnd.randrange(1, size) for _ in range(samples)]
        cons, cproofs = time_each([lambda o=o, t=tree: t.prove_consistency(o) for o in olds])
        old_roots = [tree.get_root(o) for o in olds]
        cverify, _ = time_each(
            [
                lambda p=p, r=r, n=root: pymerkle.verify_consistency(r, n, p)
                for p, r in zip(cproofs, old_roots, strict=True)
            ]
        )
        key = "" if tree_name == "InmemoryTree" else "-sqlite"
        out["inclusion" + key] = {"tree": f"`{tree_name}.prove_inclusion`", "prove": incl, "verify": verify}
        out["consistency" + key] = {"tree": f"`{tree_name}.prove_consistency`", "prove": cons, "verify": cverify}
    disk.close()
    # Compare with the faster of pymerkle's two trees (its in-memory one), and show the SQLite one beside it.
    for kind in ("inclusion", "consistency"):
        fast, slow = out[kind], out.pop(kind + "-sqlite")
        if slow["prove"].median < fast["prove"].median:
            fast, slow = slow, fast
        fast["tree"] += f" (its `SqliteTree`: {slow['prove'].text()})" if "Sqlite" not in fast["tree"] else ""
        out[kind] = fast
    return out


def note_verification() -> list[Result]:
    """Verify a signed checkpoint note (Ed25519), the signature half of a receipt's verification."""
    signer_key, verifier_key = generate_key(f"{ORIGIN}/notes", suite=SUITE)
    signer, verifier = new_signer(signer_key), new_verifier(verifier_key)
    body = f"{ORIGIN}/notes\n10000000\n{'A' * 43}=\n"
    note = sign_note(body, [signer])
    signing, _ = time_each([lambda: sign_note(body, [signer]) for _ in range(500)])
    timing, _ = time_each([lambda: open_note(note, [verifier]) for _ in range(500)])
    return [
        Result("sign a checkpoint note (`sign_note`, Ed25519)", signing.text(), "—", "—"),
        Result("verify a signed checkpoint note (`open_note`, Ed25519)", timing.text(), "—", "—"),
    ]


def receipts_benchmark(db: Database, *, entries: int, samples: int) -> list[Result]:
    """Make receipts from a log of evidence leaves and verify them with ``verify_receipt``."""
    try:
        from huhang.ledger.receipt import build_receipt, verify_receipt
    except ImportError:
        say("receipt benchmark skipped: huhang.ledger.receipt does not exist yet")
        return [Result("receipts", "skipped: `huhang.ledger.receipt` does not exist yet", "—", "—")]
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    leaves = evidence_leaves(entries, "receipts")
    bench = new_log(db, "receipts")
    say(f"receipts: a log of {entries:,} evidence leaves")
    for start in range(0, entries, 1_000):
        bench.log.append(leaves[start : start + 1_000])
    log, latest = bench.log, bench.log.latest_checkpoint()
    rnd = random.Random("receipts")
    indices = [rnd.randrange(latest.size) for _ in range(samples)]

    def make(index: int) -> str:
        receipt = build_receipt(
            origin=log.origin,
            suite=log.record.suite,
            verifier_key=bench.verifier_key,
            index=index,
            leaf=log.entry(index),
            proof=log.inclusion_proof(index, latest.size),
            checkpoint_note=latest.note,
        )
        return json.dumps(receipt, ensure_ascii=False)

    say(f"receipts: make and verify {samples:,}")
    making, texts = time_each([lambda i=i: make(i) for i in indices])
    verifying, _ = time_each([lambda t=t: verify_receipt(t, verifier_key=bench.verifier_key) for t in texts])
    bench.store.close()
    # The limit: the hashes the check needs (leaf, path) and one raw Ed25519 verification of the checkpoint.
    key = Ed25519PrivateKey.generate()
    body = latest.note[: latest.note.index("\n\n") + 1].encode()
    signature, public = key.sign(body), key.public_key()
    ed25519, _ = time_each([lambda: public.verify(signature, body) for _ in range(500)])
    sha = Sha256Limit.measure(leaves[: min(entries, 20_000)])
    path = statistics.mean(len(json.loads(t)["proof"].split("\n\n")[0].splitlines()) - 2 for t in texts)
    limit_us = (sha.leaf_ns + path * sha.node_ns) / 1000 + min(ed25519.samples_us)
    size = statistics.mean(len(t.encode()) for t in texts)
    return [
        Result(
            f"make a receipt (proof + `build_receipt` + JSON), log of {entries:,} evidence leaves",
            making.text() + f"; {size:,.0f} B of JSON",
            "—",
            "—",
        ),
        Result(
            "verify a receipt (`verify_receipt`: JSON, signed checkpoint, inclusion proof)",
            verifying.text(),
            f"limit: raw Ed25519 verify ({us(min(ed25519.samples_us))} µs) + SHA-256 of the leaf and "
            f"{path:.0f} path nodes = {us(limit_us)} µs",
            f"{verifying.median / limit_us:.1f}× the limit",
        ),
    ]


# ------------------------------------------------------------------------------------------ 4. http


def db_vendor() -> str:
    from django.db import connection

    return connection.vendor


def http_benchmark(
    work_dir: Path,
    *,
    configurations: tuple[tuple[int, tuple[int, ...]], ...],
    seconds: float,
    requests: int,
    cap: float,
    timeout: float,
) -> list[Result]:
    """Receipts over HTTP from concurrent keep-alive connections, through ``huhang serve`` in a subprocess.

    ``configurations`` are ``(web processes, connection counts)``: one server per line, each with its
    reference (the same server answering a fixed body) measured just before it. With ``wrk`` each part runs
    ``seconds``; without it, Python threads send ``requests`` POSTs, stopped at ``cap`` seconds.
    """
    from django.urls import Resolver404, resolve

    try:
        resolve(HTTP_PATH)
    except (Resolver404, ImportError) as exc:
        why = "it does not exist yet" if isinstance(exc, Resolver404) else f"the URLs do not import: {exc}"
        say(f"HTTP benchmark skipped: POST {HTTP_PATH}: {why}")
        return [Result(f"receipts over HTTP (`POST {HTTP_PATH}`)", f"skipped: {why}", "—", "—")]
    token, holders = http_setup()
    wrk = shutil.which("wrk")
    if wrk is None:
        say("wrk is not installed (Debian: apt-get install wrk): Python threads drive the server instead")
    results = []
    for workers, connections in configurations:
        port = free_port()
        server = start_server(work_dir, port, threads=HTTP_THREADS, workers=workers)
        try:
            status, body, _ = post(http.client.HTTPConnection("127.0.0.1", port, timeout=30), token,
                                   evidence_payload(0, holders))  # fmt: skip
            if status != 201:
                raise RuntimeError(f"POST {HTTP_PATH} answered {status}: {body[:500]!r}")
            if wrk:  # every web process answers a few first (a process's first requests load what they need)
                run_wrk(port, token, holders, connections=4 * workers, seconds=3)
            floors = {}
            if wrk:
                floors = http_floor(work_dir, body, workers=workers, connections=connections, seconds=seconds)
            for k in connections:
                if wrk:
                    results.append(wrk_part(server, port, token, holders, workers=workers, connections=k,
                                            seconds=seconds, floor=floors[k]))  # fmt: skip
                else:
                    results.append(http_part(server, port, token, holders, workers=workers, clients=k,
                                             requests=requests, cap=cap, timeout=timeout))  # fmt: skip
        finally:
            stop(server)
    return results


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def server_label(workers: int) -> str:
    processes = "1 web process" if workers == 1 else f"{workers} web processes"
    threads = f"{processes} of {HTTP_THREADS} threads + the writer"
    return f"`huhang serve --workers {workers}` (granian, {threads}, {db_vendor()})"


def http_floor(work_dir: Path, receipt: bytes, *, workers: int, connections: tuple[int, ...], seconds: float) -> dict:
    """The same server answering every POST 201 with ``receipt``, driven by wrk: ``{connections: WrkRun}``."""
    body = work_dir / "receipt.json"
    body.write_bytes(receipt)
    port = free_port()
    env = dict(os.environ, HUHANG_BENCH_BODY=str(body))
    command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--blocking-threads", str(HTTP_THREADS), "--no-log"]
    server = subprocess.Popen(
        [*command, "benchmarks.http_floor:application"],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(work_dir / "floor.log").open("wb"),
    )
    try:
        wait_for_port(server, port, work_dir / "floor.log")
        floors = {}
        for k in connections:
            say(f"HTTP floor, {workers} web process(es): {k} connections, {seconds:.0f} s")
            floors[k] = run_wrk(port, "", ["floor"], connections=k, seconds=seconds)
        return floors
    finally:
        stop(server)


@dataclass(frozen=True)
class WrkRun:
    """What wrk reports of one run (its ``done`` hook prints it as JSON), and its own CPU time."""

    requests: int
    seconds: float
    not_2xx: int
    socket_errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    cpu_seconds: float

    @property
    def rate(self) -> float:
        return (self.requests - self.not_2xx - self.socket_errors) / self.seconds


WRK_SCRIPT = """
-- Each request a new hash-only evidence submission: the run's prefix, the thread and a counter make its hash.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Token %(token)s"
local holders = {%(holders)s}
local made = 0
counter = 0
function setup(thread)
  made = made + 1
  thread:set("tid", made)
end
function request()
  counter = counter + 1
  local body = string.format(
    '{"holder":"%%s","kind":"document","title":"产品外观设计图纸（第%%d版）","sha256":"%(prefix)s%%08x%%016x"}',
    holders[(counter %% #holders) + 1], counter %% 100, tid, counter)
  return wrk.format(nil, "%(path)s", nil, body)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests":%%d,"duration_us":%%d,"status":%%d,"connect":%%d,"read":%%d,"write":%%d,"timeout":%%d,' ..
    '"p50":%%d,"p99":%%d,"max":%%d}\\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def run_wrk(port: int, token: str, holders: list[str], *, connections: int, seconds: float) -> WrkRun:
    """Drive ``POST HTTP_PATH`` on ``port`` with wrk (one thread, ``connections`` keep-alive connections)."""
    prefix = hashlib.sha256(f"{RUN_ID} {port} {connections}".encode()).hexdigest()[:40]
    script = WRK_SCRIPT % {
        "token": token,
        "holders": ", ".join(json.dumps(h) for h in holders),
        "prefix": prefix,
        "path": HTTP_PATH,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", encoding="utf-8") as file:
        file.write(script)
        file.flush()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds:.0f}s", "--timeout", "30s", "-s", file.name,
             f"http://127.0.0.1:{port}{HTTP_PATH}"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary: {done.stdout[-500:]} {done.stderr[-500:]}")
    report = json.loads(line[4:])
    return WrkRun(
        requests=report["requests"],
        seconds=report["duration_us"] / 1e6,
        not_2xx=report["status"],
        socket_errors=sum(report[k] for k in ("connect", "read", "write", "timeout")),
        p50_ms=report["p50"] / 1000,
        p99_ms=report["p99"] / 1000,
        max_ms=report["max"] / 1000,
        cpu_seconds=(after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
    )


def evidence_rows() -> int:
    from huhang.evidence.models import Evidence

    return Evidence.objects.count()


def wrk_part(
    server: subprocess.Popen,
    port: int,
    token: str,
    holders: list[str],
    *,
    workers: int,
    connections: int,
    seconds: float,
    floor: WrkRun,
) -> Result:
    """Drive the running server with wrk; the line of results, with CPU per receipt and the rows check."""
    say(f"HTTP, {workers} web process(es): wrk, {connections} connections, {seconds:.0f} s")
    rows_before, server_before, database_before = evidence_rows(), process_tree_cpu(server.pid), database_cpu()
    run = run_wrk(port, token, holders, connections=connections, seconds=seconds)
    time.sleep(1)  # requests wrk gave up on at the end are still answered: let them finish
    receipts = run.requests - run.not_2xx - run.socket_errors
    rows = evidence_rows() - rows_before
    answered = max(1, receipts)
    server_ms = {
        pid: (cpu - server_before.get(pid, 0.0)) * 1000 / answered for pid, cpu in process_tree_cpu(server.pid).items()
    }
    writer_ms = server_ms.get(server.pid, 0.0)
    web_ms = sum(server_ms.values()) - writer_ms
    database_ms = (database_cpu() - database_before) * 1000 / answered if database_before is not None else None
    database = f", PostgreSQL's processes {database_ms:.2f} ms" if database_ms is not None else ""
    notes = [f"{run.not_2xx:,} answered other than 2xx"] if run.not_2xx else []
    notes += [f"{run.socket_errors:,} socket errors or timeouts"] if run.socket_errors else []
    if not receipts <= rows <= receipts + connections:
        notes.append(f"**{rows:,} evidence rows written for {receipts:,} receipts**")
    return Result(
        f"receipts over HTTP: `POST {HTTP_PATH}` (hash-only evidence, 201 + receipt), wrk with {connections} "
        f"keep-alive connections, {server_label(workers)}",
        f"{run.rate:,.0f} receipts/s; latency p50 {run.p50_ms:.1f} ms, p99 {run.p99_ms:.1f} ms, "
        f"max {run.max_ms:.0f} ms; server CPU per receipt {web_ms + writer_ms:.2f} ms (web {web_ms:.2f}, "
        f"writer {writer_ms:.2f}){database}, wrk {run.cpu_seconds * 1000 / answered:.3f} ms; "
        f"{rows:,} evidence rows for {receipts:,} receipts" + (f"; {'; '.join(notes)}" if notes else ""),
        f"same server answering a fixed receipt: {floor.rate:,.0f}/s (p99 {floor.p99_ms:.1f} ms); target 2,000/s",
        f"{run.rate / floor.rate:.2f} of HTTP alone; {run.rate / 2000:.2f} of the target",
    )


def http_part(
    server: subprocess.Popen,
    port: int,
    token: str,
    holders: list[str],
    *,
    workers: int,
    clients: int,
    requests: int,
    cap: float,
    timeout: float,
) -> Result:
    """Drive the running server with ``clients`` keep-alive clients; the line of results, with CPU per receipt."""
    say(f"HTTP, {workers} web process(es): {clients} keep-alive client(s), {requests:,} requests, {cap:.0f} s at most")
    server_before, client_before = process_tree_cpu(server.pid), time.process_time()
    rate, latencies, failures, unsent = drive(
        port, token, holders, clients=clients, requests=requests, cap=cap, timeout=timeout
    )
    answered = max(1, len(latencies))
    server_ms = {
        pid: (seconds - server_before.get(pid, 0.0)) * 1000 / answered
        for pid, seconds in process_tree_cpu(server.pid).items()
    }
    client_ms = (time.process_time() - client_before) * 1000 / answered
    writer_ms = server_ms.get(server.pid, 0.0)
    cpu = f"server CPU {sum(server_ms.values()):.2f} ms per receipt"
    cpu += f" (web processes {sum(server_ms.values()) - writer_ms:.2f}, writer {writer_ms:.2f})"
    cpu += f", clients' CPU {client_ms:.2f} ms"
    stalls = sum(1 for x in latencies if x > 5_000)
    notes = [f"{failures} failed (not 201)"] if failures else []
    notes += [f"{stalls} took over 5 s"] if stalls else []
    notes += [f"{unsent:,} of {requests:,} not sent: {cap:.0f} s cap reached"] if unsent else []
    return Result(
        f"receipts over HTTP: `POST {HTTP_PATH}` (hash-only evidence, 201 + receipt), {clients} keep-alive "
        f"Python client{'s' * (clients > 1)}, {server_label(workers)}",
        f"{rate:,.0f} receipts/s; latency p50 {ms(percentile(latencies, 50))} ms, "
        f"p99 {ms(percentile(latencies, 99))} ms, max {ms(max(latencies))} ms; {cpu}"
        + (f"; {'; '.join(notes)}" if notes else ""),
        "target: 2,000 receipts/s, p99 ≤ 1 s",
        f"{rate / 2000:.3f} of the target rate",
    )


def database_cpu() -> float | None:
    """CPU seconds used so far by the PostgreSQL server's processes on this machine (they share its cores);
    None on SQLite, or when the server runs elsewhere."""
    if db_vendor() != "postgresql":
        return None
    used = [cpu for _pid, (_ppid, name, cpu) in processes().items() if name == "postgres"]
    return sum(used) if used else None


def processes() -> dict[int, tuple[int, str, float]]:
    """Every process on the machine: ``{pid: (parent pid, name, CPU seconds used so far)}``, from ``/proc``."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                head, _, tail = (entry / "stat").read_text().rpartition(")")
                fields = tail.split()
                name = head.partition("(")[2]
                found[int(entry.name)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / ticks)
    return found


def process_tree_cpu(pid: int) -> dict[int, float]:
    """Return the CPU seconds (user + system) used so far by process ``pid`` and each of its descendants."""
    stats = {member: (ppid, cpu) for member, (ppid, _name, cpu) in processes().items()}
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, (ppid, _) in stats.items() if ppid == parent and child not in tree]
        tree.update(children)
        frontier += children
    return {member: stats[member][1] for member in tree if member in stats}


def http_setup(holders: int = 20) -> tuple[str, list[str]]:
    """Create holders, a handler with an API token (``huhang api_token``) and the ledger (``huhang ledger init``).

    Return the token and the holders' 统一社会信用代码.
    """
    from django.core.management import call_command

    from huhang.accounts.models import Organisation, User
    from huhang.accounts.roles import OrganisationKind, Role
    from huhang.evidence import ledger_service
    from huhang.registry.demo_ids import uscc
    from huhang.registry.models import Entity

    centre, _ = Organisation.objects.get_or_create(
        name="基准测试保护中心", defaults={"kind": OrganisationKind.PROTECTION_CENTRE}
    )
    User.objects.get_or_create(username="bench_evidence", defaults={"role": Role.HANDLER, "organisation": centre})
    User.objects.get_or_create(username="bench_admin", defaults={"role": Role.ADMIN, "organisation": centre})
    codes = [uscc(8_000_000 + i, authority_category="91", region="420100", new_style=True) for i in range(holders)]
    for i, code in enumerate(codes):
        Entity.objects.get_or_create(
            uscc=code, defaults={"kind": "enterprise", "name": f"武汉基准测试光电科技有限公司{i}"}
        )
    out = io.StringIO()
    call_command(
        "api_token",
        user="bench_evidence",
        name="benchmark",
        days=1,
        actor="bench_admin",
        stdout=out,
        stderr=io.StringIO(),
    )
    with contextlib.suppress(Exception):  # an earlier run on the same database made it already
        call_command("ledger", "init", "--origin", f"{ORIGIN}/evidence", stdout=io.StringIO(), stderr=io.StringIO())
    ledger_service.ledger_reset_for_tests()  # this process must not hold the log: the server appends to it
    return out.getvalue().strip(), codes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(work_dir: Path, port: int, *, threads: int, workers: int = 1) -> subprocess.Popen:
    env = dict(os.environ, HUHANG_DATA_DIR=str(work_dir), HUHANG_API_RATE="100000000/minute")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = (work_dir / "serve.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "huhang",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--threads",
            str(threads),
            "--workers",
            str(workers),
            "--no-worker",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for_port(server, port, work_dir / "serve.log")
    return server


def wait_for_port(server: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}: see {log}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"the server did not start listening within 60 s: see {log}")


def evidence_payload(i: int, holders: list[str]) -> bytes:
    digest = hashlib.sha256(f"benchmark evidence {RUN_ID} {i}".encode()).hexdigest()
    return json.dumps(
        {
            "holder": holders[i % len(holders)],
            "kind": "document",
            "title": f"产品外观设计图纸（第{i % 100}版）",
            "sha256": digest,
        },
        ensure_ascii=False,
    ).encode()


def post(conn: http.client.HTTPConnection, token: str, payload: bytes) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    conn.request(
        "POST", HTTP_PATH, body=payload, headers={"Authorization": f"Token {token}", "Content-Type": "application/json"}
    )
    response = conn.getresponse()
    body = response.read()
    return response.status, body, (time.perf_counter() - started) * 1000


def drive(
    port: int, token: str, holders: list[str], *, clients: int, requests: int, cap: float, timeout: float
) -> tuple[float, list[float], int, int]:
    """``clients`` threads share ``requests`` POSTs, each over its own keep-alive connection, for ``cap`` seconds
    at most; return receipts/s, each request's ms, the failures (not 201, or no answer within ``timeout``
    seconds) and the requests left unsent at the cap."""
    per_client = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    gate = threading.Barrier(clients + 1)
    deadline = [float("inf")]

    def client(slot: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        post(conn, token, evidence_payload(10_000_000 * (slot + 1), holders))  # connect and warm up, untimed
        gate.wait()
        for n in range(per_client[slot]):
            if time.perf_counter() > deadline[0]:
                break
            started = time.perf_counter()
            try:
                status, _, elapsed = post(conn, token, evidence_payload(10_000_000 * (slot + 1) + n + 1, holders))
            except (OSError, http.client.HTTPException):
                latencies[slot].append((time.perf_counter() - started) * 1000)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                failures[slot] += 1
                continue
            if status != 201:
                failures[slot] += 1
            latencies[slot].append(elapsed)
        conn.close()

    workers = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for worker in workers:
        worker.start()
    gate.wait()
    started = time.perf_counter()
    deadline[0] = started + cap
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    answered = sum(len(x) for x in latencies)
    return (
        (answered - sum(failures)) / elapsed,
        [x for mine in latencies for x in mine],
        sum(failures),
        requests - answered,
    )
