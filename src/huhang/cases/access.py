"""Who may see a case, and as which procedure roles a user may act in it: the only place these rules live.

A case a user may not see is reported as missing (404), never as forbidden. Staff of the handling
organisation see its cases; supervisors and administrators see every case; partners see the cases of
their organisation (transfers and notices addressed to them); an applicant sees the cases in which their
entity is a party, and acts only as that party.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from huhang.accounts.roles import OrganisationKind, Role, signed_in
from huhang.cases.models import Case, CaseParty, PartyRole

# Engine roles that record an approval taken outside the platform (a superior department, a collective
# discussion, a court president): who may record it on the approver's behalf.
RECORDED_APPROVALS = {
    Role.APPROVER: ("superior_department", "collective"),
    Role.PARTNER: ("court_president", "higher_court"),
}
RECORDED_ROLES = frozenset(r for roles in RECORDED_APPROVALS.values() for r in roles)
APPLICANT_SIDE = (PartyRole.APPLICANT, PartyRole.COMPLAINANT)


def cases_visible_to(user) -> QuerySet:
    if not signed_in(user):
        return Case.objects.none()
    if user.is_superuser or user.role in (Role.SUPERVISOR, Role.ADMIN):
        return Case.objects.all()
    if user.role in (Role.HANDLER, Role.APPROVER, Role.PARTNER):
        if user.organisation_id is None:
            return Case.objects.none()
        return Case.objects.filter(organisation_id=user.organisation_id)
    if user.entity_id is None:
        return Case.objects.none()
    return Case.objects.filter(pk__in=CaseParty.objects.filter(entity_id=user.entity_id).values("case_id"))


def access_case(user, pk) -> Case:
    try:
        return cases_visible_to(user).select_related("organisation", "handler").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such case.")) from None


def parties_of_user(user, case: Case) -> QuerySet:
    """The parties of ``case`` that ``user`` stands for (an applicant's own entity)."""
    if not signed_in(user) or user.entity_id is None:
        return CaseParty.objects.none()
    return case.parties.filter(entity_id=user.entity_id)


def is_staff_of(user, case: Case) -> bool:
    if not signed_in(user):
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return user.role in (Role.HANDLER, Role.APPROVER) and user.organisation_id == case.organisation_id


def may_record_experts(user, case: Case) -> bool:
    """Staff of the case, or the court (a partner) for its own cases, record the experts who took part."""
    if is_staff_of(user, case):
        return True
    return signed_in(user) and user.role == Role.PARTNER and user.organisation_id == case.organisation_id


def engine_roles(user, case: Case | None) -> tuple[str, ...]:
    """The procedure roles ``user`` may act as in ``case`` (``None``: a case about to be opened)."""
    if not signed_in(user):
        return ()
    if user.role == Role.APPLICANT:
        if case is None or parties_of_user(user, case).filter(role__in=APPLICANT_SIDE).exists():
            return ("applicant",)
        return ()
    if user.role == Role.SUPERVISOR:
        return ("supervisor",)
    if user.role == Role.PARTNER:
        if case is not None and user.organisation_id != case.organisation_id:
            return ()
        org = user.organisation
        extra = RECORDED_APPROVALS[Role.PARTNER] if org is not None and org.kind == OrganisationKind.COURT else ()
        return ("partner", *extra)
    if case is not None and not is_staff_of(user, case):
        return ()
    if user.role == Role.APPROVER:
        return ("approver", "handler", *RECORDED_APPROVALS[Role.APPROVER])
    if user.role == Role.ADMIN or user.is_superuser:
        return ("admin",)
    return ("handler",)


def may_open(user) -> bool:
    return bool(engine_roles(user, None))


def sees_whole_file(user, case: Case) -> bool:
    """Staff of the case and supervisors/administrators see every document, not only those served on them."""
    return is_staff_of(user, case) or (signed_in(user) and user.role in (Role.SUPERVISOR, Role.ADMIN))


def documents_visible_to(user, case: Case) -> list:
    """The documents of ``case`` that ``user`` may read: all of them for :func:`sees_whole_file`; for a party,
    those served (on someone) and addressed to that party or to every party."""
    documents = case.documents.select_related("addressee").prefetch_related("services")
    if sees_whole_file(user, case):
        return list(documents)
    own = set(parties_of_user(user, case).values_list("pk", flat=True))
    return [d for d in documents if d.served and d.services.all() and (d.addressee_id is None or d.addressee_id in own)]


def may_assign(user, case: Case) -> bool:
    """An approver (or administrator) of the handling organisation assigns the handler."""
    return is_staff_of(user, case) and (user.role in (Role.APPROVER, Role.ADMIN) or user.is_superuser)


def staff_filter(user) -> Q:
    """The worklist's default: the user's own cases for a handler, the organisation's for an approver."""
    if user.role == Role.HANDLER:
        return Q(handler=user)
    return Q()
