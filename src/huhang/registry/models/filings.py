from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from huhang.accounts.roles import FILING_CENTRES
from huhang.registry.models.periods import Period


class Filing(Period):
    """An entity's filing (备案) with a protection centre or quick-rights centre, over a date interval."""

    entity = models.ForeignKey(
        "registry.Entity", verbose_name=_("entity"), on_delete=models.PROTECT, related_name="filings"
    )
    centre = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("centre"),
        on_delete=models.PROTECT,
        related_name="filings",
        limit_choices_to={"kind__in": sorted(FILING_CENTRES)},
    )
    reference = models.CharField(_("filing reference"), max_length=40, blank=True)
    fields = models.CharField(_("technical fields"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"), db_index=True)
    valid_to = models.DateField(_("valid until (exclusive)"), null=True, blank=True, db_index=True)
    is_demo = models.BooleanField(_("demo record"), default=False)
    history = HistoricalRecords()

    OVERLAP_MESSAGE = _("This entity already has a filing with this centre in that period.")

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-valid_from", "-id"]
        indexes = [models.Index(fields=["centre", "valid_from", "valid_to"])]
        constraints = [
            models.CheckConstraint(
                name="filing_period_ordered",
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity} @ {self.centre} ({self.valid_from}–{self.valid_to or ''})"

    def clean(self) -> None:
        self.clean_alone()
        self.clean_overlaps()

    def clean_alone(self) -> None:
        """Check the rules this filing meets or breaks by itself, whatever the other filings."""
        self.clean_period()
        if self.centre_id and self.centre.kind not in FILING_CENTRES:
            raise ValidationError({"centre": _("Filings are kept by a protection centre or quick-rights centre.")})

    def clean_overlaps(self) -> None:
        """Refuse a period overlapping another filing of the entity with the same centre (one query).

        An import checks every row of its file against the registry at once instead (``tabular.importing``).
        """
        if self.entity_id and self.centre_id and self.valid_from:
            overlapping = Filing.objects.filter(entity_id=self.entity_id, centre_id=self.centre_id).exclude(
                pk=self.pk
            )
            end_q = models.Q(valid_from__lt=self.valid_to) if self.valid_to else models.Q()
            overlapping = overlapping.filter(end_q).filter(
                models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=self.valid_from)
            )
            if overlapping.exists():
                raise ValidationError({"valid_from": self.OVERLAP_MESSAGE})
