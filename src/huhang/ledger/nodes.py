"""Tree addressing for storage-agnostic proofs: node IDs, compact ranges and the nodes a proof needs.

Vocabulary (as in transparency-dev/merkle ``docs/data_model.md``): leaves are numbered from 0 and
ranges are half-open, ``[begin, end)``. ``NodeID(level, index)`` is the root of the perfect subtree
over leaves ``[index * 2**level, (index + 1) * 2**level)``; level 0 nodes are leaf hashes. A node
that covers leaves at or past the tree size is *ephemeral*: a log never stores it, and its hash in
a proof is folded from the stored nodes that cover the part of it inside the tree.

A log that stores node hashes (or tiles of them) builds a proof without touching the leaves::

    needed = inclusion_nodes(index, size)             # which nodes, in proof order
    hashes = [store.get(node) for node in needed.ids] # fetched by the caller
    proof = needed.rehash(hashes, suite=suite)        # folds the ephemeral node, if any

>>> inclusion_nodes(2, 5).ids
(NodeID(level=0, index=3), NodeID(level=1, index=0), NodeID(level=0, index=4))
>>> range_nodes(3, 12)
[NodeID(level=0, index=3), NodeID(level=2, index=1), NodeID(level=2, index=2)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from huhang.ledger.errors import ProofError
from huhang.ledger.hashing import NODE_PREFIX
from huhang.ledger.suites import Suite, get_suite

MAX_SIZE = 1 << 63
"""Sizes and indices must be below this (a signed 64-bit integer, like Go's int64 tree sizes)."""


class NodeID(NamedTuple):
    """The node at ``level`` (0 for leaves) and position ``index`` on that level."""

    level: int
    index: int

    def coverage(self) -> tuple[int, int]:
        """Return the half-open range of leaves ``[begin, end)`` below this node."""
        return self.index << self.level, (self.index + 1) << self.level


def range_nodes(begin: int, end: int) -> list[NodeID]:
    """Return the nodes of the compact range ``[begin, end)``, left to right.

    These are the largest perfect subtrees that tile the range; their number is at most about
    twice the bit length of ``end``. Requires ``0 <= begin <= end``.
    """
    _check_int(begin, "begin")
    _check_int(end, "end")
    if begin > end:
        raise ProofError(f"invalid range [{begin}, {end}): begin > end")
    nodes = []
    while begin < end:
        # The largest aligned block starting at ``begin`` that still fits before ``end``.
        aligned = (begin & -begin).bit_length() - 1 if begin else 64
        level = min(aligned, (end - begin).bit_length() - 1)
        nodes.append(NodeID(level, begin >> level))
        begin += 1 << level
    return nodes


@dataclass(frozen=True, slots=True)
class ProofNodes:
    """The nodes whose hashes make a proof, in proof order, and how to fold them into the proof.

    ``ids[ephemeral_begin:ephemeral_end]`` (possibly empty) are the stored nodes that together
    stand for one ephemeral node; they are listed right to left so that :meth:`rehash` folds them
    in order. Every other id is one proof element.
    """

    ids: tuple[NodeID, ...]
    ephemeral_begin: int = 0
    ephemeral_end: int = 0

    def rehash(self, hashes: Sequence[bytes], *, suite: Suite | str | None = None) -> list[bytes]:
        """Return the proof, given the hashes of ``ids`` in the same order.

        Requires one hash of the suite's digest size per id; raises :class:`ProofError` otherwise.
        """
        suite = get_suite(suite)
        if not isinstance(hashes, list | tuple):
            raise ProofError(f"hashes must be a list or tuple, got {type(hashes).__name__}")
        if len(hashes) != len(self.ids):
            raise ProofError(f"wrong number of node hashes: got {len(hashes)}, want {len(self.ids)}")
        for position, h in enumerate(hashes):
            if not isinstance(h, bytes | bytearray) or len(h) != suite.digest_size:
                raise ProofError(f"node hash {position} ({self.ids[position]}) is not a {suite.digest_size}-byte hash")
        begin, end = self.ephemeral_begin, self.ephemeral_end
        if end - begin < 2:
            return [bytes(h) for h in hashes]
        new = suite.new_hash
        folded = bytes(hashes[begin])
        for h in hashes[begin + 1 : end]:
            folded = new(NODE_PREFIX + h + folded).digest()
        return [bytes(h) for h in hashes[:begin]] + [folded] + [bytes(h) for h in hashes[end:]]


def inclusion_nodes(index: int, size: int) -> ProofNodes:
    """Return the nodes of the inclusion proof for leaf ``index`` in the tree of ``size`` leaves.

    Requires ``0 <= index < size``; raises :class:`ProofError` otherwise.
    """
    _check_int(index, "index")
    _check_int(size, "size")
    if index >= size:
        raise ProofError(f"index {index} out of range for tree size {size}")
    ids, begin, end = _path_nodes(0, index, size)
    return ProofNodes(tuple(ids), begin, end)


def consistency_nodes(old_size: int, new_size: int) -> ProofNodes:
    """Return the nodes of the consistency proof from the tree of ``old_size`` leaves to ``new_size``.

    Requires ``0 < old_size <= new_size``; raises :class:`ProofError` otherwise (a proof from the
    empty tree would prove nothing).
    """
    _check_int(old_size, "old_size")
    _check_int(new_size, "new_size")
    if old_size == 0:
        raise ProofError("consistency proof from the empty tree is meaningless: want old_size > 0")
    if old_size > new_size:
        raise ProofError(f"old_size {old_size} > new_size {new_size}")
    if old_size == new_size:
        return ProofNodes(())
    # The old tree's rightmost perfect subtree [old - 2**level, old) is also a node of the new
    # tree; the proof is that node (unless it is the whole old tree, whose root the verifier has)
    # followed by its inclusion path in the new tree.
    level = (old_size & -old_size).bit_length() - 1
    index = (old_size - 1) >> level
    ids, begin, end = _path_nodes(level, index, new_size)
    if index == 0:
        return ProofNodes(tuple(ids), begin, end)
    shift = 1 if end > begin else 0
    return ProofNodes((NodeID(level, index), *ids), begin + shift, end + shift)


def _path_nodes(level: int, index: int, size: int) -> tuple[list[NodeID], int, int]:
    """Return the nodes proving that complete node (level, index) is in the tree of ``size`` leaves."""
    ids: list[NodeID] = []
    begin = end = 0
    while True:
        first = index << level
        if first == 0 and (1 << level) >= size:
            return ids, begin, end  # this ancestor is the root
        width = 1 << level
        sibling = index ^ 1
        sibling_first = sibling << level
        if sibling_first + width <= size:
            ids.append(NodeID(level, sibling))
        elif sibling_first < size:
            # The right sibling sticks out of the tree: it is ephemeral, and stands for the
            # compact range [sibling_first, size). At most one level has such a sibling.
            begin = len(ids)
            ids.extend(reversed(range_nodes(sibling_first, size)))
            end = len(ids)
        # Otherwise the sibling lies wholly past the tree: the parent hash is this node's hash.
        level += 1
        index >>= 1


def _check_int(value: object, name: str) -> None:
    if type(value) is not int:
        raise ProofError(f"{name} must be an int, got {type(value).__name__}")
    if not 0 <= value < MAX_SIZE:
        raise ProofError(f"{name} {value} out of range: want 0 <= {name} < 2**63")
