"""Who may see and change which registry records: the only place these rules live.

Each check stands on its own line so that the tests can cover every branch. A record that a user may
not see is reported as missing (404), never as forbidden, so that its existence does not leak.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from huhang.accounts.roles import IDENTITY_READERS, REGISTRY_EDITORS, STAFF_ROLES, Role
from huhang.identifiers import mask_resident_id
from huhang.registry import models as m

# How an applicant's own records are found from each model: the lookup that leads to its entity.
OWNER_PATHS: dict[type[Model], str] = {
    m.Entity: "pk",
    m.Patent: "owners",
    m.Trademark: "owners",
    m.Copyright: "owners",
    m.GeographicalIndication: "owners",
    m.TradeSecretAsset: "owners",
    m.DataIP: "owners",
    m.Filing: "entity",
    m.TradeSecretDesignation: "entity",
}
# The service network is public information: every signed-in user may see it.
OPEN_TO_ALL: frozenset[type[Model]] = frozenset({m.ServiceStation})


def records_visible_to(user, model: type[Model]) -> QuerySet:
    """Return the rows of ``model`` that ``user`` may see."""
    if not user.is_authenticated or not user.is_active:
        return model.objects.none()
    if user.is_superuser:
        return model.objects.all()
    if user.role in STAFF_ROLES:
        return model.objects.all()
    if user.role == Role.PARTNER:
        return model.objects.all()
    if model in OPEN_TO_ALL:
        return model.objects.all()
    path = OWNER_PATHS.get(model)
    if path is None:
        return model.objects.none()
    if user.entity_id is None:
        return model.objects.none()
    qs = model.objects.filter(**{path: user.entity_id})
    return qs.distinct() if path == "owners" else qs


def access_record(user, model: type[Model], pk) -> Model:
    """Return the record ``pk`` of ``model`` if ``user`` may see it; otherwise raise Http404."""
    try:
        return records_visible_to(user, model).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such record.")) from None


def can_edit(user, model: type[Model]) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role in REGISTRY_EDITORS


def require_edit(user, model: type[Model]) -> None:
    if not can_edit(user, model):
        raise PermissionDenied(_("Your role may not change the registry."))


def can_export(user, model: type[Model]) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in STAFF_ROLES | {Role.PARTNER})


def can_see_identity(user, entity: m.Entity) -> bool:
    """Whether ``user`` may see ``entity``'s full resident ID number."""
    if user.is_superuser:
        return True
    if user.role in IDENTITY_READERS:
        return True
    return user.entity_id is not None and user.entity_id == entity.pk


def shown_identifier(user, entity: m.Entity) -> str:
    """Return the entity's identifier as ``user`` may see it (resident IDs masked unless needed)."""
    if not entity.is_individual:
        return entity.uscc or ""
    if can_see_identity(user, entity):
        return entity.resident_id or ""
    return mask_resident_id(entity.resident_id) if entity.resident_id else ""
