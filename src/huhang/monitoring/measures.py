"""How each indicator is measured: one function per formula, each a few aggregations that the database computes
(``COUNT``, ``AVG`` with filters), returning a :class:`Measurement` with the records behind the figure.

Every function takes the period, the day the figure is taken on (``as_of``: the period's last day, or today for a
period still running) and an optional district, and never loops over rows in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _

from huhang.monitoring.models import Statistic, StatisticCode
from huhang.monitoring.periods import Period, parse_period

ADMINISTRATIVE = ("adjudication", "mediation", "penalty")
ASSISTANCE_AND_MEDIATION = ("assistance", "mediation")
PATENT_DISPUTES = ("adjudication", "mediation")


@dataclass
class Measurement:
    """A figure and what it rests on. ``value`` is ``None`` when there is no data (``missing`` says why)."""

    value: Decimal | None
    records: QuerySet | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    sample: int | None = None
    inputs: list[Statistic] = field(default_factory=list)
    baseline: str = ""
    missing: str = ""


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _ratio(numerator, denominator, scale: int = 100) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * scale / Decimal(denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def _district(q_path: str, district) -> Q:
    return Q(**{q_path: district}) if district is not None else Q()


def baseline_of(indicator: str, period: Period) -> Period:
    """The baseline period of ``indicator`` (setting ``HUHANG_KPI_BASELINES``; default: a year earlier)."""
    configured = getattr(settings, "HUHANG_KPI_BASELINES", {}).get(indicator)
    return parse_period(configured) if configured else period.shifted_years(-1)


def baseline_day(indicator: str, period: Period) -> dt.date:
    """The baseline day of a stock indicator: the last day of its baseline period (default: the day before)."""
    configured = getattr(settings, "HUHANG_KPI_BASELINES", {}).get(indicator)
    return parse_period(configured).last_day if configured else period.start - dt.timedelta(days=1)


# K1 ------------------------------------------------------------------------------------------------------------


def satisfaction(period: Period, as_of: dt.date, district=None) -> Measurement:
    from huhang.surveys.selectors import satisfaction as survey_satisfaction

    result = survey_satisfaction(period.start, as_of + dt.timedelta(days=1), district=district)
    if result.score is None:
        return Measurement(None, result.answers, sample=0, missing=_("No valid survey answer in the period."))
    return Measurement(_dec(result.score).quantize(Decimal("0.01")), result.answers, sample=result.sample_size)


# K2 ------------------------------------------------------------------------------------------------------------


def latest_statistic(code: str, on: dt.date, scope: str | None = None) -> Statistic | None:
    """The newest, not superseded, statistic ``code`` describing a day on or before ``on``."""
    scope = scope or getattr(settings, "HUHANG_KPI_SCOPE", "Wuhan")
    return (
        Statistic.objects.filter(code=code, scope=scope, period_end__lte=on, superseded_by__isnull=True)
        .order_by("-period_end", "-recorded_at")
        .first()
    )


def high_value_patents(period: Period, as_of: dt.date, district=None) -> Measurement:
    from huhang.registry.models import Patent

    # Owned by an entity of a district (one row per patent, whatever its number of local owners).
    local = Patent.owners.through.objects.filter(entity__district__isnull=False).filter(
        _district("entity__district", district)
    )
    valid = Patent.objects.filter(
        Q(grant_date__lte=as_of) | Q(grant_date__isnull=True, application_date__lte=as_of),
        kind="invention",
        status="valid",
        pk__in=local.values("patent_id"),
    )
    records = valid.filter(high_value=True)
    population = latest_statistic(StatisticCode.RESIDENT_POPULATION, as_of)
    if population is None:
        return Measurement(
            None, records, missing=_("No resident population statistic describes %(day)s or before.") % {"day": as_of}
        )
    if district is not None:
        return Measurement(None, records, missing=_("The population statistic is city-wide: no district figure."))
    classified = valid.exclude(high_value__isnull=True).count()
    if not classified:
        return Measurement(
            None, records, inputs=[population], missing=_("No valid local invention patent has been classified yet.")
        )
    count = records.count()
    people = population.value * (10_000 if population.unit in ("万人",) else 1)
    return Measurement(
        _ratio(count, people, 10_000), records, numerator=Decimal(count), denominator=people, sample=count,
        inputs=[population],
    )  # fmt: skip


# K3 ------------------------------------------------------------------------------------------------------------


def copyright_registrations(period: Period, as_of: dt.date, district=None) -> Measurement:
    from huhang.registry.models import Copyright

    records = Copyright.objects.filter(registered_on__gte=period.start, registered_on__lte=as_of).filter(
        _district("owners__district", district)
    )
    if district is not None:
        records = records.distinct()
    count = records.count()
    return Measurement(Decimal(count), records, sample=count)


# K4 ------------------------------------------------------------------------------------------------------------


def patent_intensive_share(period: Period, as_of: dt.date, district=None) -> Measurement:
    if district is not None:
        return Measurement(None, missing=_("The statistics are city-wide: no district figure."))
    added = latest_statistic(StatisticCode.PATENT_INTENSIVE_VALUE_ADDED, as_of)
    gdp = latest_statistic(StatisticCode.GDP, as_of)
    if added is None or gdp is None:
        absent = [str(label) for code, label in StatisticCode.choices if code != "resident_population"
                  and (added if code == "patent_intensive_value_added" else gdp) is None]  # fmt: skip
        return Measurement(None, missing=_("Statistics missing: %(names)s.") % {"names": "; ".join(absent)})
    if added.unit != gdp.unit or added.period != gdp.period:
        return Measurement(
            None,
            inputs=[added, gdp],
            missing=_("The value added (%(a)s, %(ap)s) and the GDP (%(b)s, %(bp)s) differ in unit or period.")
            % {"a": added.unit, "ap": added.period, "b": gdp.unit, "bp": gdp.period},
        )
    return Measurement(
        _ratio(added.value, gdp.value), numerator=added.value, denominator=gdp.value, inputs=[added, gdp]
    )


# K5, K6, K7, K8, K18, K19: cases ---------------------------------------------------------------------------------


def _cases():
    from huhang.cases.models import Case

    return Case.objects.all()


def handling_reduction(period: Period, as_of: dt.date, district=None) -> Measurement:
    base = baseline_of("K5", period)
    where = _district("organisation__district", district)
    current = _cases().filter(where, category__in=ADMINISTRATIVE, closed_on__gte=period.start, closed_on__lte=as_of,
                              handling_days__isnull=False)  # fmt: skip
    before = _cases().filter(where, category__in=ADMINISTRATIVE, closed_on__gte=base.start, closed_on__lt=base.end,
                             handling_days__isnull=False)  # fmt: skip
    now, then = current.aggregate(mean=Avg("handling_days"), n=Count("id")), before.aggregate(mean=Avg("handling_days"))
    label = _("baseline %(period)s: mean %(mean)s days") % {
        "period": base.code, "mean": "—" if then["mean"] is None else f"{then['mean']:.1f}"}  # fmt: skip
    if not now["n"]:
        return Measurement(
            None, current, sample=0, baseline=label, missing=_("No administrative case closed in the period.")
        )
    if not then["mean"]:
        missing = _("No administrative case closed in the baseline period %(period)s.") % {"period": base.code}
        return Measurement(None, current, sample=now["n"], baseline=label, missing=missing)
    mean_now, mean_then = _dec(now["mean"]), _dec(then["mean"])
    value = ((1 - mean_now / mean_then) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Measurement(value, current, numerator=mean_now, denominator=mean_then, sample=now["n"], baseline=label)


def assistance_and_mediation(period: Period, as_of: dt.date, district=None) -> Measurement:
    records = _cases().filter(
        _district("organisation__district", district),
        category__in=ASSISTANCE_AND_MEDIATION,
        accepted_on__gte=period.start,
        accepted_on__lte=as_of,
    )
    count = records.count()
    return Measurement(Decimal(count), records, sample=count)


def _judicial_closed(period: Period, as_of: dt.date, district) -> QuerySet:
    return _cases().filter(
        _district("organisation__district", district),
        category="judicial",
        closed_on__gte=period.start,
        closed_on__lte=as_of,
    )


def within_time_limit(period: Period, as_of: dt.date, district=None) -> Measurement:
    records = _judicial_closed(period, as_of, district).filter(within_limit__isnull=False)
    counts = records.aggregate(closed=Count("id"), within=Count("id", filter=Q(within_limit=True)))
    if not counts["closed"]:
        return Measurement(None, records, sample=0, missing=_("No court case closed in the period."))
    return Measurement(
        _ratio(counts["within"], counts["closed"]).quantize(Decimal("0.01")), records,
        numerator=Decimal(counts["within"]), denominator=Decimal(counts["closed"]), sample=counts["closed"],
    )  # fmt: skip


def mean_closing_days(period: Period, as_of: dt.date, district=None) -> Measurement:
    records = _judicial_closed(period, as_of, district).filter(handling_days__isnull=False)
    result = records.aggregate(mean=Avg("handling_days"), n=Count("id"))
    if not result["n"]:
        return Measurement(None, records, sample=0, missing=_("No court case closed in the period."))
    return Measurement(_dec(result["mean"]).quantize(Decimal("0.1"), ROUND_HALF_UP), records, sample=result["n"])


def expert_participation_growth(period: Period, as_of: dt.date, district=None) -> Measurement:
    base = baseline_of("K18", period)
    where = _district("organisation__district", district)
    from huhang.cases.models import CaseExpert

    joined = CaseExpert.objects.filter(joined_on__gte=period.start, joined_on__lte=as_of)
    joined_before = CaseExpert.objects.filter(joined_on__gte=base.start, joined_on__lt=base.end)
    current = _cases().filter(where, pk__in=joined.values("case_id"))
    before = _cases().filter(where, pk__in=joined_before.values("case_id"))
    now, then = current.count(), before.count()
    label = _("baseline %(period)s: %(count)d cases") % {"period": base.code, "count": then}
    if not then:
        missing = _("No case with an expert in the baseline period %(period)s.") % {"period": base.code}
        return Measurement(None, current, sample=now, baseline=label, missing=missing)
    return Measurement(
        _ratio(now - then, then).quantize(Decimal("0.01")), current, numerator=Decimal(now), denominator=Decimal(then),
        sample=now, baseline=label,
    )  # fmt: skip


def mediation_coverage(period: Period, as_of: dt.date, district=None) -> Measurement:
    records = _cases().filter(
        _district("organisation__district", district),
        category__in=PATENT_DISPUTES,
        opened_on__gte=period.start,
        opened_on__lte=as_of,
    )
    counts = records.aggregate(all=Count("id"), offered=Count("id", filter=Q(mediation_offered=True)))
    if not counts["all"]:
        return Measurement(None, records, sample=0, missing=_("No patent dispute case opened in the period."))
    return Measurement(
        _ratio(counts["offered"], counts["all"]).quantize(Decimal("0.01")), records,
        numerator=Decimal(counts["offered"]), denominator=Decimal(counts["all"]), sample=counts["all"],
    )  # fmt: skip


# K9–K17: registers at the period's end ---------------------------------------------------------------------------


def stations(kind: str, levels: tuple[str, ...] = ()):
    def measure(period: Period, as_of: dt.date, district=None) -> Measurement:
        from huhang.registry.models import ServiceStation

        records = ServiceStation.objects.filter(ServiceStation.active_on_q(as_of), kind=kind).filter(
            _district("district", district)
        )
        if levels:
            records = records.filter(level__in=levels)
        count = records.count()
        return Measurement(Decimal(count), records, sample=count)

    return measure


def _filed_entities(centre_kind: str, day: dt.date, district) -> QuerySet:
    from huhang.registry.models import Entity, Filing

    return (
        Entity.objects.filter(Filing.active_on_q(day, "filings__"), filings__centre__kind=centre_kind)
        .filter(_district("district", district))
        .distinct()
    )


def filed_entities(period: Period, as_of: dt.date, district=None) -> Measurement:
    records = _filed_entities("protection_centre", as_of, district)
    count = records.count()
    return Measurement(Decimal(count), records, sample=count)


def filing_growth(period: Period, as_of: dt.date, district=None) -> Measurement:
    day = baseline_day("K15", period)
    records = _filed_entities("quick_rights_centre", as_of, district)
    now, then = records.count(), _filed_entities("quick_rights_centre", day, district).count()
    label = _("baseline %(day)s: %(count)d entities") % {"day": day.isoformat(), "count": then}
    if not then:
        missing = _("No entity had a filing with the quick rights-protection centre on %(day)s.") % {"day": day}
        return Measurement(None, records, sample=now, baseline=label, missing=missing)
    return Measurement(
        _ratio(now - then, then).quantize(Decimal("0.01")), records, numerator=Decimal(now), denominator=Decimal(then),
        sample=now, baseline=label,
    )  # fmt: skip


def designations(kind: str):
    def measure(period: Period, as_of: dt.date, district=None) -> Measurement:
        from huhang.registry.models import Entity, TradeSecretDesignation

        records = (
            Entity.objects.filter(
                TradeSecretDesignation.active_on_q(as_of, "trade_secret_designations__"),
                trade_secret_designations__kind=kind,
            )
            .filter(_district("district", district))
            .distinct()
        )
        count = records.count()
        return Measurement(Decimal(count), records, sample=count)

    return measure
