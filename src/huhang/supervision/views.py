"""Supervision pages: the list of work items, an item's page (milestones, progress, attachments, 督办 notes
and the forms to act on them), the supervisor's view by department, and attachment downloads.
Thin: access decides, services write, selectors read."""

from __future__ import annotations

import logging
from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huhang.evidence.storage import StoreError, evidence_store
from huhang.supervision import access, selectors, services
from huhang.supervision.forms import (
    AssignForm,
    DepartmentForm,
    ItemFilterForm,
    MilestoneChangeForm,
    MilestoneForm,
    NoteForm,
    ReportForm,
    SummaryFilterForm,
)
from huhang.supervision.models import Attachment

logger = logging.getLogger(__name__)
PAGE_SIZE = 50


def _attempt(form, call):
    """Run the service ``call``; put its refusal on ``form``. Return its result, or None when refused."""
    try:
        return call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                for e in errors:
                    form.add_error(field if field in form.fields else None, e)
        else:
            for message in error.messages:
                form.add_error(None, message)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    except StoreError as error:
        logger.error("attachment store failed: %s", error)
        form.add_error(None, _("The file store is not available, nothing was recorded."))
    return None


@login_required
def item_list(request):
    access.require_view(request.user)
    today = timezone.localdate()
    form = ItemFilterForm(request.GET or None)
    on = form.as_of(today)
    where = form.where()
    qs = selectors.items(request.user, on=on, where=where)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = []
    for item in page.object_list:
        milestones = list(item.milestones.all())
        rows.append(
            {
                "item": item,
                "departments": list(item.responsibilities.all()),
                "milestones_done": sum(1 for m in milestones if m.done_on is not None and m.done_on <= on),
                "milestones": len(milestones),
                "next_due": next((m for m in milestones if m.done_on is None or m.done_on > on), None),
            }
        )
    counts = selectors.status_counts(selectors.items(request.user, on=on, where=replace(where, status="")))
    cards = []
    for key, label in selectors.STATUS_LABELS.items():
        narrowed = query.copy()
        narrowed["status"] = key
        cards.append({"key": key, "label": label, "count": counts[key], "query": narrowed.urlencode()})
    return render(
        request,
        "supervision/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "on": on,
            "today": today,
            "counts": counts,
            "cards": cards,
            "filters_in_force": form.described(),
        },
    )


def _report_form(item, departments, *args) -> ReportForm:
    return ReportForm(
        *args,
        item=item,
        departments=departments,
        max_files=services.ATTACHMENT_MAX_FILES,
        max_megabytes=services.ATTACHMENT_MAX_BYTES // (1024 * 1024),
    )


def _item_context(request, item, forms: dict | None = None) -> dict:
    user = request.user
    today = timezone.localdate()
    forms = forms or {}
    supervises = access.may_supervise(user)
    report_refusal = access.report_refusal(user, item)
    milestones = list(item.milestones.select_related("evidence", "set_by").order_by("due_on", "pk"))
    changing = forms.get("milestone_change")
    for milestone in milestones:
        milestone.state = selectors.milestone_state(milestone, today)
        if changing and changing[0] == milestone.pk:
            milestone.change_form = changing[1]
        elif supervises and milestone.done_on is None:
            milestone.change_form = MilestoneChangeForm(
                prefix=f"change-{milestone.pk}", initial={"title": milestone.title, "due_on": milestone.due_on}
            )
    responsibilities = list(item.responsibilities.select_related("department", "assigned_by"))
    assign_initial = {
        "departments": [r.department for r in responsibilities],
        "lead": next((r.department for r in responsibilities if r.lead), None),
    }
    return {
        "item": item,
        "programme": item.area.programme,
        "today": today,
        "status": selectors.item_status(item, today),
        "status_labels": selectors.STATUS_LABELS,
        "responsibilities": responsibilities,
        "milestones": milestones,
        "reports": selectors.item_reports(item),
        "notes": selectors.item_notes(item, today),
        "supervises": supervises,
        "report_refusal": report_refusal,
        "report_form": forms.get("report")
        or (None if report_refusal else _report_form(item, access.reporting_departments(user, item))),
        "assign_form": forms.get("assign") or (AssignForm(initial=assign_initial) if supervises else None),
        "milestone_form": forms.get("milestone") or (MilestoneForm() if supervises else None),
        "note_form": forms.get("note") or (NoteForm(item=item) if supervises else None),
    }


def _act(request, item, form, call, done, *, shown_as: str, shown=None):
    """Every form posted on an item's page: if ``form`` is valid, run the service ``call``; on success say
    ``done(result)`` and go back to the item, otherwise show the item's page again with the form and its
    errors (400). ``shown_as`` is the form's place on the page (``shown``: what goes there, default the form)."""
    if form.is_valid():
        result = _attempt(form, call)
        if result is not None:
            messages.success(request, done(result))
            return redirect("supervision:item", pk=item.pk)
    context = _item_context(request, item, {shown_as: form if shown is None else shown})
    return render(request, "supervision/item.html", context, status=400)


@login_required
def item_detail(request, pk):
    item = access.access_item(request.user, pk)
    return render(request, "supervision/item.html", _item_context(request, item))


@login_required
@require_POST
def item_report(request, pk):
    item = access.access_item(request.user, pk)
    form = _report_form(item, access.reporting_departments(request.user, item), request.POST, request.FILES)
    return _act(
        request,
        item,
        form,
        lambda: services.progress_report(
            actor=request.user,
            item=item,
            text=form.cleaned_data["text"],
            status=form.cleaned_data["status"],
            percent=form.cleaned_data["percent"],
            completes=form.cleaned_data["completes"],
            corrects=form.cleaned_data["corrects"],
            in_reply_to=form.cleaned_data["in_reply_to"],
            department=form.cleaned_data.get("department"),
            uploads=form.cleaned_data["attachments"],
        ),
        lambda report: _("Progress report #%(number)d recorded.") % {"number": report.pk},
        shown_as="report",
    )


@login_required
@require_POST
def item_assign(request, pk):
    item = access.access_item(request.user, pk)
    form = AssignForm(request.POST)
    return _act(
        request,
        item,
        form,
        lambda: services.item_assign(
            actor=request.user,
            item=item,
            departments=list(form.cleaned_data["departments"]),
            lead=form.cleaned_data["lead"],
        ),
        lambda _responsibilities: _("Responsible departments saved."),
        shown_as="assign",
    )


@login_required
@require_POST
def item_milestone(request, pk):
    item = access.access_item(request.user, pk)
    form = MilestoneForm(request.POST)
    return _act(
        request,
        item,
        form,
        lambda: services.milestone_set(
            actor=request.user, item=item, title=form.cleaned_data["title"], due_on=form.cleaned_data["due_on"]
        ),
        lambda _milestone: _("Milestone added."),
        shown_as="milestone",
    )


@login_required
@require_POST
def milestone_change(request, pk, milestone):
    item = access.access_item(request.user, pk)
    target = item.milestones.filter(pk=milestone).first()
    if target is None:
        raise Http404(_("No such milestone."))
    form = MilestoneChangeForm(request.POST, prefix=f"change-{target.pk}")
    return _act(
        request,
        item,
        form,
        lambda: services.milestone_set(
            actor=request.user,
            item=item,
            milestone=target,
            title=form.cleaned_data["title"],
            due_on=form.cleaned_data["due_on"],
            reason=form.cleaned_data["reason"],
        ),
        lambda _milestone: _("Milestone changed."),
        shown_as="milestone_change",
        shown=(target.pk, form),
    )


@login_required
@require_POST
def item_note(request, pk):
    item = access.access_item(request.user, pk)
    form = NoteForm(request.POST, item=item)
    return _act(
        request,
        item,
        form,
        lambda: services.note_issue(
            actor=request.user,
            item=item,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            reply_due_on=form.cleaned_data["reply_due_on"],
            department=form.cleaned_data["department"],
        ),
        lambda _note: _("Supervision note issued."),
        shown_as="note",
    )


@login_required
def attachment_download(request, pk, attachment):
    item = access.access_item(request.user, pk)
    try:
        found = Attachment.objects.select_related("report").get(pk=attachment, report__item=item)
    except (Attachment.DoesNotExist, ValidationError):
        raise Http404(_("No such attachment.")) from None
    try:
        stream = evidence_store().open(found.storage_key)
    except FileNotFoundError:
        raise Http404(_("The file is missing from the store.")) from None
    except StoreError as exc:
        logger.error("attachment store failed: %s", exc)
        return HttpResponse(_("The file store is not available."), status=503, content_type="text/plain")
    # A download, never rendered in the page: the type is the one sniffed when it was uploaded.
    return FileResponse(stream, as_attachment=True, filename=found.original_name, content_type=found.media_type)


@login_required
@require_http_methods(["GET", "POST"])
def by_department(request):
    access.require_view(request.user)
    today = timezone.localdate()
    filters = SummaryFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    on, programme = data.get("on") or today, data.get("programme") or ""
    supervises = access.may_supervise(request.user)
    department_form = DepartmentForm(request.POST or None) if supervises else None
    if request.method == "POST":
        if department_form is None:
            raise PermissionDenied(str(access.NOT_A_SUPERVISOR))
        if department_form.is_valid():
            created = _attempt(
                department_form,
                lambda: services.department_create(actor=request.user, **department_form.cleaned_data),
            )
            if created is not None:
                messages.success(request, _("Department %(name)s created.") % {"name": created.name})
                return redirect("supervision:departments")
    base_query = {"on": on.isoformat(), **({"programme": programme} if programme else {})}
    rows = selectors.department_summary(on, programme)
    summary = selectors.work_item_summary(on)
    return render(
        request,
        "supervision/departments.html",
        {
            "filters": filters,
            "on": on,
            "today": today,
            "programme": programme,
            "rows": rows,
            "areas": selectors.area_summary(on, programme),
            "summary": summary,
            "base_query": base_query,
            "department_form": department_form,
            "departments": selectors.departments(),
            "due_soon_days": selectors.DUE_SOON_DAYS,
        },
        status=400 if department_form is not None and department_form.errors else 200,
    )
