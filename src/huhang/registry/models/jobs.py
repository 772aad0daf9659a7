import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Imported")
    REJECTED = "rejected", _("Rejected: nothing imported")
    FAILED = "failed", _("Failed: nothing imported")


class ImportJob(models.Model):
    """A file uploaded for import, worked through by the task queue while the page shows its progress."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("register"), max_length=32)
    file_name = models.CharField(_("file name"), max_length=255)
    stored_as = models.CharField(max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("records created"), default=0)
    message = models.TextField(_("message"), blank=True)
    report = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportJobStatus.SUCCEEDED, ImportJobStatus.REJECTED, ImportJobStatus.FAILED}
