"""Loading the package data: counts, idempotent re-runs, changed titles with history, refusals."""

import copy

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from huhang.audit.models import AuditEvent
from huhang.supervision import loader
from huhang.supervision.models import Area, Programme, WorkItem

pytestmark = pytest.mark.django_db


def test_loading_creates_the_programmes_areas_and_items_of_the_seeds():
    result = loader.load()
    assert result.created == {"programmes": 2, "areas": 13, "items": 55}
    plan, fiveyear = Programme.objects.order_by("order")
    assert (plan.code, plan.stated_item_count, fiveyear.stated_item_count) == ("demo-zone-2025", 22, 38)
    assert WorkItem.objects.filter(area__programme=plan).count() == 17
    assert WorkItem.objects.filter(area__programme=fiveyear).count() == 38
    assert list(fiveyear.areas.order_by("number").values_list("stated_item_count", flat=True)) == [7, 6, 8, 6, 5, 6]
    project = WorkItem.objects.get(code="DZ-7.4")
    assert project.title_zh == "专利侵权纠纷行政裁决示范工程"
    assert project.description_zh.startswith("推进国家级专利侵权纠纷行政裁决规范化试点建设。")
    assert project.title_en == "" and not project.departments.exists()
    assert str(project.due_on) == "2026-01-31" and "2026年1月" in project.due_text_zh
    assert str(WorkItem.objects.get(code="FY-6.6").due_on) == "2025-12-31"
    assert AuditEvent.objects.filter(action="supervision.loaded").count() == 1


def test_reloading_changes_nothing():
    loader.load()
    versions = WorkItem.history.count()
    result = loader.load()
    assert not result.changed and result.created == {"programmes": 0, "areas": 0, "items": 0}
    assert WorkItem.objects.count() == 55 and Area.objects.count() == 13 and Programme.objects.count() == 2
    assert WorkItem.history.count() == versions
    assert AuditEvent.objects.filter(action="supervision.loaded").count() == 1


def test_a_changed_title_in_the_data_updates_the_item_with_history():
    loader.load()
    data = loader.read_package_data()
    changed = copy.deepcopy(data)
    changed[0]["areas"][1]["items"][0]["title_en"] = "Optimise the system of policies and regulations"
    changed[0]["areas"][1]["items"][0]["title_zh"] = "优化知识产权政策法规体系"
    result = loader.load(programmes=changed)
    assert result.updated == {"programmes": 0, "areas": 0, "items": 1} and result.created["items"] == 0
    item = WorkItem.objects.get(code="DZ-2.1")
    assert item.title_zh == "优化知识产权政策法规体系"
    previous, current = item.history.order_by("history_date")[:2]
    assert previous.title_zh == "优化政策法规体系" and current.title_zh == "优化知识产权政策法规体系"
    assert current.history_change_reason == loader.CHANGE_REASON


def test_an_item_dropped_from_the_data_is_kept_and_reported():
    loader.load()
    data = loader.read_package_data()
    data[1]["areas"][0]["items"].pop()
    result = loader.load(programmes=data)
    assert result.not_in_data == ["FY-1.7"]
    assert WorkItem.objects.filter(code="FY-1.7").exists()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["areas"][1]["items"][0].update(code="DZ 2.1"), "code must look like DZ-2.1"),
        (lambda d: d["areas"][1]["items"][0].update(title_zh=" "), "title_zh is empty"),
        (lambda d: d["areas"][1].update(number=1), "number must be a whole number from 1 to 99, once per programme"),
        (lambda d: d.update(period_end="2026-02-30"), "period_end is not a date"),
        (lambda d: d["areas"][2]["items"][0].update(code="DZ-2.1"), "code DZ-2.1 is also used in"),
        (lambda d: d.update(format=2), "not a work-item file of format 1"),
    ],
)
def test_bad_data_is_refused_with_its_place_and_nothing_is_loaded(mutate, message):
    import json
    from importlib import resources

    raw = json.loads(resources.files("huhang.supervision").joinpath("data", "plan_2025.json").read_text("utf-8"))
    mutate(raw)
    with pytest.raises(loader.DataError, match=r"plan_2025\.json") as refused:
        loader.check_programme(raw, name="plan_2025.json", order=0, seen_codes={})
    assert message in str(refused.value)
    assert not Programme.objects.exists()


def test_the_load_command_is_idempotent_and_honours_if_empty(capsys):
    call_command("supervision", "load")
    assert "items +55" in capsys.readouterr().out
    call_command("supervision", "load", "--if-empty")
    assert "nothing done" in capsys.readouterr().out
    call_command("supervision", "load")
    assert "items +0 ~0" in capsys.readouterr().out
    assert WorkItem.objects.count() == 55


def test_the_load_command_refuses_bad_data(monkeypatch):
    monkeypatch.setattr(loader, "DATA_FILES", ("missing.json",))
    with pytest.raises(CommandError, match=r"missing\.json: cannot be read"):
        call_command("supervision", "load")
    assert not Programme.objects.exists()
