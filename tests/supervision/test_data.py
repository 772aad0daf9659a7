"""The package data against the source texts: every title and sentence quoted verbatim, and the counts the
texts state (22 tasks in 7 areas; 6 key projects; 38 key work items in 6 areas of 7, 6, 8, 6, 5 and 6)."""

import json
import os
import re
from importlib import resources
from pathlib import Path

import pytest

from huhang.supervision import loader

ROOT = Path(__file__).resolve().parents[2]
# The seed texts sit beside the repository (../shared/seeds) in the project's workspace; elsewhere point
# HUHANG_SEEDS_DIR at a copy.
SEEDS = Path(os.environ.get("HUHANG_SEEDS_DIR", ROOT.parent / "shared" / "seeds"))
CHINESE_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _data(name: str) -> dict:
    return json.loads(resources.files("huhang.supervision").joinpath("data", name).read_text("utf-8"))


def _number(text: str) -> int:
    return int(text) if text.isdigit() else CHINESE_NUMBERS[text]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _quotes(programme: dict):
    for key in ("title_zh", "lead_zh", "period_text_zh", "due_text_zh", "count_quote_zh"):
        yield key, programme[key]
    for area in programme["areas"]:
        for key in ("title_zh", "short_title_zh", "description_zh", "count_quote_zh"):
            yield f"area {area['number']} {key}", area.get(key, "")
        for item in area["items"]:
            yield item["code"], item["title_zh"]
            yield f"{item['code']} description", item.get("description_zh", "")


def test_the_programmes_counts_match_what_their_texts_state():
    plan = _data("plan_2025.json")
    # “七大方面制定了22项工作任务”
    areas, tasks = re.search(r"(\S)大方面制定了(\d+)项工作任务", plan["count_quote_zh"]).groups()
    assert (_number(areas), int(tasks)) == (plan["stated_area_count"], plan["stated_item_count"]) == (7, 22)
    assert len(plan["areas"]) == 7
    projects = plan["areas"][6]
    assert "六大重点工程" in projects["count_quote_zh"] and projects["stated_item_count"] == 6
    assert [i["title_zh"] for i in projects["items"]] == re.search(r"分别为：(.+)。", projects["description_zh"]).group(
        1
    ).split("、")

    fiveyear = _data("fiveyear_2021_2025.json")
    assert _number(re.search(r"包括(\S)个方面", fiveyear["count_quote_zh"]).group(1)) == 6 == len(fiveyear["areas"])
    for area in fiveyear["areas"]:
        stated = int(re.search(r"等\s*(\d+)\s*个方面", area["count_quote_zh"]).group(1))
        assert stated == area["stated_item_count"] == len(area["items"]), area["title_zh"]
    assert sum(len(a["items"]) for a in fiveyear["areas"]) == fiveyear["stated_item_count"] == 38


def test_what_is_loaded_and_what_the_source_leaves_out():
    """17 of the plan's 22 tasks are named in its source (areas 2, 3, 4, 6 and the six key projects); areas 1
    and 5 are described without task titles, so their five tasks are not loaded (docs/supervision.md)."""
    plan = _data("plan_2025.json")
    named = {a["number"]: len(a["items"]) for a in plan["areas"]}
    assert named == {1: 0, 2: 3, 3: 3, 4: 3, 5: 0, 6: 2, 7: 6}
    assert plan["stated_item_count"] - sum(named.values()) == 5
    assert [a["number"] for a in plan["areas"] if not a["titles_in_source"]] == [1, 5]
    assert all(a["description_zh"] for a in plan["areas"] if not a["titles_in_source"])


def test_no_responsible_department_and_no_english_title_is_invented():
    for name in loader.DATA_FILES:
        data = _data(name)
        assert data["title_en"] == ""
        for area in data["areas"]:
            assert area.get("title_en", "") == ""
            for item in area["items"]:
                assert set(item) <= {"code", "title_zh", "description_zh"}, item["code"]


@pytest.mark.parametrize("name", loader.DATA_FILES)
def test_every_text_is_quoted_verbatim_from_its_source(name):
    data = _data(name)
    source = SEEDS / data["source"]
    if not source.is_file():
        pytest.skip(f"the seed text {data['source']} is not in {SEEDS} (set HUHANG_SEEDS_DIR)")
    text = _squeeze(source.read_text("utf-8"))
    missing = [(where, quote) for where, quote in _quotes(data) if quote and _squeeze(quote) not in text]
    assert not missing


def test_the_codes_are_unique_and_follow_the_areas():
    codes = []
    for name in loader.DATA_FILES:
        data = _data(name)
        for area in data["areas"]:
            for n, item in enumerate(area["items"], 1):
                assert item["code"] == f"{data['code_prefix']}-{area['number']}.{n}"
                codes.append(item["code"])
    assert len(codes) == len(set(codes)) == 55
