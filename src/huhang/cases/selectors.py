"""The read paths of cases: the worklist, a party's cases, a case file."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from huhang.cases import access
from huhang.cases.models import Case

DUE_SOON_DAYS = 3
#: The worklist counts matching cases up to this many and shows "more than" past it: a COUNT(*) over every
#: open case of a large organisation costs more than the page itself, and nobody pages past 200 pages.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator whose count stops at :data:`COUNT_CAP` (``capped`` tells whether it did)."""

    @cached_property
    def count(self) -> int:
        found = self.object_list.order_by()[: COUNT_CAP + 1].count()
        self.capped = found > COUNT_CAP
        return min(found, COUNT_CAP)

    capped = False


def worklist(
    user,
    *,
    scope: str = "mine",
    state: str = "",
    procedure: str = "",
    urgency: str = "",
    q: str = "",
    include_closed: bool = False,
    today: dt.date | None = None,
) -> QuerySet:
    """Cases ``user`` works on, most urgent first: by next due date, undated last, then by number.

    ``scope``: ``mine`` (assigned to the user; everything visible for other roles) or ``all`` (visible);
    ``urgency``: ``overdue`` (a running clock past due), ``soon`` (due within :data:`DUE_SOON_DAYS`
    days), or empty.
    """
    today = today or timezone.localdate()
    qs = access.cases_visible_to(user)
    if scope == "mine":
        qs = qs.filter(access.staff_filter(user))
    if not include_closed:
        qs = qs.filter(is_open=True)
    if state:
        qs = qs.filter(state=state)
    if procedure:
        qs = qs.filter(procedure=procedure)
    if urgency == "overdue":
        qs = qs.filter(next_due__lt=today)
    elif urgency == "soon":
        qs = qs.filter(next_due__gte=today, next_due__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q))
    return qs.select_related("handler").order_by("next_due", "id")


def urgency_of(case: Case, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if case.next_due is None or not case.is_open:
        return ""
    if case.next_due < today:
        return "overdue"
    if case.next_due <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return "soon"
    return ""


def cases_of_party(user) -> QuerySet:
    """The cases in which ``user``'s entity is a party, newest first (with the handling organisation the page
    names)."""
    return access.cases_visible_to(user).select_related("organisation").order_by("-opened_on", "-id")


def judicial_indicators(cases: QuerySet) -> dict:
    """K7 and K8 over the closed court cases of ``cases``: closed, closed within the 审限, the rate, and the
    mean natural days from 立案 to closing (less excluded periods, per KPIS.md).

    One aggregation over the columns every change to a case keeps (``within_limit`` and ``handling_days``, from
    :func:`huhang.procedures.handling`, i.e. the replayed :func:`~huhang.procedures.definitions.trial_outcome`):
    the same columns the indicators K7 and K8 of :mod:`huhang.monitoring` read. A closed case without a 审限
    has neither and is not counted."""
    figures = cases.filter(procedure="judicial_case", is_open=False, within_limit__isnull=False).aggregate(
        closed=Count("id"), within_limit=Count("id", filter=Q(within_limit=True)), mean_days=Avg("handling_days")
    )
    closed = figures["closed"]
    return {
        "closed": closed,
        "within_limit": figures["within_limit"],
        "rate": figures["within_limit"] / closed if closed else None,
        "mean_days": figures["mean_days"] if closed else None,
    }
