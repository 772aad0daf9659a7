"""What an append stores and returns, on SQLite and on PostgreSQL (COPY): the RFC's tree, byte for byte.

Also: the proofs an append computes while the new tree is at hand, side rows committed with their entries
(or not at all), and handles that catch up with what another process appended.
"""

import hashlib
import random

import pytest

from huhang.ledger import log as log_module
from huhang.ledger.log import LogIntegrityError
from huhang.ledger.store import Fill, SideRow
from huhang.ledger.tiles import TILE_WIDTH, build_tile
from tests.ledger import reference as ref
from tests.ledger.conftest import scratch_table, tamper


def _leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def _node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _stored_tiles(log) -> dict[tuple[int, int], bytes]:
    cur = log.store.conn.cursor()
    cur.execute(log.store._sql("SELECT level, idx, hashes FROM ledger_tile WHERE log_id = ?"), (log.record.id,))
    return {(level, index): bytes(hashes) for level, index, hashes in cur.fetchall()}


def _expected_tiles(leaves: list[bytes]) -> dict[tuple[int, int], bytes]:
    """Every full tile of the tree of ``leaves``, built level by level with the plain ``build_tile``."""
    tiles, row, level = {}, [_leaf_hash(leaf) for leaf in leaves], 0
    while len(row) >= TILE_WIDTH:
        roots = []
        for index in range(len(row) // TILE_WIDTH):
            tile = build_tile(row[index * TILE_WIDTH : (index + 1) * TILE_WIDTH], _node_hash)
            tiles[(level, index)] = tile
            top = tile[-64:]
            roots.append(_node_hash(top[:32], top[32:]))
        row, level = roots, level + 1
    return tiles


def test_stored_entries_tiles_and_checkpoints_are_the_rfc_tree(make_log):
    """On PostgreSQL the rows go in with COPY, on SQLite with INSERT: the same bytes either way."""
    rng = random.Random(6962)
    log = make_log()
    leaves: list[bytes] = []
    while len(leaves) < 70_000:  # past the first full tile of tile level 1 (65,536 leaves)
        batch = [rng.randbytes(rng.randint(0, 48)) for _ in range(rng.choice([1, 255, 256, 257, 4_000, 9_999]))]
        log.append(batch)
        leaves += batch
    assert log.entries(0, len(leaves)) == leaves
    assert _stored_tiles(log) == _expected_tiles(leaves)
    checkpoints = log.checkpoints()
    for checkpoint in checkpoints[:: max(1, len(checkpoints) // 12)] + checkpoints[-1:]:
        assert checkpoint.root == ref.mth(leaves[: checkpoint.size])
    assert log.check() == []
    fresh = make_log()  # a new handle rebuilds its edge from the stored rows
    for _ in range(20):
        size = rng.randint(1, len(leaves))
        index = rng.randrange(size)
        assert fresh.inclusion_proof(index, size) == log.inclusion_proof(index, size)
    for size in (255, 256, 65_536, len(leaves)):
        index = size - 1
        assert fresh.inclusion_proof(index, size) == ref.path(index, leaves[:size])


def test_an_append_returns_the_proofs_asked_for(make_log):
    rng = random.Random(3)
    log = make_log()
    leaves: list[bytes] = []
    for count in (1, 3, 250, 6, 300, 1, 1_000, 2):
        batch = [rng.randbytes(20) for _ in range(count)]
        prove = sorted({0, count - 1, rng.randrange(count)})
        appended = log.append(batch, prove=prove)
        leaves += batch
        assert sorted(appended.proofs) == prove
        for offset in prove:
            index = appended.start + offset
            assert appended.proofs[offset] == ref.path(index, leaves), (count, offset)
    assert log.append([b"x"]).proofs == {}


def test_the_proofs_of_an_append_survive_a_small_tile_cache(make_log, monkeypatch):
    monkeypatch.setattr(log_module, "TILE_CACHE_SIZE", 2)  # the new tiles are read back inside the transaction
    log = make_log()
    leaves = [i.to_bytes(4, "big") for i in range(3_000)]
    appended = log.append(leaves, prove=range(0, 3_000, 97))
    for offset, proof in appended.proofs.items():
        assert proof == ref.path(offset, leaves)


@pytest.fixture
def side_table(make_log):
    """A table of the caller's own, in the log's database, for side rows: its name."""
    return scratch_table(
        make_log("side-rows"), "side", "id TEXT PRIMARY KEY, note TEXT NOT NULL, idx BIGINT, size BIGINT"
    )


def _side_rows(log, table: str) -> list[tuple]:
    cur = log.store.conn.cursor()
    cur.execute(f"SELECT id, note, idx, size FROM {table} ORDER BY idx")
    return [tuple(row) for row in cur.fetchall()]


def test_side_rows_are_committed_with_their_entries(make_log, side_table):
    log = make_log("side-rows")
    log.append([b"before"])

    def row(key: str) -> SideRow:
        return SideRow(
            side_table, ("id", "note", "idx", "size"), (key, f"note {key}", Fill.INDEX, Fill.CHECKPOINT_SIZE)
        )

    log.append([b"a", b"no row", b"c"], rows=[row("a"), None, row("c")])
    assert _side_rows(log, side_table) == [("a", "note a", 1, 4), ("c", "note c", 3, 4)]
    before = (log.size, log.root(), log.latest_checkpoint())
    with pytest.raises(Exception) as refused:  # the database refuses the second row: same primary key
        log.append([b"d", b"e"], rows=[row("d"), row("a")])
    assert log.store.is_integrity_error(refused.value)
    log.reload()
    assert (log.size, log.root(), log.latest_checkpoint()) == before, "nothing of the batch was committed"
    assert _side_rows(log, side_table) == [("a", "note a", 1, 4), ("c", "note c", 3, 4)]
    assert log.check() == []


def test_side_rows_are_checked_before_anything_is_written(make_log):
    with pytest.raises(ValueError, match="not plain SQL identifiers"):
        SideRow("evidence; DROP TABLE ledger_entry", ("id",), (1,))
    with pytest.raises(ValueError, match="2 columns but 1 values"):
        SideRow("evidence", ("id", "idx"), (1,))
    log = make_log()
    with pytest.raises(ValueError, match="1 side rows for 2 entries"):
        log.append([b"a", b"b"], rows=[None])
    with pytest.raises(ValueError, match="outside the batch of 2"):
        log.append([b"a", b"b"], prove=[2])
    assert log.size == 0


def test_a_reader_catches_up_with_another_writer(make_log):
    writer, reader = make_log(), make_log()
    leaves = [i.to_bytes(3, "big") for i in range(700)]
    writer.append(leaves[:300])
    assert reader.size == 0
    assert reader.inclusion_proof(299, 300) == ref.path(299, leaves[:300]), "a size beyond its own: it catches up"
    writer.append(leaves[300:])
    assert reader.entry(650) == leaves[650]
    assert reader.size == 700 and reader.root() == ref.mth(leaves)
    assert reader.consistency_proof(300, 700) == ref.proof(300, leaves)
    reader.append([b"from the reader"])  # a writer that was behind catches up before appending
    writer.append([b"and again"])
    assert writer.root() == ref.mth([*leaves, b"from the reader", b"and again"])
    assert writer.refresh() == reader.refresh() == 702 and reader.root() == writer.root()


def test_catching_up_far_rebuilds_from_tiles(make_log, monkeypatch):
    writer, reader = make_log(), make_log()
    monkeypatch.setattr(log_module, "CATCH_UP_LIMIT", 100)
    leaves = [i.to_bytes(4, "big") for i in range(1_000)]
    writer.append(leaves)
    assert reader.refresh() == 1_000 and reader.root() == ref.mth(leaves)


def test_catching_up_with_a_forged_entry_fails(make_log):
    writer, reader = make_log(), make_log()
    writer.append([b"a", b"b"])
    reader.refresh()
    writer.append([bytes([i]) for i in range(10)])
    tamper(writer.store, "ledger_entry", "data", b"forged", f"log_id = {writer.record.id} AND idx = 5")
    with pytest.raises(LogIntegrityError, match="signed checkpoint says"):
        reader.refresh()
    with pytest.raises(LogIntegrityError):
        reader.inclusion_proof(0, 12)
    assert reader.size == 2


def test_the_tiles_of_a_proof_are_read_by_their_keys(make_log):
    """The one query of a proof looks each tile up by its key, however many: it never reads the others."""
    log = make_log()
    keys = [(0, i) for i in range(12)]
    sql = " UNION ALL ".join(
        ["SELECT level, idx, hashes FROM ledger_tile WHERE log_id = ? AND level = ? AND idx = ?"] * 12
    )
    queries = []
    original = log.store._all
    log.store._all = lambda text, params: queries.append((text, params)) or original(text, params)
    log.append([i.to_bytes(4, "big") for i in range(12 * 256)])
    assert log.store.tiles_by_id(log.record.id, keys) == {key: _stored_tiles(log)[key] for key in keys}
    assert queries[-1][0] == sql
    if log.store.vendor == "sqlite":
        cur = log.store.conn.cursor()
        cur.execute("EXPLAIN QUERY PLAN " + log.store._sql(sql), queries[-1][1])
        plan = [row[-1] for row in cur.fetchall()]
        assert all("(log_id=? AND level=? AND idx=?)" in step for step in plan if "ledger_tile" in step), plan
