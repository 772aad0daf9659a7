"""transparency-dev/merkle's published probes, run against our verifiers (see vectors/README.md).

The probes are expanded from the generator's tables exactly as its ``cmd/proofgen`` does, and the
expansion is checked against verbatim copies of published probe files.
"""

import base64
import json
from pathlib import Path

import pytest

from huhang.ledger import ProofError, hash_leaf, verify_consistency, verify_inclusion

VECTORS = Path(__file__).parent / "vectors" / "transparency-dev-merkle"
TABLES = json.loads((VECTORS / "proofgen-tables.json").read_text())
SOME_HASH = bytes.fromhex(TABLES["sha256SomeHash"])
EMPTY_TREE_HASH = bytes.fromhex(TABLES["sha256EmptyTreeHash"])
ROOTS = [bytes.fromhex(h) for h in TABLES["roots"]]
LEAVES = [bytes.fromhex(h) for h in TABLES["leaves"]]
U64 = 1 << 64

# Probes where we deliberately differ from upstream (vectors/README.md): upstream accepts 12-byte
# "roots" when the sizes are equal and never looks at them; we reject any root that is not a hash.
EXPECTED_DIFFERENCES = {("consistency/additional", "sizes are equal (one) and proof is empty")}


def _file_name(desc: str) -> str:
    # cmd/proofgen's fileName().
    return desc.replace(" - ", "-").replace("(", "").replace(")", "").replace(" ", "-") + ".json"


def _flip(proof, position, mask):
    flipped = [bytes(h) for h in proof]
    flipped[position] = bytes([flipped[position][0] ^ mask]) + flipped[position][1:]
    return flipped


def inclusion_probes():
    """Yield (directory, probe) for every probe proofgen writes under testdata/inclusion."""
    for i, vector in enumerate(TABLES["inclusionProofs"]):
        index, size = vector["leafIndex"] - 1, vector["size"]
        proof = [bytes.fromhex(h) for h in vector["proof"]]
        root, leaf_hash = ROOTS[size - 1], hash_leaf(LEAVES[index])

        def probe(leaf_idx, tree_size, root_, leaf, proof_, desc, want_err):
            return {
                "leafIdx": leaf_idx % U64,
                "treeSize": tree_size % U64,
                "root": root_,
                "leafHash": leaf,
                "proof": proof_,
                "desc": desc,
                "wantErr": want_err,
            }

        probes = [
            probe(index, size, root, leaf_hash, proof, "happy path", False),
            probe(index - 1, size, root, leaf_hash, proof, "leafIdx sub @1", True),
            probe(index + 1, size, root, leaf_hash, proof, "leafIdx plus @1", True),
            probe(index ^ 2, size, root, leaf_hash, proof, "leafIdx XOR @2", True),
            probe(index, size * 2, root, leaf_hash, proof, "treeSize mul @2", True),
            probe(index, size // 2, root, leaf_hash, proof, "treeSize div @2", True),
            probe(index, size, root, b"WrongLeaf", proof, "wrong leaf", True),
            probe(index, size, EMPTY_TREE_HASH, leaf_hash, proof, "empty root", True),
            probe(index, size, SOME_HASH, leaf_hash, proof, "random root", True),
            probe(index, size, root, leaf_hash, [*proof, b""], "trailing garbage", True),
            probe(index, size, root, leaf_hash, [*proof, root], "trailing root", True),
            probe(index, size, root, leaf_hash, [b"", *proof], "preceding garbage", True),
            probe(index, size, root, leaf_hash, [root, *proof], "preceding root", True),
        ]
        probes += [
            probe(index, size, root, leaf_hash, _flip(proof, k, 8), f"modified proof[{k}] bit @3", True)
            for k in range(len(proof))
        ]
        if proof:
            probes.append(probe(index, size, root, leaf_hash, proof[:-1], "removed component", True))
        if len(proof) > 1:
            probes.append(
                probe(index, size, root, leaf_hash, [proof[0], SOME_HASH, *proof[1:]], "inserted component", True)
            )
        for p in probes:
            yield f"inclusion/{i}", p
    for i, (index, size) in enumerate([(0, 0), (0, 1), (1, 0), (2, 1)]):
        for root, leaf, desc in [
            (b"", SOME_HASH, "random leaf"),
            (EMPTY_TREE_HASH, b"", "empty root"),
            (EMPTY_TREE_HASH, SOME_HASH, "empty root and random leaf"),
        ]:
            yield (
                f"inclusion/additional/{i}",
                {
                    "leafIdx": index,
                    "treeSize": size,
                    "root": root,
                    "leafHash": leaf,
                    "proof": [],
                    "desc": desc,
                    "wantErr": True,
                },
            )
    single = hash_leaf(b"data")
    for root, leaf, desc, want_err in [
        (single, single, "matching root and leaf", False),
        (single, b"", "empty leaf", True),
        (b"", single, "empty root", True),
        (b"", b"", "empty root and leaf", True),
    ]:
        yield (
            "inclusion/single-entry",
            {
                "leafIdx": 0,
                "treeSize": 1,
                "root": root,
                "leafHash": leaf,
                "proof": [],
                "desc": desc,
                "wantErr": want_err,
            },
        )


def consistency_probes():
    """Yield (directory, probe) for every probe proofgen writes under testdata/consistency."""
    for i, vector in enumerate(TABLES["consistencyProofs"]):
        size1, size2 = vector["size1"], vector["size2"]
        proof = [bytes.fromhex(h) for h in vector["proof"]]
        root1, root2 = ROOTS[size1 - 1], ROOTS[size2 - 1]

        def probe(s1, s2, r1, r2, proof_, desc, want_err):
            return {
                "size1": s1 % U64,
                "size2": s2 % U64,
                "root1": r1,
                "root2": r2,
                "proof": proof_,
                "desc": desc,
                "wantErr": want_err,
            }

        yield f"consistency/{i}", probe(size1, size2, root1, root2, proof, "happy path", False)
        if not proof:
            continue
        probes = [
            probe(size1 - 1, size2, root1, root2, proof, "size1 sub @1", True),
            probe(size1 + 1, size2, root1, root2, proof, "size1 plus @1", True),
            probe(size1 ^ 2, size2, root1, root2, proof, "size1 XOR @2", True),
            probe(size1, size2 * 2, root1, root2, proof, "size2 mul @2", True),
            probe(size1, size2 // 2, root1, root2, proof, "size2 div @2", True),
            probe(size1, size2, b"WrongRoot", root2, proof, "wrong root1", True),
            probe(size1, size2, root1, b"WrongRoot", proof, "wrong root2", True),
            probe(size1, size2, root2, root1, proof, "swapped roots", True),
            probe(size1, size2, root1, root2, [], "empty proof", True),
            probe(size1, size2, root1, root2, [*proof, b""], "trailing garbage", True),
            probe(size1, size2, root1, root2, [*proof, root1], "trailing root1", True),
            probe(size1, size2, root1, root2, [*proof, root2], "trailing root2", True),
            probe(size1, size2, root1, root2, [b"", *proof], "preceding garbage", True),
            probe(size1, size2, root1, root2, [root1, *proof], "preceding root1", True),
            probe(size1, size2, root1, root2, [root2, *proof], "preceding root2", True),
            probe(size1, size2, root1, root2, [proof[0], *proof], "preceding proof @0", True),
            probe(size1, size2, root1, root2, proof[:-1], "truncated proof", True),
        ]
        probes += [
            probe(size1, size2, root1, root2, _flip(proof, k, 16), f"modified proof@{k} bit @4", True)
            for k in range(len(proof))
        ]
        for p in probes:
            yield f"consistency/{i}", p
    root1, root2, one = b"don't care 1", b"don't care 2", [EMPTY_TREE_HASH]
    for s1, s2, r1, r2, proof, desc, want_err in [
        (0, 0, root1, root2, [], "sizes are equal (zero) but roots are not", True),
        (1, 1, root1, root2, [], "sizes are equal (one) but roots are not", True),
        (0, 0, root1, root1, [], "sizes are equal (zero) and proof is empty", True),
        (0, 1, root1, root2, [], "size1 is zero and does not equal size2", True),
        (1, 1, root2, root2, [], "sizes are equal (one) and proof is empty", False),
        (1, 0, root1, root2, [], "size1 is greater than size2", True),
        (2, 1, root1, root2, [], "size1 is greater than size2 again", True),
        (1, 2, root1, root2, [], "sizes do not watch and proof is empty", True),
        (0, 0, EMPTY_TREE_HASH, root2, [], "roots do not match and sizes are zero", True),
        (1, 1, EMPTY_TREE_HASH, root2, [], "roots do not not match and sizes are one", True),
        (0, 0, EMPTY_TREE_HASH, EMPTY_TREE_HASH, one, "sizes match but proof is not empty and sizes are zero", True),
        (1, 1, EMPTY_TREE_HASH, EMPTY_TREE_HASH, one, "sizes match but proof is not empty and sizes are one", True),
        (0, 1, EMPTY_TREE_HASH, root2, [], "size1 is zero and size2 is not zero", True),
        (
            0,
            1,
            EMPTY_TREE_HASH,
            EMPTY_TREE_HASH,
            one,
            "consistency check on empty tree (size1 is zero) is useless",
            True,
        ),
    ]:
        yield (
            "consistency/additional",
            {"size1": s1, "size2": s2, "root1": r1, "root2": r2, "proof": proof, "desc": desc, "wantErr": want_err},
        )


INCLUSION_PROBES = list(inclusion_probes())
CONSISTENCY_PROBES = list(consistency_probes())


def test_probe_counts_match_the_generator():
    # 5 trees: 13 + 18 + 18 + 15 + 18 probes, plus 4 x 3 "additional" and 4 "single-entry".
    assert len(INCLUSION_PROBES) == 98
    # 5 trees: 1 + 21 + 21 + 20 + 21 probes, plus 14 "additional".
    assert len(CONSISTENCY_PROBES) == 98
    assert len({(d, p["desc"]) for d, p in INCLUSION_PROBES + CONSISTENCY_PROBES}) == 196


@pytest.mark.parametrize(
    "directory, probe", INCLUSION_PROBES, ids=[f"{d}/{_file_name(p['desc'])}" for d, p in INCLUSION_PROBES]
)
def test_inclusion_probe(directory, probe):
    args = {
        "leaf_hash": probe["leafHash"],
        "index": probe["leafIdx"],
        "size": probe["treeSize"],
        "proof": probe["proof"],
        "root": probe["root"],
    }
    if probe["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(**args)
    else:
        verify_inclusion(**args)


@pytest.mark.parametrize(
    "directory, probe", CONSISTENCY_PROBES, ids=[f"{d}/{_file_name(p['desc'])}" for d, p in CONSISTENCY_PROBES]
)
def test_consistency_probe(directory, probe):
    args = {
        "old_size": probe["size1"],
        "new_size": probe["size2"],
        "old_root": probe["root1"],
        "new_root": probe["root2"],
        "proof": probe["proof"],
    }
    if probe["wantErr"] or (directory, probe["desc"]) in EXPECTED_DIFFERENCES:
        with pytest.raises(ProofError):
            verify_consistency(**args)
    else:
        verify_consistency(**args)


def _as_json(probe):
    encoded = {}
    for key, value in probe.items():
        if isinstance(value, bytes):
            value = base64.b64encode(value).decode()
        elif isinstance(value, list):
            value = [base64.b64encode(h).decode() for h in value]
        encoded[key] = value
    return encoded


PUBLISHED = sorted((VECTORS / "published").rglob("*.json"))


@pytest.mark.parametrize("path", PUBLISHED, ids=lambda p: str(p.relative_to(VECTORS / "published")))
def test_expansion_reproduces_the_published_file(path):
    published = json.loads(path.read_text())
    published["proof"] = published["proof"] or []
    directory = str(path.parent.relative_to(VECTORS / "published"))
    ours = {(d, _file_name(p["desc"])): _as_json(p) for d, p in INCLUSION_PROBES + CONSISTENCY_PROBES}
    assert ours[(directory, path.name)] == published


def test_published_files_are_present():
    assert len(PUBLISHED) == 10
