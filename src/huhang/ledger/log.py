"""A transparency log over a :class:`~huhang.ledger.store.SqlStore`: appends, checkpoints and proofs.

The log keeps in memory only the ragged right edge of its tree (the incomplete tile at each tile level,
at most 255 hashes each); full tiles are read from storage when a proof needs them and cached, since they
never change. Opening a log rebuilds the edge from the stored entries and tiles and checks that the tree it
finds has the root of the last signed checkpoint.
"""

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from huhang.ledger.checkpoint import Checkpoint, format_checkpoint
from huhang.ledger.errors import LedgerError
from huhang.ledger.hashing import LEAF_PREFIX, NODE_PREFIX
from huhang.ledger.nodes import consistency_nodes, inclusion_nodes
from huhang.ledger.store import LogRecord, SqlStore, StoredCheckpoint, StoredTimestamp
from huhang.ledger.suites import Suite, get_suite
from huhang.ledger.tiles import TILE_HEIGHT, TILE_WIDTH, build_tile, node_tile, tile_node, tile_root
from huhang.ledger.timestamp import TimestampError, verify_timestamp
from huhang.ledger.tree import TreeView

TILE_CACHE_SIZE = 4096  # about 64 MiB of tiles


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
    """What an append returns once durable: the first entry's index and the signed checkpoint."""

    start: int
    count: int
    checkpoint: StoredCheckpoint


class Log:
    def __init__(self, store: SqlStore, record: LogRecord, hasher: Hasher, sign: Callable[[str], str]):
        self.store = store
        self.record = record
        self.hasher = hasher
        self._sign = sign
        self._tiles: OrderedDict[tuple[int, int], bytes] = OrderedDict()
        # One database connection serves the writer thread and the readers: take turns.
        self._lock = threading.RLock()
        self._edge_nodes: dict[tuple[int, int], bytes] = {}  # nodes hashed from the current edge, until it changes
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

    def _load(self) -> None:
        """Rebuild the right edge from storage and check it against the last signed checkpoint."""
        latest = self.store.latest_checkpoint(self.record.id)
        size = latest.size if latest else 0
        edge: list[list[bytes]] = []
        leaves = self.store.entries(self.record.id, size - size % TILE_WIDTH, size)
        edge.append([self.hasher.hash_leaf(data) for data in leaves])
        level, complete = 0, size >> TILE_HEIGHT  # complete nodes at the bottom of tile level 1
        while complete:
            begin = complete - complete % TILE_WIDTH
            tiles = self.store.tiles(self.record.id, level, begin, complete)
            if len(tiles) != complete - begin:
                raise LogIntegrityError(
                    f"tiles {begin}..{complete - 1} of level {level} are missing: found {len(tiles)}"
                )
            edge.append([tile_root(t, self.hasher.hash_children, self.hasher.size) for t in tiles])
            level, complete = level + 1, complete >> TILE_HEIGHT
        self._size, self._edge = size, edge
        self._edge_nodes = {}
        if latest is not None and self.root() != latest.root:
            raise LogIntegrityError(
                f"the stored tree of size {size} has root {self.root().hex()}, "
                f"but the signed checkpoint says {latest.root.hex()}"
            )

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

    def _node(self, level: int, index: int, size: int | None = None, edge: list[list[bytes]] | None = None) -> bytes:
        size = self._size if size is None else size
        edge = self._edge if edge is None else edge
        tile_level, tile_index, r, position = node_tile(level, index)
        full_tiles = size >> (TILE_HEIGHT * (tile_level + 1))
        if tile_index < full_tiles:
            return tile_node(self._tile(tile_level, tile_index), position, self.hasher.size)
        current = edge is self._edge
        if current and (level, index) in self._edge_nodes:
            return self._edge_nodes[(level, index)]
        first = (index << r) - (tile_index << TILE_HEIGHT)
        row = edge[tile_level][first : first + (1 << r)]
        while len(row) > 1:
            row = [self.hasher.hash_children(row[i], row[i + 1]) for i in range(0, len(row), 2)]
        if current:
            self._edge_nodes[(level, index)] = row[0]
        return row[0]

    def _view(self, size: int | None = None, edge=None) -> TreeView:
        return TreeView(
            lambda level, index: self._node(level, index, size, edge),
            self.hasher.hash_children,
            self.hasher.empty_root,
        )

    # -- reads ---------------------------------------------------------------------------------------

    @_locked
    def root(self, size: int | None = None) -> bytes:
        size = self._size if size is None else size
        self._require_size(size)
        return self._view().root(size)

    @_locked
    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        size = self._size if size is None else size
        self._require_size(size)
        if 0 <= index < size:
            self._prefetch(inclusion_nodes(index, size).ids)
        return self._view().inclusion_proof(index, size)

    @_locked
    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        new_size = self._size if new_size is None else new_size
        self._require_size(new_size)
        if 0 < old_size <= new_size:
            self._prefetch(consistency_nodes(old_size, new_size).ids)
        return self._view().consistency_proof(old_size, new_size)

    def _prefetch(self, ids) -> None:
        """Read the stored tiles holding ``ids`` that are not cached, in one query (one round trip)."""
        missing = set()
        for node in ids:
            tile_level, tile_index, _, _ = node_tile(node.level, node.index)
            full_tiles = self._size >> (TILE_HEIGHT * (tile_level + 1))
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
        if not 0 <= size <= self._size:
            raise ValueError(f"the log has {self._size} entries, not {size}")

    # -- writes --------------------------------------------------------------------------------------

    @_locked
    def append(self, entries: Sequence[bytes]) -> Appended:
        """Append ``entries``, sign a checkpoint over the new tree and commit both; return once durable."""
        if not entries:
            raise ValueError("nothing to append")
        with self.store.transaction() as cur:
            stored_size = self.store.size_for_update(cur, self.record.id)
            if stored_size != self._size:
                self._load()  # another process appended since we last looked
            start = self._size
            edge = [list(row) for row in self._edge]
            new_tiles = self._grow(edge, start, [self.hasher.hash_leaf(data) for data in entries])
            size = start + len(entries)
            root = self._view(size, edge).root(size) if size else self.hasher.empty_root
            for level, index, tile in new_tiles:
                self._tiles[(level, index)] = tile
            note = self._sign(checkpoint_body(self.origin, size, root))
            checkpoint = StoredCheckpoint(size, root, note)
            self.store.append(
                cur, log_id=self.record.id, start=start, entries=entries, tiles=new_tiles, checkpoint=checkpoint
            )
        self._size, self._edge, self._edge_nodes = size, edge, {}
        return Appended(start=start, count=len(entries), checkpoint=checkpoint)

    def _grow(self, edge: list[list[bytes]], size: int, leaf_hashes: list[bytes]) -> list[tuple[int, int, bytes]]:
        """Add leaf hashes to ``edge`` (changed in place); return the tiles that became full."""
        new_tiles = []
        for leaf in leaf_hashes:
            carry, level = leaf, 0
            while True:
                if level == len(edge):
                    edge.append([])
                row = edge[level]
                row.append(carry)
                if len(row) < TILE_WIDTH:
                    break
                tile = build_tile(row, self.hasher.hash_children)
                index = (size >> (TILE_HEIGHT * level)) >> TILE_HEIGHT
                new_tiles.append((level, index, tile))
                carry = tile_root(tile, self.hasher.hash_children, self.hasher.size)
                edge[level] = []
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
        edge: list[list[bytes]] = []
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
            root = self._view(size, edge).root(size)
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
