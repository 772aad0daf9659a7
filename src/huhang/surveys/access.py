"""Who may see survey results and mark answers as not counted: the only place these rules live.

Answering needs no account (the portal is open to everyone; an invitation link is its own key). The results
and the answers behind them are for staff: handlers, approvers, supervisors and administrators see them;
approvers and administrators may mark an answer as not counted (a handler may not discount answers about
the work of their own office). An answer a user may not see is reported as missing (404). Only
administrators (or the command line) publish questionnaires.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from huhang.accounts.roles import STAFF_ROLES, Role, signed_in
from huhang.surveys.models import Answer, Invitation

RESULT_READERS = STAFF_ROLES
INVALIDATORS = frozenset({Role.APPROVER, Role.ADMIN})


def may_see_results(user) -> bool:
    if not signed_in(user):
        return False
    if user.is_superuser:
        return True
    return user.role in RESULT_READERS


def may_invalidate(user) -> bool:
    if not signed_in(user):
        return False
    if user.is_superuser:
        return True
    return user.role in INVALIDATORS


def require_publish(user) -> None:
    """Raise PermissionDenied unless ``user`` may publish a questionnaire (None: the command line)."""
    if user is not None and not (user.is_superuser or getattr(user, "role", "") == Role.ADMIN):
        raise PermissionDenied(_("Only an administrator may publish a questionnaire."))


def require_results(user) -> None:
    """Raise Http404 unless ``user`` may see the results (a page that does not exist for them)."""
    if not may_see_results(user):
        raise Http404(_("No such page."))


def require_invalidate(user) -> None:
    if not may_invalidate(user):
        raise PermissionDenied(_("Only an approver or an administrator may mark an answer as not counted."))


def answers_visible_to(user) -> QuerySet:
    if not may_see_results(user):
        return Answer.objects.none()
    return Answer.objects.all()


def access_answer(user, pk) -> Answer:
    try:
        return answers_visible_to(user).select_related("questionnaire", "district", "flagged_by").get(pk=pk)
    except (Answer.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such answer.")) from None


def case_shown(user, answer: Answer) -> bool:
    """Whether the answer's case (channel "case") is named to ``user``: only to those who may see the case."""
    from huhang.cases.access import cases_visible_to

    invitation = answer.invitation
    return invitation is not None and cases_visible_to(user).filter(pk=invitation.case_id).exists()


def invitations_visible_to(user) -> QuerySet:
    """For staff, the invitations of the cases they may see (cases.access); for an applicant, those addressed
    to a party that is their entity."""
    from huhang.cases.access import cases_visible_to

    if not signed_in(user):
        return Invitation.objects.none()
    if may_see_results(user):
        return Invitation.objects.filter(case__in=cases_visible_to(user))
    if user.role == Role.APPLICANT and user.entity_id is not None:
        return Invitation.objects.filter(party__entity_id=user.entity_id)
    return Invitation.objects.none()
