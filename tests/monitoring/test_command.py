"""``huhang kpi``: the table and the JSON the issue names, and loading statistics."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_kpi_json_lists_every_indicator_with_the_named_fields(zone, capsys):
    call_command("kpi", "--period", "2025", "--json")
    figures = json.loads(capsys.readouterr().out)
    assert [f["id"] for f in figures] == [f"K{n}" for n in range(1, 20)]
    for f in figures:
        assert {"id", "name", "value", "target", "unit", "status"} <= set(f)
    by_id = {f["id"]: f for f in figures}
    assert by_id["K7"]["value"] == pytest.approx(66.67) and by_id["K7"]["name"] == "知识产权审判案件法定审限内结案率"
    assert by_id["K1"]["value"] is None and by_id["K1"]["status"] == "no_data"


def test_kpi_table_shows_no_data_not_zero(zone, capsys):
    call_command("kpi", "--period", "2025")
    out = capsys.readouterr().out
    assert "K19" in out and "无数据" in out and "知识产权保护社会满意度" in out


def test_a_bad_period_is_a_clear_error(db):
    with pytest.raises(CommandError, match="Cannot read the period"):
        call_command("kpi", "--period", "last year")


def test_statistics_are_loaded_from_the_command_line(supervisor, tmp_path, capsys):
    path = tmp_path / "stats.csv"
    header = "indicator,period,value,unit,scope,source_url,source_title,note,confidence\n"
    path.write_text(header + "常住人口 (resident population),2024,1380.91,万人,Wuhan,,统计公报,,official\n")
    call_command("kpi", "statistics", str(path), "--as", supervisor.username)
    assert "recorded 1" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no user"):
        call_command("kpi", "statistics", str(path), "--as", "nobody")


def test_wrong_baselines_are_reported_by_the_system_check(settings):
    from huhang.monitoring.checks import monitoring_settings

    settings.HUHANG_KPI_BASELINES = {"K5": "2024", "K7": "2024", "K15": "last year"}
    messages = [e.msg for e in monitoring_settings()]
    assert len(messages) == 2
    assert "'K7' has no baseline" in messages[0] and "Cannot read the period" in messages[1]


def test_the_demo_records_the_population_once_and_loads_a_statistics_file(supervisor, tmp_path, capsys):
    from huhang.monitoring.models import Statistic

    supervisor.username = "demo_supervisor"
    supervisor.save()
    path = tmp_path / "stats.csv"
    header = "indicator,period,value,unit,scope,source_url,source_title,note,confidence\n"
    path.write_text(header + "作品版权登记量 (copyright work registrations),2022,77464,件,Wuhan,,新闻发布会,,press\n")
    call_command("kpi", "demo", "--statistics", str(path))
    call_command("kpi", "demo", "--statistics", str(path))
    assert Statistic.objects.filter(code="resident_population").count() == 1
    assert Statistic.objects.get(indicator="K3").value == 77464
    assert "already recorded 1" in capsys.readouterr().out


def test_the_demo_needs_the_demo_supervisor(db):
    with pytest.raises(CommandError, match="demo-data"):
        call_command("kpi", "demo")
