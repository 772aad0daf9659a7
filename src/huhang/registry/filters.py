"""List filters of each register, built from its declaration."""

from functools import cache

import django_filters

from huhang.registry.resources import Resource


@cache
def filterset_for(resource: Resource) -> type[django_filters.FilterSet]:
    meta = type("Meta", (), {"model": resource.model, "fields": resource.filters})
    return type(f"{resource.model.__name__}FilterSet", (django_filters.FilterSet,), {"Meta": meta})
