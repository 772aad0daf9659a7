"""Supervised work items (督办): programmes, their areas and work items, the departments responsible, the
milestones set for each item, progress reports with attachments, and supervision notes (督办意见).

Programmes, areas and work items come from the package data (``huhang supervision load``); departments,
responsibilities and milestones are set by supervisors. Those rows are versioned (django-simple-history:
every change keeps the previous version with who and when). Progress reports, their attachments and
supervision notes are insert-only: a report is never edited, a correction is a new report that names the
one it corrects.

An item's status is never stored: :mod:`huhang.supervision.selectors` derives it, as of a date, from its
due date, its milestones and its latest report.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from huhang.evidence.models import InsertOnly


class Programme(models.Model):
    """A plan whose work items are supervised (the demonstration-zone plan, the five-year plan)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    source = models.CharField(_("source text"), max_length=200, blank=True)
    lead_zh = models.CharField(_("lead and mechanism, as stated"), max_length=300, blank=True)
    period_text_zh = models.CharField(_("period, as stated"), max_length=200, blank=True)
    period_start = models.DateField(_("period starts"), null=True, blank=True)
    period_end = models.DateField(_("period ends"), null=True, blank=True)
    stated_area_count = models.PositiveSmallIntegerField(_("areas stated in the source"), null=True, blank=True)
    stated_item_count = models.PositiveSmallIntegerField(_("work items stated in the source"), null=True, blank=True)
    count_quote_zh = models.CharField(_("statement of the counts"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.title_zh


class Area(models.Model):
    """An area (方面) of a programme, holding its work items."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="areas"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    short_title_zh = models.CharField(_("short title (Chinese)"), max_length=50, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_zh = models.TextField(_("description, as stated"), blank=True)
    titles_in_source = models.BooleanField(_("the source names its work items"), default=True)
    stated_item_count = models.PositiveSmallIntegerField(_("work items stated in the source"), null=True, blank=True)
    count_quote_zh = models.CharField(_("statement of the count"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["programme__order", "programme__code", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="supervision_area_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title_zh}"


class WorkItem(models.Model):
    """A task, key project or key work item of a programme, as the source text states it."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="items")
    code = models.CharField(_("code"), max_length=20, unique=True)
    number = models.PositiveSmallIntegerField(_("number in the area"))
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_zh = models.TextField(_("description, as stated"), blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    due_text_zh = models.CharField(_("due date, as stated"), max_length=200, blank=True)
    departments = models.ManyToManyField(
        "supervision.Department",
        verbose_name=_("responsible departments"),
        through="supervision.Responsibility",
        related_name="items",
        blank=True,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        ordering = ["area__programme__order", "area__programme__code", "area__number", "number"]

    def __str__(self) -> str:
        return f"{self.code} {self.title_zh}"


class Department(models.Model):
    """A department responsible for work items; its staff are the users of the linked organisation."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation on the platform"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_department",
        help_text=_("Its users report progress for the department."),
    )
    is_demo = models.BooleanField(_("demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Responsibility(models.Model):
    """That a department is responsible for a work item (as lead, 牵头, or as participant, 参与)."""

    item = models.ForeignKey(
        WorkItem, verbose_name=_("work item"), on_delete=models.PROTECT, related_name="responsibilities"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="responsibilities"
    )
    lead = models.BooleanField(_("lead department"), default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    is_demo = models.BooleanField(_("demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["item", "-lead", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["item", "department"], name="supervision_responsibility_once"),
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(lead=True), name="supervision_one_lead_department"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.department}"


class Milestone(models.Model):
    """A milestone of a work item; done when a progress report records its completion (the evidence)."""

    item = models.ForeignKey(WorkItem, verbose_name=_("work item"), on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.ForeignKey(
        "supervision.ProgressReport",
        verbose_name=_("evidence of completion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The progress report that records the completion."),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"))
    is_demo = models.BooleanField(_("demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["item", "due_on", "id"]
        indexes = [models.Index(fields=["due_on", "done_on"], name="supervision_milestone_due")]

    def __str__(self) -> str:
        return f"{self.item.code} {self.title}"


class ReportStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    BLOCKED = "blocked", _("Held up")
    DONE = "done", _("Completed")


class ProgressReport(InsertOnly):
    """A department's report on a work item; insert-only (a correction is a new report naming this one)."""

    item = models.ForeignKey(WorkItem, verbose_name=_("work item"), on_delete=models.PROTECT, related_name="reports")
    department = models.ForeignKey(
        Department,
        verbose_name=_("reporting department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices)
    percent = models.PositiveSmallIntegerField(_("percent complete"), null=True, blank=True)
    text = models.TextField(_("progress"), max_length=5000)
    completes = models.ForeignKey(
        Milestone,
        verbose_name=_("completes milestone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="completion_reports",
    )
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )
    in_reply_to = models.ForeignKey(
        "supervision.SupervisionNote",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), db_index=True)
    # Where the report stands in the item's history: when it was reported, or, for a correction, the place of
    # the report it corrects (a correction replaces that report; it does not outdate later ones).
    effective_at = models.DateTimeField(_("in place of the report of"))
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["item", "-reported_at", "-id"]
        indexes = [models.Index(fields=["item", "effective_at"], name="supervision_report_latest")]
        constraints = [
            models.CheckConstraint(
                name="supervision_percent_range",
                condition=models.Q(percent__isnull=True) | models.Q(percent__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} #{self.pk} {self.status}"


class Attachment(InsertOnly):
    """A file attached to a progress report, stored content-addressed (its key is its SHA-256)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("progress report"), on_delete=models.PROTECT, related_name="attachments"
    )
    original_name = models.CharField(
        _("original file name"), max_length=255, help_text=_("As the uploader named it; never used as a path.")
    )
    size = models.BigIntegerField(_("size in bytes"))
    media_type = models.CharField(_("media type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    storage_key = models.CharField(_("storage key"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["report", "uploaded_at", "original_name"]

    def __str__(self) -> str:
        return self.original_name


class NoteKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder (提醒)")
    URGING = "urging", _("Urging (催办)")


class SupervisionNote(InsertOnly):
    """A supervisor's note on a work item (督办意见), asking for a reply by a date."""

    item = models.ForeignKey(WorkItem, verbose_name=_("work item"), on_delete=models.PROTECT, related_name="notes")
    department = models.ForeignKey(
        Department,
        verbose_name=_("addressed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notes",
        help_text=_("Empty: every responsible department."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NoteKind.choices)
    text = models.TextField(_("text of the note"), max_length=2000)
    reply_due_on = models.DateField(_("reply due on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        verbose_name = _("supervision note")
        verbose_name_plural = _("supervision notes")
        ordering = ["item", "-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_kind_display()} {self.issued_at:%Y-%m-%d}"
