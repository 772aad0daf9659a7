"""Demo cases: requests filed by demo enterprises and taken forward by the demo staff through the real
services (documents generated, service recorded, every row on the ledger), over the last months, so that
the worklist shows cases overdue, due soon and closed. Seeded: the same seed gives the same cases."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from huhang import documents
from huhang import procedures as engine
from huhang.accounts.models import User
from huhang.cases import paperwork, services
from huhang.cases.catalogue import opening_actions, procedure_for
from huhang.cases.clocks import case_status
from huhang.cases.models import Case, PartyRole
from huhang.procedures.triage import Matter
from huhang.registry.models import Entity

# (procedure, opening role, how many steps at most, share of the cases)
PLAN = (
    ("patent_adjudication", "applicant", 9, 5),
    ("patent_mediation", "applicant", 6, 3),
    ("counterfeiting_penalty", "handler", 6, 2),
)
TITLES = {
    "patent_adjudication": "{a}与{b}侵害专利权纠纷",
    "patent_mediation": "{a}与{b}专利纠纷调解",
    "counterfeiting_penalty": "{b}涉嫌假冒专利案",
}
SAMPLE_TEXT = "详见案卷材料。"


def _payload(transition: engine.Transition, at: dt.date, rng: random.Random) -> dict:
    payload: dict[str, object] = {}
    choices = dict(transition.payload_choices)
    for key in transition.payload_required:
        if key in choices:
            payload[key] = rng.choice(choices[key])
        elif key.endswith("_on"):
            payload[key] = at + dt.timedelta(days=10)
        elif key == "amount" or key.endswith("_days"):
            payload[key] = 15 if key.endswith("_days") else 1
        else:
            payload[key] = SAMPLE_TEXT
    return payload


def _document_fields(case: Case, procedure: engine.Procedure, action: str, at: dt.date, rng: random.Random) -> dict:
    fields: dict[str, object] = {}
    for kind, field, required in paperwork.missing_document_fields(case, procedure, action):
        if not required:
            continue
        choices = documents.KINDS[kind].choices.get(field)
        if choices:
            fields[field] = rng.choice(sorted(choices))
        elif field.endswith("_on"):
            fields[field] = at
        elif field.endswith("_days"):
            fields[field] = 15
        else:
            fields[field] = SAMPLE_TEXT
    return fields


def _step(case: Case, staff: dict[str, User], at: dt.date, rng: random.Random) -> bool:
    status = case_status(case, today=at)
    options = []
    for role, user in staff.items():
        for action in status.allowed_actions(role):
            transition = next(t for t in status.procedure.transitions_for(action) if status.state in t.from_states)
            if transition.to_state is None and rng.random() < 0.7:
                continue  # prefer steps that move the case on
            ends = (
                transition.to_state not in (None, engine.PREVIOUS)
                and status.procedure.state(transition.to_state).terminal
            )
            weight = 0.15 if ends or action in ("suspend", "reject", "revoke", "decline_case") else 1.0
            options.append((weight, (action, transition, user, role)))
    if not options:
        return False
    action, transition, user, role = rng.choices([o for _w, o in options], weights=[w for w, _o in options])[0]
    fields = _document_fields(case, status.procedure, action, at, rng)
    service = None
    if paperwork.serves(status.procedure, action):
        service = {"method": "post", "sent_on": at, "delivered_on": at + dt.timedelta(days=2), "tracking": "演示"}
    try:
        services.case_act(
            actor=user,
            case=case,
            action=action,
            at=at,
            payload=_payload(transition, at, rng),
            note=SAMPLE_TEXT if role in ("superior_department", "collective") else "",
            acting_as=role,
            document_fields=fields,
            service=service,
        )
    except (
        ValidationError,
        PermissionDenied,
    ):  # a random step the rules refuse (e.g. an extension too late): try another day
        return True
    return True


def _maybe_expert(case: Case, handler: User, start: dt.date, today: dt.date, rng: random.Random) -> None:
    """A quarter of the cases consult an expert of the pool (K18), recorded through the service."""
    from huhang.registry.models import Expert

    if rng.random() >= 0.25:
        return
    joined = min(today, start + dt.timedelta(days=rng.randint(5, 40)))
    pool = list(Expert.objects.filter(Expert.active_on_q(joined)).order_by("pk")[:50])
    if not pool:
        return
    try:
        services.case_expert_add(
            actor=handler, case=case, expert=rng.choice(pool), role="expert_adviser", joined_on=joined
        )
    except (ValidationError, PermissionDenied):  # e.g. the expert retired in between: no participation recorded
        return


def generate_demo_cases(
    *, count: int = 60, seed: int = 2026, progress: Callable[[int, int], None] | None = None
) -> int:
    """Create ``count`` demo cases; return how many were created."""
    rng = random.Random(seed)
    requester = User.objects.get(username="demo_applicant")
    handler = User.objects.get(username="demo_handler")
    approver = User.objects.get(username="demo_approver")
    staff = {"handler": handler, "approver": approver}
    others = list(Entity.objects.exclude(pk=requester.entity_id).order_by("pk")[:200])
    today = timezone.localdate()
    weights = [row[3] for row in PLAN]
    created = 0
    for n in range(count):
        code, opener, max_steps, _w = rng.choices(PLAN, weights=weights)[0]
        procedure = procedure_for(code)
        other = rng.choice(others)
        start = today - dt.timedelta(days=rng.randint(2, 150))
        actor = requester if opener == "applicant" else handler
        action = opening_actions(procedure, opener)[0]
        transition = procedure.transitions_for(action)[0]
        parties = [
            services.PartySpec(
                PartyRole.APPLICANT,
                requester.entity.name,
                entity=requester.entity,
                address=requester.entity.address,
                electronic_consent=True,
            ),
            services.PartySpec(PartyRole.RESPONDENT, other.name, entity=other, address=other.address or "武汉市"),
        ]
        case = services.case_open(
            actor=actor,
            procedure_code=code,
            title=TITLES[code].format(a=requester.entity.name, b=other.name),
            summary="请求依法处理。",
            matter=Matter(
                patents=rng.choice([1, 1, 1, 2, 3]),
                parties=2,
                amount_claimed=rng.choice([None, 200_000, 800_000]),
                evidence_complete=rng.random() < 0.7,
                foreign_party=rng.random() < 0.05,
                related_cases=0,
            ),
            organisation=handler.organisation,
            parties=parties,
            at=start,
            payload=_payload(transition, start, rng),
            facts={"respondent_domicile_in_prc": True, "patent_kind": rng.choice(["invention", "utility_model"])},
        )
        services.case_assign(actor=approver, case=case, handler=handler)
        at = start
        for _ in range(rng.randint(0, max_steps)):
            at = at + dt.timedelta(days=rng.randint(1, 12))
            if at > today:
                break
            case.refresh_from_db()
            if not case.is_open or not _step(case, staff, at, rng):
                break
        _maybe_expert(case, handler, start, today, rng)
        created += 1
        if progress is not None:
            progress(n + 1, count)
    return created
