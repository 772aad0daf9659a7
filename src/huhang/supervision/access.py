"""Who may see the supervised work items, who supervises them and who reports on them: the only place
these rules live.

- Staff (handlers, approvers, supervisors, administrators) and partner organisations see every work item,
  its milestones, reports, attachments and supervision notes: the items are the city's published plans.
  Applicants see none of it; an item they ask for is reported as missing (404).
- Supervisors and administrators supervise: they create departments, assign them to items, set
  milestones and issue supervision notes (督办意见).
- The responsible departments report progress: a handler, approver or partner user whose organisation is
  linked to one of the item's departments. Administrators may report for any responsible department.
  Supervisors do not report: the one who urges is not the one who answers.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huhang.accounts.roles import STAFF_ROLES, Role, signed_in
from huhang.supervision.models import Department, WorkItem

VIEWER_ROLES = STAFF_ROLES | {Role.PARTNER}
SUPERVISOR_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
REPORTER_ROLES = frozenset({Role.HANDLER, Role.APPROVER, Role.PARTNER})

NOT_A_VIEWER = gettext_lazy("Only staff and partner organisations may see the supervised work items.")
NOT_A_SUPERVISOR = gettext_lazy(
    "Only supervisors and administrators may assign departments, set milestones and issue supervision notes."
)
SUPERVISORS_DO_NOT_REPORT = gettext_lazy("Supervisors do not report progress: the responsible department does.")
ROLE_DOES_NOT_REPORT = gettext_lazy("Your role may not report progress on work items.")
NO_DEPARTMENT_YET = gettext_lazy(
    "No department is responsible for %(code)s yet: a supervisor assigns one before progress is reported."
)
NOT_RESPONSIBLE = gettext_lazy("Your organisation is not a department responsible for %(code)s.")


def _is_admin(user) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def may_view(user) -> bool:
    if not signed_in(user):
        return False
    if user.is_superuser:
        return True
    return user.role in VIEWER_ROLES


def require_view(user) -> None:
    if not may_view(user):
        raise PermissionDenied(str(NOT_A_VIEWER))


def items_visible_to(user) -> QuerySet:
    if not may_view(user):
        return WorkItem.objects.none()
    return WorkItem.objects.all()


def access_item(user, pk) -> WorkItem:
    """The work item ``pk`` if ``user`` may see it; otherwise Http404 (its existence does not leak)."""
    try:
        return items_visible_to(user).select_related("area__programme").get(pk=pk)
    except (WorkItem.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such work item.")) from None


def may_supervise(user) -> bool:
    if not signed_in(user):
        return False
    if user.is_superuser:
        return True
    return user.role in SUPERVISOR_ROLES


def require_supervise(user) -> None:
    if not may_supervise(user):
        raise PermissionDenied(str(NOT_A_SUPERVISOR))


def departments_of(user) -> QuerySet:
    """The departments whose staff ``user`` is (through the user's organisation)."""
    if not signed_in(user) or user.organisation_id is None:
        return Department.objects.none()
    return Department.objects.filter(organisation_id=user.organisation_id)


def reporting_departments(user, item: WorkItem) -> QuerySet:
    """The item's responsible departments ``user`` may report for: all of them for an administrator."""
    responsible = Department.objects.filter(responsibilities__item=item)
    if not signed_in(user):
        return Department.objects.none()
    if _is_admin(user):
        return responsible
    if user.role not in REPORTER_ROLES or user.organisation_id is None:
        return Department.objects.none()
    return responsible.filter(organisation_id=user.organisation_id)


def report_refusal(user, item: WorkItem) -> str:
    """Why ``user`` may not report on ``item``, or "" if they may."""
    if not signed_in(user):
        return str(ROLE_DOES_NOT_REPORT)
    if user.role == Role.SUPERVISOR and not user.is_superuser:
        return str(SUPERVISORS_DO_NOT_REPORT)
    if not _is_admin(user) and user.role not in REPORTER_ROLES:
        return str(ROLE_DOES_NOT_REPORT)
    if not item.responsibilities.exists():
        return NO_DEPARTMENT_YET % {"code": item.code}
    if not reporting_departments(user, item).exists():
        return NOT_RESPONSIBLE % {"code": item.code}
    return ""


def may_report(user, item: WorkItem) -> bool:
    return not report_refusal(user, item)


def require_report(user, item: WorkItem) -> None:
    refusal = report_refusal(user, item)
    if refusal:
        raise PermissionDenied(refusal)
