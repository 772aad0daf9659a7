"""Who may see, submit and download which evidence: the only place these rules live.

- Applicants see and submit their own entity's evidence, and download its files.
- Handlers, approvers and administrators see all evidence, submit it for any holder (evidence the
  centre gathers) and download the files.
- Supervisors see all evidence (its description and receipt), without the files.
- Partners (courts, customs, police, other cities) see receipts and certificates, without the files.

Evidence a user may not see is reported as missing (404), never as forbidden.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from huhang.accounts.roles import REGISTRY_EDITORS, STAFF_ROLES, Role, signed_in
from huhang.evidence.models import Evidence

SUBMIT_ANYONE = REGISTRY_EDITORS  # handler, approver, admin
FILE_READERS = REGISTRY_EDITORS


def evidence_visible_to(user) -> QuerySet:
    """Return the evidence ``user`` may see."""
    if not signed_in(user):
        return Evidence.objects.none()
    if user.is_superuser:
        return Evidence.objects.all()
    if user.role in STAFF_ROLES:
        return Evidence.objects.all()
    if user.role == Role.PARTNER:
        return Evidence.objects.all()
    if user.entity_id is None:
        return Evidence.objects.none()
    return Evidence.objects.filter(holder_id=user.entity_id)


def access_evidence(user, pk) -> Evidence:
    """Return evidence ``pk`` if ``user`` may see it; otherwise raise Http404."""
    try:
        return evidence_visible_to(user).select_related("holder", "submitted_by").get(pk=pk)
    except (Evidence.DoesNotExist, ValidationError, ValueError, TypeError):  # ValidationError: not a UUID
        raise Http404(_("No such evidence.")) from None


def can_submit(user, holder=None) -> bool:
    """Whether ``user`` may submit evidence (for ``holder``, when given)."""
    if not signed_in(user):
        return False
    if user.is_superuser:
        return True
    if user.role in SUBMIT_ANYONE:
        return True
    if user.role != Role.APPLICANT:
        return False
    if user.entity_id is None:
        return False
    return holder is None or holder.pk == user.entity_id


def require_submit(user, holder) -> None:
    if not can_submit(user, holder):
        raise PermissionDenied(_("You may not submit evidence for this holder."))


def can_download_file(user, evidence: Evidence) -> bool:
    if not signed_in(user):
        return False
    if user.is_superuser:
        return True
    if user.role in FILE_READERS:
        return True
    return user.role == Role.APPLICANT and user.entity_id == evidence.holder_id


def holders_for(user) -> QuerySet:
    """The entities ``user`` may submit evidence for."""
    from huhang.registry.models import Entity

    if not signed_in(user):
        return Entity.objects.none()
    if user.is_superuser or user.role in SUBMIT_ANYONE:
        return Entity.objects.all()
    if user.role == Role.APPLICANT and user.entity_id is not None:
        return Entity.objects.filter(pk=user.entity_id)
    return Entity.objects.none()
