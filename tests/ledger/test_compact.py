"""The Merkle frontier: incremental tree heads, stored-node callbacks, save and restore."""

import random

import pytest

from huhang.ledger import SM3_SM2, Frontier, LedgerError, NodeID, ProofError, hash_leaf, root_hash
from tests.ledger import reference


@pytest.mark.parametrize("suite, hash_name", [(None, "sha256"), (SM3_SM2, "sm3")], ids=["sha256", "sm3"])
def test_root_after_every_append_matches_reference(suite, hash_name):
    rng = random.Random(3)
    leaves = [rng.randbytes(rng.randrange(0, 20)) for _ in range(300)]
    frontier = Frontier(suite=suite)
    assert frontier.root() == reference.mth([], hash_name)
    for size, data in enumerate(leaves, start=1):
        frontier.append(hash_leaf(data, suite=suite))
        assert frontier.size == size
        assert len(frontier.hashes) == size.bit_count()
        if size < 80 or size % 37 == 0:
            assert frontier.root() == reference.mth(leaves[:size], hash_name), f"size={size}"
    assert frontier.root() == root_hash(leaves, suite=suite)


def test_visit_reports_each_completed_node_with_its_hash():
    leaves = [bytes([i]) for i in range(23)]
    seen = {}
    frontier = Frontier()
    for data in leaves:
        frontier.append(hash_leaf(data), visit=lambda level, index, h: seen.setdefault(NodeID(level, index), h))
    # Every complete node of the 23-leaf tree, and nothing else, was reported once.
    complete = {NodeID(level, index) for level in range(5) for index in range(23 >> level)}
    assert set(seen) == complete
    for node, h in seen.items():
        first, last = node.coverage()
        assert h == root_hash(leaves[first:last])


def test_node_ids_name_the_saved_hashes():
    frontier = Frontier()
    frontier.extend(hash_leaf(bytes([i])) for i in range(13))
    assert frontier.node_ids() == [NodeID(3, 0), NodeID(2, 2), NodeID(0, 12)]
    for node, h in zip(frontier.node_ids(), frontier.hashes, strict=True):
        first, last = node.coverage()
        assert h == root_hash([bytes([i]) for i in range(first, last)])


def test_restore_from_size_and_hashes_and_keep_appending():
    leaves = [bytes([i]) for i in range(100)]
    frontier = Frontier()
    frontier.extend(hash_leaf(d) for d in leaves[:61])
    restored = Frontier(size=frontier.size, hashes=frontier.hashes)
    restored.extend(hash_leaf(d) for d in leaves[61:])
    assert restored.root() == root_hash(leaves)
    assert frontier.size == 61  # the original is untouched


def test_copy_is_independent():
    frontier = Frontier()
    frontier.append(hash_leaf(b"a"))
    copy = frontier.copy()
    copy.append(hash_leaf(b"b"))
    assert (frontier.size, copy.size) == (1, 2)
    assert repr(copy) == "Frontier(suite='sha256-ed25519', size=2)"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"size": 3, "hashes": [bytes(32)]}, "got 1, want 2"),
        ({"size": 1, "hashes": [bytes(31)]}, "32-byte"),
        ({"size": -1}, "size"),
        ({"size": 1 << 63}, "size"),
        ({"size": "3"}, "size"),
        ({"suite": "md5"}, "unknown crypto suite"),
    ],
)
def test_restore_rejects_inconsistent_state(kwargs, message):
    with pytest.raises(LedgerError, match=message):
        Frontier(**kwargs)


@pytest.mark.parametrize("bad", [b"", bytes(33), "0" * 32, None])
def test_append_rejects_non_hashes(bad):
    with pytest.raises(ProofError):
        Frontier().append(bad)
