"""Integrity checks: every row against its ledger entry, every stored file against its hash, every entry
against a row; and re-creation of rows whose entry was appended but whose insert never happened.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from huhang.evidence import ledger_service
from huhang.evidence.leaf import EVENT_TYPE, EVIDENCE_TYPE, LeafError, parse_leaf, parse_rfc3339, rfc3339
from huhang.evidence.models import Evidence, EvidenceMode, LedgerEvent
from huhang.evidence.storage import StoreError, blob_key, evidence_store

REHASH_ON_PAGE_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    subject: str  # "evidence/<id>", "event/<id>", "entry/<index>"
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


def _user_ref(user_id) -> str:
    return f"user/{user_id}" if user_id is not None else "system"


def evidence_row_problems(evidence: Evidence, *, log=None) -> list[str]:
    """Return how ``evidence``'s row disagrees with its leaf and with the log (empty: it agrees)."""
    problems = []
    log = log or ledger_service.open_log()
    leaf = bytes(evidence.leaf)
    try:
        entry = log.entry(evidence.ledger_index)
    except ValueError:
        return [_("its ledger index %(index)d is not in the log") % {"index": evidence.ledger_index}]
    if entry != leaf:
        problems.append(
            _("the leaf kept in the row differs from ledger entry %(index)d") % {"index": evidence.ledger_index}
        )
    try:
        fields = parse_leaf(entry)
    except LeafError as exc:
        return [
            *problems,
            _("ledger entry %(index)d is not an evidence leaf: %(error)s")
            % {"index": evidence.ledger_index, "error": exc},
        ]
    expected = {
        "type": EVIDENCE_TYPE,
        "id": str(evidence.pk),
        "kind": evidence.kind,
        "title": evidence.title,
        "description": evidence.description,
        "mode": evidence.mode,
        "sha256": evidence.sha256,
        "size": evidence.size,
        "media_type": evidence.media_type or None,
        "time": rfc3339(evidence.submitted_at),
        "submitted_by": _user_ref(evidence.submitted_by_id),
    }
    if evidence.sm3 or "sm3" in fields:
        expected["sm3"] = evidence.sm3
    for name, value in expected.items():
        if fields.get(name) != value:
            problems.append(
                _("%(field)s in the database is %(row)s, but the ledger recorded %(leaf)s")
                % {"field": name, "row": _shown(value), "leaf": _shown(fields.get(name))}
            )
    return problems


def _shown(value) -> str:
    text = "null" if value is None else str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def evidence_file_problems(evidence: Evidence, *, store=None, rehash: bool = True) -> list[str]:
    """Return how ``evidence``'s stored file disagrees with its recorded hash (empty: it agrees)."""
    if evidence.mode != EvidenceMode.FILE:
        return []
    store = store or evidence_store()
    try:
        return _file_problems(evidence, store, rehash)
    except FileNotFoundError:  # deleted between the look-up and the read
        return [_("its file is missing from the store")]
    except StoreError as exc:
        return [_("its file could not be read from the store: %(error)s") % {"error": exc}]


def _file_problems(evidence: Evidence, store, rehash: bool) -> list[str]:
    if not evidence.storage_key or not store.exists(evidence.storage_key):
        return [_("its file is missing from the store")]
    if rehash:
        # Against the hash the ledger recorded (a changed row is reported by the row check).
        try:
            recorded = parse_leaf(bytes(evidence.leaf)).get("sha256") or evidence.sha256
        except LeafError:
            recorded = evidence.sha256
        actual = store.sha256_of(evidence.storage_key)
        if actual != recorded:
            return [
                _("its stored file was replaced: SHA-256 is now %(actual)s, recorded %(recorded)s")
                % {"actual": actual, "recorded": recorded}
            ]
    return []


def evidence_check_files() -> list[Problem]:
    """Re-hash every stored evidence file; report replaced and missing ones."""
    store = evidence_store()
    problems = []
    for evidence in Evidence.objects.filter(mode=EvidenceMode.FILE).order_by("ledger_index").iterator():
        problems += [Problem(f"evidence/{evidence.pk}", m) for m in evidence_file_problems(evidence, store=store)]
    return problems


def evidence_check_rows() -> list[Problem]:
    """Compare every evidence and event row with its ledger entry."""
    log = ledger_service.open_log()
    problems = []
    for evidence in Evidence.objects.order_by("ledger_index").iterator():
        problems += [Problem(f"evidence/{evidence.pk}", m) for m in evidence_row_problems(evidence, log=log)]
    for event in LedgerEvent.objects.order_by("ledger_index").iterator():
        try:
            entry = log.entry(event.ledger_index)
        except ValueError:
            entry = None
        if entry != bytes(event.leaf):
            problems.append(
                Problem(
                    f"event/{event.pk}",
                    _("the leaf kept in the row differs from ledger entry %(index)d") % {"index": event.ledger_index},
                )
            )
    return problems


def orphan_entries(*, since: int = 0, chunk: int = 4096) -> list[tuple[int, dict]]:
    """Return ``(index, leaf fields)`` of every evidence or event entry from ``since`` on that has no row."""
    log = ledger_service.open_log()
    known = set(Evidence.objects.values_list("ledger_index", flat=True))
    known |= set(LedgerEvent.objects.values_list("ledger_index", flat=True))
    orphans = []
    size = log.size
    for begin in range(since, size, chunk):
        for offset, data in enumerate(log.entries(begin, min(size, begin + chunk))):
            index = begin + offset
            if index in known:
                continue
            try:
                fields = parse_leaf(data)
            except LeafError:
                continue  # not ours (e.g. appended with `huhang ledger append`)
            orphans.append((index, fields))
    return orphans


def evidence_check(*, since: int = 0) -> list[Problem]:
    """Every check: rows against the log, files against their hashes, entries (from ``since`` on) without rows."""
    problems = evidence_check_rows() + evidence_check_files()
    for index, fields in orphan_entries(since=since):
        problems.append(
            Problem(
                f"entry/{index}",
                _("%(type)s %(id)s has no row: `huhang evidence recover` re-creates it")
                % {"type": fields["type"], "id": fields.get("id")},
            )
        )
    return problems


def _checkpoint_size_covering(log, index: int) -> int:
    checkpoint = log.checkpoint_covering(index)  # one query, not every checkpoint of the log per row
    return checkpoint.size if checkpoint is not None else log.size


def _find_holder(holder: dict):
    from huhang.registry.models import Entity

    identifier, name = holder.get("id") or "", holder.get("name") or ""
    if "*" not in identifier:
        return Entity.objects.filter(uscc=identifier).first()
    candidates = Entity.objects.filter(
        name=name, resident_id__startswith=identifier[:6], resident_id__endswith=identifier[-4:]
    )
    return candidates.first() if candidates.count() == 1 else None


def _user(ref: str):
    from django.contrib.auth import get_user_model

    if not isinstance(ref, str) or not ref.startswith("user/"):
        return None
    return get_user_model().objects.filter(pk=ref[5:]).first() if ref[5:].isdigit() else None


def evidence_recover(*, since: int = 0) -> tuple[list[str], list[Problem]]:
    """Re-create the rows of entries (from ``since`` on) that never got one; return (recovered, problems)."""
    log = ledger_service.open_log()
    recovered, problems = [], []
    for index, fields in orphan_entries(since=since):
        subject = f"entry/{index}"
        try:
            with transaction.atomic():
                if fields["type"] == EVIDENCE_TYPE:
                    holder = _find_holder(fields.get("holder") or {})
                    submitter = _user(fields.get("submitted_by"))
                    if holder is None or submitter is None:
                        problems.append(Problem(subject, _("cannot recover: its holder or submitter is unknown")))
                        continue
                    Evidence.objects.create(
                        id=fields["id"],
                        holder=holder,
                        kind=fields["kind"],
                        title=fields["title"],
                        description=fields["description"],
                        original_name="",
                        size=fields.get("size"),
                        media_type=fields.get("media_type") or "",
                        sha256=fields["sha256"],
                        sm3=fields.get("sm3") or "",
                        storage_key=blob_key(fields["sha256"]) if fields["mode"] == EvidenceMode.FILE else "",
                        mode=fields["mode"],
                        submitted_by=submitter,
                        submitted_at=parse_rfc3339(fields["time"]),
                        ledger_index=index,
                        leaf=log.entry(index),
                        checkpoint_size=_checkpoint_size_covering(log, index),
                    )
                elif fields["type"] == EVENT_TYPE:
                    LedgerEvent.objects.create(
                        id=fields["id"],
                        kind=fields["kind"],
                        subject=fields["subject"],
                        payload=fields["payload"],
                        actor=_user(fields.get("actor")),
                        occurred_at=parse_rfc3339(fields["time"]),
                        ledger_index=index,
                        leaf=log.entry(index),
                        checkpoint_size=_checkpoint_size_covering(log, index),
                    )
        except (KeyError, TypeError, ValueError, LeafError, ValidationError, IntegrityError) as exc:
            problems.append(Problem(subject, _("cannot recover: %(error)s") % {"error": exc}))
            continue
        recovered.append(f"{subject} → {fields['type']} {fields.get('id')}")
    return recovered, problems
