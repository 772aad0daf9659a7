"""Roles and organisation kinds, and what each role may do in general.

Object-level checks (which entity a user may see) live in each app's ``access`` module.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant / enterprise user")
    HANDLER = "handler", _("Case handler")
    APPROVER = "approver", _("Approver (head of department)")
    SUPERVISOR = "supervisor", _("Supervisor")
    PARTNER = "partner", _("Partner (court, customs, police, other city)")
    ADMIN = "admin", _("Administrator")


class OrganisationKind(models.TextChoices):
    PROTECTION_CENTRE = "protection_centre", _("IP protection centre")
    QUICK_RIGHTS_CENTRE = "quick_rights_centre", _("Quick rights-protection centre")
    IP_BUREAU = "ip_bureau", _("IP bureau / market supervision")
    DISTRICT_OFFICE = "district_office", _("District office")
    COURT = "court", _("Court")
    CUSTOMS = "customs", _("Customs")
    POLICE = "police", _("Police")
    NEIGHBOUR_CITY = "neighbour_city", _("Neighbouring city")


STAFF_ROLES = frozenset({Role.HANDLER, Role.APPROVER, Role.SUPERVISOR, Role.ADMIN})
REGISTRY_EDITORS = frozenset({Role.HANDLER, Role.APPROVER, Role.ADMIN})
# Roles whose work needs full resident ID numbers (service of documents, identity checks).
IDENTITY_READERS = frozenset({Role.HANDLER, Role.APPROVER, Role.ADMIN})
# Organisations that keep filings (备案) of entities.
FILING_CENTRES = frozenset({OrganisationKind.PROTECTION_CENTRE, OrganisationKind.QUICK_RIGHTS_CENTRE})


def signed_in(user) -> bool:
    """Whether ``user`` is a signed-in, active account (anonymous users and disabled accounts may do nothing)."""
    return bool(user and user.is_authenticated and user.is_active)
