"""The write paths of cases: open a case, take a step, assign, override the track, cite evidence, record
service, receive a party's submission.

Each function checks who may act (``access``), asks the procedure engine whether the step is allowed and
when things fall due, writes every row in one transaction (all or nothing), records an audit event, and —
once committed — appends the change to the evidence ledger (``ledger_sync``), so that a case file cannot be
altered silently. Refusals are ``ValidationError`` (with the engine's Chinese or English message, in the
active language) or ``PermissionDenied``; nothing is written when one is raised.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huhang import procedures as engine
from huhang.audit.services import audit_record
from huhang.cases import access, clocks, ledger, paperwork
from huhang.cases.catalogue import (
    DEFAULT_NUMBER_PREFIXES,
    action_name_zh,
    fact_keys,
    opening_actions,
    payload_to_engine,
    payload_to_json,
    procedure_for,
    refusal,
)
from huhang.cases.models import (
    Case,
    CaseEvent,
    CaseEvidence,
    CaseExpert,
    CaseNumber,
    CaseParty,
    ExpertRole,
    PartyRole,
    Service,
    Submission,
    TrackDecision,
)
from huhang.evidence.leaf import LeafError, canonical_json


@dataclass(frozen=True)
class PartySpec:
    """A party named when a case is opened."""

    role: str
    name: str
    entity: object | None = None
    address: str = ""
    domicile_in_prc: bool = True
    electronic_address: str = ""
    electronic_consent: bool = False


def _today() -> dt.date:
    return timezone.localdate()


def _check_date(value, field: str = "at") -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError({field: _("Enter a valid date.")})
    if value > _today():
        raise ValidationError({field: _("The date %(date)s is in the future.") % {"date": value.isoformat()}})
    return value


def _check_payload(payload: dict) -> dict:
    try:
        canonical_json(payload_to_json(payload))
    except LeafError as exc:
        raise ValidationError({"payload": str(exc)}) from None
    return payload


def event_digest(
    *,
    case_number: str,
    seq: int,
    action: str,
    at: dt.date,
    actor: str,
    actor_role: str,
    payload: dict,
    note: str,
    recorded_at: dt.datetime,
) -> str:
    """SHA-256 (hex) of an event's canonical JSON: what the ledger entry vouches for."""
    body = {
        "case": case_number,
        "seq": seq,
        "action": action,
        "at": at.isoformat(),
        "actor": actor,
        "actor_role": actor_role,
        "payload": payload,
        "note": note,
        "recorded_at": recorded_at.isoformat(),
    }
    return hashlib.sha256(canonical_json(body)).hexdigest()


def _number(category: str, year: int) -> str:
    from django.conf import settings

    prefixes = {**DEFAULT_NUMBER_PREFIXES, **getattr(settings, "HUHANG_CASE_NUMBER_PREFIXES", {})}
    prefix = prefixes.get(category, prefixes[""])
    CaseNumber.objects.get_or_create(prefix=prefix, year=year)
    counter = CaseNumber.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}〔{year}〕{counter.last}号"


def _choose_role(actor, case: Case | None, procedure: engine.Procedure, action: str, acting_as: str | None) -> str:
    roles = access.engine_roles(actor, case)
    if not roles:
        raise PermissionDenied(_("You may not act in this case."))
    if acting_as:
        if acting_as not in roles:
            raise PermissionDenied(_("You may not act as %(role)s.") % {"role": acting_as})
        return acting_as
    transitions = procedure.transitions_for(action)
    allowed = {r for t in transitions for r in t.roles}
    return next((r for r in roles if r in allowed), roles[0])


def _add_facts(case_facts: dict, procedure: engine.Procedure, action: str, payload: dict) -> dict:
    payload = dict(payload)
    for key in fact_keys(procedure, action):
        if key not in payload and key in case_facts:
            payload[key] = case_facts[key]
    return payload


def _record_event(
    case: Case,
    *,
    actor,
    actor_role: str,
    action: str,
    at: dt.date,
    payload: dict,
    note: str,
    seq: int,
    procedure: engine.Procedure,
) -> CaseEvent:
    now = timezone.now()
    json_payload = payload_to_json(payload)
    actor_ref = f"user/{actor.pk}" if actor is not None else "system"
    digest = event_digest(
        case_number=case.number,
        seq=seq,
        action=action,
        at=at,
        actor=actor_ref,
        actor_role=actor_role,
        payload=json_payload,
        note=note,
        recorded_at=now,
    )
    return CaseEvent.objects.create(
        case=case,
        seq=seq,
        action=action,
        action_name_zh=action_name_zh(procedure, action)[:64],
        at=at,
        payload=json_payload,
        note=note,
        actor=actor,
        actor_role=actor_role,
        recorded_at=now,
        digest=digest,
    )


def case_open(
    *,
    actor,
    procedure_code: str,
    title: str,
    organisation,
    parties: Sequence[PartySpec],
    action: str | None = None,
    at: dt.date | None = None,
    payload: dict | None = None,
    facts: dict | None = None,
    summary: str = "",
    note: str = "",
    evidence: Iterable = (),
    matter=None,
    number: str = "",
) -> Case:
    """Open a case of ``procedure_code`` at ``organisation`` by taking its first step ``action`` on ``at``.

    ``parties`` names everyone on each side; an applicant filing online is added as the requester
    automatically by the caller. ``matter`` (a :class:`huhang.procedures.triage.Matter`) routes the case to
    the simple or ordinary track. ``number`` keeps a number given elsewhere (a court's case number);
    otherwise one is issued.
    """
    procedure = procedure_for(procedure_code)
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Give the case a title.")
    if organisation is None:
        errors["organisation"] = _("Choose the handling organisation.")
    names = [p for p in parties if not (p.name or "").strip()]
    if names:
        errors["parties"] = _("Every party needs a name.")
    bad_roles = [p.role for p in parties if p.role not in PartyRole.values]
    if bad_roles:
        errors["parties"] = _("Unknown party role: %(role)s.") % {"role": bad_roles[0]}
    if errors:
        raise ValidationError(errors)
    at = _check_date(at or _today())
    roles = access.engine_roles(actor, None)
    openers = [a for r in roles for a in opening_actions(procedure, r)]
    if not openers:
        raise PermissionDenied(_("You may not open a case of this kind."))
    action = action or openers[0]
    if action not in openers:
        raise ValidationError({"action": _("A case of this kind cannot be opened with that step.")})
    actor_role = _choose_role(actor, None, procedure, action, None)
    facts = dict(facts or {})
    payload = _check_payload(_add_facts(facts, procedure, action, payload_to_engine(payload or {})))
    try:
        engine.apply(procedure, (), engine.Event(action, at, actor_role, payload))
    except engine.ProcedureError as error:
        raise refusal(error) from None
    evidence = list(evidence)
    with transaction.atomic():
        case = Case.objects.create(
            number=number or _number(procedure.category, at.year),
            procedure=procedure.code,
            profile=procedure.profile,
            category=procedure.category,
            title=title[:200],
            summary=summary,
            organisation=organisation,
            handler=actor if actor.role == "handler" else None,
            facts=payload_to_json(facts),
            opened_on=at,
            state=procedure.initial_state,
            created_by=actor,
        )
        for spec in parties:
            CaseParty.objects.create(
                case=case,
                role=spec.role,
                entity=spec.entity,
                name=spec.name.strip()[:200],
                address=spec.address,
                domicile_in_prc=spec.domicile_in_prc,
                electronic_address=spec.electronic_address,
                electronic_consent=spec.electronic_consent,
                added_by=actor,
            )
        event = _record_event(
            case,
            actor=actor,
            actor_role=actor_role,
            action=action,
            at=at,
            payload=payload,
            note=note,
            seq=1,
            procedure=procedure,
        )
        for item in evidence:
            CaseEvidence.objects.create(case=case, evidence=item, cited_by=actor)
        if matter is not None:
            _triage(case, matter, actor)
        paperwork.issue_for_event(case, event, procedure, actor=actor)
        clocks.refresh(case)
        audit_record(
            actor=actor,
            action="case.open",
            target=f"case/{case.pk}",
            details={"number": case.number, "procedure": procedure.code, "action": action},
        )
        transaction.on_commit(lambda: ledger.ledger_sync(case))
    return case


def _triage(case: Case, matter, actor) -> TrackDecision:
    from django.conf import settings

    from huhang.procedures.triage import TriageRules, triage

    rules = TriageRules.from_mapping(getattr(settings, "HUHANG_TRIAGE_RULES", {}) or {})
    try:
        result = triage(matter, rules)
    except engine.ProcedureError as error:
        raise refusal(error, "triage") from None
    reasons = [
        {"rule": r.rule, "passed": r.passed, "message": r.message, "message_zh": r.message_zh} for r in result.reasons
    ]
    case.track = result.track
    case.facts = {**case.facts, "triage_matter": _matter_json(matter)}
    case.save(update_fields=["track", "facts"])
    return TrackDecision.objects.create(
        case=case, track=result.track, automatic=True, reasons=reasons, decided_by=actor, decided_at=timezone.now()
    )


def _matter_json(matter) -> dict:
    return {
        "patents": matter.patents,
        "parties": matter.parties,
        "amount_claimed": matter.amount_claimed,
        "evidence_complete": matter.evidence_complete,
        "foreign_party": matter.foreign_party,
        "related_cases": matter.related_cases,
    }


def _locked(case: Case, expected_version: int | None) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(
            {
                "version": _("The case changed since you opened it (now at version %(now)d); reload and try again.")
                % {"now": locked.version}
            },
            code="stale",
        )
    return locked


def case_act(
    *,
    actor,
    case: Case,
    action: str,
    at: dt.date,
    payload: dict | None = None,
    note: str = "",
    acting_as: str | None = None,
    expected_version: int | None = None,
    document_fields: dict | None = None,
    service: dict | None = None,
) -> CaseEvent:
    """Take step ``action`` in ``case`` on ``at``; return the recorded event.

    ``document_fields`` fills the documents the step issues; ``service`` (``method``, ``sent_on``,
    ``delivered_on``, ``published_on``, ``tracking``) is required for a step that serves a document, and the
    date of service it establishes becomes the step's date.
    """
    procedure = procedure_for(case.procedure)
    actor_role = _choose_role(actor, case, procedure, action, acting_as)
    payload = payload_to_engine(payload or {})
    note = (note or "").strip()
    if actor_role in access.RECORDED_ROLES and not note:
        raise ValidationError({"note": _("Recording an approval decided elsewhere needs its reference in the note.")})
    served = None
    if paperwork.serves(procedure, action):
        served = paperwork.service_for_step(case, procedure, action, service or {})
        at = served.date
    at = _check_date(at)
    payload = _check_payload(_add_facts(case.facts, procedure, action, payload))
    with transaction.atomic():
        case = _locked(case, expected_version)
        events = list(case.events.order_by("seq"))
        try:
            engine.apply(
                procedure,
                clocks.engine_events(events),
                engine.Event(action, at, actor_role, payload),
                calendar=clocks.platform_calendar(),
            )
        except engine.ProcedureError as error:
            raise refusal(error) from None
        event = _record_event(
            case,
            actor=actor,
            actor_role=actor_role,
            action=action,
            at=at,
            payload=payload,
            note=note,
            seq=len(events) + 1,
            procedure=procedure,
        )
        documents = paperwork.issue_for_event(case, event, procedure, actor=actor, fields=document_fields)
        if served is not None:
            paperwork.record_step_service(documents, served, service or {}, actor=actor)
        was_open = case.is_open
        case.version += 1
        case.save(update_fields=["version"])
        clocks.refresh(case)
        if was_open and not case.is_open:
            _invite_to_survey(case, actor)
        audit_record(
            actor=actor,
            action="case.act",
            target=f"case/{case.pk}",
            details={"action": action, "at": at.isoformat(), "seq": event.seq, "as": actor_role},
        )
        transaction.on_commit(lambda: ledger.ledger_sync(case))
    return event


def _invite_to_survey(case: Case, actor) -> None:
    """Once the closing step is committed, the parties are invited to the satisfaction survey (K1)."""
    from huhang.surveys.services import survey_invite_after_closing

    transaction.on_commit(lambda: survey_invite_after_closing(case, actor=actor))


def case_assign(*, actor, case: Case, handler) -> Case:
    """Assign ``handler`` (a handler or approver of the case's organisation) to ``case``."""
    if not access.may_assign(actor, case):
        raise PermissionDenied(_("Only an approver or an administrator of the handling organisation assigns cases."))
    if (
        handler is None
        or handler.role not in ("handler", "approver")
        or handler.organisation_id != case.organisation_id
    ):
        raise ValidationError({"handler": _("Choose a handler of the organisation handling the case.")})
    with transaction.atomic():
        case = _locked(case, None)
        previous = case.handler_id
        case.handler = handler
        case.version += 1
        case.save(update_fields=["handler", "version"])
        audit_record(
            actor=actor, action="case.assign", target=f"case/{case.pk}", details={"from": previous, "to": handler.pk}
        )
    return case


def track_override(*, actor, case: Case, track: str, reason: str) -> TrackDecision:
    """Put ``case`` on ``track`` against the rules, for the recorded ``reason``."""
    if not access.is_staff_of(actor, case):
        raise PermissionDenied(_("You may not act in this case."))
    reason = (reason or "").strip()
    errors = {}
    if track not in ("simple", "ordinary"):
        errors["track"] = _("Choose the simple or the ordinary track.")
    if len(reason) < 4:
        errors["reason"] = _("Say why the track is changed (at least 4 characters).")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _locked(case, None)
        if case.track == track:
            raise ValidationError({"track": _("The case is already on that track.")})
        decision = TrackDecision.objects.create(
            case=case,
            track=track,
            automatic=False,
            reasons=[],
            override_reason=reason,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        case.track = track
        case.version += 1
        case.save(update_fields=["track", "version"])
        audit_record(
            actor=actor, action="case.track", target=f"case/{case.pk}", details={"track": track, "reason": reason}
        )
        transaction.on_commit(lambda: ledger.ledger_sync(case))
    return decision


def evidence_cite(*, actor, case: Case, evidence) -> CaseEvidence:
    """Cite preserved ``evidence`` in ``case`` (staff, or a party citing its own evidence)."""
    from huhang.evidence.access import evidence_visible_to

    if not (access.is_staff_of(actor, case) or access.parties_of_user(actor, case).exists()):
        raise PermissionDenied(_("You may not act in this case."))
    if not evidence_visible_to(actor).filter(pk=evidence.pk).exists():
        raise PermissionDenied(_("You may not cite that evidence."))
    if CaseEvidence.objects.filter(case=case, evidence=evidence).exists():
        raise ValidationError({"evidence": _("That evidence is already cited in this case.")})
    with transaction.atomic():
        link = CaseEvidence.objects.create(case=case, evidence=evidence, cited_by=actor)
        audit_record(actor=actor, action="case.cite", target=f"case/{case.pk}", details={"evidence": str(evidence.pk)})
    return link


def case_expert_add(*, actor, case: Case, expert, role: str, joined_on) -> CaseExpert:
    """Record that ``expert`` of the pool took part in ``case`` as ``role`` from ``joined_on`` (K18).

    Staff of the case (or the court for its own cases) only; the expert must have been in the pool on that date,
    and an expert juror or technical investigator must hold that appointment.
    """
    if not access.may_record_experts(actor, case):
        raise PermissionDenied(_("You may not act in this case."))
    if role not in ExpertRole.values:
        raise ValidationError({"role": _("Unknown expert role %(role)r.") % {"role": role}})
    joined_on = _check_date(joined_on, "joined_on")
    if joined_on < case.opened_on:
        raise ValidationError(
            {"joined_on": _("The expert cannot join before the case was opened (%(date)s).") % {"date": case.opened_on}}
        )
    if expert.appointed_on > joined_on or (expert.retired_on is not None and expert.retired_on <= joined_on):
        raise ValidationError(
            {"expert": _("%(name)s was not in the expert pool on %(date)s.") % {"name": expert.name, "date": joined_on}}
        )
    if role != ExpertRole.EXPERT_ADVISER and expert.kind != role:
        raise ValidationError(
            {
                "role": _("%(name)s is appointed as %(kind)s, not as %(role)s.")
                % {"name": expert.name, "kind": expert.get_kind_display(), "role": ExpertRole(role).label}
            }
        )
    if CaseExpert.objects.filter(case=case, expert=expert, role=role).exists():
        raise ValidationError({"expert": _("%(name)s is already recorded in this role.") % {"name": expert.name}})
    with transaction.atomic():
        row = CaseExpert.objects.create(
            case=case, expert=expert, role=role, joined_on=joined_on, recorded_by=actor, recorded_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="case.expert",
            target=f"case/{case.pk}",
            details={"expert": expert.pk, "role": role, "joined_on": joined_on.isoformat()},
        )
        transaction.on_commit(lambda: ledger.ledger_sync(case))
    return row


def service_record(
    *,
    actor,
    document,
    party: CaseParty,
    method: str,
    sent_on=None,
    delivered_on=None,
    published_on=None,
    tracking: str = "",
) -> Service:
    """Record the service of ``document`` on ``party``; the date of service follows LEGAL.md §1.3."""
    if not access.is_staff_of(actor, document.case):
        raise PermissionDenied(_("You may not act in this case."))
    if party.case_id != document.case_id:
        raise ValidationError({"party": _("%(name)s is not a party to this case.") % {"name": party.name}})
    if not document.served:
        raise ValidationError({"document": _("This document is not served on parties.")})
    served = paperwork.service_date_for(document.kind, party, method, sent_on, delivered_on, published_on)
    for value, field in ((sent_on, "sent_on"), (delivered_on, "delivered_on"), (published_on, "published_on")):
        if value is not None:
            _check_date(value, field)
    with transaction.atomic():
        row = paperwork.save_service(
            document, party, served, method, sent_on, delivered_on, published_on, tracking, actor=actor
        )
        audit_record(
            actor=actor,
            action="case.serve",
            target=f"case/{document.case_id}",
            details={"document": str(document.pk), "party": party.pk, "served_on": row.served_on.isoformat()},
        )
        transaction.on_commit(lambda: ledger.ledger_sync(document.case))
    return row


def submission_create(*, actor, case: Case, kind: str, text: str = "", evidence: Iterable = ()) -> Submission:
    """A party's online submission (answer, correction, evidence, statement) in ``case``."""
    from huhang.cases.models import SubmissionKind

    parties = list(access.parties_of_user(actor, case))
    if not parties:
        raise PermissionDenied(_("Only a party to the case may submit in it."))
    if not case.is_open:
        raise ValidationError({"kind": _("The case is closed.")})
    if kind not in SubmissionKind.values:
        raise ValidationError({"kind": _("Choose what you are submitting.")})
    text = (text or "").strip()
    evidence = list(evidence)
    if not text and not evidence:
        raise ValidationError({"text": _("Write your submission or attach evidence.")})
    party = next((p for p in parties if p.role == PartyRole.RESPONDENT), parties[0]) if kind == "answer" else parties[0]
    if kind == "answer" and party.role != PartyRole.RESPONDENT:
        raise ValidationError({"kind": _("Only a respondent answers a request.")})
    with transaction.atomic():
        row = Submission.objects.create(
            case=case, party=party, kind=kind, text=text, submitted_by=actor, submitted_at=timezone.now()
        )
        if evidence:
            row.evidence.set(evidence)
            for item in evidence:
                CaseEvidence.objects.get_or_create(case=case, evidence=item, defaults={"cited_by": actor})
        audit_record(actor=actor, action="case.submit", target=f"case/{case.pk}", details={"kind": kind})
        transaction.on_commit(lambda: ledger.ledger_sync(case))
    return row
