"""Load the programmes, areas and work items shipped as package data (``huhang/supervision/data/*.json``).

Loading is idempotent: rows are found by their keys (a programme's code, an area's number in its programme, an
item's code), created when missing, and changed only where the data differs, each change a history version
("package data"). Re-running with the same data writes nothing. Rows no longer in the data are kept (they
may carry reports) and listed in the result. The data is checked whole before anything is written; a bad
file is refused with the file and the place of the problem, and nothing is loaded.

Every text in the data is quoted from the source texts in ``seeds/`` (see docs/supervision.md); the English
titles are left empty unless an official translation exists, and the pages show the Chinese ones.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from importlib import resources

from django.db import transaction

from huhang.audit.services import audit_record
from huhang.supervision.models import Area, Programme, WorkItem

DATA_FILES = ("plan_2025.json", "fiveyear_2021_2025.json")
FORMAT = 1
CHANGE_REASON = "package data"
_CODE = re.compile(r"[A-Z]{1,6}-\d{1,2}\.\d{1,3}\Z")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,39}\Z")

PROGRAMME_FIELDS = {
    "title_zh": 200,
    "title_en": 200,
    "source": 200,
    "lead_zh": 300,
    "period_text_zh": 200,
    "count_quote_zh": 300,
}
AREA_FIELDS = {"title_zh": 200, "short_title_zh": 50, "title_en": 200, "description_zh": 5000, "count_quote_zh": 300}
ITEM_FIELDS = {"title_zh": 200, "title_en": 200, "description_zh": 5000, "due_text_zh": 200}
REQUIRED = {"title_zh"}


class DataError(ValueError):
    """The package data is malformed; the message names the file and the place."""


@dataclass
class LoadResult:
    created: dict = field(default_factory=lambda: {"programmes": 0, "areas": 0, "items": 0})
    updated: dict = field(default_factory=lambda: {"programmes": 0, "areas": 0, "items": 0})
    not_in_data: list = field(default_factory=list)  # item codes in the database but no longer in the data

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


def read_package_data() -> list[dict]:
    """The programmes of the package data, each checked (DataError on the first problem)."""
    programmes = []
    codes: dict[str, str] = {}
    for order, name in enumerate(DATA_FILES):
        try:
            raw = json.loads(resources.files("huhang.supervision").joinpath("data", name).read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise DataError(f"{name}: cannot be read: {exc}") from None
        programmes.append(check_programme(raw, name=name, order=order, seen_codes=codes))
    return programmes


def _text(obj: dict, key: str, limit: int, where: str) -> str:
    value = obj.get(key, "")
    if not isinstance(value, str):
        raise DataError(f"{where}: {key} must be a string")
    value = value.strip()
    if key in REQUIRED and not value:
        raise DataError(f"{where}: {key} is empty")
    if len(value) > limit:
        raise DataError(f"{where}: {key} is longer than {limit} characters")
    return value


def _date(obj: dict, key: str, where: str) -> dt.date | None:
    value = obj.get(key)
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise DataError(f"{where}: {key} is not a date (YYYY-MM-DD): {value!r}") from None


def _count(obj: dict, key: str, where: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DataError(f"{where}: {key} must be a whole number")
    return value


def check_programme(raw, *, name: str, order: int, seen_codes: dict[str, str]) -> dict:
    """The programme ``raw`` (parsed JSON) checked and normalised; DataError names ``name`` and the place."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise DataError(f"{name}: not a work-item file of format {FORMAT}")
    code = raw.get("code")
    if not isinstance(code, str) or not _SLUG.match(code):
        raise DataError(f"{name}: code must be lower-case letters, digits and hyphens: {code!r}")
    programme = {"code": code, "order": order}
    for key, limit in PROGRAMME_FIELDS.items():
        programme[key] = _text(raw, key, limit, name)
    programme["period_start"] = _date(raw, "period_start", name)
    programme["period_end"] = _date(raw, "period_end", name)
    if programme["period_start"] and programme["period_end"] and programme["period_end"] < programme["period_start"]:
        raise DataError(f"{name}: period_end is before period_start")
    programme["stated_area_count"] = _count(raw, "stated_area_count", name)
    programme["stated_item_count"] = _count(raw, "stated_item_count", name)
    due_on = _date(raw, "items_due_on", name)
    due_text = _text(raw, "due_text_zh", 200, name)
    areas = raw.get("areas")
    if not isinstance(areas, list) or not areas:
        raise DataError(f"{name}: areas must be a non-empty list")
    numbers = set()
    programme["areas"] = []
    for a, area_raw in enumerate(areas, 1):
        where = f"{name}: areas[{a}]"
        if not isinstance(area_raw, dict):
            raise DataError(f"{where}: not an object")
        number = area_raw.get("number")
        if isinstance(number, bool) or not isinstance(number, int) or not 0 < number < 100 or number in numbers:
            raise DataError(f"{where}: number must be a whole number from 1 to 99, once per programme")
        numbers.add(number)
        area = {"number": number, "titles_in_source": bool(area_raw.get("titles_in_source", True))}
        for key, limit in AREA_FIELDS.items():
            area[key] = _text(area_raw, key, limit, where)
        area["stated_item_count"] = _count(area_raw, "stated_item_count", where)
        items = area_raw.get("items")
        if not isinstance(items, list):
            raise DataError(f"{where}: items must be a list")
        area["items"] = []
        for i, item_raw in enumerate(items, 1):
            item_where = f"{where}.items[{i}]"
            if not isinstance(item_raw, dict):
                raise DataError(f"{item_where}: not an object")
            item_code = item_raw.get("code")
            if not isinstance(item_code, str) or not _CODE.match(item_code):
                raise DataError(f"{item_where}: code must look like DZ-2.1: {item_code!r}")
            if item_code in seen_codes:
                raise DataError(f"{item_where}: code {item_code} is also used in {seen_codes[item_code]}")
            seen_codes[item_code] = name
            item = {"code": item_code, "number": i}
            for key, limit in ITEM_FIELDS.items():
                item[key] = _text(item_raw, key, limit, item_where)
            item["due_on"] = _date(item_raw, "due_on", item_where) or due_on
            item["due_text_zh"] = item["due_text_zh"] or due_text
            area["items"].append(item)
        programme["areas"].append(area)
    return programme


def _upsert(model, lookup: dict, values: dict, *, actor, result: LoadResult, kind: str):
    row = model.objects.filter(**lookup).first()
    if row is None:
        row = model(**lookup, **values)
        row._history_user = actor
        row._change_reason = CHANGE_REASON
        row.save()
        result.created[kind] += 1
        return row
    changed = [key for key, value in values.items() if getattr(row, key) != value]
    if changed:
        for key in changed:
            setattr(row, key, values[key])
        row._history_user = actor
        row._change_reason = CHANGE_REASON
        row.save()
        result.updated[kind] += 1
    return row


@transaction.atomic
def load(*, actor=None, programmes: list[dict] | None = None) -> LoadResult:
    """Load ``programmes`` (default: the package data) idempotently; return what was created and changed."""
    programmes = read_package_data() if programmes is None else programmes
    result = LoadResult()
    loaded_codes = set()
    for data in programmes:
        values = {k: v for k, v in data.items() if k not in ("code", "areas")}
        programme = _upsert(Programme, {"code": data["code"]}, values, actor=actor, result=result, kind="programmes")
        for area_data in data["areas"]:
            values = {k: v for k, v in area_data.items() if k not in ("number", "items")}
            area = _upsert(
                Area,
                {"programme": programme, "number": area_data["number"]},
                values,
                actor=actor,
                result=result,
                kind="areas",
            )
            for item_data in area_data["items"]:
                values = {"area": area, **{k: v for k, v in item_data.items() if k != "code"}}
                _upsert(WorkItem, {"code": item_data["code"]}, values, actor=actor, result=result, kind="items")
                loaded_codes.add(item_data["code"])
    result.not_in_data = sorted(
        WorkItem.objects.filter(area__programme__code__in=[p["code"] for p in programmes])
        .exclude(code__in=loaded_codes)
        .values_list("code", flat=True)
    )
    if result.changed:
        audit_record(
            actor=actor,
            action="supervision.loaded",
            target="package-data",
            details={"created": result.created, "updated": result.updated, "not_in_data": result.not_in_data},
        )
    return result
