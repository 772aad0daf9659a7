"""Evidence preserved on the ledger, and events other capabilities record there. Both are insert-only.

A row is written once, after its leaf is durable in the ledger, and never changed or deleted by the
application (``save`` of an existing row and ``delete`` raise). The ledger entry is what counts: each row
keeps the exact leaf bytes appended and their index, and ``huhang evidence check`` compares every row and
every stored file with the log.
"""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class InsertOnlyError(Exception):
    """An insert-only row was about to be changed or deleted."""


class InsertOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise InsertOnlyError(f"{type(self).__name__} rows are never changed: record a new event instead")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise InsertOnlyError(f"{type(self).__name__} rows are never deleted")


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    WEB_PAGE = "web_page", _("Web page capture")
    SOURCE_CODE = "source_code", _("Source code")
    CONTRACT = "contract", _("Contract")
    OTHER = "other", _("Other")


class EvidenceMode(models.TextChoices):
    FILE = "file", _("Uploaded file")
    HASH = "hash", _("Hash only (trade secret)")


class Evidence(InsertOnly):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    holder = models.ForeignKey(
        "registry.Entity", verbose_name=_("holder"), on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    original_name = models.CharField(
        _("original file name"),
        max_length=255,
        blank=True,
        help_text=_("As the uploader named it; never used as a path."),
    )
    size = models.BigIntegerField(_("size in bytes"), null=True, blank=True)
    media_type = models.CharField(_("media type"), max_length=100, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    sm3 = models.CharField(_("SM3"), max_length=64, blank=True)
    storage_key = models.CharField(_("storage key"), max_length=200, blank=True)
    mode = models.CharField(_("mode"), max_length=8, choices=EvidenceMode.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    ledger_index = models.BigIntegerField(_("ledger index"), unique=True)
    leaf = models.BinaryField(_("ledger leaf"))
    checkpoint_size = models.BigIntegerField(_("checkpoint size at acknowledgement"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-submitted_at", "-ledger_index"]
        indexes = [models.Index(fields=["holder", "-submitted_at"])]

    def __str__(self) -> str:
        return self.title


class LedgerEvent(InsertOnly):
    """An event of another capability (a case event, a service of documents, a read of sensitive data)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    subject = models.CharField(_("subject"), max_length=200, db_index=True)
    payload = models.JSONField(_("payload"), default=dict, encoder=DjangoJSONEncoder)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    ledger_index = models.BigIntegerField(_("ledger index"), unique=True)
    leaf = models.BinaryField(_("ledger leaf"))
    checkpoint_size = models.BigIntegerField(_("checkpoint size at acknowledgement"))

    class Meta:
        verbose_name = _("ledger event")
        verbose_name_plural = _("ledger events")
        ordering = ["-occurred_at", "-ledger_index"]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"
