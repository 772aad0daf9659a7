"""Pages that move records in and out of a register: Excel/CSV export and import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from huhang.audit.services import audit_record
from huhang.registry import access
from huhang.registry.filters import filterset_for
from huhang.registry.tabular import exporting, importing
from huhang.registry.tabular.errors import ImportRejected, TabularError
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
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a CSV or Excel file to import."))
        else:
            try:
                result = importing.import_rows(actor=request.user, kind=res.slug, path_or_file=upload)
            except ImportRejected as exc:
                report = exc.report
            except TabularError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Imported %(n)d records.") % {"n": result.created})
                return redirect("registry:list", resource=res.slug)
    return render(request, "registry/import.html", {"res": res, "report": report})
