"""The stored log gives the RFC's roots and proofs at every size, survives reopening, and audits itself."""

import random

import pytest

from huhang.ledger.log import LogIntegrityError
from tests.ledger import reference as ref
from tests.ledger.conftest import tamper


def _grow(log, total: int, rng: random.Random) -> list[bytes]:
    leaves: list[bytes] = []
    while len(leaves) < total:
        count = min(total - len(leaves), rng.choice([1, 7, 255, 256, 1000]))
        batch = [rng.randbytes(rng.randint(0, 40)) for _ in range(count)]
        log.append(batch)
        leaves += batch
    return leaves


def test_roots_and_proofs_match_the_rfc_definitions(make_log):
    rng = random.Random(9162)
    log = make_log()
    leaves = _grow(log, 66_000, rng)  # past one full tile of the second tile level (65,536 leaves)
    for size in [1, 2, 3, 255, 256, 257, 511, 512, 65_535, 65_536, 65_537, len(leaves)]:
        assert log.root(size) == ref.mth(leaves[:size]), size
    for _ in range(40):
        size = rng.randint(1, len(leaves))
        index = rng.randrange(size)
        assert log.inclusion_proof(index, size) == ref.path(index, leaves[:size])
        old = rng.randint(1, size)
        assert log.consistency_proof(old, size) == ref.proof(old, leaves[:size])


def test_every_small_tree_exhaustively(make_log):
    log = make_log()
    leaves = [bytes([i]) for i in range(40)]
    for leaf in leaves:
        log.append([leaf])
    for size in range(1, 41):
        assert log.root(size) == ref.mth(leaves[:size])
        for index in range(size):
            assert log.inclusion_proof(index, size) == ref.path(index, leaves[:size])
        for old in range(1, size + 1):
            assert log.consistency_proof(old, size) == ref.proof(old, leaves[:size])


def test_reopened_log_continues_where_it_stopped(make_log):
    rng = random.Random(1)
    log = make_log()
    leaves = _grow(log, 700, rng)
    again = make_log()
    assert again.size == 700 and again.root() == log.root()
    again.append([b"next"])
    assert again.root() == ref.mth([*leaves, b"next"])


def test_two_writers_on_one_database_stay_consistent(make_log):
    first, second = make_log(), make_log()
    first.append([b"a", b"b"])
    second.append([b"c"])  # notices the other writer's entries before appending
    first.append([b"d"])
    assert first.size == second.size + 1 == 4
    assert first.root() == ref.mth([b"a", b"b", b"c", b"d"])


def test_empty_and_out_of_range_requests(make_log):
    log = make_log()
    assert log.root() == ref.mth([])
    with pytest.raises(ValueError, match="nothing to append"):
        log.append([])
    log.append([b"x"])
    with pytest.raises(ValueError):
        log.inclusion_proof(1, 1)
    with pytest.raises(ValueError):
        log.consistency_proof(0, 1)
    with pytest.raises(ValueError):
        log.root(2)


def test_rows_are_append_only(make_log):
    log = make_log()
    log.append([b"evidence"])
    log_id = log.record.id
    statements = [
        f"UPDATE ledger_entry SET idx = idx + 1 WHERE log_id = {log_id}",
        f"DELETE FROM ledger_checkpoint WHERE log_id = {log_id}",
        f"DELETE FROM ledger_entry WHERE log_id = {log_id}",
    ]
    for statement in statements:
        with pytest.raises(Exception, match="append-only"), log.store.transaction() as cur:
            cur.execute(statement)


def test_check_finds_a_row_changed_behind_the_triggers(make_log):
    log = make_log()
    _grow(log, 600, random.Random(2))
    assert log.check() == []
    tamper(log.store, "ledger_entry", "data", b"forged", f"log_id = {log.record.id} AND idx = 300")
    problems = log.check()
    assert any("tile 1 of level 0 differs" in p for p in problems)
    assert any("recomputed" in p for p in problems)


def test_opening_a_log_whose_tree_was_changed_fails(make_log):
    log = make_log()
    log.append([bytes([i]) for i in range(10)])
    tamper(log.store, "ledger_entry", "data", b"forged", f"log_id = {log.record.id} AND idx = 9")
    with pytest.raises(LogIntegrityError, match="signed checkpoint says"):
        make_log()


def test_a_proof_reads_its_tiles_in_one_query(make_log):
    log = make_log()
    for start in range(0, 70_000, 10_000):
        log.append([start.to_bytes(4, "big") + i.to_bytes(4, "big") for i in range(10_000)])
    cold = make_log()  # a fresh handle: no tile cached
    queries = []
    original = cold.store._all
    cold.store._all = lambda sql, params: queries.append(sql) or original(sql, params)
    proof = cold.inclusion_proof(12_345)
    assert len(queries) == 1 and "ledger_tile" in queries[0]
    assert proof == log.inclusion_proof(12_345)
    queries.clear()
    assert cold.consistency_proof(33_333, 69_999) == log.consistency_proof(33_333, 69_999)
    assert len(queries) <= 1
