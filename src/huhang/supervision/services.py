"""Write paths of the supervised work items: departments, responsibilities, milestones, progress reports
with attachments, supervision notes (督办意见).

Every function takes the acting user, checks in :mod:`.access` that the user may act, validates every input,
and only then writes, in one transaction, with who and when: versioned rows get a history version naming the
user (django-simple-history), insert-only rows carry it themselves, and each action leaves an audit event.
A refusal is ``PermissionDenied`` or ``ValidationError`` (field by field) and writes nothing.

Attachments are stored content-addressed in the evidence store (:mod:`huhang.evidence.storage`, the same
store and layout as evidence files) after every file was checked (size, type sniffed from the content) and
before the rows are written: if the transaction then fails, a stored blob stays behind without a row, which
is harmless (the same content is stored once, under its hash, and nothing refers to it).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from huhang.audit.services import audit_record
from huhang.evidence.services import display_name
from huhang.evidence.sniff import sniff_media_type
from huhang.evidence.storage import TooLarge, evidence_store
from huhang.supervision import access
from huhang.supervision.models import (
    Attachment,
    Department,
    Milestone,
    NoteKind,
    ProgressReport,
    ReportStatus,
    Responsibility,
    SupervisionNote,
    WorkItem,
)

MAX_TITLE = 200
MAX_REPORT = 5000
MAX_NOTE = 2000
MAX_REASON = 200
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENT_MAX_FILES = 10
HEAD_BYTES = 8192
#: What a progress report may attach, by the media type sniffed from the content (never from the name).
ATTACHMENT_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
    "application/msword": "Word (DOC)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (XLSX)",
    "application/vnd.ms-excel": "Excel (XLS)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint (PPTX)",
    "application/vnd.ms-powerpoint": "PowerPoint (PPT)",
    "text/plain": "TXT",
}
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")

REQUIRED = gettext_lazy("This field is required.")
TOO_LONG = gettext_lazy("At most %(limit)d characters.")
CONTROL_CHARACTERS = gettext_lazy("Control characters are not allowed.")
NOT_A_DATE = gettext_lazy("Enter a valid date.")
DEPARTMENT_EXISTS = gettext_lazy("A department named %(name)s exists already.")
ORGANISATION_TAKEN = gettext_lazy("%(organisation)s is already linked to the department %(department)s.")
LEAD_NOT_ASSIGNED = gettext_lazy("The lead department must be one of the responsible departments.")
DUPLICATE_DEPARTMENT = gettext_lazy("A department is listed twice.")
FOREIGN_MILESTONE = gettext_lazy("That milestone belongs to another work item.")
REASON_FOR_CHANGE = gettext_lazy(
    "Give the reason for changing a milestone (for example the joint conference's decision)."
)
UNKNOWN_STATUS = gettext_lazy("Choose one of the listed statuses.")
BAD_PERCENT = gettext_lazy("The percentage is a whole number from 0 to 100.")
DONE_BELOW_100 = gettext_lazy("Report a completed work item at 100 percent, or leave the percentage empty.")
OPEN_MILESTONES = gettext_lazy("The work item cannot be reported completed while milestones are open: %(titles)s.")
ALREADY_DONE = gettext_lazy("The milestone “%(title)s” was completed on %(date)s already.")
NOT_THIS_ITEM = gettext_lazy("That belongs to another work item.")
ALREADY_CORRECTED = gettext_lazy("Report #%(old)s was corrected by report #%(new)s already: correct that one.")
NOT_REPORTING_DEPARTMENT = gettext_lazy("You may not report for that department.")
TOO_MANY_FILES = gettext_lazy("At most %(count)d attachments per report.")
EMPTY_FILE = gettext_lazy("The file %(name)s is empty.")
FILE_TOO_LARGE = gettext_lazy("The file %(name)s is larger than the limit of %(size)s.")
WRONG_TYPE = gettext_lazy("The file %(name)s is %(type)s, which cannot be attached; attach %(allowed)s.")
UNKNOWN_KIND = gettext_lazy("Choose one of the listed kinds of note.")
REPLY_DUE_PAST = gettext_lazy("The reply date %(date)s has passed: give a date from today.")
NOT_RESPONSIBLE_DEPARTMENT = gettext_lazy("%(department)s is not responsible for %(code)s.")


def _now() -> dt.datetime:
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate()


def _clean_text(value, *, limit: int, required: bool) -> str:
    """The text normalised (NFC, Unix line ends, trimmed); ValidationError if missing, too long or with controls."""
    text = unicodedata.normalize("NFC", str(value or "").replace("\r\n", "\n")).strip()
    if required and not text:
        raise ValidationError(str(REQUIRED))
    if len(text) > limit:
        raise ValidationError(TOO_LONG % {"limit": limit})
    if _CONTROL.search(text):
        raise ValidationError(str(CONTROL_CHARACTERS))
    return text


def _collect(errors: dict, field: str, check):
    """Run ``check``; file its ValidationError under ``field`` and return None instead of raising."""
    try:
        return check()
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)
        return None


def _is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} B"


# Departments and responsibilities


@transaction.atomic
def department_create(*, actor, name: str, name_en: str = "", organisation=None, demo: bool = False) -> Department:
    """Create a department, linked to the organisation whose users report for it (if it has users here)."""
    access.require_supervise(actor)
    errors: dict = {}
    name = _collect(errors, "name", lambda: _clean_text(name, limit=200, required=True))
    name_en = _collect(errors, "name_en", lambda: _clean_text(name_en, limit=200, required=False))
    if name and Department.objects.filter(name=name).exists():
        errors.setdefault("name", []).append(DEPARTMENT_EXISTS % {"name": name})
    if organisation is not None:
        taken = Department.objects.filter(organisation=organisation).first()
        if taken is not None:
            errors.setdefault("organisation", []).append(
                ORGANISATION_TAKEN % {"organisation": organisation, "department": taken}
            )
    if errors:
        raise ValidationError(errors)
    department = Department(name=name, name_en=name_en or "", organisation=organisation, is_demo=demo)
    department._history_user = actor
    department.save()
    audit_record(
        actor=actor,
        action="supervision.department_created",
        target=f"department/{department.pk}",
        details={"name": name, "organisation": organisation.pk if organisation else None},
    )
    return department


@transaction.atomic
def item_assign(
    *,
    actor,
    item: WorkItem,
    departments: Sequence[Department],
    lead: Department | None = None,
    demo: bool = False,
) -> list[Responsibility]:
    """Make ``departments`` the item's responsible departments (``lead`` among them as 牵头单位).

    Departments no longer listed lose the item; each addition and removal is a history version naming the
    actor. An empty list leaves the item unassigned.
    """
    access.require_supervise(actor)
    wanted = list(departments)
    ids = [d.pk for d in wanted]
    if len(set(ids)) != len(ids):
        raise ValidationError({"departments": str(DUPLICATE_DEPARTMENT)})
    if lead is not None and lead.pk not in ids:
        raise ValidationError({"lead": str(LEAD_NOT_ASSIGNED)})
    now = _now()
    current = {r.department_id: r for r in item.responsibilities.select_for_update()}
    removed = [r for dept_id, r in current.items() if dept_id not in ids]
    for responsibility in removed:
        responsibility._history_user = actor
        responsibility.delete()
    # Clear the lead flag first, so that moving it between departments never holds two leads at once.
    for responsibility in current.values():
        stays = responsibility.department_id in ids
        if stays and responsibility.lead and (lead is None or lead.pk != responsibility.department_id):
            responsibility.lead = False
            responsibility._history_user = actor
            responsibility.save(update_fields=["lead"])
    result = []
    for department in wanted:
        is_lead = lead is not None and lead.pk == department.pk
        responsibility = current.get(department.pk)
        if responsibility is None:
            responsibility = Responsibility(
                item=item, department=department, lead=is_lead, assigned_by=actor, assigned_at=now, is_demo=demo
            )
            responsibility._history_user = actor
            responsibility.save()
        elif responsibility.lead != is_lead:
            responsibility.lead = is_lead
            responsibility._history_user = actor
            responsibility.save(update_fields=["lead"])
        result.append(responsibility)
    audit_record(
        actor=actor,
        action="supervision.departments_assigned",
        target=f"work-item/{item.code}",
        details={"departments": ids, "lead": lead.pk if lead else None, "removed": [r.department_id for r in removed]},
    )
    return result


# Milestones


@transaction.atomic
def milestone_set(
    *,
    actor,
    item: WorkItem,
    title: str,
    due_on: dt.date,
    milestone: Milestone | None = None,
    reason: str = "",
    demo: bool = False,
) -> Milestone:
    """Add a milestone to ``item`` or, given ``milestone``, change its title or due date (with a reason).

    Due dates may lie in the past: a plan's own deadlines are recorded as the plan set them.
    """
    access.require_supervise(actor)
    errors: dict = {}
    title = _collect(errors, "title", lambda: _clean_text(title, limit=MAX_TITLE, required=True))
    if not _is_date(due_on):
        errors.setdefault("due_on", []).append(str(NOT_A_DATE))
    if milestone is not None:
        if milestone.item_id != item.pk:
            errors.setdefault("milestone", []).append(str(FOREIGN_MILESTONE))
        reason = _collect(errors, "reason", lambda: _clean_text(reason, limit=MAX_REASON, required=False))
        if reason == "":
            errors.setdefault("reason", []).append(str(REASON_FOR_CHANGE))
    if errors:
        raise ValidationError(errors)
    if milestone is None:
        milestone = Milestone(item=item, title=title, due_on=due_on, set_by=actor, set_at=_now(), is_demo=demo)
        action, changes = "supervision.milestone_added", {}
    else:
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        changes = {
            field: [str(getattr(milestone, field)), str(value)]
            for field, value in (("title", title), ("due_on", due_on))
            if getattr(milestone, field) != value
        }
        milestone.title, milestone.due_on = title, due_on
        milestone._change_reason = reason
        action = "supervision.milestone_changed"
    milestone._history_user = actor
    milestone.save()
    audit_record(
        actor=actor,
        action=action,
        target=f"work-item/{item.code}",
        details={
            "milestone": milestone.pk,
            "title": title,
            "due_on": due_on.isoformat(),
            "changes": changes,
            "reason": reason,
        },
    )
    return milestone


# Progress reports


def _check_uploads(uploads: Sequence) -> tuple[list[tuple[object, str]], list[str]]:
    """Each upload with its sniffed media type, or the reasons to refuse them (nothing is stored here)."""
    problems: list[str] = []
    checked = []
    if len(uploads) > ATTACHMENT_MAX_FILES:
        return [], [TOO_MANY_FILES % {"count": ATTACHMENT_MAX_FILES}]
    allowed = "、".join(dict.fromkeys(ATTACHMENT_TYPES.values()))
    for upload in uploads:
        name = display_name(getattr(upload, "name", "")) or "—"
        if not upload.size:
            problems.append(EMPTY_FILE % {"name": name})
            continue
        if upload.size > ATTACHMENT_MAX_BYTES:
            problems.append(FILE_TOO_LARGE % {"name": name, "size": _megabytes(ATTACHMENT_MAX_BYTES)})
            continue
        upload.seek(0)
        head = upload.read(HEAD_BYTES)
        upload.seek(0)
        media_type = sniff_media_type(head)
        if media_type not in ATTACHMENT_TYPES:
            problems.append(WRONG_TYPE % {"name": name, "type": media_type, "allowed": allowed})
            continue
        checked.append((upload, media_type))
    return checked, problems


def _store(checked: list[tuple[object, str]]) -> list[dict]:
    """Store each checked upload content-addressed; return the attachment rows' fields."""
    store = evidence_store()
    stored = []
    for upload, media_type in checked:
        name = display_name(upload.name) or "attachment"
        try:
            blob = store.put(upload.chunks(), max_bytes=ATTACHMENT_MAX_BYTES)
        except TooLarge:  # the upload was larger than it said
            raise ValidationError(
                {"attachments": FILE_TOO_LARGE % {"name": name, "size": _megabytes(ATTACHMENT_MAX_BYTES)}}
            ) from None
        stored.append(
            {
                "original_name": name,
                "size": blob.size,
                "media_type": media_type,
                "sha256": blob.sha256,
                "storage_key": blob.key,
            }
        )
    return stored


def _reporting_department(actor, item: WorkItem, department: Department | None) -> Department | None:
    """The department ``actor`` reports for: the one chosen (if allowed), else the actor's own; None for an
    administrator reporting for the item as a whole."""
    allowed = list(access.reporting_departments(actor, item))
    if department is not None:
        if department.pk not in {d.pk for d in allowed}:
            raise ValidationError({"department": str(NOT_REPORTING_DEPARTMENT)})
        return department
    if len(allowed) == 1:
        return allowed[0]
    own = [d for d in allowed if actor.organisation_id is not None and d.organisation_id == actor.organisation_id]
    return own[0] if own else None


def progress_report(
    *,
    actor,
    item: WorkItem,
    text: str,
    status: str,
    percent: int | None = None,
    completes: Milestone | None = None,
    corrects: ProgressReport | None = None,
    in_reply_to: SupervisionNote | None = None,
    department: Department | None = None,
    uploads: Iterable = (),
    demo: bool = False,
) -> ProgressReport:
    """Record a progress report on ``item`` by a responsible department, with its attachments.

    ``completes``: a milestone of the item this report records as done today (the report is its evidence).
    ``corrects``: an earlier report of the item that this one replaces; it keeps its place in the item's
    history and the correction takes over its position (if it completed a milestone and the correction does
    not, the milestone is open again). ``in_reply_to``: the supervision note this report answers. A report
    with status "done" needs every milestone of the item done (or completed by this report).
    """
    access.require_report(actor, item)
    uploads = list(uploads)
    errors: dict = {}
    text = _collect(errors, "text", lambda: _clean_text(text, limit=MAX_REPORT, required=True))
    if status not in ReportStatus.values:
        errors.setdefault("status", []).append(str(UNKNOWN_STATUS))
    if percent is not None and (isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100):
        errors.setdefault("percent", []).append(str(BAD_PERCENT))
    elif status == ReportStatus.DONE and percent is not None and percent != 100:
        errors.setdefault("percent", []).append(str(DONE_BELOW_100))
    if corrects is not None:
        if corrects.item_id != item.pk:
            errors.setdefault("corrects", []).append(str(NOT_THIS_ITEM))
        else:
            correction = ProgressReport.objects.filter(corrects=corrects).first()
            if correction is not None:
                errors.setdefault("corrects", []).append(ALREADY_CORRECTED % {"old": corrects.pk, "new": correction.pk})
    if completes is not None:
        if completes.item_id != item.pk:
            errors.setdefault("completes", []).append(str(NOT_THIS_ITEM))
        elif completes.done_on is not None and not (corrects is not None and completes.evidence_id == corrects.pk):
            errors.setdefault("completes", []).append(
                ALREADY_DONE % {"title": completes.title, "date": completes.done_on.isoformat()}
            )
    if in_reply_to is not None and in_reply_to.item_id != item.pk:
        errors.setdefault("in_reply_to", []).append(str(NOT_THIS_ITEM))
    if status == ReportStatus.DONE:
        reopened = corrects.completes_id if corrects is not None and corrects.completes_id else None
        still_open = [
            m.title
            for m in item.milestones.all()
            if (m.done_on is None or m.pk == reopened) and (completes is None or m.pk != completes.pk)
        ]
        if still_open:
            errors.setdefault("status", []).append(OPEN_MILESTONES % {"titles": "、".join(still_open)})
    try:
        department = _reporting_department(actor, item, department)
    except ValidationError as exc:
        errors.update({k: errors.get(k, []) + v for k, v in exc.message_dict.items()})
    checked, problems = _check_uploads(uploads)
    if problems:
        errors.setdefault("attachments", []).extend(problems)
    if errors:
        raise ValidationError(errors)
    stored = _store(checked)
    if status == ReportStatus.DONE and percent is None:
        percent = 100
    try:
        return _record_report(
            actor=actor,
            item=item,
            department=department,
            status=status,
            percent=percent,
            text=text,
            completes=completes,
            corrects=corrects,
            in_reply_to=in_reply_to,
            stored=stored,
            demo=demo,
        )
    except IntegrityError:
        # Another correction of the same report won the race (the one-to-one constraint on ``corrects``).
        correction = ProgressReport.objects.filter(corrects=corrects).first() if corrects is not None else None
        if correction is None:
            raise
        raise ValidationError({"corrects": ALREADY_CORRECTED % {"old": corrects.pk, "new": correction.pk}}) from None


@transaction.atomic
def _record_report(*, actor, item, department, status, percent, text, completes, corrects, in_reply_to, stored, demo):
    now = _now()
    report = ProgressReport.objects.create(
        item=item,
        department=department,
        status=status,
        percent=percent,
        text=text,
        completes=completes,
        corrects=corrects,
        in_reply_to=in_reply_to,
        reported_by=actor,
        reported_at=now,
        effective_at=corrects.effective_at if corrects is not None else now,
        is_demo=demo,
    )
    for fields in stored:
        Attachment.objects.create(report=report, uploaded_by=actor, uploaded_at=now, **fields)
    completed = completes.pk if completes is not None else None
    if corrects is not None and corrects.completes_id and corrects.completes_id != completed:
        reopened = Milestone.objects.select_for_update().get(pk=corrects.completes_id)
        if reopened.evidence_id == corrects.pk:
            reopened.done_on, reopened.evidence = None, None
            reopened._history_user = actor
            reopened._change_reason = f"corrected by report #{report.pk}"
            reopened.save(update_fields=["done_on", "evidence"])
    if completes is not None:
        milestone = Milestone.objects.select_for_update().get(pk=completes.pk)
        if milestone.done_on is not None and milestone.evidence_id != (corrects.pk if corrects else None):
            # Completed by another report since this one was checked: refuse, and roll everything back.
            raise ValidationError(
                {"completes": ALREADY_DONE % {"title": milestone.title, "date": milestone.done_on.isoformat()}}
            )
        if milestone.done_on is None:
            milestone.done_on = timezone.localdate(now)
        milestone.evidence = report
        milestone._history_user = actor
        milestone._change_reason = f"report #{report.pk}"
        milestone.save(update_fields=["done_on", "evidence"])
    audit_record(
        actor=actor,
        action="supervision.progress_reported",
        target=f"work-item/{item.code}",
        details={
            "report": report.pk,
            "status": status,
            "percent": percent,
            "department": department.pk if department else None,
            "completes": completes.pk if completes else None,
            "corrects": corrects.pk if corrects else None,
            "in_reply_to": in_reply_to.pk if in_reply_to else None,
            "attachments": [f["sha256"] for f in stored],
        },
    )
    return report


# Supervision notes (督办意见)


@transaction.atomic
def note_issue(
    *,
    actor,
    item: WorkItem,
    kind: str,
    text: str,
    reply_due_on: dt.date,
    department: Department | None = None,
    demo: bool = False,
) -> SupervisionNote:
    """Issue a supervision note on ``item`` (to one responsible department, or to all), with a reply date."""
    access.require_supervise(actor)
    errors: dict = {}
    if kind not in NoteKind.values:
        errors.setdefault("kind", []).append(str(UNKNOWN_KIND))
    text = _collect(errors, "text", lambda: _clean_text(text, limit=MAX_NOTE, required=True))
    if not _is_date(reply_due_on):
        errors.setdefault("reply_due_on", []).append(str(NOT_A_DATE))
    elif reply_due_on < _today():
        errors.setdefault("reply_due_on", []).append(REPLY_DUE_PAST % {"date": reply_due_on.isoformat()})
    if department is not None and not item.responsibilities.filter(department=department).exists():
        errors.setdefault("department", []).append(
            NOT_RESPONSIBLE_DEPARTMENT % {"department": department, "code": item.code}
        )
    if errors:
        raise ValidationError(errors)
    note = SupervisionNote.objects.create(
        item=item,
        department=department,
        kind=kind,
        text=text,
        reply_due_on=reply_due_on,
        issued_by=actor,
        issued_at=_now(),
        is_demo=demo,
    )
    audit_record(
        actor=actor,
        action="supervision.note_issued",
        target=f"work-item/{item.code}",
        details={
            "note": note.pk,
            "kind": kind,
            "department": department.pk if department else None,
            "reply_due_on": reply_due_on.isoformat(),
        },
    )
    return note
