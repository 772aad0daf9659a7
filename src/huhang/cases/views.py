"""Case pages: the worklist, the case file with the steps allowed now, filing a request, a party's cases,
submissions, service records and document downloads. Thin: every write goes through :mod:`.services`."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huhang import procedures as engine
from huhang.cases import access, ledger, paperwork, selectors, services
from huhang.cases.catalogue import all_procedures, opening_actions, procedure_for
from huhang.cases.clocks import case_status
from huhang.cases.forms import PARTICULARS, ActionForm, FilingForm, ServiceForm, SubmissionForm, TrackForm
from huhang.cases.models import Case, CaseDocument, ExpertRole, PartyRole
from huhang.cases.tasks import recompute_progress
from huhang.evidence.access import evidence_visible_to

PAGE_SIZE = 50


def _attempt(form, call):
    """Run the service ``call``; put its refusal on ``form``. Return its result, or None when refused."""
    try:
        return call()
    except ValidationError as error:
        _form_errors(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error) or _("You may not take this step."))
    return None


def _flash(request, call, success: str) -> None:
    """Run the service ``call``; report its refusal, or else ``success``, as messages on the next page."""
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not take this step."))
    else:
        messages.success(request, success)


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
def worklist(request):
    if request.user.role == "applicant":
        return redirect("cases:mine")
    get = request.GET
    qs = selectors.worklist(
        request.user,
        scope=get.get("scope", "mine"),
        state=get.get("state", ""),
        procedure=get.get("procedure", ""),
        urgency=get.get("urgency", ""),
        q=get.get("q", "").strip(),
        include_closed=get.get("closed") == "1",
    )
    page = selectors.CappedPaginator(qs, PAGE_SIZE).get_page(get.get("page"))
    today = timezone.localdate()
    procedures = sorted(all_procedures().values(), key=lambda p: p.code)
    names = {p.code: p.name_zh for p in procedures}
    rows = [(c, selectors.urgency_of(c, today), names.get(c.procedure, c.procedure)) for c in page.object_list]
    return render(
        request,
        "cases/worklist.html",
        {
            "page": page,
            "rows": rows,
            "procedures": procedures,
            "today": today,
            "may_open": access.may_open(request.user),
            "recompute": recompute_progress(),
        },
    )


@login_required
def mine(request):
    page = Paginator(selectors.cases_of_party(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/mine.html", {"page": page, "may_file": access.may_open(request.user)})


def _action_specs(case: Case, status: engine.CaseStatus, user) -> list[dict]:
    procedure = status.procedure
    roles = access.engine_roles(user, case)
    taken = {event.action for event in status.history}
    specs: dict[str, dict] = {}
    for role in roles:
        for action in status.allowed_actions(role):
            spec = specs.get(action)
            if spec is None:
                transition = next(t for t in procedure.transitions_for(action) if status.state in t.from_states)
                spec = specs[action] = {
                    "action": action,
                    "name_zh": transition.name_zh or action,
                    "citation": transition.citation,
                    "payload_required": transition.payload_required,
                    "choices": dict(transition.payload_choices),
                    "document_fields": paperwork.missing_document_fields(case, procedure, action, taken=taken),
                    "produces": transition.produces,
                    "serves": paperwork.serves(procedure, action),
                    "roles": [],
                }
            spec["roles"].append(role)
    return list(specs.values())


def _assignable(user, case: Case):
    from huhang.accounts.models import User

    if not access.may_assign(user, case):
        return None
    return User.objects.filter(organisation_id=case.organisation_id, role__in=("handler", "approver"), is_active=True)


def _case_context(request, case: Case, forms: dict | None = None) -> dict:
    user = request.user
    events = list(case.events.select_related("actor").order_by("seq"))
    status = case_status(case, today=timezone.localdate(), events=events)
    staff = access.sees_whole_file(user, case)
    specs = _action_specs(case, status, user) if case.is_open else []
    forms = forms or {}
    action_forms = [
        (
            spec,
            forms.get(spec["action"])
            or ActionForm(spec=spec, initial={"version": case.version}, prefix=spec["action"]),
        )
        for spec in specs
    ]
    own = list(access.parties_of_user(user, case))
    documents = access.documents_visible_to(user, case)
    evidence_qs = evidence_visible_to(user).order_by("-submitted_at")[:200] if own else None
    links = {link.subject: link.ledger_event.ledger_index for link in case.ledger_links.select_related("ledger_event")}
    parties = list(case.parties.select_related("entity"))
    for event in events:
        event.ledger_index = links.get(f"case-event/{event.pk}")
        event.role_zh = engine.ROLE_ZH.get(event.actor_role, event.actor_role)
        event.particulars = [(PARTICULARS.get(k, k), v) for k, v in event.payload.items()]
    return {
        "case": case,
        "status": status,
        "clocks": status.clocks,
        "staff": staff,
        "events": events,
        "parties": parties,
        "documents": documents,
        "evidence": case.evidence_links.select_related("evidence").order_by("cited_at"),
        "submissions": case.submissions.select_related("party").order_by("submitted_at"),
        "track_decisions": case.track_decisions.select_related("decided_by").order_by("decided_at"),
        "action_forms": action_forms,
        "own_parties": own,
        "submission_form": forms.get("_submission")
        or (SubmissionForm(evidence_qs=evidence_visible_to(user)) if own and case.is_open else None),
        "track_form": forms.get("_track") or (TrackForm() if access.is_staff_of(user, case) else None),
        "service_parties": [p for p in parties if p.role != PartyRole.PARTNER],
        "ledger_pending": ledger.pending_count(case, linked=len(links)),
        "evidence_choices": evidence_qs,
        "urgency": selectors.urgency_of(case),
        "assignable": _assignable(user, case),
        "experts": case.experts.select_related("expert", "recorded_by").order_by("joined_on", "pk"),
        "expert_choices": _expert_choices(user, case),
        "expert_roles": ExpertRole.choices,
    }


def _expert_choices(user, case: Case):
    """The experts of the pool staff may record as taking part in ``case`` (empty for everyone else)."""
    from huhang.registry.models import Expert

    if not access.may_record_experts(user, case):
        return None
    return Expert.objects.filter(Expert.active_on_q(timezone.localdate())).order_by("kind", "name")


@login_required
def detail(request, pk):
    case = access.access_case(request.user, pk)
    return render(request, "cases/detail.html", _case_context(request, case))


@login_required
@require_POST
def act(request, pk, action):
    case = access.access_case(request.user, pk)
    status = case_status(case, today=timezone.localdate())
    spec = next((s for s in _action_specs(case, status, request.user) if s["action"] == action), None)
    if spec is None:
        procedure = procedure_for(case.procedure)
        if not procedure.transitions_for(action):
            raise Http404(_("No such step."))
        spec = {
            "action": action,
            "name_zh": action,
            "citation": "",
            "payload_required": (),
            "choices": {},
            "document_fields": [],
            "produces": (),
            "serves": False,
            "roles": list(access.engine_roles(request.user, case)),
        }
    form = ActionForm(request.POST, spec=spec, prefix=action)
    if form.is_valid():
        done = _attempt(
            form,
            lambda: services.case_act(
                actor=request.user,
                case=case,
                action=action,
                at=form.cleaned_data.get("at") or timezone.localdate(),
                payload=form.payload(),
                note=form.cleaned_data.get("note", ""),
                acting_as=form.cleaned_data.get("acting_as") or None,
                expected_version=form.cleaned_data["version"],
                document_fields=form.document_fields(),
                service=form.service(),
            ),
        )
        if done is not None:
            messages.success(request, _("Recorded: %(step)s.") % {"step": spec["name_zh"]})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/detail.html", _case_context(request, case, {action: form}), status=400)


def _openers(user) -> dict[str, tuple]:
    """For each procedure ``user`` may open: its opening transition (the first one allowed to them)."""
    roles = access.engine_roles(user, None)
    found = {}
    for code, procedure in sorted(all_procedures().items()):
        actions = [a for role in roles for a in opening_actions(procedure, role)]
        if actions:
            found[code] = (procedure, procedure.transitions_for(actions[0])[0])
    return found


@login_required
def file_request(request):
    user = request.user
    openers = _openers(user)
    choices = [(code, f"{p.name_zh}（{p.profile}）") for code, (p, _t) in openers.items()]
    if not choices:
        raise PermissionDenied(_("You may not open cases."))
    evidence_qs = evidence_visible_to(user).order_by("-submitted_at")
    form = FilingForm(
        request.POST or None,
        procedures=choices,
        evidence_qs=evidence_qs,
        for_applicant=user.role == "applicant",
        openers=[t for _p, t in openers.values()],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parties = []
        if user.role == "applicant":
            entity = user.entity
            if entity is None:
                form.add_error(None, _("Your account is not linked to an entity; ask the centre to link it."))
        else:
            entity = None
        if not form.errors:
            parties.append(
                services.PartySpec(
                    role=PartyRole.APPLICANT,
                    name=entity.name if entity else data["applicant_name"],
                    entity=entity,
                    address=entity.address if entity else data["applicant_address"],
                    electronic_consent=data["electronic_consent"],
                )
            )
            parties.append(
                services.PartySpec(
                    role=PartyRole.RESPONDENT,
                    name=data["respondent_name"],
                    address=data["respondent_address"],
                    domicile_in_prc=data["respondent_domicile_in_prc"],
                )
            )
            facts = {"respondent_domicile_in_prc": data["respondent_domicile_in_prc"]}
            if data["patent_kind"]:
                facts["patent_kind"] = data["patent_kind"]
            matter = _matter(data, len(parties))
            case = _attempt(
                form,
                lambda: services.case_open(
                    actor=user,
                    procedure_code=data["procedure"],
                    title=data["title"],
                    summary=data["summary"],
                    organisation=data["organisation"],
                    parties=parties,
                    facts=facts,
                    action=openers[data["procedure"]][1].action,
                    payload=form.payload_for(openers[data["procedure"]][1]),
                    evidence=data["evidence"],
                    matter=matter,
                ),
            )
            if case is not None:
                messages.success(request, _("Filed as %(number)s.") % {"number": case.number})
                return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/file.html", {"form": form}, status=400 if form.errors else 200)


def _matter(data: dict, parties: int):
    from huhang.procedures.triage import Matter

    return Matter(
        patents=data.get("patents") or 0,
        parties=parties,
        amount_claimed=data.get("amount_claimed"),
        evidence_complete=bool(data.get("evidence")),
        foreign_party=bool(data.get("foreign_party")),
        related_cases=data.get("related_cases") or 0,
        kind=data.get("procedure", ""),
    )


@login_required
@require_POST
def submit(request, pk):
    case = access.access_case(request.user, pk)
    form = SubmissionForm(request.POST, evidence_qs=evidence_visible_to(request.user))
    if form.is_valid():
        done = _attempt(
            form,
            lambda: services.submission_create(
                actor=request.user,
                case=case,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                evidence=form.cleaned_data["evidence"],
            ),
        )
        if done is not None:
            messages.success(request, _("Your submission was received and recorded on the ledger."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/detail.html", _case_context(request, case, {"_submission": form}), status=400)


@login_required
@require_POST
def track(request, pk):
    case = access.access_case(request.user, pk)
    form = TrackForm(request.POST)
    if form.is_valid():
        done = _attempt(
            form,
            lambda: services.track_override(
                actor=request.user, case=case, track=form.cleaned_data["track"], reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("Track changed; the reason is recorded."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/detail.html", _case_context(request, case, {"_track": form}), status=400)


@login_required
@require_POST
def expert_add(request, pk):
    from huhang.registry.models import Expert

    case = access.access_case(request.user, pk)
    expert = Expert.objects.filter(pk=request.POST.get("expert") or None).first()
    try:
        joined_on = dt.date.fromisoformat(request.POST.get("joined_on", ""))
    except ValueError:
        messages.error(request, _("Enter a valid date."))
        return redirect("cases:detail", pk=case.pk)
    if expert is None:
        messages.error(request, _("Choose an expert of the pool."))
        return redirect("cases:detail", pk=case.pk)
    _flash(
        request,
        lambda: services.case_expert_add(
            actor=request.user, case=case, expert=expert, role=request.POST.get("role", ""), joined_on=joined_on
        ),
        _("%(name)s is recorded as taking part.") % {"name": expert.name},
    )
    return redirect(f"{reverse('cases:detail', args=[case.pk])}#experts")


@login_required
@require_POST
def assign(request, pk):
    from huhang.accounts.models import User

    case = access.access_case(request.user, pk)
    handler = User.objects.filter(pk=request.POST.get("handler") or None).first()
    _flash(
        request,
        lambda: services.case_assign(actor=request.user, case=case, handler=handler),
        _("Assigned to %(name)s.") % {"name": handler},
    )
    return redirect("cases:detail", pk=case.pk)


def _document(request, pk, doc) -> CaseDocument:
    case = access.access_case(request.user, pk)
    document = next((d for d in access.documents_visible_to(request.user, case) if d.pk == doc), None)
    if document is None:
        raise Http404(_("No such document."))
    return document


@login_required
def document_file(request, pk, doc, fmt):
    if fmt not in ("pdf", "docx"):
        raise Http404(_("No such document."))
    document = _document(request, pk, doc)
    data = paperwork.document_bytes(document, fmt)
    content_type = (
        "application/pdf"
        if fmt == "pdf"
        else ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    )
    response = HttpResponse(data, content_type=content_type)
    filename = f"{document.number}-{document.title_zh}.{fmt}"
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_POST
def serve(request, pk, doc):
    document = _document(request, pk, doc)
    case = document.case
    form = ServiceForm(request.POST, parties=case.parties.exclude(role=PartyRole.PARTNER))
    if not form.is_valid():
        for message in [e for errs in form.errors.values() for e in errs]:
            messages.error(request, message)
        return redirect("cases:detail", pk=case.pk)
    data = form.cleaned_data
    party = case.parties.get(pk=data["party"])
    _flash(
        request,
        lambda: services.service_record(
            actor=request.user,
            document=document,
            party=party,
            method=data["method"],
            sent_on=data["sent_on"],
            delivered_on=data["delivered_on"],
            published_on=data["published_on"],
            tracking=data["tracking"],
        ),
        _("Service recorded."),
    )
    return redirect("cases:detail", pk=case.pk)
