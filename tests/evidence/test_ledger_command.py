"""``huhang ledger``: append files, print the checkpoint, the verifier key and proofs, check the whole log."""

import base64
import json
from io import StringIO

import pytest
from django.core.management import call_command

from huhang.evidence import ledger_service
from huhang.ledger import hash_leaf, new_verifier, open_checkpoint, verify_consistency, verify_inclusion

pytestmark = pytest.mark.django_db(transaction=True)


def _ledger(*args: str) -> str:
    out = StringIO()
    call_command("ledger", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _hashes(texts: list[str]) -> list[bytes]:
    return [base64.b64decode(text) for text in texts]


def test_append_then_prove_and_check_with_the_printed_key(ledger, tmp_path):
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_bytes(b"first file")
    second.write_bytes(b"second file")
    before = ledger.size
    appended = [int(line.split()[0]) for line in _ledger("append", str(first), str(second)).splitlines()]
    assert appended == [before, before + 1]
    key = _ledger("verifier-key").strip()
    assert key == ledger.record.verifier_key
    checkpoint, _ = open_checkpoint(_ledger("checkpoint"), new_verifier(key))
    assert checkpoint.size == before + 2

    inclusion = json.loads(_ledger("prove", "--index", str(before)))
    assert (inclusion["size"], _hashes([inclusion["root"]])[0]) == (checkpoint.size, checkpoint.root_hash)
    assert _hashes([inclusion["leaf_hash"]])[0] == hash_leaf(b"first file")
    verify_inclusion(
        leaf_hash=hash_leaf(b"first file"),
        index=before,
        size=checkpoint.size,
        proof=_hashes(inclusion["proof"]),
        root=checkpoint.root_hash,
    )
    consistency = json.loads(_ledger("prove", "--old-size", str(before + 1)))
    verify_consistency(
        old_size=before + 1,
        new_size=checkpoint.size,
        old_root=_hashes([consistency["old_root"]])[0],
        new_root=checkpoint.root_hash,
        proof=_hashes(consistency["proof"]),
    )
    assert "every hash and checkpoint verified" in _ledger("check")
    # The appending command let its sequencer go: the platform appends again through a new one.
    assert ledger_service.sequencer().append(b"after the command", timeout=10).index == before + 2
