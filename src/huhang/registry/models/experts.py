from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from huhang.registry.models.periods import Period


class ExpertKind(models.TextChoices):
    TECHNICAL_INVESTIGATOR = "technical_investigator", _("Technical investigator")
    EXPERT_JUROR = "expert_juror", _("Expert juror")


class Expert(Period):
    """A member of the expert pool, appointed over a date interval."""

    START = "appointed_on"
    END = "retired_on"

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=24, choices=ExpertKind.choices, db_index=True)
    fields = models.CharField(
        _("fields"), max_length=300, help_text=_("Technical fields, e.g. IPC sections or industries.")
    )
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    professional_title = models.CharField(_("professional title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    appointed_on = models.DateField(_("appointed on"))
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("expert pool")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.clean_period()
