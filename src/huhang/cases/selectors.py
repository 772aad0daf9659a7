"""The read paths of cases: the worklist, a party's cases, a case file."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
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
    """The cases in which ``user``'s entity is a party, newest first."""
    return access.cases_visible_to(user).order_by("-opened_on", "-id")


def judicial_indicators(cases: QuerySet) -> dict:
    """K7 and K8 over the closed court cases of ``cases``: closed, closed within the 审限, the rate, and the
    mean natural days from 立案 to closing (less excluded periods, per KPIS.md) — each outcome from a replay."""
    from huhang.cases.clocks import case_status
    from huhang.procedures.definitions import trial_outcome

    outcomes = [
        outcome
        for case in cases.filter(procedure="judicial_case", is_open=False)
        if (outcome := trial_outcome(case_status(case))) is not None
    ]
    closed = len(outcomes)
    within = sum(o.within_limit for o in outcomes)
    days = [o.elapsed_days - o.excluded_days for o in outcomes]
    return {
        "closed": closed,
        "within_limit": within,
        "rate": within / closed if closed else None,
        "mean_days": sum(days) / closed if closed else None,
    }
