"""Write paths of the registry: every change is authorised, validated whole, and versioned.

Each saved row gets a history version naming who changed it and when (django-simple-history), so an edit
never overwrites what was there before without a trace.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Model

from huhang.registry import access
from huhang.registry.models import Entity


@transaction.atomic
def record_save(
    *, actor, instance: Model, owners: Iterable[Entity] | None = None, reason: str = ""
) -> Model:
    """Validate and save ``instance`` (new or changed) on behalf of ``actor``.

    Raises PermissionDenied if the actor's role may not change the registry, and ValidationError (with
    field-level messages) if any rule fails; nothing is written in either case.
    """
    access.require_edit(actor, type(instance))
    instance.full_clean()
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save()
    if owners is not None:
        instance.owners.set(owners)
    return instance


def entity_create(*, actor, **fields) -> Entity:
    return record_save(actor=actor, instance=Entity(**fields))


def entity_update(*, actor, entity: Entity, reason: str = "", **fields) -> Entity:
    for name, value in fields.items():
        setattr(entity, name, value)
    return record_save(actor=actor, instance=entity, reason=reason)
