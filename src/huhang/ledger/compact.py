"""The Merkle frontier: a compact range ``[0, size)`` that computes tree heads while appending.

It keeps one hash per 1 bit of ``size``: the roots of the perfect subtrees that tile the leaves
so far, left to right (``range_nodes(0, size)``). Appending a leaf hash costs one node hash on
average (about 1 µs); the root costs one hash per stored subtree, at most 62. A sequencer persists
``(size, hashes)`` and restores the frontier from them instead of rereading the log.

>>> from huhang.ledger.hashing import hash_leaf, root_hash
>>> frontier = Frontier()
>>> for data in (b"a", b"b", b"c"):
...     frontier.append(hash_leaf(data))
>>> frontier.size, len(frontier.hashes)
(3, 2)
>>> frontier.root() == root_hash([b"a", b"b", b"c"])
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from huhang.ledger.errors import ProofError
from huhang.ledger.hashing import NODE_PREFIX
from huhang.ledger.nodes import MAX_SIZE, NodeID, range_nodes
from huhang.ledger.suites import Suite, get_suite

NodeVisitor = Callable[[int, int, bytes], None]
"""Called as ``visit(level, index, hash)`` for each node an append completes."""


class Frontier:
    """The compact range ``[0, size)`` of a log's Merkle tree, for one suite."""

    __slots__ = ("_hashes", "_new", "_size", "_suite")

    def __init__(self, *, suite: Suite | str | None = None, size: int = 0, hashes: Iterable[bytes] = ()) -> None:
        """Make a frontier, empty or restored from a saved ``size`` and :attr:`hashes`.

        Requires one hash of the suite's digest size per 1 bit of ``size``; raises
        :class:`ProofError` otherwise.
        """
        self._suite = get_suite(suite)
        self._new = self._suite.new_hash
        if type(size) is not int or not 0 <= size < MAX_SIZE:
            raise ProofError(f"size must be an int in [0, 2**63), got {size!r}")
        stored = list(hashes)
        if len(stored) != size.bit_count():
            raise ProofError(f"wrong number of hashes for size {size}: got {len(stored)}, want {size.bit_count()}")
        for position, h in enumerate(stored):
            if not isinstance(h, bytes | bytearray) or len(h) != self._suite.digest_size:
                raise ProofError(f"hash {position} is not a {self._suite.digest_size}-byte hash")
        self._hashes = [bytes(h) for h in stored]
        self._size = size

    @property
    def suite(self) -> Suite:
        """The suite whose hash function builds this tree."""
        return self._suite

    @property
    def size(self) -> int:
        """The number of leaves appended."""
        return self._size

    @property
    def hashes(self) -> tuple[bytes, ...]:
        """The subtree roots, left (largest) to right; save them with :attr:`size` to restore."""
        return tuple(self._hashes)

    def node_ids(self) -> list[NodeID]:
        """Return the node IDs of :attr:`hashes`, in the same order."""
        return range_nodes(0, self._size)

    def append(self, leaf_hash: bytes, visit: NodeVisitor | None = None) -> None:
        """Append one leaf by its leaf hash (see :func:`~huhang.ledger.hashing.hash_leaf`).

        If ``visit`` is given, call it for the leaf (level 0) and for every interior node the
        append completes, lowest first: a log that stores node hashes saves these.
        Requires a hash of the suite's digest size.
        """
        if not isinstance(leaf_hash, bytes | bytearray) or len(leaf_hash) != self._suite.digest_size:
            raise ProofError(f"leaf hash must be {self._suite.digest_size} bytes, got {leaf_hash!r:.80}")
        if self._size + 1 >= MAX_SIZE:
            raise ProofError("tree is full: size would reach 2**63")
        node = bytes(leaf_hash)
        hashes = self._hashes
        index = self._size
        level = 0
        if visit is not None:
            visit(0, index, node)
        while index & 1:
            node = self._new(NODE_PREFIX + hashes.pop() + node).digest()
            index >>= 1
            level += 1
            if visit is not None:
                visit(level, index, node)
        hashes.append(node)
        self._size += 1

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        """Append several leaves by their leaf hashes."""
        for leaf_hash in leaf_hashes:
            self.append(leaf_hash)

    def root(self) -> bytes:
        """Return the tree head ``MTH`` of the leaves appended so far."""
        hashes = self._hashes
        if not hashes:
            return self._new(b"").digest()
        node = hashes[-1]
        for left in reversed(hashes[:-1]):
            node = self._new(NODE_PREFIX + left + node).digest()
        return node

    def copy(self) -> Frontier:
        """Return an independent copy."""
        return Frontier(suite=self._suite, size=self._size, hashes=self._hashes)

    def __repr__(self) -> str:
        return f"Frontier(suite={self._suite.name!r}, size={self._size})"
