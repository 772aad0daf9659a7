"""Inclusion and consistency proofs: against the RFC reference, over whole trees, and on bad input."""

import contextlib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huhang.ledger import (
    SM3_SM2,
    Frontier,
    NodeID,
    ProofError,
    RootMismatchError,
    consistency_nodes,
    consistency_proof,
    hash_leaf,
    inclusion_nodes,
    inclusion_proof,
    root_hash,
    verify_consistency,
    verify_inclusion,
)
from tests.ledger import reference

SUITES = pytest.mark.parametrize("suite, hash_name", [(None, "sha256"), (SM3_SM2, "sm3")], ids=["sha256", "sm3"])


@SUITES
def test_provers_match_reference_for_every_index_and_size(suite, hash_name):
    rng = random.Random(5)
    leaves = [rng.randbytes(rng.randrange(0, 16)) for _ in range(48)]
    for size in range(1, len(leaves) + 1):
        tree = leaves[:size]
        for index in range(size):
            assert inclusion_proof(leaves, index, size, suite=suite) == reference.path(index, tree, hash_name)
        for old in range(1, size + 1):
            assert consistency_proof(leaves, old, size, suite=suite) == reference.proof(old, tree, hash_name)


@SUITES
def test_verifiers_accept_reference_proofs_on_random_trees(suite, hash_name):
    rng = random.Random(6)
    for size in [rng.randrange(49, 400) for _ in range(6)]:
        leaves = [rng.randbytes(8) for _ in range(size)]
        root = reference.mth(leaves, hash_name)
        for index in rng.sample(range(size), 8):
            proof = reference.path(index, leaves, hash_name)
            verify_inclusion(
                leaf_hash=hash_leaf(leaves[index], suite=suite),
                index=index,
                size=size,
                proof=proof,
                root=root,
                suite=suite,
            )
        for old in rng.sample(range(1, size + 1), 8):
            proof = reference.proof(old, leaves, hash_name)
            old_root = reference.mth(leaves[:old], hash_name)
            verify_consistency(old_size=old, new_size=size, old_root=old_root, new_root=root, proof=proof, suite=suite)


def test_every_index_and_size_pair_of_a_260_leaf_tree():
    """All 33,930 inclusion and 33,930 consistency proofs of one tree, built from stored nodes."""
    leaves = [i.to_bytes(2, "big") for i in range(260)]
    nodes, roots = {}, [root_hash([])]
    frontier = Frontier()
    for data in leaves:
        frontier.append(hash_leaf(data), visit=lambda level, index, h: nodes.__setitem__(NodeID(level, index), h))
        roots.append(frontier.root())
    leaf_hashes = [nodes[NodeID(0, i)] for i in range(len(leaves))]
    for size in range(1, len(leaves) + 1):
        for index in range(size):
            needed = inclusion_nodes(index, size)
            proof = needed.rehash([nodes[n] for n in needed.ids])
            verify_inclusion(leaf_hash=leaf_hashes[index], index=index, size=size, proof=proof, root=roots[size])
        for old in range(1, size + 1):
            needed = consistency_nodes(old, size)
            proof = needed.rehash([nodes[n] for n in needed.ids])
            verify_consistency(old_size=old, new_size=size, old_root=roots[old], new_root=roots[size], proof=proof)


# A fixed, valid example for the failure tables below: leaf 5 of a 13-leaf tree, and 6 -> 13.
LEAVES = [bytes([i]) for i in range(13)]
ROOT = root_hash(LEAVES)
OLD_ROOT = root_hash(LEAVES[:6])
INCLUSION = {
    "leaf_hash": hash_leaf(LEAVES[5]),
    "index": 5,
    "size": 13,
    "proof": inclusion_proof(LEAVES, 5, 13),
    "root": ROOT,
}
CONSISTENCY = {
    "old_size": 6,
    "new_size": 13,
    "old_root": OLD_ROOT,
    "new_root": ROOT,
    "proof": consistency_proof(LEAVES, 6, 13),
}


def test_valid_examples_verify():
    verify_inclusion(**INCLUSION)
    verify_inclusion(**{**INCLUSION, "proof": tuple(INCLUSION["proof"]), "root": bytearray(ROOT)})
    verify_consistency(**CONSISTENCY)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"index": 4}, "mismatched"),
        ({"index": 6}, "mismatched"),
        ({"index": 13}, "index 13 out of range for tree size 13"),
        ({"index": -1}, "index -1 out of range"),
        ({"index": 1 << 64}, "out of range"),
        ({"index": True}, "index must be an int, got bool"),
        ({"index": 5.0}, "index must be an int, got float"),
        ({"index": "5"}, "index must be an int, got str"),
        ({"size": 8}, "wrong inclusion proof size for index 5 in tree size 8: got 4, want 3"),
        ({"size": 17}, "got 4, want 5"),
        ({"size": 0}, "out of range"),
        ({"size": None}, "size must be an int, got NoneType"),
        ({"leaf_hash": hash_leaf(b"x")}, "computed"),
        ({"leaf_hash": LEAVES[5]}, "leaf_hash has 1 bytes, want 32"),
        ({"leaf_hash": hash_leaf(LEAVES[5]).hex()}, "leaf_hash must be bytes, got str"),
        ({"root": OLD_ROOT}, "expected " + OLD_ROOT.hex()),
        ({"root": ROOT[:31]}, "root has 31 bytes, want 32"),
        ({"root": None}, "root must be bytes, got NoneType"),
        ({"proof": INCLUSION["proof"][:-1]}, "got 3, want 4"),
        ({"proof": [*INCLUSION["proof"], ROOT]}, "got 5, want 4"),
        ({"proof": [ROOT, *INCLUSION["proof"]]}, "got 5, want 4"),
        ({"proof": list(reversed(INCLUSION["proof"]))}, "mismatched"),
        ({"proof": [*INCLUSION["proof"][:3], b""]}, r"proof\[3\] has 0 bytes, want 32"),
        ({"proof": [*INCLUSION["proof"][:3], "x" * 32]}, r"proof\[3\] must be bytes, got str"),
        ({"proof": b"".join(INCLUSION["proof"])}, "proof must be a list or tuple of hashes, got bytes"),
        ({"proof": None}, "got NoneType"),
        ({"proof": iter(INCLUSION["proof"])}, "got list_iterator"),
    ],
)
def test_verify_inclusion_failures(change, message):
    with pytest.raises(ProofError, match=message):
        verify_inclusion(**{**INCLUSION, **change})


def test_inclusion_mismatch_says_expected_and_computed():
    wrong = hash_leaf(b"not leaf 5")
    with pytest.raises(RootMismatchError) as info:
        verify_inclusion(**{**INCLUSION, "leaf_hash": wrong})
    error = info.value
    assert (error.size, error.expected) == (13, ROOT)
    assert error.computed == root_hash([*LEAVES[:5], b"not leaf 5", *LEAVES[6:]])
    assert f"computed {error.computed.hex()}, expected {ROOT.hex()}" in str(error)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"old_size": 5}, "mismatched|wrong consistency proof size"),
        ({"old_size": 7}, "mismatched|wrong consistency proof size"),
        ({"old_size": 14}, "old_size 14 > new_size 13"),
        ({"old_size": 0}, "from the empty tree is meaningless"),
        (
            {"old_size": 0, "new_size": 0, "proof": [], "old_root": root_hash([]), "new_root": root_hash([])},
            "empty tree",
        ),
        ({"old_size": -6}, "out of range"),
        ({"new_size": 8}, "wrong consistency proof size from 6 to 8: got 4, want 3"),
        ({"new_size": 1 << 63}, "out of range"),
        ({"new_size": 13.0}, "new_size must be an int, got float"),
        ({"old_root": ROOT}, "old root hash at size 6 mismatched"),
        ({"new_root": OLD_ROOT}, "new root hash at size 13 mismatched"),
        ({"old_root": ROOT, "new_root": OLD_ROOT}, "mismatched"),
        ({"old_root": b"WrongRoot"}, "old_root has 9 bytes, want 32"),
        ({"new_root": str(ROOT)}, "new_root must be bytes, got str"),
        ({"proof": []}, "got 0, want 4"),
        ({"proof": CONSISTENCY["proof"][:-1]}, "got 3, want 4"),
        ({"proof": [*CONSISTENCY["proof"], OLD_ROOT]}, "got 5, want 4"),
        ({"proof": [OLD_ROOT, *CONSISTENCY["proof"]]}, "got 5, want 4"),
        ({"proof": [bytes(32)] * 4}, "mismatched"),
        ({"proof": {"a": 1}}, "got dict"),
        ({"proof": [None] * 4}, r"proof\[0\] must be bytes, got NoneType"),
    ],
)
def test_verify_consistency_failures(change, message):
    with pytest.raises(ProofError, match=message):
        verify_consistency(**{**CONSISTENCY, **change})


def test_equal_sizes_need_an_empty_proof_and_equal_roots():
    verify_consistency(old_size=13, new_size=13, old_root=ROOT, new_root=ROOT, proof=[])
    with pytest.raises(ProofError, match="got 1, want 0"):
        verify_consistency(old_size=13, new_size=13, old_root=ROOT, new_root=ROOT, proof=[ROOT])
    with pytest.raises(RootMismatchError, match="equal sizes"):
        verify_consistency(old_size=13, new_size=13, old_root=ROOT, new_root=OLD_ROOT, proof=[])


def test_the_root_not_the_proof_binds_the_tree_size():
    # RFC 9162 proofs commit to the shape of the path, not to the size: the 13-leaf proof of
    # leaf 5 also "verifies" for sizes 12, 14 and 16 against the 13-leaf root. That is why a
    # verifier must take size and root from the same signed checkpoint, never from the prover.
    for size in (12, 14, 16):
        verify_inclusion(**{**INCLUSION, "size": size})
    verify_consistency(**{**CONSISTENCY, "new_size": 12})


def test_every_single_bit_flip_is_caught():
    for position, h in enumerate(INCLUSION["proof"]):
        for bit in range(256):
            flipped = bytearray(h)
            flipped[bit // 8] ^= 1 << (bit % 8)
            proof = [*INCLUSION["proof"][:position], bytes(flipped), *INCLUSION["proof"][position + 1 :]]
            with pytest.raises(RootMismatchError):
                verify_inclusion(**{**INCLUSION, "proof": proof})
    for position, h in enumerate(CONSISTENCY["proof"]):
        flipped = bytes([h[0] ^ 0x10]) + h[1:]
        proof = [*CONSISTENCY["proof"][:position], flipped, *CONSISTENCY["proof"][position + 1 :]]
        with pytest.raises(RootMismatchError):
            verify_consistency(**{**CONSISTENCY, "proof": proof})


@pytest.mark.parametrize(
    "call",
    [
        lambda: inclusion_proof(LEAVES, 13, 13),
        lambda: inclusion_proof(LEAVES, 0, 14),
        lambda: inclusion_proof(b"abc", 0, 1),
        lambda: consistency_proof(LEAVES, 0, 13),
        lambda: consistency_proof(LEAVES, 5, 14),
        lambda: consistency_proof(LEAVES, 7, 6),
    ],
)
def test_provers_reject_bad_arguments(call):
    with pytest.raises(ProofError):
        call()


# Anything at all, as a careless or hostile caller might pass it.
ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(1 << 70), max_value=1 << 70),
    st.floats(allow_nan=True),
    st.binary(max_size=40),
    st.text(max_size=40),
    st.lists(st.one_of(st.binary(min_size=30, max_size=34), st.text(max_size=3), st.none()), max_size=6),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)
HASHES = st.one_of(st.binary(min_size=32, max_size=32), ANYTHING)
SMALL = st.one_of(st.integers(min_value=0, max_value=20), ANYTHING)


@settings(max_examples=400, deadline=None, database=None)
@given(
    leaf_hash=HASHES,
    index=SMALL,
    size=SMALL,
    proof=st.one_of(st.lists(st.binary(min_size=32, max_size=32), max_size=6), ANYTHING),
    root=HASHES,
)
def test_fuzz_verify_inclusion_raises_only_proof_errors(leaf_hash, index, size, proof, root):
    with contextlib.suppress(ProofError):
        verify_inclusion(leaf_hash=leaf_hash, index=index, size=size, proof=proof, root=root)


@settings(max_examples=400, deadline=None, database=None)
@given(
    old_size=SMALL,
    new_size=SMALL,
    old_root=HASHES,
    new_root=HASHES,
    proof=st.one_of(st.lists(st.binary(min_size=32, max_size=32), max_size=6), ANYTHING),
)
def test_fuzz_verify_consistency_raises_only_proof_errors(old_size, new_size, old_root, new_root, proof):
    with contextlib.suppress(ProofError):
        verify_consistency(old_size=old_size, new_size=new_size, old_root=old_root, new_root=new_root, proof=proof)


@settings(max_examples=300, deadline=None, database=None)
@given(data=st.data())
def test_fuzz_mutated_valid_proofs_are_rejected(data):
    size = data.draw(st.integers(min_value=1, max_value=70), label="size")
    leaves = [bytes([i % 256, i // 256]) for i in range(size)]
    index = data.draw(st.integers(min_value=0, max_value=size - 1), label="index")
    proof = inclusion_proof(leaves, index, size)
    args = {
        "leaf_hash": hash_leaf(leaves[index]),
        "index": index,
        "size": size,
        "proof": proof,
        "root": root_hash(leaves),
    }
    verify_inclusion(**args)
    # Not the size: see test_the_root_not_the_proof_binds_the_tree_size.
    field = data.draw(st.sampled_from(["leaf_hash", "index", "proof", "root"]), label="field")
    if field == "index":
        mutated = data.draw(st.integers(min_value=0, max_value=size + 3).filter(lambda i: i != index))
    elif field == "proof":
        mutated = data.draw(st.lists(st.binary(min_size=32, max_size=32), max_size=8).filter(lambda p: p != proof))
    else:
        mutated = data.draw(st.binary(min_size=32, max_size=32).filter(lambda h: h != args[field]))
    with pytest.raises(ProofError):
        verify_inclusion(**{**args, field: mutated})
