from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from huhang.workdays import YearSchedule


class LoadedSchedule(models.Model):
    """The official holiday schedule of one year, loaded by an administrator (one row per year).

    ``schedule`` holds :meth:`YearSchedule.to_dict`; ``source`` and ``published`` repeat two of its fields
    for listing. Every load or replacement is a history version naming who did it and why.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    schedule = models.JSONField(_("schedule"))
    source = models.CharField(_("source"), max_length=300)
    published = models.DateField(_("published"), null=True, blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("loaded by"), on_delete=models.PROTECT, related_name="+"
    )
    loaded_at = models.DateTimeField(_("loaded at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("loaded holiday schedule")
        verbose_name_plural = _("loaded holiday schedules")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} ({self.source})"

    def year_schedule(self) -> YearSchedule:
        return YearSchedule.from_dict(self.schedule)
