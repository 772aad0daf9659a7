"""Receipts use the latest published (cosigned) checkpoint that covers the entry, else the log's own."""

import pytest

from huhang.evidence.receipts import evidence_receipt
from huhang.ledger import new_verifier
from huhang.ledger.cosignature import generate_cosigner_key, new_cosignature_signer
from huhang.ledger.note import open_note, sign_note
from huhang.ledger.receipt import ReceiptError, verify_receipt

pytestmark = pytest.mark.django_db(transaction=True)


def _publish_cosigned(log, witness_key):
    latest = log.latest_checkpoint()
    body = latest.note[: latest.note.index("\n\n") + 1]
    opened = open_note(latest.note, [new_verifier(log.record.verifier_key)])
    line = new_cosignature_signer(witness_key).sign(body, timestamp=1_700_000_000)
    note = sign_note(body, [], existing=[*opened.signatures, line])
    log.store.publish(log_id=log.record.id, size=latest.size, note=note)
    return latest.size


def test_receipt_carries_the_witnesses_cosignatures_once_published(submit, ledger):
    first = submit(b"first")
    plain = evidence_receipt(first)
    assert plain.cosignatures == 0
    witness_key, witness_vkey = generate_cosigner_key("witness.court.example")
    size = _publish_cosigned(ledger, witness_key)
    published = evidence_receipt(first)
    assert published.tree_size == size and published.cosignatures == 1
    verified = verify_receipt(
        published.receipt, verifier_key=ledger.record.verifier_key, witness_keys=[witness_vkey], quorum=1
    )
    assert verified.cosigners == ("witness.court.example",)
    with pytest.raises(ReceiptError, match="0 valid cosignatures"):
        verify_receipt(plain.receipt, verifier_key=ledger.record.verifier_key, witness_keys=[witness_vkey], quorum=1)

    later = submit(b"after the publication")  # not covered by it: the log's own checkpoint is used
    receipt = evidence_receipt(later)
    assert receipt.cosignatures == 0 and receipt.tree_size > size
    verify_receipt(receipt.receipt, verifier_key=ledger.record.verifier_key)
