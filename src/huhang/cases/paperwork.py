"""Documents (文书) a step issues and their service (送达): the case layer over :mod:`huhang.documents` and
:mod:`huhang.procedures.service`.

A step issues the documents its transition ``produces`` that have a template; a served document gets one
copy per addressee, each a party of the case. A step that serves a document (its transition produces a
``*_service_record``) takes its date from the service: the date of service under LEGAL.md §1.3 (delivery
for post and electronic service with consent, the signature or 留置 date in person, publication + the
public-notice period for 公告) starts the clocks that follow. Files are stored content-addressed in the
evidence store; their hashes go onto the ledger with the document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from huhang import documents
from huhang import procedures as engine
from huhang.cases.catalogue import payload_to_engine, refusal
from huhang.cases.models import Case, CaseDocument, CaseEvent, CaseParty, PartyRole, Service
from huhang.evidence.storage import evidence_store
from huhang.procedures import service as service_rules

# Who each served kind is addressed to (party roles); kinds not listed go to every party.
ADDRESSEES: dict[str, tuple[str, ...]] = {
    "correction_notice": (PartyRole.APPLICANT, PartyRole.COMPLAINANT),
    "filing_notice": (PartyRole.APPLICANT, PartyRole.COMPLAINANT),
    "non_acceptance_notice": (PartyRole.APPLICANT, PartyRole.COMPLAINANT),
    "request_copy_service_record": (PartyRole.RESPONDENT,),
    "mediation_request_service_record": (PartyRole.RESPONDENT,),
    "notice_to_comment": (PartyRole.RESPONDENT,),
    "answer_copy_service_record": (PartyRole.APPLICANT,),
    "penalty_notice": (PartyRole.RESPONDENT,),
    "penalty_decision": (PartyRole.RESPONDENT,),
}
SERVICE_RECORD = "_service_record"


def serves(procedure: engine.Procedure, action: str) -> bool:
    """Whether ``action`` is itself the service of a document (its date is the date of service)."""
    return any(k.endswith(SERVICE_RECORD) for t in procedure.transitions_for(action) for k in t.produces)


def addressees(case: Case, kind: str) -> list[CaseParty]:
    roles = ADDRESSEES.get(kind)
    parties = case.parties.all()
    return list(parties.filter(role__in=roles) if roles else parties.exclude(role=PartyRole.PARTNER))


def rules() -> service_rules.ServiceRules:
    return service_rules.ServiceRules.from_mapping(getattr(settings, "HUHANG_SERVICE_RULES", {}) or {})


def _date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: _("Enter a valid date.")}) from None


def service_date_for(kind: str, party: CaseParty, method: str, sent_on, delivered_on, published_on):
    """The date of service of a document of ``kind`` on ``party`` (a ``ServiceDate``), or a refusal."""
    if method not in {m.value for m in service_rules.Method}:
        raise ValidationError({"method": _("Choose how the document was served.")})
    attempt = service_rules.Attempt(
        method=service_rules.Method(method),
        document_kind=kind,
        consent_to_electronic=party.electronic_consent,
        sent_on=_date(sent_on, "sent_on"),
        delivered_on=_date(delivered_on, "delivered_on"),
        published_on=_date(published_on, "published_on"),
    )
    try:
        return service_rules.service_date(attempt, rules())
    except engine.ProcedureError as exc:
        raise refusal(exc, "method") from None


@dataclass(frozen=True)
class StepService:
    """The service a serving step performs: one date per addressee; the step's date is the latest."""

    date: dt.date
    per_party: tuple[tuple[CaseParty, object], ...]
    kind: str


def service_for_step(case: Case, procedure: engine.Procedure, action: str, service: dict) -> StepService:
    kind = next(k for t in procedure.transitions_for(action) for k in t.produces if k.endswith(SERVICE_RECORD))
    parties = addressees(case, kind)
    if not parties:
        raise ValidationError({"method": _("The case has no party to serve this document on.")})
    method = service.get("method") or ""
    results = []
    for party in parties:
        served = service_date_for(
            kind, party, method, service.get("sent_on"), service.get("delivered_on"), service.get("published_on")
        )
        results.append((party, served))
    return StepService(max(s.date for _p, s in results), tuple(results), kind)


def _authority(case: Case) -> str:
    return case.organisation.name


def _party_line(party: CaseParty) -> documents.Party:
    entity = party.entity
    id_label = ""
    if entity is not None and entity.uscc:
        id_label = f"统一社会信用代码：{entity.uscc}"
    return documents.Party(role=party.role, name=party.name, id_label=id_label, address=party.address)


# Document fields filled from the case's history: the date of the last event of one of these actions.
HISTORY_DATES: dict[str, tuple[str, ...]] = {
    "received_on": ("file_request", "submit_correction", "apply", "receive", "send_notice", "notify"),
    "filed_on": ("accept", "file_case", "file_ordinary", "file_summary", "file_small_claims", "file_appeal"),
    "suspended_on": ("suspend",),
    "resumed_on": ("resume",),
    "objection_received_on": ("raise_jurisdiction_objection",),
    "notified_on": ("notify_intended_penalty",),
}


def _auto_fields(case: Case, event: CaseEvent) -> dict:
    """What the case itself says for a document's fields: the step's particulars, dates from the history."""
    fields: dict[str, object] = payload_to_engine(event.payload)
    history = list(case.events.filter(seq__lte=event.seq).order_by("seq").values_list("action", "at"))
    for field, actions in HISTORY_DATES.items():
        dates = [at for action, at in history if action in actions]
        if dates:
            fields.setdefault(field, dates[-1])
    fields.setdefault("received_on", case.opened_on)
    fields.setdefault("event_on", event.at)
    fields.setdefault("opened_on", case.opened_on)
    fields.setdefault("summary", case.summary)
    respondents = case.parties.filter(role=PartyRole.RESPONDENT)
    if respondents and all(p.domicile_in_prc for p in respondents):
        fields.setdefault("answer_period_days", 15)
    elif respondents:
        fields.setdefault("answer_period_days", 30)
    if event.note:
        fields.setdefault("note", event.note)
    return fields


def _store(data: bytes) -> tuple[str, str]:
    blob = evidence_store().put([data], max_bytes=max(len(data), 1) + 1)
    return blob.key, blob.sha256


def issue_for_event(
    case: Case, event: CaseEvent, procedure: engine.Procedure, *, actor, fields: dict | None = None
) -> list[CaseDocument]:
    """Generate and keep the documents ``event`` issues; refuse (ValidationError) if a template lacks a field."""
    transition = next((t for t in procedure.transitions_for(event.action)), None)
    if transition is None:
        return []
    issued: list[CaseDocument] = []
    parties = tuple(_party_line(p) for p in case.parties.exclude(role=PartyRole.PARTNER))
    values = {**_auto_fields(case, event), **(fields or {})}
    for kind in transition.produces:
        template = documents.KINDS.get(kind)
        if template is None:
            continue
        targets: list[CaseParty | None] = addressees(case, kind) if template.served else [None]
        if template.served and not targets:
            raise ValidationError({"document_fields": _("The case has no party to address this document to.")})
        for n, addressee in enumerate(targets, start=1):
            number = f"{case.number}-{event.seq}" + (f"-{n}" if len(targets) > 1 else "")
            context = documents.DocumentContext(
                kind=kind,
                number=number,
                case_number=case.number,
                case_title=case.title,
                authority=_authority(case),
                issued_on=event.at,
                parties=parties,
                addressee=addressee.name if addressee is not None else "",
                fields=values,
            )
            try:
                docx, pdf = documents.render_docx(context), documents.render_pdf(context)
            except documents.DocumentError as exc:
                raise refusal(exc, "document_fields") from None
            docx_key, docx_sha = _store(docx)
            pdf_key, pdf_sha = _store(pdf)
            issued.append(
                CaseDocument.objects.create(
                    case=case,
                    event=event,
                    kind=kind,
                    title_zh=template.title_zh[:64],
                    number=number,
                    addressee=addressee,
                    served=template.served,
                    docx_key=docx_key,
                    docx_sha256=docx_sha,
                    pdf_key=pdf_key,
                    pdf_sha256=pdf_sha,
                    fields=_json_fields(values, template),
                    issued_on=event.at,
                    issued_by=actor,
                    issued_at=timezone.now(),
                )
            )
    return issued


def _json_fields(values: dict, template) -> dict:
    wanted = set(template.required) | set(getattr(template, "optional", ()))
    out = {}
    for key, value in values.items():
        if key in wanted:
            out[key] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def missing_document_fields(
    case: Case, procedure: engine.Procedure, action: str, *, taken: Iterable[str] | None = None
) -> list[tuple[str, str, bool]]:
    """(kind, field, required) for what a step's documents need that the case cannot fill by itself: the
    action form asks for them (optional ones too, e.g. 移送部门 once 无管辖权 is the ground).

    ``taken``: the actions the case has taken so far, when the caller has them (else they are queried)."""
    needed: list[tuple[str, str, bool]] = []
    seen: set[str] = set()
    if taken is None:
        taken = case.events.values_list("action", flat=True)
    done = {*taken, action}
    known_dates = {f for f, actions in HISTORY_DATES.items() if done & set(actions)} | {"received_on"}
    automatic = {"event_on", "opened_on", "summary", "note", "answer_period_days", *known_dates}
    for transition in procedure.transitions_for(action)[:1]:
        payload_keys = set(transition.payload_required)
        for kind in transition.produces:
            template = documents.KINDS.get(kind)
            if template is None:
                continue
            for fields, required in ((template.required, True), (template.optional, False)):
                for field in fields:
                    if field in automatic or field in payload_keys or field in seen or field in template.defaults:
                        continue
                    seen.add(field)
                    needed.append((kind, field, required))
    return needed


def save_service(
    document: CaseDocument,
    party: CaseParty,
    served,
    method: str,
    sent_on,
    delivered_on,
    published_on,
    tracking: str,
    *,
    actor,
) -> Service:
    return Service.objects.create(
        document=document,
        party=party,
        method=method,
        sent_on=_date(sent_on, "sent_on"),
        delivered_on=_date(delivered_on, "delivered_on"),
        published_on=_date(published_on, "published_on"),
        tracking=(tracking or "")[:100],
        served_on=served.date,
        deemed=served.deemed,
        explanation=served.explanation,
        explanation_zh=served.explanation_zh,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )


def record_step_service(issued: list[CaseDocument], step: StepService, service: dict, *, actor) -> list[Service]:
    """Record the service a serving step performed, on each addressee of the documents it issued."""
    rows = []
    by_party = {p.pk: s for p, s in step.per_party}
    for document in issued:
        if not document.served or document.addressee_id not in by_party:
            continue
        rows.append(
            save_service(
                document,
                document.addressee,
                by_party[document.addressee_id],
                service.get("method", ""),
                service.get("sent_on"),
                service.get("delivered_on"),
                service.get("published_on"),
                service.get("tracking", ""),
                actor=actor,
            )
        )
    return rows


def document_bytes(document: CaseDocument, fmt: str) -> bytes:
    key = document.pdf_key if fmt == "pdf" else document.docx_key
    with evidence_store().open(key) as handle:
        return handle.read()
