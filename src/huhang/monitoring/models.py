"""What monitoring keeps of its own: imported statistics and target revisions. Both are insert-only: a
correction is a new row (a statistic names the row it supersedes), so every figure once shown can be traced.

Everything else an indicator needs is read from the records of the other apps (:mod:`huhang.monitoring.measures`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huhang.evidence.models import InsertOnly


class StatisticCode(models.TextChoices):
    """Statistics that formulas use as inputs (KPIS.md K2, K4)."""

    RESIDENT_POPULATION = "resident_population", _("Resident population (常住人口)")
    GDP = "gdp", _("Gross domestic product (地区生产总值)")
    PATENT_INTENSIVE_VALUE_ADDED = (
        "patent_intensive_value_added",
        _("Value added of patent-intensive industries (专利密集型产业增加值)"),
    )


class Statistic(InsertOnly):
    """A published figure imported with its source: an input of a formula (``code``), the reported past value of
    an indicator (``indicator``, e.g. K2 for 2022), or simply context. Never typed in without a source."""

    code = models.CharField(_("formula input"), max_length=40, choices=StatisticCode.choices, blank=True)
    indicator = models.CharField(_("reports the indicator"), max_length=4, blank=True, db_index=True)
    name = models.CharField(_("name as published"), max_length=200)
    period = models.CharField(_("period as published"), max_length=40)
    period_end = models.DateField(_("last day described"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=32)
    scope = models.CharField(_("scope"), max_length=100)
    source_title = models.CharField(_("source"), max_length=400)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    confidence = models.CharField(_("kind of source"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("statistic")
        verbose_name_plural = _("statistics")
        ordering = ["name", "scope", "period_end", "id"]
        indexes = [models.Index(fields=["code", "scope", "period_end"], name="statistic_input")]

    def __str__(self) -> str:
        return f"{self.name} {self.period}: {self.value} {self.unit} ({self.scope})"


class TargetRevision(InsertOnly):
    """A target for an indicator from a year on, replacing the plan's (e.g. a new plan for 2026), with its source."""

    indicator = models.CharField(_("indicator"), max_length=4, db_index=True)
    from_year = models.PositiveSmallIntegerField(_("applies from the year"))
    value = models.DecimalField(_("target"), max_digits=20, decimal_places=4)
    source_title = models.CharField(_("source"), max_length=400)
    source_quote = models.TextField(_("words of the source"), blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set at"))

    class Meta:
        verbose_name = _("target revision")
        verbose_name_plural = _("target revisions")
        ordering = ["indicator", "from_year", "set_at"]
