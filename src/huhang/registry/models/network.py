from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from huhang.registry.models.periods import Period


class StationKind(models.TextChoices):
    PROTECTION_WORKSTATION = "protection_workstation", _("IP protection workstation")
    TRADEMARK_GUIDANCE = "trademark_guidance", _("Trademark brand guidance station")
    TRADE_SECRET = "trade_secret", _("Trade-secret service station")
    COPYRIGHT_CENTRE = "copyright_centre", _("Copyright service centre")
    HIGH_VALUE_PATENT_CENTRE = "high_value_patent_centre", _("High-value patent cultivation centre")


class StationLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")


class ServiceStation(Period):
    """A point of the service network (K9–K13), open over a date interval."""

    START = "opened_on"
    END = "closed_on"

    kind = models.CharField(_("kind"), max_length=32, choices=StationKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    district = models.ForeignKey(
        "registry.District", verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT
    )
    host = models.ForeignKey(
        "registry.Entity",
        verbose_name=_("host organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stations",
    )
    level = models.CharField(_("recognised level"), max_length=16, choices=StationLevel.choices)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service station")
        verbose_name_plural = _("service stations")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                name="station_period_ordered",
                condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gt=models.F("opened_on")),
            ),
            models.UniqueConstraint(fields=["kind", "name"], name="station_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.clean_period()
