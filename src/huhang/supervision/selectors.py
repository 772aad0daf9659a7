"""Read paths of the supervised work items: statuses derived as of a date, the filtered list, aggregations by
department, by area and by programme (all counted in SQL), and what an item's page shows.

A work item's status on day D, derived from what is recorded (never stored):

- **done**: its latest report recorded by the end of D says "completed" and no milestone set by then is
  open on D (a milestone added after the completion reopens the item);
- **overdue**: not done, and a milestone set by then was due before D and was not done by D, or the item's
  own due date (the plan's period) is before D;
- **in progress**: neither, but a report was recorded or a milestone done by D;
- **not started**: none of these.

The latest report is the one latest in the item's history (``effective_at``: a correction takes the place
of the report it corrects) among those recorded by D and not corrected by D.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huhang.supervision import access
from huhang.supervision.models import (
    Area,
    Department,
    Milestone,
    Programme,
    ProgressReport,
    ReportStatus,
    Responsibility,
    SupervisionNote,
    WorkItem,
)

DONE, OVERDUE, IN_PROGRESS, NOT_STARTED = "done", "overdue", "in_progress", "not_started"
STATUSES = (DONE, OVERDUE, IN_PROGRESS, NOT_STARTED)
STATUS_LABELS = {
    DONE: _("Done"),
    IN_PROGRESS: _("In progress"),
    NOT_STARTED: _("Not started"),
    OVERDUE: _("Overdue"),
}
DUE_SOON_DAYS = 30
UNASSIGNED = "none"


def cutoff(on: dt.date) -> dt.datetime:
    """The first instant after day ``on`` (in the platform's time zone): what was recorded before it counts."""
    return timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))


def _latest_reports(ref: str, on: dt.date) -> QuerySet:
    end = cutoff(on)
    corrected = ProgressReport.objects.filter(corrects=OuterRef("pk"), reported_at__lt=end)
    return (
        ProgressReport.objects.filter(item=OuterRef(ref), reported_at__lt=end)
        .exclude(Exists(corrected))
        .order_by("-effective_at", "-reported_at", "-pk")
    )


def status_annotations(on: dt.date, ref: str = "pk", due: str = "due_on") -> dict:
    """The annotations that give each row its item's status on ``on``; ``ref`` leads to the item's id and
    ``due`` to its due date from the annotated model (``pk``/``due_on`` for items)."""
    end = cutoff(on)
    latest = _latest_reports(ref, on)
    milestones = Milestone.objects.filter(item=OuterRef(ref), set_at__lt=end)
    open_milestones = milestones.filter(Q(done_on__isnull=True) | Q(done_on__gt=on))
    return {
        "latest_status": Subquery(latest.values("status")[:1], output_field=CharField()),
        "has_open_milestone": Exists(open_milestones),
        "has_late_milestone": Exists(open_milestones.filter(due_on__lt=on)),
        "has_done_milestone": Exists(milestones.filter(done_on__lte=on)),
        "status": Case(
            When(Q(latest_status=ReportStatus.DONE) & Q(has_open_milestone=False), then=Value(DONE)),
            When(Q(has_late_milestone=True) | Q(**{f"{due}__lt": on}), then=Value(OVERDUE)),
            When(Q(latest_status__isnull=False) | Q(has_done_milestone=True), then=Value(IN_PROGRESS)),
            default=Value(NOT_STARTED),
            output_field=CharField(),
        ),
    }


def with_status(items: QuerySet, on: dt.date) -> QuerySet:
    """``items`` annotated with ``status`` (and the latest report's percent and time) on ``on``."""
    latest = _latest_reports("pk", on)
    return items.annotate(
        **status_annotations(on),
        latest_percent=Subquery(latest.values("percent")[:1]),
        latest_at=Subquery(latest.values("reported_at")[:1]),
    )


def _count_fields() -> dict:
    """COUNT(...) FILTER (status = s) for each status, over rows annotated by :func:`status_annotations`."""
    counts = {"total": Count("pk")}
    for status in STATUSES:
        counts[status] = Count("pk", filter=Q(status=status))
    return counts


def status_counts(items: QuerySet) -> dict:
    """``{"total", "done", "overdue", "in_progress", "not_started"}`` of status-annotated ``items``."""
    return items.order_by().aggregate(**_count_fields())


@dataclass(frozen=True)
class ItemFilter:
    """What the list of work items is narrowed to (every field optional)."""

    programme: str = ""
    area: int | None = None
    department: int | str | None = None  # a department's id, or UNASSIGNED
    status: str = ""
    due_within: int | None = None  # items with an open milestone due within this many days from ``on``
    reply_overdue: bool = False  # items with a supervision note whose reply is overdue
    q: str = ""


def items(user, *, on: dt.date, where: ItemFilter = ItemFilter()) -> QuerySet:
    """The work items ``user`` may see, with their status on ``on``, narrowed by ``where``, in plan order."""
    qs = with_status(access.items_visible_to(user), on).select_related("area__programme")
    if where.programme:
        qs = qs.filter(area__programme__code=where.programme)
    if where.area:
        qs = qs.filter(area_id=where.area)
    if where.department == UNASSIGNED:
        qs = qs.filter(responsibilities__isnull=True)
    elif where.department:
        qs = qs.filter(Exists(Responsibility.objects.filter(item=OuterRef("pk"), department_id=where.department)))
    if where.status in STATUSES:
        qs = qs.filter(status=where.status)
    if where.due_within is not None:
        qs = qs.filter(Exists(_due_soon(on, where.due_within).filter(item=OuterRef("pk"))))
    if where.reply_overdue:
        notes = _notes_overdue(on).filter(item=OuterRef("pk"))
        if where.department and where.department != UNASSIGNED:
            notes = notes.filter(Q(department_id=where.department) | Q(department__isnull=True))
        qs = qs.filter(Exists(notes))
    if where.q:
        qs = qs.filter(Q(code__icontains=where.q) | Q(title_zh__icontains=where.q) | Q(title_en__icontains=where.q))
    return qs.prefetch_related(
        Prefetch("responsibilities", queryset=Responsibility.objects.select_related("department")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk")),
    ).order_by("area__programme__order", "area__programme__code", "area__number", "number")


def _due_soon(on: dt.date, days: int = DUE_SOON_DAYS) -> QuerySet:
    """Milestones set by ``on``, open, and due from ``on`` to ``days`` days later."""
    return Milestone.objects.filter(
        Q(done_on__isnull=True) | Q(done_on__gt=on),
        set_at__lt=cutoff(on),
        due_on__gte=on,
        due_on__lte=on + dt.timedelta(days=days),
    )


def _notes_overdue(on: dt.date) -> QuerySet:
    """Supervision notes issued by ``on`` whose reply was due before ``on`` and had not come by then."""
    end = cutoff(on)
    replies = ProgressReport.objects.filter(in_reply_to=OuterRef("pk"), reported_at__lt=end)
    return SupervisionNote.objects.filter(issued_at__lt=end, reply_due_on__lt=on).exclude(Exists(replies))


def department_summary(on: dt.date, programme: str = "") -> list[dict]:
    """One row per department with responsibilities (then the unassigned items), counted in SQL:

    ``{"department": Department | None, "total", "done", "overdue", "in_progress", "not_started",
    "due_soon": open milestones due within 30 days, "replies_overdue": supervision notes past their reply
    date without a reply}``. A note addressed to no department in particular counts for each responsible
    department of its item.
    """
    responsibilities = Responsibility.objects.all()
    item_scope = WorkItem.objects.all()
    if programme:
        responsibilities = responsibilities.filter(item__area__programme__code=programme)
        item_scope = item_scope.filter(area__programme__code=programme)
    counted = (
        responsibilities.annotate(**status_annotations(on, ref="item_id", due="item__due_on"))
        .order_by()
        .values("department_id")
        .annotate(**_count_fields())
    )
    rows = {row["department_id"]: {**row, "due_soon": 0, "replies_overdue": 0} for row in counted}
    by_department = "item__responsibilities__department_id"
    soon = _due_soon(on).filter(item__in=item_scope, **{f"{by_department}__isnull": False})
    for row in soon.order_by().values(by_department).annotate(n=Count("pk")):
        rows[row[by_department]]["due_soon"] = row["n"]
    notes = _notes_overdue(on).filter(item__in=item_scope)
    for row in notes.filter(department__isnull=False).order_by().values("department_id").annotate(n=Count("pk")):
        if row["department_id"] in rows:
            rows[row["department_id"]]["replies_overdue"] += row["n"]
    to_all = notes.filter(department__isnull=True, **{f"{by_department}__isnull": False})
    for row in to_all.order_by().values(by_department).annotate(n=Count("pk")):
        rows[row[by_department]]["replies_overdue"] += row["n"]
    departments = Department.objects.in_bulk(rows.keys())
    result = [
        {**row, "department": departments[dept_id]}
        for dept_id, row in sorted(rows.items(), key=lambda kv: departments[kv[0]].name)
    ]
    unassigned = with_status(item_scope.filter(responsibilities__isnull=True), on)
    counts = status_counts(unassigned)
    if counts["total"]:
        result.append(
            {
                **counts,
                "department": None,
                "due_soon": _due_soon(on).filter(item__in=unassigned.values("pk")).count(),
                "replies_overdue": notes.filter(item__in=unassigned.values("pk")).count(),
            }
        )
    return result


def area_summary(on: dt.date, programme: str = "") -> list[dict]:
    """One row per area (in plan order) with its status counts on ``on``: ``{"area": Area, "total", ...}``,
    areas without loaded items included (total 0)."""
    areas = Area.objects.select_related("programme")
    if programme:
        areas = areas.filter(programme__code=programme)
    counted = {
        row["area_id"]: row
        for row in with_status(WorkItem.objects.filter(area__in=areas), on)
        .order_by()
        .values("area_id")
        .annotate(**_count_fields())
    }
    empty = dict.fromkeys(("total", *STATUSES), 0)
    return [{**empty, **counted.get(area.pk, {}), "area": area} for area in areas]


def work_item_summary(on: dt.date) -> dict:
    """The supervised work items' status counts on ``on``, for the monitoring dashboard.

    Returns::

        {
            "on": date,                              # the day the statuses are derived for
            "programmes": [                          # in plan order
                {
                    "code": str,                     # e.g. "demo-zone-2025"; the list of work items
                                                     # filters on it: reverse("supervision:list")
                                                     # + "?programme=<code>&status=<status>&on=<YYYY-MM-DD>"
                    "title_zh": str,
                    "title_en": str,                 # may be empty: show title_zh
                    "stated_item_count": int | None, # how many items the source text says the plan has
                    "counts": {"total": int, "done": int, "in_progress": int,
                               "not_started": int, "overdue": int},
                },
                ...
            ],
            "counts": {...},                         # the same five counts over every programme
        }

    The four statuses exclude each other and add up to ``total`` (see this module's docstring for how each
    is derived). Everything is counted in SQL.
    """
    base = with_status(WorkItem.objects.all(), on)
    by_programme = {
        row["area__programme_id"]: row
        for row in base.order_by().values("area__programme_id").annotate(**_count_fields())
    }
    zero = dict.fromkeys(("total", *STATUSES), 0)

    def counts_of(row: dict) -> dict:
        return {key: row.get(key, 0) for key in ("total", DONE, IN_PROGRESS, NOT_STARTED, OVERDUE)}

    programmes = [
        {
            "code": p.code,
            "title_zh": p.title_zh,
            "title_en": p.title_en,
            "stated_item_count": p.stated_item_count,
            "counts": counts_of(by_programme.get(p.pk, zero)),
        }
        for p in Programme.objects.order_by("order", "code")
    ]
    return {"on": on, "programmes": programmes, "counts": counts_of(status_counts(base))}


def item_status(item: WorkItem, on: dt.date) -> str:
    return with_status(WorkItem.objects.filter(pk=item.pk), on).values_list("status", flat=True).get()


@dataclass
class NoteRow:
    note: SupervisionNote
    replies: list
    state: str  # "answered", "awaiting", "overdue"


def item_reports(item: WorkItem) -> list[ProgressReport]:
    """The item's reports, newest first, with their attachments, department, reporter and corrections."""
    return list(
        item.reports.select_related("department", "reported_by", "completes", "corrects", "in_reply_to")
        .prefetch_related("attachments")
        .annotate(corrected_by=F("correction__pk"))
        .order_by("-reported_at", "-pk")
    )


def item_notes(item: WorkItem, on: dt.date) -> list[NoteRow]:
    """The item's supervision notes, newest first, each with its replies and whether it is answered."""
    rows = []
    for note in (
        item.notes.select_related("department", "issued_by").prefetch_related("replies").order_by("-issued_at", "-pk")
    ):
        replies = list(note.replies.all())
        if replies:
            state = "answered"
        elif note.reply_due_on < on:
            state = "overdue"
        else:
            state = "awaiting"
        rows.append(NoteRow(note, replies, state))
    return rows


def milestone_state(milestone: Milestone, on: dt.date) -> str:
    if milestone.done_on is not None and milestone.done_on <= on:
        return DONE
    if milestone.due_on < on:
        return OVERDUE
    if milestone.due_on <= on + dt.timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return "open"


def programmes() -> QuerySet:
    return Programme.objects.prefetch_related("areas").order_by("order", "code")


def departments() -> QuerySet:
    return Department.objects.select_related("organisation").order_by("name")
