"""Mirroring a case file onto the evidence ledger: each kind of row, what its entry says, and the sync.

Every row kind is declared once in :data:`SOURCES` (where its rows are, the entry's kind, its subject prefix,
what the entry records and who acted). :func:`ledger_sync` appends whatever rows of a case have no
:class:`LedgerLink` yet; it runs after each committed change and from ``huhang cases ledger-sync``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import IntegerField, Value

from huhang.cases.models import Case, LedgerLink, Service

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Source:
    prefix: str
    kind: str
    rows: Callable[[Case], Iterable]
    payload: Callable[[Case, object], dict]
    actor: Callable[[object], object]


SOURCES = (
    Source(
        "case-party", "case.party", lambda case: case.parties.all(),
        lambda case, p: {"case": case.number, "role": p.role, "name": p.name},
        lambda p: p.added_by,
    ),
    Source(
        "case-event", "case.event", lambda case: case.events.order_by("seq"),
        lambda case, e: {
            "case": case.number, "seq": e.seq, "action": e.action, "at": e.at.isoformat(),
            "actor_role": e.actor_role, "payload": e.payload, "digest": e.digest,
        },
        lambda e: e.actor,
    ),
    Source(
        "case-document", "case.document", lambda case: case.documents.select_related("addressee"),
        lambda case, d: {
            "case": case.number, "kind": d.kind, "number": d.number, "docx_sha256": d.docx_sha256,
            "pdf_sha256": d.pdf_sha256, "addressee": d.addressee.name if d.addressee else None,
        },
        lambda d: d.issued_by,
    ),
    Source(
        "case-service", "case.service",
        lambda case: Service.objects.filter(document__case=case).select_related("document", "party"),
        lambda case, s: {
            "case": case.number, "document": str(s.document_id), "pdf_sha256": s.document.pdf_sha256,
            "party": s.party.name, "method": s.method, "served_on": s.served_on.isoformat(), "deemed": s.deemed,
        },
        lambda s: s.recorded_by,
    ),
    Source(
        "case-track", "case.track", lambda case: case.track_decisions.all(),
        lambda case, t: {"case": case.number, "track": t.track, "automatic": t.automatic, "reason": t.override_reason},
        lambda t: t.decided_by,
    ),
    Source(
        "case-submission", "case.submission", lambda case: case.submissions.select_related("party"),
        lambda case, sub: {
            "case": case.number, "kind": sub.kind, "party": sub.party.name,
            "text_sha256": hashlib.sha256(sub.text.encode()).hexdigest(),
            "evidence": sorted(str(x) for x in sub.evidence.values_list("pk", flat=True)),
        },
        lambda sub: sub.submitted_by,
    ),
    Source(
        "case-expert", "case.expert", lambda case: case.experts.select_related("expert"),
        lambda case, x: {
            "case": case.number, "expert": x.expert.name, "role": x.role, "joined_on": x.joined_on.isoformat(),
        },
        lambda x: x.recorded_by,
    ),
)  # fmt: skip


def pending(case: Case) -> list[tuple[str, str, dict, object]]:
    """``(subject, kind, payload, actor)`` of every row of ``case`` not yet on the ledger."""
    linked = set(LedgerLink.objects.filter(case=case).values_list("subject", flat=True))
    return [
        (f"{source.prefix}/{row.pk}", source.kind, source.payload(case, row), source.actor(row))
        for source in SOURCES
        for row in source.rows(case)
        if f"{source.prefix}/{row.pk}" not in linked
    ]


def ledger_sync(case: Case) -> int:
    """Append to the ledger every row of ``case`` not yet on it; return how many were appended.

    Runs after the change is committed (the ledger refuses to append inside a transaction). A failure (no
    log initialised, the sequencer down) is logged and leaves the rows pending: the case file marks them,
    and ``huhang cases ledger-sync`` appends them later.
    """
    from huhang.evidence import services as evidence_services

    appended = 0
    for subject, kind, payload, actor in pending(case):
        try:
            entry = evidence_services.ledger_record_event(actor=actor, kind=kind, subject=subject, payload=payload)
        except Exception:  # any failure of the ledger leaves the row pending, to be synced later
            log.warning("case %s: %s not appended to the ledger; it stays pending", case.number, subject, exc_info=True)
            return appended
        LedgerLink.objects.create(subject=subject, case=case, ledger_event=entry)
        appended += 1
    return appended


def pending_count(case: Case, *, linked: int | None = None) -> int:
    """How many rows of ``case`` are not yet on the ledger: the rows :data:`SOURCES` names less the case's
    links (``linked``, when the caller has counted them already), in one or two queries.

    Exact because every :class:`LedgerLink` names one row of its case, and neither rows nor links are ever
    deleted (both are insert-only); :func:`pending` lists the rows themselves.
    """
    one = Value(1, output_field=IntegerField())
    first, *rest = (source.rows(case).order_by().values_list(one) for source in SOURCES)
    rows = first.union(*rest, all=True).count()
    if linked is None:
        linked = LedgerLink.objects.filter(case=case).count()
    return rows - linked
