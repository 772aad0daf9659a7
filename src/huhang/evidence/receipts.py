"""Receipts of evidence and events, made from the log (see :mod:`huhang.ledger.receipt` for the format).

A receipt proves inclusion in the latest *published* checkpoint that covers the entry (one the witnesses
cosigned), when there is one; otherwise in the log's latest signed checkpoint. When that checkpoint's exact
note was time-stamped by the TSA (huhang.evidence.timestamps), the receipt carries the token too.

The receipt that answers a submission is made from the acknowledgement itself: the checkpoint that
committed the entry (the latest one at that moment) and the inclusion proof the sequencer computed with
it, so that answering reads nothing back from the log unless a published checkpoint or a time-stamp may
apply (witnesses or a TSA are configured).
"""

import functools
import json
from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from huhang.evidence import ledger_service
from huhang.evidence.timestamps import covering_timestamp, tsa_url
from huhang.evidence.witnesses import configured_witnesses
from huhang.ledger.note import NoteError, open_note
from huhang.ledger.receipt import build_receipt
from huhang.ledger.sequencer import Receipt


@dataclass(frozen=True)
class ReceiptData:
    receipt: dict
    tree_size: int
    cosignatures: int

    def json_bytes(self) -> bytes:
        return (json.dumps(self.receipt, ensure_ascii=False, indent=2) + "\n").encode()


def verification_url() -> str:
    return settings.HUHANG_PUBLIC_URL + _verification_path(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=16)
def _verification_path(script_prefix: str, urlconf) -> str:
    """The verification page's path under ``script_prefix``: the same for every receipt a process makes."""
    return reverse("evidence:verify", urlconf=urlconf)


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


@functools.lru_cache(maxsize=64)
def _cosignature_count(note: str, verifier_key: str) -> int:
    """Count the cosignatures of a published note; a published note never changes, so each is counted once."""
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
    return _receipt(log, index, stored, proof, size, note, cosignatures, stamp, summary)


def acknowledged_receipt(acknowledged: Receipt, *, leaf: bytes, summary: dict | None = None) -> ReceiptData:
    """Return the receipt of an entry just appended, from its acknowledgement (which carries its proof).

    It is the receipt :func:`receipt_for` gives at the moment of the acknowledgement: in the checkpoint
    that committed the entry, unless a published checkpoint covers it already (then :func:`receipt_for`
    makes it), with that checkpoint's time-stamp if it has one.
    """
    if acknowledged.proof is None:
        raise ValueError("the acknowledgement carries no inclusion proof: append with prove=True")
    log = ledger_service.open_log()
    index, checkpoint = acknowledged.index, acknowledged.checkpoint
    if configured_witnesses():
        published = log.latest_publication()
        if published is not None and published[0] > index:
            return receipt_for(index=index, leaf=leaf, summary=summary)
    stamp = covering_timestamp(log, checkpoint.size, checkpoint.note) if tsa_url() else None
    return _receipt(log, index, leaf, acknowledged.proof, checkpoint.size, checkpoint.note, 0, stamp, summary)


def _receipt(log, index, leaf, proof, size, note, cosignatures, stamp, summary) -> ReceiptData:
    """The receipt of entry ``index`` (``leaf``) by ``proof`` in the checkpoint of ``size`` signed as ``note``."""
    extra = {"verify_url": verification_url()}
    if summary:
        extra["summary"] = summary
    receipt = build_receipt(
        origin=log.origin,
        suite=log.record.suite,
        verifier_key=log.record.verifier_key,
        index=index,
        leaf=leaf,
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


def submission_receipt(evidence) -> ReceiptData:
    """The receipt that answers the submission of ``evidence``, which a service of this app just appended."""
    acknowledged = getattr(evidence, "ledger_receipt", None)  # set by that service (services.Pending.settle)
    if acknowledged is None or acknowledged.proof is None:
        return evidence_receipt(evidence)
    return acknowledged_receipt(acknowledged, leaf=bytes(evidence.leaf), summary={"evidence": str(evidence.pk)})
