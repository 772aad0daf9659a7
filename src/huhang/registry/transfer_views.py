"""Pages that move records in and out of a register: Excel/CSV export and import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from huhang.audit.services import audit_record
from huhang.registry import access, jobs
from huhang.registry.filters import filterset_for
from huhang.registry.models import ImportJob, ImportJobStatus
from huhang.registry.tabular import exporting
from huhang.registry.tabular.errors import TabularError
from huhang.registry.tabular.report import ImportReport
from huhang.registry.views import _resource, search_queryset

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@login_required
def record_export(request, resource):
    res = _resource(resource)
    if not access.can_export(request.user, res.model):
        raise PermissionDenied(_("Your role may not export the registry."))
    fmt = request.GET.get("format", "xlsx")
    if fmt not in CONTENT_TYPES:
        return HttpResponse(_("Unknown export format: %(fmt)s") % {"fmt": fmt}, status=400)
    queryset = access.records_visible_to(request.user, res.model).select_related(*res.select_related)
    filterset = filterset_for(res)(request.GET, queryset=queryset)
    queryset = filterset.qs if filterset.is_valid() else queryset
    queryset = search_queryset(res, queryset, request.GET.get("q", "")).order_by("-pk")
    data = exporting.export_queryset(kind=res.slug, queryset=queryset, fmt=fmt, user=request.user)
    audit_record(actor=request.user, action="registry.export", target=res.slug, details={"query": request.GET})
    filename = f"{res.slug}-{timezone.localdate():%Y%m%d}.{fmt}"
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def record_import(request, resource):
    res = _resource(resource)
    if not access.can_edit(request.user, res.model):
        raise PermissionDenied(_("Your role may not change the registry."))
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a CSV or Excel file to import."))
        else:
            try:
                job = jobs.import_job_submit(actor=request.user, kind=res.slug, upload=upload)
            except TabularError as exc:
                messages.error(request, str(exc))
            else:
                return redirect("registry:import-job", pk=job.pk)
    recent = ImportJob.objects.filter(actor=request.user, kind=res.slug)[:10]
    return render(request, "registry/import.html", {"res": res, "recent": recent})


def _job_for(user, pk) -> ImportJob:
    job = ImportJob.objects.filter(pk=pk).select_related("actor").first()
    if job is None or not (job.actor_id == user.pk or access.can_edit(user, ImportJob)):
        raise Http404(_("No such import."))
    return job


@login_required
def import_job(request, pk):
    job = _job_for(request.user, pk)
    res = _resource(job.kind)
    return render(
        request,
        "registry/import_job.html",
        {"job": job, "res": res, "progress": jobs.import_job_progress(job), "report": job.report},
    )


@login_required
def import_job_progress(request, pk):
    job = _job_for(request.user, pk)
    data = jobs.import_job_progress(job)
    data.update(finished=job.is_finished, status_label=job.get_status_display())
    return JsonResponse(data)


@login_required
def import_job_report(request, pk):
    job = _job_for(request.user, pk)
    if job.status != ImportJobStatus.REJECTED:
        raise Http404(_("This import has no list of problems."))
    report = ImportReport(kind=job.kind, file_name=job.file_name, headers=job.report.get("headers", []))
    for row, column, reason in job.report.get("errors", []):
        report.add(row, column, reason)
    report.bad_rows = {int(row): cells for row, cells in job.report.get("bad_rows", {}).items()}
    response = HttpResponse(report.to_xlsx(), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="import-problems-{job.pk}.xlsx"'
    return response
