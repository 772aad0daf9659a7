"""Merkle inclusion and consistency proofs (RFC 9162 §2.1.3 and §2.1.4).

The provers here take the leaf data of a whole tree: they serve tests, tools and small logs. A log
that stores node hashes builds the same proofs from :func:`~huhang.ledger.nodes.inclusion_nodes`
and :func:`~huhang.ledger.nodes.consistency_nodes` without reading the leaves.

The verifiers follow RFC 9162 §2.1.3.2 and §2.1.4.2 and raise :class:`ProofError` for anything that
does not verify, including malformed arguments of any type; they never raise another exception.
As in transparency-dev/merkle, a consistency proof from the empty tree is rejected (it proves
nothing: every tree extends the empty one), and equal sizes need an empty proof and equal roots.

>>> from huhang.ledger.hashing import hash_leaf, root_hash
>>> leaves = [b"alpha", b"beta", b"gamma"]
>>> proof = inclusion_proof(leaves, 1, 3)
>>> verify_inclusion(leaf_hash=hash_leaf(b"beta"), index=1, size=3, proof=proof, root=root_hash(leaves))
>>> try:
...     verify_inclusion(leaf_hash=hash_leaf(b"BETA"), index=1, size=3, proof=proof, root=root_hash(leaves))
... except ProofError as error:
...     print(str(error)[:54])
root hash at size 3 mismatched: computed 37d1e5da03e24
"""

from __future__ import annotations

from collections.abc import Sequence

from huhang.ledger.errors import ProofError, RootMismatchError
from huhang.ledger.hashing import LEAF_PREFIX, NODE_PREFIX
from huhang.ledger.nodes import MAX_SIZE, NodeID, consistency_nodes, inclusion_nodes
from huhang.ledger.suites import HashFactory, Suite, get_suite


def inclusion_proof(leaves: Sequence[bytes], index: int, size: int, *, suite: Suite | str | None = None) -> list[bytes]:
    """Return the inclusion proof of leaf ``index`` in the tree over ``leaves[:size]`` (leaf data).

    Requires ``0 <= index < size <= len(leaves)``; raises :class:`ProofError` otherwise.
    """
    suite = get_suite(suite)
    needed = inclusion_nodes(index, size)
    leaf_hashes = _leaf_hashes(leaves, size, suite.new_hash)
    return needed.rehash([_node_hash(leaf_hashes, node, suite.new_hash) for node in needed.ids], suite=suite)


def consistency_proof(
    leaves: Sequence[bytes], old_size: int, new_size: int, *, suite: Suite | str | None = None
) -> list[bytes]:
    """Return the proof that the tree over ``leaves[:old_size]`` is a prefix of the one over ``leaves[:new_size]``.

    Requires ``0 < old_size <= new_size <= len(leaves)``; raises :class:`ProofError` otherwise.
    """
    suite = get_suite(suite)
    needed = consistency_nodes(old_size, new_size)
    leaf_hashes = _leaf_hashes(leaves, new_size, suite.new_hash)
    return needed.rehash([_node_hash(leaf_hashes, node, suite.new_hash) for node in needed.ids], suite=suite)


def verify_inclusion(
    *,
    leaf_hash: bytes,
    index: int,
    size: int,
    proof: Sequence[bytes],
    root: bytes,
    suite: Suite | str | None = None,
) -> None:
    """Check that ``proof`` shows the leaf with ``leaf_hash`` at ``index`` in the tree of ``size`` with ``root``.

    Requires ``0 <= index < size < 2**63``, hashes as ``bytes`` of the suite's digest size and
    ``proof`` a list or tuple of such hashes. Raises :class:`ProofError` if anything is
    malformed, :class:`RootMismatchError` if the proof leads to another root.
    """
    suite = get_suite(suite)
    digest_size = suite.digest_size
    _check_size(index, "index")
    _check_size(size, "size")
    if index >= size:
        raise ProofError(f"index {index} out of range for tree size {size}")
    _check_hash(leaf_hash, "leaf_hash", digest_size)
    _check_hash(root, "root", digest_size)
    _check_proof(proof, digest_size)
    want = inclusion_proof_length(index, size)
    if len(proof) != want:
        got = len(proof)
        raise ProofError(f"wrong inclusion proof size for index {index} in tree size {size}: got {got}, want {want}")
    new = suite.new_hash
    # RFC 9162 §2.1.3.2, step by step; the length check above makes its failure branches unreachable.
    fn, sn, r = index, size - 1, bytes(leaf_hash)
    for p in proof:
        if fn & 1 or fn == sn:
            r = new(NODE_PREFIX + p + r).digest()
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            r = new(NODE_PREFIX + r + p).digest()
        fn >>= 1
        sn >>= 1
    if r != root:
        raise RootMismatchError(size=size, expected=root, computed=r)


def verify_consistency(
    *,
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
    suite: Suite | str | None = None,
) -> None:
    """Check that ``proof`` shows the tree (``old_size``, ``old_root``) is a prefix of (``new_size``, ``new_root``).

    Requires ``0 < old_size <= new_size < 2**63``, roots as ``bytes`` of the suite's digest size
    and ``proof`` a list or tuple of such hashes (empty when the sizes are equal). Raises
    :class:`ProofError` if anything is malformed, :class:`RootMismatchError` if a root differs.
    """
    suite = get_suite(suite)
    digest_size = suite.digest_size
    _check_size(old_size, "old_size")
    _check_size(new_size, "new_size")
    _check_hash(old_root, "old_root", digest_size)
    _check_hash(new_root, "new_root", digest_size)
    _check_proof(proof, digest_size)
    if old_size > new_size:
        raise ProofError(f"old_size {old_size} > new_size {new_size}")
    if old_size == 0:
        raise ProofError("consistency proof from the empty tree is meaningless: want old_size > 0")
    if old_size == new_size:
        if proof:
            raise ProofError(f"wrong consistency proof size for equal sizes {old_size}: got {len(proof)}, want 0")
        if old_root != new_root:
            what = "root hash for equal sizes"
            raise RootMismatchError(size=old_size, expected=new_root, computed=old_root, what=what)
        return
    level = (old_size & -old_size).bit_length() - 1
    index = (old_size - 1) >> level
    want = _path_length(level, index, new_size) + (1 if index else 0)
    if len(proof) != want:
        raise ProofError(f"wrong consistency proof size from {old_size} to {new_size}: got {len(proof)}, want {want}")
    new = suite.new_hash
    # RFC 9162 §2.1.4.2, step by step.
    path = list(proof)
    if index == 0:  # old_size is a power of two: the verifier knows that subtree's root
        path.insert(0, bytes(old_root))
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = bytes(path[0])
    for c in path[1:]:
        if fn & 1 or fn == sn:
            fr = new(NODE_PREFIX + c + fr).digest()
            sr = new(NODE_PREFIX + c + sr).digest()
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            sr = new(NODE_PREFIX + sr + c).digest()
        fn >>= 1
        sn >>= 1
    if fr != old_root:
        raise RootMismatchError(size=old_size, expected=old_root, computed=fr, what="old root hash")
    if sr != new_root:
        raise RootMismatchError(size=new_size, expected=new_root, computed=sr, what="new root hash")


def inclusion_proof_length(index: int, size: int) -> int:
    """Return how many hashes the inclusion proof of leaf ``index`` in a tree of ``size`` leaves has (index < size)."""
    return _path_length(0, index, size)


def _path_length(level: int, index: int, size: int) -> int:
    """Return the number of proof hashes from complete node (level, index) to the root of ``size`` leaves."""
    # Below the level where the paths to this node and to the last leaf part, every level needs
    # one hash; above it, only the levels where this node's ancestor is a right child do.
    inner = (index ^ ((size - 1) >> level)).bit_length()
    return inner + (index >> inner).bit_count()


def _leaf_hashes(leaves: Sequence[bytes], size: int, new: HashFactory) -> list[bytes]:
    if not isinstance(leaves, Sequence) or isinstance(leaves, bytes | bytearray | str):
        raise ProofError(f"leaves must be a sequence of leaf data, got {type(leaves).__name__}")
    if size > len(leaves):
        raise ProofError(f"size {size} > number of leaves {len(leaves)}")
    hashes = []
    for position in range(size):
        h = new(LEAF_PREFIX)
        h.update(leaves[position])
        hashes.append(h.digest())
    return hashes


def _node_hash(leaf_hashes: list[bytes], node: NodeID, new: HashFactory) -> bytes:
    begin, end = node.coverage()
    level = leaf_hashes[begin:end]
    while len(level) > 1:
        level = [new(NODE_PREFIX + level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)]
    return level[0]


def _check_size(value: object, name: str) -> None:
    if type(value) is not int:
        raise ProofError(f"{name} must be an int, got {type(value).__name__}")
    if not 0 <= value < MAX_SIZE:
        raise ProofError(f"{name} {value} out of range: want 0 <= {name} < 2**63")


def _check_hash(value: object, name: str, digest_size: int) -> None:
    if not isinstance(value, bytes | bytearray):
        raise ProofError(f"{name} must be bytes, got {type(value).__name__}")
    if len(value) != digest_size:
        raise ProofError(f"{name} has {len(value)} bytes, want {digest_size}")


def _check_proof(proof: object, digest_size: int) -> None:
    if not isinstance(proof, list | tuple):
        raise ProofError(f"proof must be a list or tuple of hashes, got {type(proof).__name__}")
    for position, h in enumerate(proof):
        if not isinstance(h, bytes | bytearray):
            raise ProofError(f"proof[{position}] must be bytes, got {type(h).__name__}")
        if len(h) != digest_size:
            raise ProofError(f"proof[{position}] has {len(h)} bytes, want {digest_size}")
