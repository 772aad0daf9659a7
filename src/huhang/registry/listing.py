"""What a register shows of a record: list cells, detail rows and its history."""

from django.db import models
from django.utils.translation import gettext as _

from huhang.registry import access
from huhang.registry.models import Entity
from huhang.registry.resources import Resource


def _label(resource: Resource, name: str) -> str:
    if name == "identifier":
        return _("Identifier")
    return str(resource.model._meta.get_field(name).verbose_name)


def column_headers(resource: Resource) -> list[str]:
    return [_label(resource, name) for name in resource.columns]


def display_value(user, obj, name: str):
    """Return what ``user`` may see of ``obj.<name>``: choice labels, names, masked identifiers."""
    if name == "identifier" and isinstance(obj, Entity):
        return access.shown_identifier(user, obj)
    if name == "resident_id" and isinstance(obj, Entity):
        return access.shown_identifier(user, obj) if obj.resident_id else ""
    field = obj._meta.get_field(name)
    if field.choices:
        return getattr(obj, f"get_{name}_display")()
    if isinstance(field, models.ManyToManyField):
        return "；".join(str(e) for e in getattr(obj, name).all())
    value = getattr(obj, name)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if value is None:
        return ""
    return value


def cell_values(user, resource: Resource, obj) -> list:
    return [display_value(user, obj, name) for name in resource.columns]


def detail_rows(user, resource: Resource, obj) -> list[tuple[str, object]]:
    return [(_label(resource, name), display_value(user, obj, name)) for name in resource.fields]


def history_rows(user, obj) -> list[dict]:
    """Return the record's versions, newest first, each with who, when and which fields changed."""
    versions = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[:50])
    rows = []
    for newer, older in zip(versions, [*versions[1:], None], strict=True):
        changed = []
        if older is not None:
            delta = newer.diff_against(older)
            changed = [str(obj._meta.get_field(c.field).verbose_name) for c in delta.changes]
        rows.append(
            {
                "when": newer.history_date,
                "who": newer.history_user or _("system"),
                "type": {"+": _("created"), "~": _("changed"), "-": _("deleted")}[newer.history_type],
                "changed": changed,
                "reason": newer.history_change_reason or "",
            }
        )
    return rows


def related_sections(user, entity: Entity, *, limit: int = 20) -> list[dict]:
    """Return the records that name ``entity`` (its rights, filings, library entries), as ``user`` may see them."""
    from huhang.registry.resources import RESOURCES

    sections = []
    for resource in RESOURCES.values():
        path = access.OWNER_PATHS.get(resource.model)
        if path in (None, "pk"):
            continue
        queryset = access.records_visible_to(user, resource.model).filter(**{path: entity})
        total = queryset.count()
        if not total:
            continue
        rows = [(obj, cell_values(user, resource, obj)) for obj in queryset.order_by("-pk")[:limit]]
        sections.append({"res": resource, "headers": column_headers(resource), "rows": rows, "total": total})
    return sections
