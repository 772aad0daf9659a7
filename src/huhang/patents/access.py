"""Who may use patent analytics: the only place these rules live.

- **Search and a patent's page** (published bibliographic data and its high-value classification): staff
  (handlers, approvers, supervisors, administrators), partners, and applicants (enterprise users), who check
  what is already patented before they file or launch a product. Nothing there is confidential: the records
  are published patents, and the registry's own columns shown are those of a public patent register.
- **Navigation (专利导航)** and its exports: staff and partners.
- **The infringement-risk report**: staff only. It is prepared by the centre for a company (拟上市企业), from the
  product descriptions or claims the company hands over, which are not to be seen by others.
- The classification write-back and every load or index build are command-line only (``huhang patents``).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from huhang.accounts.roles import STAFF_ROLES, Role, signed_in

SEARCHERS = STAFF_ROLES | {Role.PARTNER, Role.APPLICANT}
NAVIGATORS = STAFF_ROLES | {Role.PARTNER}
RISK_ANALYSTS = STAFF_ROLES


def may_search(user) -> bool:
    return signed_in(user) and (user.is_superuser or user.role in SEARCHERS)


def may_navigate(user) -> bool:
    return signed_in(user) and (user.is_superuser or user.role in NAVIGATORS)


def may_report_risk(user) -> bool:
    return signed_in(user) and (user.is_superuser or user.role in RISK_ANALYSTS)


def require_search(user) -> None:
    if not may_search(user):
        raise PermissionDenied(_("You may not search the patent data."))


def require_navigate(user) -> None:
    if not may_navigate(user):
        raise PermissionDenied(_("Only staff and partners may see the patent landscape."))


def require_report_risk(user) -> None:
    if not may_report_risk(user):
        raise PermissionDenied(_("Only staff may prepare infringement-risk reports."))
