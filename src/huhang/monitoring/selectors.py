"""The read paths of monitoring: an indicator's figure for a period, the dashboard, trends, district breakdowns
and the history imported from published statistics. Pages, exports and ``huhang kpi`` all read through here, so
their numbers are the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from huhang.monitoring.indicators import INDICATORS, PLAN, Indicator
from huhang.monitoring.measures import Measurement
from huhang.monitoring.models import Statistic, TargetRevision
from huhang.monitoring.periods import Period
from huhang.monitoring.status import Status, status_of


@dataclass(frozen=True)
class Target:
    value: Decimal
    source: str
    revision: TargetRevision | None = None


@dataclass
class Figure:
    indicator: Indicator
    period: Period
    as_of: dt.date
    measurement: Measurement
    target: Target
    status: Status
    reason: str

    @property
    def value(self) -> Decimal | None:
        return self.measurement.value

    def as_dict(self) -> dict:
        """The figure as plain JSON-ready values (``huhang kpi --json``, the API)."""
        ind, m = self.indicator, self.measurement
        return {
            "id": ind.id,
            "name": ind.name_zh,
            "name_en": ind.name_en,
            "value": None if m.value is None else float(m.value),
            "target": float(self.target.value),
            "comparison": ind.comparison,
            "unit": ind.unit_zh,
            "unit_en": ind.unit_en,
            "status": self.status.value,
            "reason": self.reason,
            "period": self.period.code,
            "as_of": self.as_of.isoformat(),
            "sample": m.sample,
            "numerator": None if m.numerator is None else float(m.numerator),
            "denominator": None if m.denominator is None else float(m.denominator),
            "baseline": m.baseline,
            "missing": m.missing,
            "formula": ind.formula_zh,
            "source": self.target.source,
            "inputs": [
                {"name": s.name, "period": s.period, "value": float(s.value), "unit": s.unit, "source": s.source_title}
                for s in m.inputs
            ],
        }


def target_for(indicator: Indicator, period: Period) -> Target:
    """The target that applies to ``period``: the newest revision from its year or before, else the plan's."""
    revision = (
        TargetRevision.objects.filter(indicator=indicator.id, from_year__lte=period.last_day.year)
        .order_by("-from_year", "-set_at")
        .first()
    )
    if revision is not None:
        return Target(revision.value, revision.source_title, revision)
    return Target(indicator.target, indicator.source)


def target_revisions(indicator: Indicator):
    """The targets recorded for ``indicator`` after the plan's, newest first."""
    return TargetRevision.objects.filter(indicator=indicator.id).select_related("set_by").order_by("-set_at")


def figure(indicator: Indicator, period: Period, *, today: dt.date | None = None, district=None) -> Figure:
    """Measure ``indicator`` over ``period`` as it stands on ``today`` (default: today)."""
    today = today or timezone.localdate()
    as_of = period.as_of(today)
    future = as_of < period.start
    measurement = Measurement(None, missing="") if future else indicator.measure(period, as_of, district)
    target = target_for(indicator, period)
    start_value = None
    if (
        indicator.kind == "stock"
        and measurement.value is not None
        and not indicator.meets(measurement.value, target.value)
    ):
        day_before = period.start - dt.timedelta(days=1)
        start_value = indicator.measure(Period(day_before, period.start, "range"), day_before, district).value
    status, reason = status_of(indicator, measurement.value, target.value, period, today, start_value)
    return Figure(indicator, period, as_of, measurement, target, status, reason)


def dashboard(period: Period, *, today: dt.date | None = None) -> list[Figure]:
    """Every indicator's figure for ``period``."""
    today = today or timezone.localdate()
    return [figure(indicator, period, today=today) for indicator in INDICATORS]


def trend(indicator: Indicator, period: Period, *, today: dt.date | None = None) -> list[tuple[str, Decimal | None]]:
    """The indicator month by month through ``period``: each point is the period to the end of that month (the
    year so far, for a year), up to ``today``."""
    today = today or timezone.localdate()
    points = []
    for month in period.months():
        if month.start > today:
            break
        to_date = Period(period.start, month.end, "range")
        points.append((month.start.strftime("%Y-%m"), indicator.measure(to_date, to_date.as_of(today), None).value))
    return points


def by_district(
    indicator: Indicator, period: Period, *, today: dt.date | None = None
) -> list[tuple[object, Decimal | None]]:
    """The indicator per district of the register (empty when the data do not allow it)."""
    from huhang.registry.models import District

    if not indicator.districts:
        return []
    today = today or timezone.localdate()
    as_of = period.as_of(today)
    return [(d, indicator.measure(period, as_of, d).value) for d in District.objects.order_by("code")]


def history(indicator: Indicator) -> list[Statistic]:
    """Values of ``indicator`` published before the platform measured it, imported with their sources."""
    return list(
        Statistic.objects.filter(indicator=indicator.id, superseded_by__isnull=True).order_by(
            "period_end", "recorded_at"
        )
    )


__all__ = [
    "PLAN", "Figure", "Target", "by_district", "dashboard", "figure", "history", "target_for", "target_revisions",
    "trend",
]  # fmt: skip
