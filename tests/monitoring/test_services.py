"""Statistics and targets: recorded with their source or refused whole; the real Wuhan figures load as history."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huhang.audit.models import AuditEvent
from huhang.monitoring import selectors, services
from huhang.monitoring.indicators import indicator
from huhang.monitoring.models import Statistic, TargetRevision
from huhang.monitoring.periods import year

STATS = Path(__file__).resolve().parents[3] / "shared" / "data" / "stats" / "wuhan_ip_stats.csv"
HEADER = "indicator,period,value,unit,scope,source_url,source_title,note,confidence\n"


def test_a_statistic_without_a_source_is_refused(supervisor):
    with pytest.raises(ValidationError) as caught:
        services.statistic_record(actor=supervisor, name="地区生产总值", code="gdp", period="2025", value="21000",
                                  unit="亿元", scope="Wuhan", source_title=" ")  # fmt: skip
    assert "source" in caught.value.message_dict["source_title"][0]
    assert not Statistic.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [({"value": "about 3"}, "value"), ({"period": "2025Q9"}, "period"), ({"unit": "户"}, "unit"),
     ({"indicator": "K99"}, "indicator"), ({"source_url": "not a url"}, "source_url")],
)  # fmt: skip
def test_each_bad_field_is_named(supervisor, change, field):
    fields = {"name": "常住人口", "code": "resident_population", "period": "2024", "value": "1380.91", "unit": "万人",
              "scope": "Wuhan", "source_title": "武汉市2024年国民经济和社会发展统计公报"} | change  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.statistic_record(actor=supervisor, **fields)
    assert field in caught.value.message_dict
    assert not Statistic.objects.exists()


def test_only_editors_record_statistics(handler):
    with pytest.raises(PermissionDenied):
        services.statistic_record(actor=handler, name="x", period="2024", value="1", unit="件", scope="Wuhan",
                                  source_title="y")  # fmt: skip


def test_a_correction_supersedes_and_keeps_the_old_figure(supervisor):
    common = {"name": "常住人口", "code": "resident_population", "period": "2024", "unit": "万人", "scope": "Wuhan",
              "source_title": "统计公报"}  # fmt: skip
    first = services.statistic_record(actor=supervisor, value="1300", **common)
    second = services.statistic_record(actor=supervisor, value="1380.91", supersedes=first, **common)
    assert Statistic.objects.count() == 2 and first.superseded_by == second
    with pytest.raises(ValidationError, match="already been corrected"):
        services.statistic_record(actor=supervisor, value="1", supersedes=first, **common)
    assert AuditEvent.objects.filter(action="monitoring.statistic").count() == 2


@pytest.mark.skipif(not STATS.is_file(), reason="the shared Wuhan statistics are not beside the repository")
def test_the_real_wuhan_statistics_load_as_history_and_twice_changes_nothing(supervisor):
    data = STATS.read_bytes()
    with pytest.raises(ValidationError) as caught:
        services.statistics_load(actor=supervisor, data=data)
    assert "line " in str(caught.value) and not Statistic.objects.exists()  # ">20000" and "38.9/52.3/8.8"
    result = services.statistics_load(actor=supervisor, data=data, skip_unreadable=True)
    assert len(result.skipped) == 2 and result.recorded == data.decode().count("\n") - 1 - 2
    k2 = selectors.history(indicator("K2"))
    assert [(s.period, s.value) for s in k2] == [("2022", Decimal("28.09")), ("2023", Decimal("34.56"))]
    assert [s.value for s in selectors.history(indicator("K3"))] == [Decimal(77464)]
    again = services.statistics_load(actor=supervisor, data=data, skip_unreadable=True)
    assert (again.recorded, again.unchanged) == (0, result.recorded)


def test_a_file_with_a_sourceless_row_loads_nothing(supervisor):
    data = (HEADER + "常住人口 (resident population),2024,1380.91,万人,Wuhan,,统计公报,,\n"
            "地区生产总值 (GDP),2024,21106.23,亿元,Wuhan,,,,\n").encode()  # fmt: skip
    with pytest.raises(ValidationError, match="line 3"):
        services.statistics_load(actor=supervisor, data=data)
    assert not Statistic.objects.exists()


def test_missing_columns_and_non_utf8_are_refused(supervisor):
    with pytest.raises(ValidationError, match="source_title"):
        services.statistics_load(actor=supervisor, data=b"indicator,period,value,unit,scope\n")
    with pytest.raises(ValidationError, match="UTF-8"):
        services.statistics_load(actor=supervisor, data=HEADER.encode() + "常住人口".encode("gbk"))


def test_a_revised_target_applies_from_its_year_and_the_plans_stays_before(supervisor):
    with pytest.raises(ValidationError, match="source"):
        services.target_revise(actor=supervisor, indicator="K3", from_year=2026, value=90000, source_title="")
    services.target_revise(actor=supervisor, indicator="k3", from_year=2026, value=90000, source_title="2026年工作要点")
    assert TargetRevision.objects.get().indicator == "K3"
    assert selectors.target_for(indicator("K3"), year(2026)).value == 90000
    before = selectors.target_for(indicator("K3"), year(2025))
    assert before.value == 85000 and "85000件" in before.source
