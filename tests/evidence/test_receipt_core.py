"""The offline verifier (huhang.ledger.receipt) against every way a receipt can be wrong. No database."""

import base64
import hashlib
import json

import pytest

from huhang.ledger import generate_key, new_signer, sign_note
from huhang.ledger.checkpoint import Checkpoint, format_checkpoint
from huhang.ledger.cosignature import CosignatureSigner, generate_cosigner_key, new_cosignature_signer
from huhang.ledger.hashing import root_hash
from huhang.ledger.note import open_note
from huhang.ledger.proofs import inclusion_proof
from huhang.ledger.receipt import (
    MESSAGES,
    ReceiptError,
    build_receipt,
    format_tlog_proof,
    parse_tlog_proof,
    verify_receipt,
)

ORIGIN = "ledger.example.org/evidence"
FILE = b"the preserved file\n"
LEAVES = [json.dumps({"n": n, "sha256": "00" * 32}).encode() for n in range(6)]
LEAVES[3] = json.dumps(
    {"v": 1, "type": "huhang/evidence", "sha256": hashlib.sha256(FILE).hexdigest(), "size": len(FILE)},
    sort_keys=True,
    separators=(",", ":"),
).encode()
INDEX = 3


@pytest.fixture(scope="module")
def keys():
    return generate_key(ORIGIN)


def _receipt(keys, *, leaves=LEAVES, index=INDEX, origin=ORIGIN, cosigners=()):
    signer_key, verifier_key = keys
    body = format_checkpoint(Checkpoint(origin, len(leaves), root_hash(leaves)))
    note = sign_note(body, [new_signer(signer_key)])
    if cosigners:
        opened = open_note(note, [new_signer(signer_key).verifier()])
        lines = [c.sign(body, timestamp=1_700_000_000) for c in cosigners]
        note = sign_note(body, [], existing=[*opened.signatures, *lines])
    return build_receipt(
        origin=origin,
        suite="sha256-ed25519",
        verifier_key=verifier_key,
        index=index,
        leaf=leaves[index],
        proof=inclusion_proof(leaves, index, len(leaves)),
        checkpoint_note=note,
        cosignatures=len(cosigners),
    )


def _fails(receipt, key, code, **kwargs) -> ReceiptError:
    with pytest.raises(ReceiptError) as info:
        verify_receipt(json.dumps(receipt) if isinstance(receipt, dict) else receipt, verifier_key=key, **kwargs)
    assert info.value.code == code, str(info.value)
    assert str(info.value) == MESSAGES[code].format(**info.value.params)
    return info.value


def _proof_lines(receipt):
    head, _, note = receipt["proof"].partition("\n\n")
    return head.split("\n"), note


def _with_proof_lines(receipt, lines, note):
    changed = dict(receipt)
    changed["proof"] = "\n".join(lines) + "\n\n" + note
    return changed


def test_a_good_receipt_verifies_with_and_without_the_file(keys):
    receipt = _receipt(keys)
    verified = verify_receipt(json.dumps(receipt), verifier_key=keys[1], file_bytes=FILE)
    assert (verified.index, verified.tree_size, verified.file_checked) == (INDEX, len(LEAVES), True)
    assert verified.leaf == LEAVES[INDEX]
    assert verify_receipt(receipt, verifier_key=keys[1]).file_checked is False


def test_the_proof_text_follows_tlog_proof(keys):
    receipt = _receipt(keys)
    lines, note = _proof_lines(receipt)
    assert lines[0] == "c2sp.org/tlog-proof@v1" and lines[1] == f"index {INDEX}"
    index, hashes, parsed_note = parse_tlog_proof(receipt["proof"])
    assert index == INDEX and hashes == inclusion_proof(LEAVES, INDEX, len(LEAVES)) and parsed_note == note
    text = format_tlog_proof(index=INDEX, proof=hashes, checkpoint_note=note, extra=b"ctx")
    assert text.split("\n")[1] == "extra " + base64.b64encode(b"ctx").decode()
    assert parse_tlog_proof(text)[0] == INDEX


def test_truncated_proof(keys):
    receipt = _receipt(keys)
    lines, note = _proof_lines(receipt)
    error = _fails(_with_proof_lines(receipt, lines[:-1], note), keys[1], "truncated_proof")
    assert "truncated" in str(error)


def test_modified_proof(keys):
    receipt = _receipt(keys)
    lines, note = _proof_lines(receipt)
    raw = bytearray(base64.b64decode(lines[2]))
    raw[0] ^= 1
    lines[2] = base64.b64encode(bytes(raw)).decode()
    error = _fails(_with_proof_lines(receipt, lines, note), keys[1], "proof_mismatch")
    assert "modified" in str(error)


def test_modified_leaf(keys):
    receipt = _receipt(keys)
    leaf = json.loads(base64.b64decode(receipt["leaf"]))
    leaf["size"] += 1
    receipt["leaf"] = base64.b64encode(json.dumps(leaf, sort_keys=True, separators=(",", ":")).encode()).decode()
    _fails(receipt, keys[1], "proof_mismatch")


def test_receipt_from_another_log(keys):
    other = generate_key("ledger.elsewhere.example/log")
    receipt = _receipt(other, origin="ledger.elsewhere.example/log")
    error = _fails(receipt, keys[1], "other_log")
    assert "ledger.elsewhere.example/log" in str(error) and ORIGIN in str(error)


def test_wrong_key_of_the_same_name(keys):
    impostor = generate_key(ORIGIN)
    receipt = _receipt(impostor)
    _fails(receipt, keys[1], "key_mismatch")
    del receipt["verifier_key"]  # the stated key is informational: without it the signature check catches it
    _fails(receipt, keys[1], "unsigned")


def test_altered_checkpoint_fails_its_signature(keys):
    receipt = _receipt(keys)
    lines, note = _proof_lines(receipt)
    body_lines = note.split("\n")
    body_lines[1] = str(len(LEAVES) + 1)
    receipt = _with_proof_lines(receipt, lines, "\n".join(body_lines))
    receipt.pop("checkpoint")
    _fails(receipt, keys[1], "bad_signature")


def test_stated_checkpoint_must_match_the_signed_one(keys):
    receipt = _receipt(keys)
    receipt["checkpoint"]["size"] = 99
    _fails(receipt, keys[1], "inconsistent")


def test_file_that_is_not_the_preserved_one(keys):
    error = _fails(_receipt(keys), keys[1], "file_mismatch", file_bytes=b"another file\n")
    assert "SHA-256" in str(error)


def test_malformed_inputs(keys):
    _fails("{not json", keys[1], "malformed_json")
    _fails(b"\xff\xfe", keys[1], "malformed_json")
    _fails({"format": "something/else"}, keys[1], "wrong_format")
    receipt = _receipt(keys)
    _fails({**receipt, "index": "3"}, keys[1], "missing_field")
    _fails({**receipt, "index": 2}, keys[1], "index_mismatch")
    _fails(receipt, "not a key", "bad_key")
    lines, note = _proof_lines(receipt)
    _fails(_with_proof_lines(receipt, ["c2sp.org/tlog-proof@v2", *lines[1:]], note), keys[1], "malformed_proof")
    _fails(_with_proof_lines(receipt, [*lines[:2], "@@@", *lines[3:]], note), keys[1], "malformed_proof")
    _fails({**receipt, "proof": "\n".join(lines)}, keys[1], "malformed_proof")
    _fails("x" * (2 << 20), keys[1], "too_large")


def test_witness_quorum(keys):
    w1_key, w1_vkey = generate_cosigner_key("witness.one.example")
    _, w2_vkey = generate_cosigner_key("witness.two.example")
    receipt = _receipt(keys, cosigners=[new_cosignature_signer(w1_key)])
    verified = verify_receipt(receipt, verifier_key=keys[1], witness_keys=[w1_vkey, w2_vkey], quorum=1)
    assert verified.cosigners == ("witness.one.example",)
    error = _fails(receipt, keys[1], "quorum", witness_keys=[w1_vkey, w2_vkey], quorum=2)
    assert "1 valid cosignatures" in str(error)
    _fails(receipt, keys[1], "bad_witness_key", witness_keys=["garbage"], quorum=0)


def test_forged_cosignature(keys):
    _, w1_vkey = generate_cosigner_key("witness.one.example")
    forger = CosignatureSigner("witness.one.example", bytes(32))  # same name, another key
    receipt = _receipt(keys, cosigners=[forger])
    _fails(receipt, keys[1], "quorum", witness_keys=[w1_vkey], quorum=1)


def test_the_verifier_imports_no_django():
    import subprocess
    import sys
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src"
    code = (
        "import sys, huhang.ledger.receipt, huhang.evidence.leaf; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONPATH": str(src)}
    )
    assert out.stdout.strip() == "[]"


def test_sm3_sm2_receipts_check_both_hashes():
    from huhang.ledger.suites import get_suite

    suite = get_suite("sm3-sm2")
    signer_key, verifier_key = generate_key(ORIGIN, suite=suite)
    leaf = json.dumps(
        {"sha256": hashlib.sha256(FILE).hexdigest(), "sm3": suite.hash(FILE).hex(), "size": len(FILE)},
        sort_keys=True,
        separators=(",", ":"),
    ).encode()
    leaves = [b"a", leaf, b"c"]
    body = format_checkpoint(Checkpoint(ORIGIN, 3, root_hash(leaves, suite=suite)), suite=suite)
    receipt = build_receipt(
        origin=ORIGIN,
        suite=suite.name,
        verifier_key=verifier_key,
        index=1,
        leaf=leaf,
        proof=inclusion_proof(leaves, 1, 3, suite=suite),
        checkpoint_note=sign_note(body, [new_signer(signer_key)]),
    )
    assert verify_receipt(receipt, verifier_key=verifier_key, file_bytes=FILE).suite == "sm3-sm2"
    fields = json.loads(leaf)
    fields["sm3"] = "00" * 32
    forged = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    leaves[1] = forged
    body = format_checkpoint(Checkpoint(ORIGIN, 3, root_hash(leaves, suite=suite)), suite=suite)
    receipt = build_receipt(
        origin=ORIGIN,
        suite=suite.name,
        verifier_key=verifier_key,
        index=1,
        leaf=forged,
        proof=inclusion_proof(leaves, 1, 3, suite=suite),
        checkpoint_note=sign_note(body, [new_signer(signer_key)]),
    )
    error = _fails(receipt, verifier_key, "file_mismatch", file_bytes=FILE)
    assert "SM3" in str(error)
    _fails(receipt, keys_default_suite := generate_key(ORIGIN)[1], "suite_mismatch")
    assert keys_default_suite
