"""Staff back-office pages of the registry: thin views over access, selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from huhang.registry import access, services
from huhang.registry.filters import filterset_for
from huhang.registry.listing import cell_values, column_headers, detail_rows, history_rows, related_sections
from huhang.registry.models import Entity
from huhang.registry.resources import RESOURCES, Resource, resource_for

PAGE_SIZE = 50


def _resource(slug: str) -> Resource:
    resource = resource_for(slug)
    if resource is None:
        raise Http404(_("No such register."))
    return resource


@login_required
def home(request):
    cards = [
        {"resource": r, "count": access.records_visible_to(request.user, r.model).count()}
        for r in RESOURCES.values()
    ]
    return render(request, "registry/home.html", {"cards": cards})


def search_queryset(resource: Resource, queryset, text: str):
    text = text.strip()
    if not text:
        return queryset
    q = Q()
    for name in resource.search:
        # Identifiers are matched from their start, which an index serves; names anywhere in the text.
        lookup = "istartswith" if name.endswith(("uscc", "number", "ipc_main")) else "icontains"
        q |= Q(**{f"{name}__{lookup}": text})
    return queryset.filter(q)


@login_required
def record_list(request, resource):
    res = _resource(resource)
    queryset = access.records_visible_to(request.user, res.model).select_related(*res.select_related)
    filterset = filterset_for(res)(request.GET or None, queryset=queryset)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    queryset = search_queryset(res, queryset, request.GET.get("q", ""))
    page = Paginator(queryset.order_by("-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(obj, cell_values(request.user, res, obj)) for obj in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/list.html",
        {
            "res": res,
            "filterset": filterset,
            "headers": column_headers(res),
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "can_edit": access.can_edit(request.user, res.model),
            "can_export": access.can_export(request.user, res.model),
        },
    )


@login_required
def record_detail(request, resource, pk):
    res = _resource(resource)
    obj = access.access_record(request.user, res.model, pk)
    return render(
        request,
        "registry/detail.html",
        {
            "res": res,
            "obj": obj,
            "rows": detail_rows(request.user, res, obj),
            "history": history_rows(request.user, obj),
            "related": related_sections(request.user, obj) if isinstance(obj, Entity) else [],
            "can_edit": access.can_edit(request.user, res.model),
        },
    )


@login_required
def record_edit(request, resource, pk=None):
    res = _resource(resource)
    if not access.can_edit(request.user, res.model):
        raise PermissionDenied(_("Your role may not change the registry."))
    instance = access.access_record(request.user, res.model, pk) if pk else res.model()
    form_class = res.form_class()
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.record_save(
                actor=request.user,
                instance=form.instance,
                owners=form.cleaned_data.get("owners") if "owners" in form.fields else None,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved: %(name)s") % {"name": obj})
            return redirect("registry:detail", resource=res.slug, pk=obj.pk)
    return render(request, "registry/form.html", {"res": res, "form": form, "obj": instance if pk else None})
