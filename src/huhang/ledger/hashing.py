"""Merkle tree hashing of RFC 9162 §2.1.1 (the same as RFC 6962 §2.1).

A leaf hash is ``HASH(0x00 || data)``, an interior node ``HASH(0x01 || left || right)``, and the
tree head over ``n`` leaves, ``MTH(D[n])``, splits at the largest power of two below ``n``. The
empty tree's head is the hash of the empty string. The prefixes keep a leaf from passing for a
node (a second-preimage attack). ``HASH`` is the suite's hash function, SHA-256 by default.

>>> hash_leaf(b"").hex()
'6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'
>>> root_hash([b"", b"\\x00", b"\\x10"]).hex()
'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77'
>>> empty_root().hex()
'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
"""

from __future__ import annotations

from collections.abc import Iterable

from huhang.ledger.suites import Suite, get_suite

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"


def hash_leaf(data: bytes, *, suite: Suite | str | None = None) -> bytes:
    """Return the leaf hash ``HASH(0x00 || data)``. Requires bytes-like ``data``."""
    h = get_suite(suite).new_hash(LEAF_PREFIX)
    h.update(data)
    return h.digest()


def hash_children(left: bytes, right: bytes, *, suite: Suite | str | None = None) -> bytes:
    """Return the interior node hash ``HASH(0x01 || left || right)``. Requires bytes ``left`` and ``right``."""
    return get_suite(suite).new_hash(NODE_PREFIX + left + right).digest()


def empty_root(*, suite: Suite | str | None = None) -> bytes:
    """Return the root hash of the empty tree, ``HASH()``."""
    return get_suite(suite).new_hash(b"").digest()


def root_hash(leaves: Iterable[bytes], *, suite: Suite | str | None = None) -> bytes:
    """Return ``MTH`` over the leaf data ``leaves`` (not leaf hashes), in order.

    Works in one pass with memory logarithmic in the number of leaves.
    """
    suite = get_suite(suite)
    new = suite.new_hash
    # stack[i] is the root of a perfect subtree; sizes strictly decrease along the stack, and
    # ``count``'s binary digits say which sizes are present (a compact range [0, count)).
    stack: list[bytes] = []
    for count, data in enumerate(leaves):
        h = new(LEAF_PREFIX)
        h.update(data)
        node = h.digest()
        while count & 1:
            node = new(NODE_PREFIX + stack.pop() + node).digest()
            count >>= 1
        stack.append(node)
    if not stack:
        return new(b"").digest()
    node = stack.pop()
    while stack:
        node = new(NODE_PREFIX + stack.pop() + node).digest()
    return node
