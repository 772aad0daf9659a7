"""Each indicator of 2025 over the small zone of conftest, worked out by hand (KPIS.md K1–K19)."""

import datetime as dt
from decimal import Decimal

import pytest

from huhang.monitoring import selectors
from huhang.monitoring.indicators import INDICATORS, indicator
from huhang.monitoring.periods import parse_period, year

from .conftest import TODAY

EXPECTED = {
    "K2": Decimal("0.02"), "K3": Decimal(3), "K4": Decimal(15), "K5": Decimal(25), "K6": Decimal(3),
    "K7": Decimal("66.67"), "K8": Decimal("90.0"), "K9": Decimal(2), "K10": Decimal(0), "K11": Decimal(0),
    "K12": Decimal(0), "K13": Decimal(1), "K14": Decimal(2), "K15": Decimal(50), "K16": Decimal(1), "K17": Decimal(0),
    "K18": Decimal(100), "K19": Decimal(75),
}  # fmt: skip


@pytest.mark.parametrize("code", sorted(EXPECTED, key=lambda c: int(c[1:])))
def test_each_indicator_of_2025_equals_the_hand_computation(zone, code):
    figure = selectors.figure(indicator(code), year(2025), today=TODAY)
    assert figure.value == EXPECTED[code], figure.measurement.missing


def test_k1_without_survey_answers_is_no_data_not_zero(zone):
    figure = selectors.figure(indicator("K1"), year(2025), today=TODAY)
    assert figure.value is None and figure.status == "no_data"
    assert figure.measurement.missing


def test_a_period_without_records_shows_no_data_for_ratios_and_zero_only_for_counts(zone):
    empty = parse_period("2019")
    figures = {f.indicator.id: f for f in selectors.dashboard(empty, today=TODAY)}
    for code in ("K1", "K5", "K7", "K8", "K19"):
        assert figures[code].value is None and figures[code].status == "no_data", code
    assert figures["K3"].value == 0 and figures["K3"].status == "at_risk"


def test_records_behind_each_figure_are_the_ones_counted(zone):
    k7 = selectors.figure(indicator("K7"), year(2025), today=TODAY)
    assert k7.measurement.records.count() == k7.measurement.sample == 3
    k9 = selectors.figure(indicator("K9"), year(2025), today=TODAY)
    assert sorted(k9.measurement.records.values_list("name", flat=True)) == ["一站", "二站"]
    k2 = selectors.figure(indicator("K2"), year(2025), today=TODAY)
    assert sorted(k2.measurement.records.values_list("title", flat=True)) == ["专利0", "专利1"]


def test_imported_inputs_are_named_with_their_source(zone):
    k4 = selectors.figure(indicator("K4"), year(2025), today=TODAY)
    assert [s.code for s in k4.measurement.inputs] == ["patent_intensive_value_added", "gdp"]
    assert all(s.source_title == "测试统计公报" for s in k4.measurement.inputs)
    assert (k4.measurement.numerator, k4.measurement.denominator) == (Decimal(3000), Decimal(20000))


def test_k2_without_population_or_without_classification_is_no_data(db):
    figure = selectors.figure(indicator("K2"), year(2025), today=TODAY)
    assert figure.value is None and "population" in figure.measurement.missing


def test_district_breakdown_counts_each_districts_records(zone):
    rows = dict(selectors.by_district(indicator("K9"), year(2025), today=TODAY))
    assert rows[zone["wuchang"]] == 1 and rows[zone["hongshan"]] == 1
    assert selectors.by_district(indicator("K2"), year(2025), today=TODAY) == []  # city-wide population only


def test_a_quarter_and_a_month_are_measured_over_their_own_days(zone):
    q1 = selectors.figure(indicator("K3"), parse_period("2025Q1"), today=TODAY)
    assert q1.value == 1
    december = selectors.figure(indicator("K6"), parse_period("2025-12"), today=TODAY)
    assert december.value == 1


def test_the_monthly_trend_accumulates_the_period_to_date(zone):
    points = dict(selectors.trend(indicator("K3"), year(2025), today=TODAY))
    assert (points["2025-01"], points["2025-05"], points["2025-12"]) == (1, 2, 3)
    running = selectors.trend(indicator("K3"), year(2026), today=TODAY)
    assert [m for m, _v in running] == ["2026-01", "2026-02", "2026-03"]


def test_every_indicator_is_declared_with_a_source_a_formula_and_a_target():
    assert [i.id for i in INDICATORS] == [f"K{n}" for n in range(1, 20)]
    for item in INDICATORS:
        assert item.plan_quote and item.formula_zh and item.formula_en and item.target >= 0
        assert item.comparison in (">=", ">", "<=")
    with pytest.raises(KeyError, match="known: K1"):
        indicator("K20")


def test_baselines_are_a_setting(zone, settings):
    settings.HUHANG_KPI_BASELINES = {"K5": "2025Q1", "K15": "2025-06"}
    k5 = selectors.figure(indicator("K5"), year(2025), today=TODAY)
    assert k5.value == Decimal("-50.00")  # Q1 mean 20 days → 1 − 30/20
    k15 = selectors.figure(indicator("K15"), year(2025), today=TODAY)
    assert k15.measurement.baseline.startswith("baseline 2025-06-30") or "2025-06-30" in k15.measurement.baseline
    assert k15.value == 50


def test_a_day_before_the_period_gives_no_figure(zone):
    figure = selectors.figure(indicator("K3"), year(2027), today=dt.date(2026, 12, 1))
    assert figure.value is None and figure.status == "no_data"
