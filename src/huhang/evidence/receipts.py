"""Receipts of evidence and events, made from the log (see :mod:`huhang.ledger.receipt` for the format).

A receipt proves inclusion in the latest *published* checkpoint that covers the entry (one the witnesses
cosigned), when there is one; otherwise in the log's latest signed checkpoint. When that checkpoint's exact
note was time-stamped by the TSA (huhang.evidence.timestamps), the receipt carries the token too.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from huhang.evidence import ledger_service
from huhang.evidence.timestamps import covering_timestamp
from huhang.ledger.note import NoteError, open_note
from huhang.ledger.receipt import build_receipt


@dataclass(frozen=True)
class ReceiptData:
    receipt: dict
    tree_size: int
    cosignatures: int

    def json_bytes(self) -> bytes:
        return (json.dumps(self.receipt, ensure_ascii=False, indent=2) + "\n").encode()


def verification_url() -> str:
    return settings.HUHANG_PUBLIC_URL + reverse("evidence:verify")


def _checkpoint_for(log, index: int) -> tuple[int, str, int]:
    """Return ``(size, signed note, number of cosignatures)`` of the checkpoint a receipt for ``index`` uses."""
    published = log.latest_publication()
    if published is not None and published[0] > index:
        size, note = published
        return size, note, _cosignature_count(note, log.record.verifier_key)
    latest = log.latest_checkpoint()
    if latest is None or latest.size <= index:
        raise ledger_service.LedgerError(f"entry {index} is not covered by any signed checkpoint")
    return latest.size, latest.note, 0


def _cosignature_count(note: str, verifier_key: str) -> int:
    from huhang.ledger import new_verifier

    try:
        opened = open_note(note, [new_verifier(verifier_key)])
    except NoteError:
        return 0
    return len(opened.unverified)  # the log's own signature is the verified one


def receipt_for(*, index: int, leaf: bytes, summary: dict | None = None) -> ReceiptData:
    """Return the receipt of entry ``index`` whose bytes are ``leaf`` (the row's copy, checked against the log)."""
    log = ledger_service.open_log()
    stored = log.entry(index)
    if stored != bytes(leaf):
        raise ledger_service.LedgerError(f"entry {index} in the log differs from the recorded leaf")
    size, note, cosignatures = _checkpoint_for(log, index)
    proof = log.inclusion_proof(index, size)
    stamp = covering_timestamp(log, size, note)
    extra = {"verify_url": verification_url()}
    if summary:
        extra["summary"] = summary
    receipt = build_receipt(
        origin=log.origin,
        suite=log.record.suite,
        verifier_key=log.record.verifier_key,
        index=index,
        leaf=stored,
        proof=proof,
        checkpoint_note=note,
        cosignatures=cosignatures,
        timestamp_token=stamp.token if stamp else None,
        tsa_url=stamp.tsa_url if stamp else None,
        gen_time=stamp.gen_time if stamp else None,
        extra_members=extra,
    )
    return ReceiptData(receipt, size, cosignatures)


def evidence_receipt(evidence) -> ReceiptData:
    return receipt_for(index=evidence.ledger_index, leaf=bytes(evidence.leaf), summary={"evidence": str(evidence.pk)})
