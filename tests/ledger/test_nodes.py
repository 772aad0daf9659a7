"""Node IDs, compact ranges, and building proofs from stored node hashes only."""

import random

import pytest

from huhang.ledger import (
    SM3_SM2,
    Frontier,
    NodeID,
    ProofError,
    ProofNodes,
    consistency_nodes,
    consistency_proof,
    hash_leaf,
    inclusion_nodes,
    inclusion_proof,
    range_nodes,
)
from tests.ledger import reference


class NodeStore:
    """A log backend in miniature: it keeps every stored node hash, never the leaves."""

    def __init__(self, leaves, suite=None):
        self.nodes = {}
        frontier = Frontier(suite=suite)
        for data in leaves:
            frontier.append(hash_leaf(data, suite=suite), visit=lambda level, index, h: self.put(level, index, h))

    def put(self, level, index, h):
        self.nodes[NodeID(level, index)] = h

    def proof(self, needed: ProofNodes, suite=None):
        return needed.rehash([self.nodes[node] for node in needed.ids], suite=suite)


def test_node_coverage():
    assert NodeID(0, 5).coverage() == (5, 6)
    assert NodeID(3, 2).coverage() == (16, 24)


@pytest.mark.parametrize(
    "begin, end, want",
    [
        (0, 0, []),
        (0, 1, [(0, 0)]),
        (0, 6, [(2, 0), (1, 2)]),
        (3, 12, [(0, 3), (2, 1), (2, 2)]),
        (5, 6, [(0, 5)]),
        (0, 8, [(3, 0)]),
    ],
)
def test_range_nodes_table(begin, end, want):
    assert range_nodes(begin, end) == [NodeID(*n) for n in want]


def test_range_nodes_tile_the_range_with_perfect_aligned_subtrees():
    rng = random.Random(7)
    for _ in range(500):
        begin = rng.randrange(0, 1 << 20)
        end = begin + rng.randrange(0, 1 << 12)
        covered = begin
        for node in range_nodes(begin, end):
            first, last = node.coverage()
            assert first == covered
            covered = last
        assert covered == end


@pytest.mark.parametrize("args", [(-1, 3), (3, 2), (0, 1 << 63), (1.0, 2), (True, 2)])
def test_range_nodes_rejects_bad_ranges(args):
    with pytest.raises(ProofError):
        range_nodes(*args)


@pytest.mark.parametrize("suite, hash_name", [(None, "sha256"), (SM3_SM2, "sm3")], ids=["sha256", "sm3"])
def test_proofs_from_stored_nodes_match_the_reference(suite, hash_name):
    rng = random.Random(11)
    # Every index and old size up to 33 leaves, then samples of larger trees (the reference is slow).
    for size in list(range(1, 34)) + [rng.randrange(34, 300) for _ in range(4)]:
        leaves = [rng.randbytes(8) for _ in range(size)]
        store = NodeStore(leaves, suite)
        indices = range(size) if size < 34 else rng.sample(range(size), 12)
        for index in indices:
            want = reference.path(index, leaves, hash_name)
            assert store.proof(inclusion_nodes(index, size), suite) == want, f"index={index} size={size}"
        for old in range(1, size + 1) if size < 34 else rng.sample(range(1, size + 1), 12):
            want = reference.proof(old, leaves[:size], hash_name)
            assert store.proof(consistency_nodes(old, size), suite) == want, f"old={old} size={size}"


def test_proofs_from_stored_nodes_after_the_tree_grew():
    # A log answers about old sizes from the nodes it stored for the larger tree.
    leaves = [bytes([i]) for i in range(200)]
    store = NodeStore(leaves)
    for size in (1, 5, 64, 100, 137):
        for index in (0, size // 2, size - 1):
            assert store.proof(inclusion_nodes(index, size)) == inclusion_proof(leaves, index, size)
        for old in (1, size // 3 or 1, size):
            assert store.proof(consistency_nodes(old, size)) == consistency_proof(leaves, old, size)


def test_nodes_are_few_and_stored_ones_at_ten_million_entries():
    size = 10_000_000
    needed = inclusion_nodes(4_321_987, size)
    assert len(needed.ids) <= 2 * size.bit_length()
    for node in needed.ids:
        assert node.coverage()[1] <= size  # every listed node is complete, so a log has it stored
    needed = consistency_nodes(9_999_001, size)
    assert all(node.coverage()[1] <= size for node in needed.ids)


def test_ephemeral_range_is_listed_right_to_left():
    needed = inclusion_nodes(0, 7)
    ephemeral = needed.ids[needed.ephemeral_begin : needed.ephemeral_end]
    assert ephemeral == (NodeID(0, 6), NodeID(1, 2))


@pytest.mark.parametrize("args", [(0, 0), (5, 5), (-1, 3), (1, 1 << 63), ("1", 2), (None, 2)])
def test_inclusion_nodes_rejects_bad_arguments(args):
    with pytest.raises(ProofError):
        inclusion_nodes(*args)


@pytest.mark.parametrize("args", [(0, 0), (0, 5), (6, 5), (-1, 3), (1, 1 << 63), (1, 2.0)])
def test_consistency_nodes_rejects_bad_arguments(args):
    with pytest.raises(ProofError):
        consistency_nodes(*args)


def test_equal_sizes_need_no_nodes():
    assert consistency_nodes(9, 9).ids == ()


def test_rehash_checks_its_hashes():
    needed = inclusion_nodes(2, 5)
    good = [bytes(32)] * len(needed.ids)
    assert len(needed.rehash(good)) == len(needed.ids)
    with pytest.raises(ProofError, match="got 2, want 3"):
        needed.rehash(good[:2])
    with pytest.raises(ProofError, match="32-byte"):
        needed.rehash([bytes(31), *good[1:]])
    with pytest.raises(ProofError, match="list or tuple"):
        needed.rehash(b"".join(good))
