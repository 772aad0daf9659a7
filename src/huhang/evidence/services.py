"""Write paths of evidence: submit a file, submit a hash (trade secret), record another capability's event.

Each service validates everything first (raising ``ValidationError`` or ``PermissionDenied`` before
anything is written), then:

1. stores the file, content-addressed (file mode only; storing the same content twice is harmless);
2. appends the canonical leaf to the ledger together with the row, which names the leaf's index: the
   sequencer inserts the row in the transaction that appends the entry and signs the checkpoint, and the
   service returns once that transaction is committed.

So a row never claims an index that is not in the log, and an entry never lacks its row. Entries appended
before rows went in with them (or by other tools) may still lack one: ``huhang evidence check`` reports
such an entry, whose leaf holds every fact of the row but the uploader's file name, and ``huhang evidence
recover`` re-creates the row from it. For events the order matters more: an event must be recorded only
once the change it describes is committed, so these services refuse to run inside a transaction (on SQLite
the ledger's own connection could not write while it is open anyway). Call them after your transaction,
e.g. from ``transaction.on_commit``.
"""

import re
import unicodedata
import uuid
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from huhang.evidence import access, ledger_service
from huhang.evidence.leaf import LeafError, canonical_json, event_leaf, evidence_leaf
from huhang.evidence.models import Evidence, EvidenceKind, EvidenceMode, LedgerEvent
from huhang.evidence.sniff import sniff_media_type
from huhang.evidence.storage import TooLarge, evidence_store
from huhang.identifiers import mask_resident_id
from huhang.ledger.sequencer import Receipt

EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
_HEX64 = re.compile(r"[0-9a-fA-F]{64}\Z")
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\Z")
_EVENT_KIND = re.compile(r"[a-z][a-z0-9_.-]{0,63}\Z")
_SUBJECT = re.compile(r"[a-z][a-z0-9_-]{0,31}/[A-Za-z0-9_.:-]{1,160}\Z")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_KINDS = frozenset(EvidenceKind.values)  # the enum's ``values`` builds a new list each time
MAX_TITLE = 200
MAX_DESCRIPTION = 2000


class LedgerInTransactionError(RuntimeError):
    """A ledger write was attempted inside an open database transaction."""


def _now() -> datetime:
    return timezone.now().replace(microsecond=0)


def _require_no_transaction() -> None:
    if connection.in_atomic_block:
        raise LedgerInTransactionError(
            "ledger writes must not run inside a database transaction: call them once your change is "
            "committed (transaction.on_commit), so the ledger never records what was rolled back"
        )


def _clean_text(value: str, *, field: str, limit: int, required: bool) -> str:
    text = unicodedata.normalize("NFC", (value or "").replace("\r\n", "\n")).strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError({field: _("At most %(limit)d characters.") % {"limit": limit}})
    if _CONTROL.search(text):
        raise ValidationError({field: _("Control characters are not allowed.")})
    return text


def display_name(name: str) -> str:
    """Return an uploaded file's name fit for display: its last path part, no control characters.

    The result is stored and shown only; it never becomes a path.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = re.sub("[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    return name[:255]


def holder_identifier(holder) -> str:
    """The holder's identifier as the leaf records it: the USCC, or the resident ID number masked."""
    if holder.is_individual:
        return mask_resident_id(holder.resident_id or "")
    return holder.uscc or ""


def _validate_common(*, actor, holder, kind: str, title: str, description: str) -> tuple[str, str]:
    if holder is None:
        raise ValidationError({"holder": _("Choose the holder of the evidence.")})
    access.require_submit(actor, holder)
    errors = {}
    if kind not in _KINDS:
        errors["kind"] = _("Choose one of the listed kinds.")
    try:
        title = _clean_text(title, field="title", limit=MAX_TITLE, required=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        description = _clean_text(description, field="description", limit=MAX_DESCRIPTION, required=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return title, description


def _suite() -> str:
    return ledger_service.open_log().record.suite


@dataclass(frozen=True)
class Pending:
    """A row submitted to the ledger with its entry: ``settle`` once ``future`` is done fills in what it got."""

    instance: models.Model
    future: Future[Receipt]

    def settle(self, timeout: float | None = None):
        """Wait for the entry to be durable; return the row, saved, with its index and checkpoint size.

        The acknowledgement (with its inclusion proof) stays on the row as ``ledger_receipt``: it answers the
        submission (:func:`huhang.evidence.receipts.submission_receipt`).
        """
        receipt = self.future.result(timeout)
        instance = self.instance
        instance.ledger_index, instance.checkpoint_size = receipt.index, receipt.checkpoint.size
        instance._state.adding, instance._state.db = False, DEFAULT_DB_ALIAS
        instance.ledger_receipt = receipt
        return instance


def _submit_with_row(instance, *, prove: bool = False) -> Pending:
    """Submit ``instance.leaf`` to the ledger with ``instance`` as its row (inserted in the same transaction)."""
    return submit_with_rows([instance], prove=prove)[0]


def submit_with_rows(instances: list, *, prove: bool = False, requirements: list | None = None) -> list[Pending]:
    """Submit each unsaved ``instance.leaf`` to the ledger with ``instance`` as its row, all in one message.

    Each row is inserted in the transaction that appends its entry. ``instances`` are what
    :func:`prepare_hash_evidence` returns (or rows of ``LedgerEvent``). ``requirements[i]``, if given, is a
    :class:`~huhang.ledger.store.Requirement` instance ``i`` is written under (else it is refused with
    :class:`~huhang.ledger.errors.EntryRefused`).
    """
    _require_no_transaction()
    fields = {"index_field": "ledger_index", "checkpoint_size_field": "checkpoint_size"}
    requirements = requirements or [None] * len(instances)
    entries = [
        (instance.leaf, ledger_service.side_row(instance, **fields, require=require), prove)
        for instance, require in zip(instances, requirements, strict=True)
    ]
    futures = ledger_service.ledger_submit_many(entries)
    return [Pending(instance, future) for instance, future in zip(instances, futures, strict=True)]


def evidence_submit(*, actor, holder, kind: str, title: str, description: str = "", upload) -> Evidence:
    """Preserve the uploaded file ``upload`` (a Django ``UploadedFile``) as evidence of ``holder``.

    The file's name is kept for display only and its media type is sniffed from its content. Raises
    ``PermissionDenied`` if ``actor`` may not submit for ``holder`` and ``ValidationError`` for bad input
    (an empty or too large file among them), before anything is written.
    """
    from django.conf import settings

    title, description = _validate_common(actor=actor, holder=holder, kind=kind, title=title, description=description)
    limit = settings.HUHANG_EVIDENCE_MAX_BYTES
    if upload is None:
        raise ValidationError({"file": _("Choose a file.")})
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"file": too_large_message(limit)})
    if not upload.size:
        raise ValidationError({"file": _("The file is empty.")})
    suite = _suite()
    try:
        blob = evidence_store().put(upload.chunks(), max_bytes=limit, with_sm3=suite == "sm3-sm2")
    except TooLarge:
        raise ValidationError({"file": too_large_message(limit)}) from None
    media_type = sniff_media_type(blob.head)
    return _evidence_pending(
        actor=actor,
        holder=holder,
        kind=kind,
        title=title,
        description=description,
        mode=EvidenceMode.FILE,
        sha256=blob.sha256,
        sm3=blob.sm3 or None,
        size=blob.size,
        media_type=media_type,
        original_name=display_name(upload.name),
        storage_key=blob.key,
    ).settle()


def too_large_message(limit: int) -> str:
    return _("The file is larger than the limit of %(size)s.") % {"size": _megabytes(limit)}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} B"


def evidence_submit_hash(
    *,
    actor,
    holder,
    kind: str,
    title: str,
    description: str = "",
    sha256: str,
    size: int | None = None,
    media_type: str | None = None,
) -> Evidence:
    """Preserve only the SHA-256 of a file that stays with its holder (trade-secret mode).

    ``size`` and ``media_type`` are recorded only if the holder chose to state them. Nothing of the
    content reaches the server; the receipt later proves that content with this hash existed by then.
    """
    evidence = prepare_hash_evidence(
        actor=actor,
        holder=holder,
        kind=kind,
        title=title,
        description=description,
        sha256=sha256,
        size=size,
        media_type=media_type,
    )
    return submit_with_rows([evidence], prove=True)[0].settle()


def prepare_hash_evidence(
    *,
    actor,
    holder,
    kind: str,
    title: str,
    description: str = "",
    sha256: str,
    size: int | None = None,
    media_type: str | None = None,
) -> Evidence:
    """Validate a hash-only submission as :func:`evidence_submit_hash` does; return its row, unsaved, with its leaf.

    Nothing is written: :func:`submit_with_rows` (``prove=True``) submits it, alone or with others.
    """
    title, description = _validate_common(actor=actor, holder=holder, kind=kind, title=title, description=description)
    errors = {}
    sha256 = (sha256 or "").strip().lower()
    if not _HEX64.match(sha256):
        errors["sha256"] = _("A SHA-256 hash is 64 hexadecimal digits.")
    elif sha256 == EMPTY_SHA256:
        errors["sha256"] = _("That is the hash of an empty file.")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or not 0 < size < 2**53):
        errors["size"] = _("The size must be a positive whole number of bytes.")
    media_type = (media_type or "").strip().lower() or None
    if media_type is not None and not _MEDIA_TYPE.match(media_type):
        errors["media_type"] = _("A media type looks like type/subtype, e.g. application/pdf.")
    if errors:
        raise ValidationError(errors)
    return _evidence_row(
        actor=actor,
        holder=holder,
        kind=kind,
        title=title,
        description=description,
        mode=EvidenceMode.HASH,
        sha256=sha256,
        sm3=None,
        size=size,
        media_type=media_type,
        original_name="",
        storage_key="",
    )


def _evidence_pending(**facts) -> Pending:
    # The receipt of the acknowledgement (with its inclusion proof) answers the submission: receipts.py.
    return _submit_with_row(_evidence_row(**facts), prove=True)


def _evidence_row(*, actor, holder, mode, sha256, sm3, size, media_type, original_name, storage_key, **facts):
    evidence_id = uuid.uuid4()
    now = _now()
    leaf = evidence_leaf(
        id=str(evidence_id),
        holder_name=holder.name,
        holder_id=holder_identifier(holder),
        submitted_by=f"user/{actor.pk}",
        time=now,
        mode=mode,
        sha256=sha256,
        sm3=sm3,
        size=size,
        media_type=media_type,
        **facts,
    )
    evidence = Evidence(
        id=evidence_id,
        holder=holder,
        mode=mode,
        sha256=sha256,
        sm3=sm3 or "",
        size=size,
        media_type=media_type or "",
        original_name=original_name,
        storage_key=storage_key,
        submitted_by=actor,
        submitted_at=now,
        leaf=leaf,
        **facts,
    )
    return evidence


def ledger_record_event(*, actor, kind: str, subject: str, payload: dict | None = None) -> LedgerEvent:
    """Append an event of another capability to the ledger and keep its row; return the row.

    ``kind`` is a dotted name (``case.opened``, ``service.delivered``, ``identity.read``), ``subject``
    what it is about as ``<noun>/<id>`` (``case/42``), ``payload`` a JSON object of strings, integers,
    booleans, null, lists and objects (no floats: they have no canonical form). ``actor`` is the user
    who acted, or None for the platform itself. Call it once the change it records is committed: it
    raises :class:`LedgerInTransactionError` inside a transaction. The caller has authorised the
    change; this records it.
    """
    payload = {} if payload is None else payload
    errors = {}
    if not isinstance(kind, str) or not _EVENT_KIND.match(kind):
        errors["kind"] = _("An event kind is a lower-case dotted name such as case.opened.")
    if not isinstance(subject, str) or not _SUBJECT.match(subject):
        errors["subject"] = _("A subject looks like case/42.")
    if not isinstance(payload, dict):
        errors["payload"] = _("The payload must be a JSON object.")
    else:
        try:
            canonical_json(payload)
        except LeafError as exc:
            errors["payload"] = str(exc)
    if errors:
        raise ValidationError(errors)
    _require_no_transaction()
    event_id = uuid.uuid4()
    now = _now()
    actor_ref = f"user/{actor.pk}" if actor is not None else "system"
    leaf = event_leaf(id=str(event_id), kind=kind, subject=subject, actor=actor_ref, time=now, payload=payload)
    event = LedgerEvent(
        id=event_id, kind=kind, subject=subject, payload=payload, actor=actor, occurred_at=now, leaf=leaf
    )
    return _submit_with_row(event).settle()
