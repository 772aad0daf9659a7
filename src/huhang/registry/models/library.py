from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from huhang.registry.models.periods import Period


class TradeSecretDesignationKind(models.TextChoices):
    CONTACT_POINT = "contact_point", _("Trade-secret protection contact point")
    DEMONSTRATION_POINT = "demonstration_point", _("Trade-secret protection demonstration point")


class TradeSecretDesignation(Period):
    """An enterprise of the trade-secret library (K16, K17): designated on a date, perhaps revoked."""

    START = "designated_on"
    END = "revoked_on"

    entity = models.ForeignKey(
        "registry.Entity",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="trade_secret_designations",
    )
    kind = models.CharField(_("designation"), max_length=24, choices=TradeSecretDesignationKind.choices)
    designated_on = models.DateField(_("designated on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    designated_by = models.CharField(_("designated by"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trade-secret library designation")
        verbose_name_plural = _("trade-secret library")
        ordering = ["kind", "-designated_on"]
        constraints = [
            models.CheckConstraint(
                name="designation_period_ordered",
                condition=models.Q(revoked_on__isnull=True) | models.Q(revoked_on__gt=models.F("designated_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity} ({self.get_kind_display()})"

    def clean(self) -> None:
        self.clean_period()
