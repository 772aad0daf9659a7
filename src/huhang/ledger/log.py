"""A transparency log over a :class:`~huhang.ledger.store.SqlStore`: appends, checkpoints and proofs.

The log keeps in memory only the ragged right edge of its tree: the incomplete tile at each tile level,
with every complete node inside it (at most 255 hashes on its bottom row, 127 on the row above, …), grown
one hash at a time as entries arrive, so a proof looks edge nodes up instead of hashing them and a tile
that fills up is stored as it stands. Full tiles are read from storage when a proof needs them and cached,
since they never change. Opening a log rebuilds the edge from the stored entries and tiles and checks that
the tree it finds has the root of the last signed checkpoint.

Several processes may hold the same log. Each append locks the log in the database and first catches up
with what the others appended; a handle that only reads catches up when asked about a size it has not
seen yet (:meth:`Log.refresh`). Either way the entries it reads are re-hashed and the tree they give must
have the root of the latest signed checkpoint.
"""

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from huhang.ledger.checkpoint import Checkpoint, format_checkpoint
from huhang.ledger.errors import LedgerError
from huhang.ledger.hashing import LEAF_PREFIX, NODE_PREFIX
from huhang.ledger.nodes import NodeID, ProofNodes, consistency_nodes, inclusion_nodes, range_nodes
from huhang.ledger.store import LogRecord, SideRow, SqlStore, StoredCheckpoint, StoredTimestamp
from huhang.ledger.suites import Suite, get_suite
from huhang.ledger.tiles import TILE_HEIGHT, TILE_WIDTH, node_tile, tile_node, tile_root
from huhang.ledger.timestamp import TimestampError, verify_timestamp

TILE_CACHE_SIZE = 4096  # about 64 MiB of tiles
CATCH_UP_LIMIT = 1 << 16  # entries re-hashed to catch up with other writers; beyond, the edge is rebuilt from tiles

Edge = list[list[list[bytes]]]
"""``edge[tile_level][r]``: the complete nodes of within-tile level ``r`` (0..7) of the incomplete tile."""


def _empty_rows() -> list[list[bytes]]:
    return [[] for _ in range(TILE_HEIGHT)]


def _copy_edge(edge: Edge) -> Edge:
    return [[list(row) for row in rows] for rows in edge]


def _locked(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class LogIntegrityError(LedgerError):
    """The stored tree does not match what was signed."""


@dataclass(frozen=True)
class Hasher:
    """The Merkle hash functions of a log's suite, bound once so the hot paths look nothing up."""

    hash_leaf: Callable[[bytes], bytes]
    hash_children: Callable[[bytes, bytes], bytes]
    empty_root: bytes
    size: int = 32

    @classmethod
    def for_suite(cls, suite: Suite | str | None = None) -> "Hasher":
        new = get_suite(suite).new_hash
        return cls(
            hash_leaf=lambda data: new(LEAF_PREFIX + data).digest(),
            hash_children=lambda left, right: new(NODE_PREFIX + left + right).digest(),
            empty_root=new(b"").digest(),
            size=get_suite(suite).digest_size,
        )


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    """Return the C2SP tlog-checkpoint body: origin, size and base64 root hash, one per line."""
    return format_checkpoint(Checkpoint(origin, size, root))


@dataclass(frozen=True)
class Appended:
    """What an append returns once durable: the first entry's index and the signed checkpoint.

    ``proofs`` maps the offsets (in the batch) that asked for one to the entry's inclusion proof in that
    checkpoint's tree.
    """

    start: int
    count: int
    checkpoint: StoredCheckpoint
    proofs: dict[int, list[bytes]] = field(default_factory=dict)
    refused: dict[int, str] = field(default_factory=dict)

    def index_of(self, offset: int) -> int | None:
        """The index the entry at ``offset`` of the batch got; None if it was refused."""
        if offset in self.refused:
            return None
        return self.start + offset - sum(1 for other in self.refused if other < offset)


class Log:
    def __init__(self, store: SqlStore, record: LogRecord, hasher: Hasher, sign: Callable[[str], str]):
        self.store = store
        self.record = record
        self.hasher = hasher
        self._sign = sign
        self._tiles: OrderedDict[tuple[int, int], bytes] = OrderedDict()
        # One database connection serves the writer thread and the readers: take turns.
        self._lock = threading.RLock()
        self._load()

    # -- state ---------------------------------------------------------------------------------------

    @property
    def size(self) -> int:
        return self._size

    @property
    def origin(self) -> str:
        return self.record.origin

    @_locked
    def reload(self) -> None:
        """Forget cached state and rebuild it from storage (after a failed write, or another writer)."""
        self._tiles.clear()
        self._load()

    @_locked
    def refresh(self) -> int:
        """Catch up with entries other processes appended since this handle last looked; return the size."""
        latest = self.store.latest_checkpoint(self.record.id)
        if latest is not None and latest.size != self._size:
            self._catch_up(latest)
        return self._size

    def _load(self) -> None:
        """Rebuild the right edge from storage and check it against the last signed checkpoint."""
        latest = self.store.latest_checkpoint(self.record.id)
        size = latest.size if latest else 0
        edge: Edge = []
        leaves = self.store.entries(self.record.id, size - size % TILE_WIDTH, size)
        edge.append(self._partial_tile([self.hasher.hash_leaf(data) for data in leaves]))
        level, complete = 0, size >> TILE_HEIGHT  # complete nodes at the bottom of tile level 1
        while complete:
            begin = complete - complete % TILE_WIDTH
            tiles = self.store.tiles(self.record.id, level, begin, complete)
            if len(tiles) != complete - begin:
                raise LogIntegrityError(
                    f"tiles {begin}..{complete - 1} of level {level} are missing: found {len(tiles)}"
                )
            edge.append(self._partial_tile([tile_root(t, self.hasher.hash_children, self.hasher.size) for t in tiles]))
            level, complete = level + 1, complete >> TILE_HEIGHT
        self._size, self._edge = size, edge
        if latest is not None and self.root() != latest.root:
            raise LogIntegrityError(
                f"the stored tree of size {size} has root {self.root().hex()}, "
                f"but the signed checkpoint says {latest.root.hex()}"
            )

    def _partial_tile(self, bottom: list[bytes]) -> list[list[bytes]]:
        """Return the rows of complete nodes of an incomplete tile whose bottom row is ``bottom``."""
        rows = [bottom]
        for _ in range(TILE_HEIGHT - 1):
            below = rows[-1]
            rows.append([self.hasher.hash_children(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])
        return rows

    def _catch_up(self, latest: StoredCheckpoint | None) -> None:
        """Bring this handle to the stored checkpoint ``latest``, appended by another process."""
        if latest is None or latest.size < self._size or latest.size - self._size > CATCH_UP_LIMIT:
            self._tiles.clear()
            self._load()
            return
        entries = self.store.entries(self.record.id, self._size, latest.size)
        if len(entries) != latest.size - self._size:
            raise LogIntegrityError(f"entries {self._size}..{latest.size - 1} are missing: found {len(entries)}")
        edge = _copy_edge(self._edge)
        new_tiles = self._grow(edge, self._size, [self.hasher.hash_leaf(data) for data in entries])
        for level, index, tile in new_tiles:
            self._tiles[(level, index)] = tile
        root = self._root(latest.size, edge)
        if root != latest.root:
            for level, index, _ in new_tiles:
                self._tiles.pop((level, index), None)
            raise LogIntegrityError(
                f"the stored tree of size {latest.size} has root {root.hex()}, "
                f"but the signed checkpoint says {latest.root.hex()}"
            )
        self._size, self._edge = latest.size, edge

    def _tile(self, level: int, index: int) -> bytes:
        key = (level, index)
        tile = self._tiles.get(key)
        if tile is None:
            tile = self.store.tile(self.record.id, level, index)
            if tile is None:
                raise LogIntegrityError(f"tile {index} of level {level} is missing")
            self._tiles[key] = tile
            if len(self._tiles) > TILE_CACHE_SIZE:
                self._tiles.popitem(last=False)
        return tile

    def _node(self, level: int, index: int, size: int | None = None, edge: Edge | None = None) -> bytes:
        size = self._size if size is None else size
        edge = self._edge if edge is None else edge
        tile_level, tile_index, r, position = node_tile(level, index)
        full_tiles = size >> (TILE_HEIGHT * (tile_level + 1))
        if tile_index < full_tiles:
            return tile_node(self._tile(tile_level, tile_index), position, self.hasher.size)
        return edge[tile_level][r][index - (tile_index << (TILE_HEIGHT - r))]

    def _root(self, size: int, edge: Edge | None = None) -> bytes:
        """Return the root of the first ``size`` leaves: the compact range ``[0, size)`` folded right to left.

        ``edge``, when given, is the right edge of a tree of exactly ``size`` leaves (one not yet adopted).
        """
        if size == 0:
            return self.hasher.empty_root
        tree_size = None if edge is None else size
        hashes = [self._node(level, index, tree_size, edge) for level, index in range_nodes(0, size)]
        node = hashes[-1]
        for left in reversed(hashes[:-1]):
            node = self.hasher.hash_children(left, node)
        return node

    def _proof(self, needed: ProofNodes, size: int | None = None, edge: Edge | None = None) -> list[bytes]:
        """Return the proof ``needed`` names, its complete nodes read from the tiles and the edge."""
        hashes = [self._node(level, index, size, edge) for level, index in needed.ids]
        return needed.rehash(hashes, suite=self.record.suite)

    # -- reads ---------------------------------------------------------------------------------------

    @_locked
    def root(self, size: int | None = None) -> bytes:
        size = self._size if size is None else size
        self._require_size(size)
        return self._root(size)

    @_locked
    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """Return the inclusion proof of entry ``index`` in the tree of ``size`` (default: the current size)."""
        size = self._size if size is None else size
        self._require_size(size)
        if not 0 <= index < size:
            raise ValueError(f"index {index} is outside a tree of size {size}")
        needed = inclusion_nodes(index, size)
        self._prefetch(needed.ids)
        return self._proof(needed)

    @_locked
    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """Return the proof that the tree of ``old_size`` is a prefix of the tree of ``new_size`` (default: current)."""
        new_size = self._size if new_size is None else new_size
        self._require_size(new_size)
        if not 0 < old_size <= new_size:
            raise ValueError(f"no consistency proof from size {old_size} to size {new_size}")
        needed = consistency_nodes(old_size, new_size)
        self._prefetch(needed.ids)
        return self._proof(needed)

    def _prefetch(self, ids: Collection[NodeID], size: int | None = None) -> None:
        """Read the stored tiles holding ``ids`` that are not cached, in one query (one round trip)."""
        size = self._size if size is None else size
        missing = set()
        for node in ids:
            tile_level, tile_index, _, _ = node_tile(node.level, node.index)
            full_tiles = size >> (TILE_HEIGHT * (tile_level + 1))
            if tile_index < full_tiles and (tile_level, tile_index) not in self._tiles:
                missing.add((tile_level, tile_index))
        for key, tile in self.store.tiles_by_id(self.record.id, sorted(missing)).items():
            self._tiles[key] = tile
        while len(self._tiles) > TILE_CACHE_SIZE:
            self._tiles.popitem(last=False)

    @_locked
    def entry(self, index: int) -> bytes:
        self._require_size(index + 1)
        return self.store.entries(self.record.id, index, index + 1)[0]

    @_locked
    def entries(self, begin: int, end: int) -> list[bytes]:
        self._require_size(end)
        return self.store.entries(self.record.id, begin, end)

    @_locked
    def latest_checkpoint(self) -> StoredCheckpoint | None:
        return self.store.latest_checkpoint(self.record.id)

    @_locked
    def checkpoints(self) -> list[StoredCheckpoint]:
        return self.store.checkpoints(self.record.id)

    @_locked
    def checkpoint_covering(self, index: int) -> StoredCheckpoint | None:
        """Return the first signed checkpoint whose tree holds entry ``index``, None if none does yet."""
        return self.store.first_checkpoint_after(self.record.id, index)

    @_locked
    def latest_publication(self) -> tuple[int, str] | None:
        """Return ``(size, cosigned note)`` of the latest checkpoint published with its witnesses' cosignatures."""
        return self.store.latest_publication(self.record.id)

    @_locked
    def checkpoint(self, size: int) -> StoredCheckpoint | None:
        """Return the signed checkpoint of ``size``, None if the log signed none of that size."""
        return self.store.checkpoint(self.record.id, size)

    @_locked
    def publication(self, size: int) -> str | None:
        """Return the cosigned note published for ``size``, None if that size was not published."""
        return self.store.publication(self.record.id, size)

    @_locked
    def timestamp(self, size: int) -> StoredTimestamp | None:
        """Return the stored RFC 3161 time-stamp of the checkpoint of ``size``, None if it has none."""
        return self.store.timestamp(self.record.id, size)

    @_locked
    def latest_timestamp(self) -> StoredTimestamp | None:
        """Return the time-stamp of the largest time-stamped checkpoint, None if none is."""
        return self.store.latest_timestamp(self.record.id)

    def _require_size(self, size: int) -> None:
        if size > self._size:
            self.refresh()  # another process may have appended: a size beyond ours may exist
        if not 0 <= size <= self._size:
            raise ValueError(f"the log has {self._size} entries, not {size}")

    # -- writes --------------------------------------------------------------------------------------

    @_locked
    def append(
        self,
        entries: Sequence[bytes],
        *,
        rows: Sequence[SideRow | None] | None = None,
        prove: Collection[int] = (),
    ) -> Appended:
        """Append ``entries``, sign a checkpoint over the new tree and commit both; return once durable.

        ``rows[i]``, when given, is a row of another table that records entry ``i`` (its index and the new
        checkpoint's size filled in where it says so); it is inserted in the same transaction, so the entry
        and its row are committed together or not at all. For each offset in ``prove`` the result carries
        the entry's inclusion proof in the new checkpoint's tree.

        A row may carry a requirement (:class:`~huhang.ledger.store.Requirement`), checked in the same
        transaction: an entry whose requirement does not hold is left out (``refused``, with why) and the
        others get consecutive indices in the order given (:meth:`Appended.index_of`). If every entry is
        refused, nothing is written and the result's checkpoint is the latest one.
        """
        if not entries:
            raise ValueError("nothing to append")
        if rows is not None and len(rows) != len(entries):
            raise ValueError(f"{len(rows)} side rows for {len(entries)} entries")
        if any(not 0 <= offset < len(entries) for offset in prove):
            raise ValueError(f"proofs asked for offsets outside the batch of {len(entries)}")
        with self.store.transaction() as cur:
            stored = self.store.latest_checkpoint_for_update(cur, self.record.id)
            if (stored.size if stored else 0) != self._size:
                self._catch_up(stored)  # another process appended since we last looked
            refused = self.store.unmet(cur, rows) if rows else {}
            if refused:
                if len(refused) == len(entries):
                    return Appended(start=self._size, count=0, checkpoint=stored, refused=refused)
                kept = [offset for offset in range(len(entries)) if offset not in refused]
                new_offset = {offset: position for position, offset in enumerate(kept)}
                entries, rows = [entries[i] for i in kept], [rows[i] for i in kept]
                prove = [new_offset[offset] for offset in prove if offset in new_offset]
            start = self._size
            edge = _copy_edge(self._edge)
            new_tiles = self._grow(edge, start, [self.hasher.hash_leaf(data) for data in entries])
            size = start + len(entries)
            root = self._root(size, edge)
            for level, index, tile in new_tiles:
                self._tiles[(level, index)] = tile
            note = self._sign(checkpoint_body(self.origin, size, root))
            checkpoint = StoredCheckpoint(size, root, note)
            self.store.append(
                cur,
                log_id=self.record.id,
                start=start,
                entries=entries,
                tiles=new_tiles,
                checkpoint=checkpoint,
                rows=rows or (),
            )
            # Inside the transaction: tiles the proofs need that the cache dropped are read back from it.
            proofs = self._proofs([start + offset for offset in sorted(prove)], size, edge)
        self._size, self._edge = size, edge
        proofs_by_offset = {index - start: proof for index, proof in proofs.items()}
        if refused:
            proofs_by_offset = {kept[position]: proof for position, proof in proofs_by_offset.items()}
        return Appended(
            start=start,
            count=len(entries),
            checkpoint=checkpoint,
            proofs=proofs_by_offset,
            refused=refused,
        )

    def _proofs(self, indices: list[int], size: int, edge: Edge) -> dict[int, list[bytes]]:
        if not indices:
            return {}
        needed = {index: inclusion_nodes(index, size) for index in indices}
        self._prefetch({node for nodes in needed.values() for node in nodes.ids}, size)
        return {index: self._proof(nodes, size, edge) for index, nodes in needed.items()}

    def _grow(self, edge: Edge, size: int, leaf_hashes: list[bytes]) -> list[tuple[int, int, bytes]]:
        """Add leaf hashes to ``edge`` (changed in place); return the tiles that became full."""
        hash_children = self.hasher.hash_children
        new_tiles = []
        for leaf in leaf_hashes:
            carry, level = leaf, 0
            while True:
                if level == len(edge):
                    edge.append(_empty_rows())
                rows = edge[level]
                row = rows[0]
                row.append(carry)
                r = 0
                while len(row) % 2 == 0 and r < TILE_HEIGHT - 1:  # a pair completed: its parent too
                    above = rows[r + 1]
                    above.append(hash_children(row[-2], row[-1]))
                    row, r = above, r + 1
                if len(rows[0]) < TILE_WIDTH:
                    break
                # The tile is full: its rows are its stored form, its root goes up a tile level.
                index = (size >> (TILE_HEIGHT * level)) >> TILE_HEIGHT
                new_tiles.append((level, index, b"".join(h for row in rows for h in row)))
                carry = hash_children(rows[-1][0], rows[-1][1])
                edge[level] = _empty_rows()
                level += 1
            size += 1
        return new_tiles

    # -- audit ---------------------------------------------------------------------------------------

    @_locked
    def check(self, verify_note: Callable[[str], None] | None = None, chunk: int = 65536) -> list[str]:
        """Re-derive every hash from the stored entries; return every inconsistency found (empty: none).

        Each stored tile must equal the tile recomputed from the entries below it, each checkpoint's root
        must be the root recomputed at its size, its note must state that size and root, and, when
        ``verify_note`` is given, its signature must verify (``verify_note`` raises on a bad one). Each stored
        RFC 3161 token must be a valid time-stamp of the signed or the published note of its size.
        """
        problems: list[str] = []
        edge: Edge = []
        size = 0
        for cp in self.store.checkpoints(self.record.id):
            while size < cp.size:
                end = min(cp.size, size + chunk)
                entries = self.store.entries(self.record.id, size, end)
                if len(entries) != end - size:
                    problems.append(f"entries {size}..{end - 1}: {end - size - len(entries)} missing")
                    return problems
                for level, index, tile in self._grow(edge, size, [self.hasher.hash_leaf(d) for d in entries]):
                    if self.store.tile(self.record.id, level, index) != tile:
                        problems.append(f"tile {index} of level {level} differs from the entries below it")
                size = end
            root = self._root(size, edge)
            if root != cp.root:
                problems.append(f"checkpoint {cp.size}: stored root {cp.root.hex()}, recomputed {root.hex()}")
            if not cp.note.startswith(checkpoint_body(self.origin, cp.size, root)):
                problems.append(f"checkpoint {cp.size}: its signed note does not state this size and root")
            if verify_note is not None:
                try:
                    verify_note(cp.note)
                except Exception as exc:
                    problems.append(f"checkpoint {cp.size}: signature does not verify: {exc}")
        extra = self.store.entry_count(self.record.id) - size
        if extra:
            problems.append(f"{extra} entries stand beyond the last checkpoint (size {size})")
        for stamp in self.store.timestamps(self.record.id):
            problem = self._timestamp_problem(stamp)
            if problem:
                problems.append(problem)
        return problems

    def _timestamp_problem(self, stamp: StoredTimestamp) -> str | None:
        """Check a stored RFC 3161 token against the signed or the published note of its size."""
        checkpoint = self.store.checkpoint(self.record.id, stamp.size)
        notes = [checkpoint.note if checkpoint else None, self.store.publication(self.record.id, stamp.size)]
        reasons = []
        for note in filter(None, notes):
            try:
                verify_timestamp(stamp.token, note.encode("utf-8"))
                return None
            except TimestampError as exc:
                reasons.append(str(exc))
        return f"time-stamp of checkpoint {stamp.size}: " + ("; ".join(reasons) or "no such checkpoint")
