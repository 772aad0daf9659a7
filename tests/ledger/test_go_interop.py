"""Our checkpoints and proofs, checked by the Go reference implementation (golang.org/x/mod/sumdb).

The Go program in ``interop/`` opens our signed checkpoint with ``note.Open``, checks our proofs with
``tlog.CheckRecord`` / ``tlog.CheckTree``, and computes its own leaf hashes, tree hashes and proofs
for the same leaves. It builds offline against Debian's ``golang-go`` and
``golang-golang-x-mod-dev``. Without them the tests skip, except in CI (``CI`` set), where they fail.
"""

import base64
import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from huhang.ledger import (
    Checkpoint,
    consistency_proof,
    format_checkpoint,
    generate_key,
    hash_leaf,
    inclusion_proof,
    new_signer,
    new_verifier,
    root_hash,
    sign_note,
)

INTEROP_SOURCE = Path(__file__).parent / "interop"
GOPATH = Path("/usr/share/gocode")
X_MOD = GOPATH / "src" / "golang.org" / "x" / "mod" / "sumdb"
MISSING = (
    "Go interop needs Debian's golang-go and golang-golang-x-mod-dev "
    "(apt-get install golang-go golang-golang-x-mod-dev)"
)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.fixture(scope="session")
def go_interop(tmp_path_factory):
    """Build the Go program once per session, into a temporary directory; return a runner."""
    go = shutil.which("go")
    if go is None or not (X_MOD / "note" / "note.go").exists() or not (X_MOD / "tlog" / "tlog.go").exists():
        if os.environ.get("CI"):
            pytest.fail(MISSING + ": they are missing in CI", pytrace=False)
        pytest.skip(MISSING)
    build = tmp_path_factory.mktemp("go-interop")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(build),
        "GO111MODULE": "off",
        "GOPATH": str(GOPATH),
        "GOCACHE": str(build / "cache"),
        "GOPROXY": "off",
        "GOFLAGS": "",
        "CGO_ENABLED": "0",
    }
    binary = build / "interop"
    result = subprocess.run(
        [go, "build", "-o", str(binary), "."], cwd=INTEROP_SOURCE, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"go build failed:\n{result.stderr}"

    def run(request: dict) -> dict:
        done = subprocess.run([str(binary)], input=json.dumps(request), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return run


def make_request(size: int, rng: random.Random) -> tuple[dict, dict]:
    """Return a request for a tree of ``size`` random leaves, and what we computed for it."""
    leaves = [rng.randbytes(rng.randrange(0, 64)) for _ in range(size)]
    skey, vkey = generate_key("log.huhang.example/interop")
    root = root_hash(leaves)
    signed = sign_note(format_checkpoint(Checkpoint("log.huhang.example/interop", size, root)), [new_signer(skey)])
    indices = range(size) if size <= 16 else sorted(rng.sample(range(size), 16))
    olds = range(1, size + 1) if size <= 16 else sorted({1, size, *rng.sample(range(1, size + 1), 14)})
    inclusion = [
        {
            "index": i,
            "size": size,
            "leaf_hash": b64(hash_leaf(leaves[i])),
            "proof": [b64(h) for h in inclusion_proof(leaves, i, size)],
            "root": b64(root),
        }
        for i in indices
    ]
    consistency = [
        {
            "old_size": old,
            "new_size": size,
            "old_root": b64(root_hash(leaves[:old])),
            "new_root": b64(root),
            "proof": [b64(h) for h in consistency_proof(leaves, old, size)],
        }
        for old in olds
    ]
    tree = {
        "leaves": [b64(data) for data in leaves],
        "record_proofs": [[i, size] for i in indices],
        "tree_proofs": [[old, size] for old in olds],
    }
    request = {"note": signed, "vkey": vkey, "inclusion": inclusion, "consistency": consistency, "trees": [tree]}
    expected = {
        "signer": f"{new_verifier(vkey).name}+{new_verifier(vkey).key_id:08x}",
        "root": b64(root),
        "leaf_hashes": [b64(hash_leaf(data)) for data in leaves],
        "roots": [b64(root_hash(leaves[:n])) for n in range(1, size + 1)],
        "record_proofs": [p["proof"] for p in inclusion],
        "tree_proofs": [p["proof"] for p in consistency],
    }
    return request, expected


SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 31, 64, 100, 257]


@pytest.mark.parametrize("size", SIZES, ids=[f"size={n}" for n in SIZES])
def test_go_verifies_our_checkpoints_and_proofs(go_interop, size):
    request, expected = make_request(size, random.Random(size))
    result = go_interop(request)
    assert result["note"]["ok"], result["note"]["error"]
    assert result["note"]["signers"] == [expected["signer"]]
    assert (result["note"]["origin"], result["note"]["size"], result["note"]["root"]) == (
        "log.huhang.example/interop",
        size,
        expected["root"],
    )
    assert [c["error"] for c in result["inclusion"]] == [""] * len(request["inclusion"])
    assert [c["error"] for c in result["consistency"]] == [""] * len(request["consistency"])
    (tree,) = result["trees"]
    assert tree["error"] == ""
    assert tree["leaf_hashes"] == expected["leaf_hashes"]  # tlog.RecordHash
    assert tree["roots"] == expected["roots"]  # tlog.StoredHashes + tlog.TreeHash at every size
    assert tree["record_proofs"] == expected["record_proofs"]  # tlog.ProveRecord
    assert [p or [] for p in tree["tree_proofs"]] == expected["tree_proofs"]  # tlog.ProveTree


def _flip(b64_hash: str) -> str:
    raw = bytearray(base64.b64decode(b64_hash))
    raw[0] ^= 1
    return b64(bytes(raw))


def test_go_rejects_tampered_inputs(go_interop):
    request, _ = make_request(13, random.Random(99))
    good_inclusion, good_consistency = request["inclusion"][5], request["consistency"][6]
    other_skey, other_vkey = generate_key("log.huhang.example/interop")
    tampered = {
        "note": request["note"].replace("\n13\n", "\n14\n", 1),
        "vkey": request["vkey"],
        "inclusion": [
            {**good_inclusion, "proof": [_flip(good_inclusion["proof"][0]), *good_inclusion["proof"][1:]]},
            {**good_inclusion, "index": good_inclusion["index"] + 1},
            {**good_inclusion, "leaf_hash": _flip(good_inclusion["leaf_hash"])},
            {**good_inclusion, "root": _flip(good_inclusion["root"])},
            {**good_inclusion, "proof": good_inclusion["proof"][:-1]},
            {**good_inclusion, "proof": [*good_inclusion["proof"], good_inclusion["root"]]},
        ],
        "consistency": [
            {**good_consistency, "proof": [_flip(good_consistency["proof"][0]), *good_consistency["proof"][1:]]},
            {**good_consistency, "old_root": _flip(good_consistency["old_root"])},
            {**good_consistency, "new_root": _flip(good_consistency["new_root"])},
            {**good_consistency, "old_size": good_consistency["old_size"] + 1},
            {**good_consistency, "proof": good_consistency["proof"][:-1]},
        ],
        "trees": [],
    }
    result = go_interop(tampered)
    assert not result["note"]["ok"] and "invalid signature" in result["note"]["error"]
    assert [c["ok"] for c in result["inclusion"]] == [False] * 6
    assert [c["ok"] for c in result["consistency"]] == [False] * 5
    # A checkpoint signed by another key with the same name is not the log's.
    foreign = sign_note(
        format_checkpoint(Checkpoint("log.huhang.example/interop", 1, root_hash([b"x"]))), [new_signer(other_skey)]
    )
    result = go_interop({"note": foreign, "vkey": request["vkey"], "inclusion": [], "consistency": [], "trees": []})
    assert not result["note"]["ok"] and "no verifiable signatures" in result["note"]["error"]
    assert go_interop({"note": foreign, "vkey": other_vkey, "trees": []})["note"]["ok"]
