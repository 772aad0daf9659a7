"""Proofs of a tree of any size from the hashes of its complete subtrees (RFC 9162 §2.1).

:class:`TreeView` needs only one thing from storage: the hash of a *complete* subtree, node
``(level, index)`` covering leaves ``[index << level, (index + 1) << level)``. Everything else (the hash
of any range, inclusion and consistency proofs for any earlier size) follows the RFC's recursive
definitions, touching O(log n) stored nodes and hashing only across the tree's ragged right edge.
"""

from collections.abc import Callable

NodeSource = Callable[[int, int], bytes]


def _split(n: int) -> int:
    """Return the largest power of two smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class TreeView:
    """Range hashes and proofs over a tree whose complete subtrees ``node(level, index)`` returns."""

    def __init__(self, node: NodeSource, hash_children: Callable[[bytes, bytes], bytes], empty_root: bytes):
        self._node = node
        self._children = hash_children
        self._empty = empty_root

    def range_hash(self, begin: int, end: int) -> bytes:
        """Return MTH of leaves ``[begin, end)``; ``begin`` must be aligned as in the RFC's recursion."""
        n = end - begin
        if n == 0:
            return self._empty
        if n & (n - 1) == 0 and begin % n == 0:
            return self._node(n.bit_length() - 1, begin // n)
        k = _split(n)
        return self._children(self.range_hash(begin, begin + k), self.range_hash(begin + k, end))

    def root(self, size: int) -> bytes:
        return self.range_hash(0, size)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """Return the audit path of leaf ``index`` in the tree of ``size`` leaves (RFC 9162 §2.1.3.1)."""
        if not 0 <= index < size:
            raise ValueError(f"index {index} is outside a tree of size {size}")
        proof: list[bytes] = []
        begin, end, m = 0, size, index
        while end - begin > 1:
            k = _split(end - begin)
            if m < k:
                proof.append(self.range_hash(begin + k, end))
                end = begin + k
            else:
                proof.append(self.range_hash(begin, begin + k))
                begin, m = begin + k, m - k
        proof.reverse()
        return proof

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        """Return the proof that the tree of ``old_size`` is a prefix of the tree of ``new_size``.

        As in transparency-dev/merkle: ``0 < old_size <= new_size``; equal sizes give an empty proof.
        """
        if not 0 < old_size <= new_size:
            raise ValueError(f"no consistency proof from size {old_size} to size {new_size}")
        proof: list[bytes] = []
        begin, end, m, whole = 0, new_size, old_size, True
        while m != end - begin:
            k = _split(end - begin)
            if m <= k:
                proof.append(self.range_hash(begin + k, end))
                end = begin + k
            else:
                proof.append(self.range_hash(begin, begin + k))
                begin, m, whole = begin + k, m - k, False
        if not whole:
            proof.append(self.range_hash(begin, end))
        proof.reverse()
        return proof
