"""Pages of patent analytics: search, a patent, navigation (专利导航) with its exports, the infringement-risk
report. Thin: the form validates, :mod:`~huhang.patents.access` decides, selectors and services do the work."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huhang.analytics import AnalyticsError
from huhang.analytics.explain import CATEGORY_NAMES, STATUS_NAMES
from huhang.patents import access, exports, forms, selectors, services
from huhang.patents.risk import risk_analysis
from huhang.registry.models.rights import PatentKind, RightStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _render(request, template: str, context: dict, status: int = 200):
    context = {**context, "may_navigate": access.may_navigate(request.user),
               "may_report_risk": access.may_report_risk(request.user)}  # fmt: skip
    return render(request, template, context, status=status)


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def status_label(value: str | None) -> str:
    if value is None:
        return _("unknown (not in the record)")
    try:
        return str(RightStatus(value).label)
    except ValueError:
        return value


def kind_label(value: str | None) -> str:
    if value is None:
        return _("unknown (not in the record)")
    try:
        return str(PatentKind(value).label)
    except ValueError:
        return value


@login_required
@require_GET
def search(request):
    access.require_search(request.user)
    form = forms.SearchForm(request.GET or None)
    result, problem = None, ""
    if form.is_bound and form.is_valid():
        try:
            result = selectors.patent_search(
                text=form.cleaned_data["q"], top=form.cleaned_data["top"], lang=form.cleaned_data["lang"]
            )
        except selectors.AnalyticsUnavailable as exc:
            problem = str(exc)
        except AnalyticsError as exc:
            problem = str(exc)
    status = 400 if form.is_bound and form.errors else 503 if problem else 200
    return _render(request, "patents/search.html", {"form": form, "result": result, "problem": problem}, status=status)


@login_required
@require_GET
def detail(request, patent_id: str):
    access.require_search(request.user)
    try:
        view = selectors.patent_detail(patent_id)
    except selectors.AnalyticsUnavailable as exc:
        return _render(request, "patents/detail.html", {"problem": str(exc), "patent_id": patent_id}, status=503)
    if view is None:
        raise Http404(_("No patent %(id)s in the analytical store.") % {"id": patent_id})
    lang = _lang()
    record = view.record
    categories = []
    if view.assessment is not None:
        parts = [view.assessment.eligible, *view.assessment.categories.values()]
        for number, part in enumerate(parts):
            name_en, name_zh = CATEGORY_NAMES[part.category]
            categories.append({
                "number": "①②③④⑤"[number - 1] if number else "",
                "name": name_en if lang == "en" else name_zh,
                "status": part.status,
                "status_label": STATUS_NAMES[part.status][0 if lang == "en" else 1],
                "reasons": [{"status": f.status, "text": f.text_en if lang == "en" else f.text_zh}
                            for f in part.findings],
            })  # fmt: skip
    registry_url = _registry_url(request.user, (record.get("extra_dict") or {}).get("registry_id"))
    return _render(
        request,
        "patents/detail.html",
        {
            "view": view,
            "record": record,
            "extra": record.get("extra_dict") or {},
            "categories": categories,
            "overall": view.assessment.high_value if view.assessment else None,
            "overall_label": STATUS_NAMES[view.assessment.high_value][0 if lang == "en" else 1]
            if view.assessment
            else "",
            "status_label": status_label(record.get("legal_status")),
            "kind_label": kind_label(record.get("kind")),
            "registry_url": registry_url,
            "source_name": Path(record["source"]).name if record.get("source") else "",
        },
    )


def _registry_url(user, registry_id) -> str:
    if not registry_id:
        return ""
    from django.urls import reverse

    from huhang.registry import access as registry_access
    from huhang.registry.models import Patent

    if not registry_access.records_visible_to(user, Patent).filter(pk=registry_id).exists():
        return ""
    return reverse("registry:detail", args=["patents", registry_id])


def _landscape_form(request):
    industries = selectors.sei_industries()
    data = request.GET.copy()
    for name, default in (("level", "subclass"), ("basis", "publication")):
        if not data.get(name):
            data[name] = default
    return forms.LandscapeForm(data, industries=industries), industries or []


def _landscape(form):
    data = form.cleaned_data
    query = selectors.LandscapeQuery(
        ipc=data["ipc"] or None,
        sei_code=data["sei"] or None,
        year_from=data["year_from"],
        year_to=data["year_to"],
        applicant=data["applicant"] or None,
        year_basis=data["basis"],
        level=data["level"],
    )
    return selectors.landscape(query)


def _navigation_page(request, form, industries, data=None, problem="", status=200):
    charts = None
    if data is not None:
        years, series = exports.trend_series(data.ipc_trend)
        counts = {r["year"]: r["patents"] for r in data.by_year.rows}
        span = range(min(counts), max(counts) + 1) if counts else []
        charts = {
            "years": [[year, counts.get(year, 0)] for year in span],
            "ipc": [[r["code"], r["patents"], r["title"] or ""] for r in data.by_ipc.rows[:15]],
            "trend": {"years": years, "series": [{"name": name, "data": values} for name, values in series]},
            "applicants": [[r["applicant"], r["patents"]] for r in data.applicants.rows[:12]],
            "industries": [
                [f"{r['sei_code']} {r['name_zh']}", r["patents"], r["possible"]] for r in exports.industry_rows(data)
            ][:15],
        }
    return _render(
        request,
        "patents/navigation.html",
        {
            "form": form,
            "industries": industries,
            "data": data,
            "charts": charts,
            "notes": selectors.landscape_notes(data) if data is not None else [],
            "problem": problem,
            "query_string": request.GET.urlencode(),
            "basis_label": selectors.year_basis_label(data.query.year_basis) if data is not None else "",
        },
        status=status,
    )


def _landscape_or_page(request):
    """The landscape of the request's filters, ``(form, industries, data)``; or, when it cannot be had, the
    navigation page saying why (400 for a bad filter, 503 while the data cannot be read)."""
    access.require_navigate(request.user)
    form, industries = _landscape_form(request)
    if not form.is_valid():
        return _navigation_page(request, form, industries, status=400)
    try:
        return form, industries, _landscape(form)
    except selectors.AnalyticsUnavailable as exc:
        return _navigation_page(request, form, industries, problem=str(exc), status=503)
    except AnalyticsError as exc:
        return _navigation_page(request, form, industries, problem=str(exc), status=400)


@login_required
@require_GET
def navigation(request):
    found = _landscape_or_page(request)
    if isinstance(found, HttpResponse):
        return found
    return _navigation_page(request, *found)


def _export(request, make, content_type: str, extension: str):
    found = _landscape_or_page(request)
    if isinstance(found, HttpResponse):
        return found
    response = HttpResponse(make(found[2]), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="patent-landscape-{timezone.localdate():%Y%m%d}.{extension}"'
    )
    return response


@login_required
@require_GET
def navigation_xlsx(request):
    return _export(request, exports.landscape_xlsx, XLSX, "xlsx")


@login_required
@require_GET
def navigation_pdf(request):
    return _export(request, exports.landscape_pdf, "application/pdf", "pdf")


@login_required
@require_http_methods(["GET", "POST"])
def risk(request):
    access.require_report_risk(request.user)
    form = forms.RiskForm(request.POST or None)
    report, problem = None, ""
    if request.method == "POST" and form.is_valid():
        try:
            report = _risk_report(form)
        except (selectors.AnalyticsUnavailable, AnalyticsError) as exc:
            problem = str(exc)
        else:
            services.risk_report_record(
                actor=request.user, company=report.company, products=len(report.products), hits=report.hit_count,
                fmt="page",
            )  # fmt: skip
    status = 400 if form.is_bound and form.errors else 503 if problem else 200
    return _render(
        request,
        "patents/risk.html",
        {"form": form, "report": report, "problem": problem, "products_text": request.POST.get("products", "")},
        status=status,
    )


def _risk_report(form):
    return risk_analysis(
        company=form.cleaned_data["company"], products=form.cleaned_data["products"], top=form.cleaned_data["top"],
        today=timezone.localdate(),
    )  # fmt: skip


@login_required
@require_POST
def risk_pdf(request):
    access.require_report_risk(request.user)
    form = forms.RiskForm(request.POST)
    if not form.is_valid():
        return _render(request, "patents/risk.html", {"form": form, "report": None, "problem": ""}, status=400)
    try:
        report = _risk_report(form)
    except (selectors.AnalyticsUnavailable, AnalyticsError) as exc:
        return _render(request, "patents/risk.html", {"form": form, "report": None, "problem": str(exc)}, status=503)
    pdf = exports.risk_pdf(report)
    services.risk_report_record(
        actor=request.user, company=report.company, products=len(report.products), hits=report.hit_count, fmt="pdf"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="infringement-risk-{report.prepared_on:%Y%m%d}.pdf"'
    return response
