"""Pages of monitoring: the dashboard, one indicator with its trend, districts and records, the exports, and the
statistics and targets behind the figures. Thin: every figure comes from :mod:`huhang.monitoring.selectors`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huhang.monitoring import access, exports, forms, selectors, services
from huhang.monitoring.indicators import BY_ID, INDICATORS
from huhang.monitoring.models import Statistic
from huhang.monitoring.periods import PeriodError, parse_period, year
from huhang.monitoring.records import columns_for, prepare, rows_for
from huhang.supervision.selectors import work_item_summary


def _period(request):
    text = request.GET.get("period") or str(timezone.localdate().year)
    try:
        return parse_period(text), ""
    except PeriodError as exc:
        return year(timezone.localdate().year), str(exc)


def _indicator(code: str):
    indicator = BY_ID.get(code.upper())
    if indicator is None:
        raise Http404(_("No indicator %(id)s.") % {"id": code})
    return indicator


@login_required
def dashboard(request):
    access.require_view(request.user)
    period, error = _period(request)
    figures = selectors.dashboard(period)
    counts = {
        status: sum(1 for f in figures if f.status == status) for status in ("met", "on_track", "at_risk", "no_data")
    }
    return render(
        request,
        "monitoring/dashboard.html",
        {"period": period, "period_error": error, "figures": figures, "counts": counts, "today": timezone.localdate(),
         "work_items": work_item_summary(timezone.localdate())},
    )  # fmt: skip


@login_required
def trend(request, code: str):
    """JSON for the charts: the month-by-month series and the history imported from published statistics."""
    access.require_view(request.user)
    indicator, (period, _error) = _indicator(code), _period(request)
    points = selectors.trend(indicator, period)
    target = selectors.target_for(indicator, period)
    return JsonResponse(
        {
            "id": indicator.id,
            "unit": indicator.unit_zh,
            "target": float(target.value),
            "months": [m for m, _v in points],
            "values": [None if v is None else float(v) for _m, v in points],
            "history": [
                {"period": s.period, "value": float(s.value), "source": s.source_title}
                for s in selectors.history(indicator)
            ],
        }
    )


@login_required
def detail(request, code: str):
    access.require_view(request.user)
    indicator, (period, error) = _indicator(code), _period(request)
    figure = selectors.figure(indicator, period)
    records = figure.measurement.records
    records = prepare(indicator.records, records) if records is not None else []
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/detail.html",
        {
            "period": period,
            "period_error": error,
            "figure": figure,
            "indicator": indicator,
            "districts": [(d, v) for d, v in selectors.by_district(indicator, period) if v is not None],
            "district_breakdown": indicator.districts,
            "history": selectors.history(indicator),
            "columns": columns_for(indicator.records),
            "rows": rows_for(indicator.records, page.object_list),
            "page": page,
            "may_edit": access.may_edit(request.user),
            "target_form": forms.TargetForm(initial={"from_year": period.last_day.year}),
            "revisions": selectors.target_revisions(indicator),
        },
    )


@login_required
@require_POST
def target_revise(request, code: str):
    indicator = _indicator(code)
    form = forms.TargetForm(request.POST)
    if form.is_valid():
        try:
            services.target_revise(actor=request.user, indicator=indicator.id, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The new target is recorded."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(f"{reverse('monitoring:detail', args=[indicator.id])}?{request.GET.urlencode()}")


@login_required
def export_xlsx(request):
    access.require_view(request.user)
    period, _error = _period(request)
    response = HttpResponse(
        exports.dashboard_xlsx(period), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="indicators-{period.code}.xlsx"'
    return response


@login_required
def report_pdf(request):
    access.require_view(request.user)
    period, _error = _period(request)
    response = HttpResponse(exports.dashboard_pdf(period), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="indicators-{period.code}.pdf"'
    return response


@login_required
def statistics(request):
    access.require_view(request.user)
    form, upload = forms.StatisticForm(), forms.StatisticsUploadForm()
    if request.method == "POST":
        if not access.may_edit(request.user):
            raise PermissionDenied(
                _("Only approvers, supervisors and administrators may record statistics and targets.")
            )
        if "file" in request.FILES:
            upload = forms.StatisticsUploadForm(request.POST, request.FILES)
            if upload.is_valid():
                try:
                    result = services.statistics_load(
                        actor=request.user,
                        data=upload.cleaned_data["file"].read(),
                        skip_unreadable=upload.cleaned_data["skip_unreadable"],
                    )
                except ValidationError as exc:
                    upload.add_error("file", exc.messages)
                else:
                    messages.success(
                        request,
                        _(
                            "Recorded %(recorded)d statistics; %(unchanged)d were already recorded; "
                            "%(skipped)d rows skipped."
                        )
                        % {"recorded": result.recorded, "unchanged": result.unchanged, "skipped": len(result.skipped)},
                    )
                    for line, problem in result.skipped:
                        messages.warning(request, _("line %(line)d: %(problem)s") % {"line": line, "problem": problem})
                    return redirect("monitoring:statistics")
        else:
            form = forms.StatisticForm(request.POST)
            if form.is_valid():
                try:
                    services.statistic_record(actor=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    messages.success(request, _("The statistic is recorded."))
                    return redirect("monitoring:statistics")
    rows = Statistic.objects.select_related("recorded_by").order_by("name", "scope", "period_end", "id")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/statistics.html",
        {"page": page, "form": form, "upload": upload, "may_edit": access.may_edit(request.user),
         "indicators": INDICATORS},
    )  # fmt: skip
