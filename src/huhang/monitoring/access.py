"""Who may see the indicators and who may record their inputs: the only place these rules live.

- Staff (handlers, approvers, supervisors, administrators) and partners (the joint conference's members: courts,
  customs, police, neighbouring cities) see the dashboard, its drill-down and its exports.
- Approvers, supervisors and administrators record imported statistics and revise targets.
- Applicants see none of it.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from huhang.accounts.roles import STAFF_ROLES, Role, signed_in

VIEWERS = STAFF_ROLES | {Role.PARTNER}
EDITORS = frozenset({Role.APPROVER, Role.SUPERVISOR, Role.ADMIN})


def may_view(user) -> bool:
    return signed_in(user) and (user.is_superuser or user.role in VIEWERS)


def may_edit(user) -> bool:
    return signed_in(user) and (user.is_superuser or user.role in EDITORS)


def require_view(user) -> None:
    if not may_view(user):
        raise PermissionDenied(_("You may not see the indicators."))


def require_edit(user) -> None:
    if not may_edit(user):
        raise PermissionDenied(_("Only approvers, supervisors and administrators may record statistics and targets."))
