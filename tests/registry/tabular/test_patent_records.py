"""Loading real published patent records (JSON Lines) into the patent register."""

import json
from itertools import islice
from pathlib import Path

import pytest

from huhang.audit.models import AuditEvent
from huhang.registry.models import Patent
from huhang.registry.tabular.patent_records import patents_load, repair_ipc

pytestmark = pytest.mark.django_db

# The shared data folder is a sibling of the repository; its files are read at run time, never copied in.
DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "patents"
CN_TITLES = DATA / "cn_titles_ipc_lxingy3.jsonl"
PIZZA = DATA / "en_patentscope_pizza_wipo.jsonl"
KPPATENT = DATA / "cn_abstracts_kppatent_zh.jsonl"
SAMPLE = 20


def lines(path: Path, count: int = SAMPLE) -> list[str]:
    if not path.is_file():
        pytest.skip(f"the shared patent data is absent: {path.resolve()} (a sibling 'shared' folder of the repo)")
    with path.open(encoding="utf-8") as handle:
        return list(islice(handle, count))


def first_line_where(path: Path, test) -> str:
    with path.open(encoding="utf-8") as handle:
        return next(line for line in handle if test(json.loads(line)))


@pytest.fixture
def sample(tmp_path):
    """20 Chinese and 20 multi-office records, one with versioned IPC codes, one unnumbered, one repeated."""
    cn, pizza = lines(CN_TITLES), lines(PIZZA)
    versioned = first_line_where(PIZZA, lambda r: any(code.endswith("20060101") for code in r["ipc"]))
    unnumbered = lines(KPPATENT, 1)
    path = tmp_path / "sample.jsonl"
    path.write_text("".join([*cn, *pizza, versioned, *unnumbered, cn[0], "\n", "not json\n"]), encoding="utf-8")
    return {"path": path, "cn": [json.loads(x) for x in cn], "pizza": [json.loads(x) for x in pizza]}


def test_real_records_are_loaded(handler, sample):
    summary = patents_load(actor=handler, path=sample["path"])

    assert summary.created == 2 * SAMPLE + 1
    assert summary.skipped == {"not_numbered": 1, "repeated": 1, "not_json": 1}
    assert summary.examples["not_numbered"] == ["kppatent-zh-test-0000"]
    assert summary.notes["ipc_repaired"] >= 1
    first = sample["cn"][0]
    patent = Patent.objects.get(publication_number=first["id"])
    assert patent.title == first["title"]
    assert patent.ipc_codes == first["ipc"]
    assert patent.ipc_main == first["ipc"][0]
    assert patent.country == "CN"
    assert patent.status == "unknown"
    assert patent.kind in {"invention", "utility_model", "design"}
    record = sample["pizza"][0]
    foreign = Patent.objects.get(publication_number=record["id"])
    assert foreign.applicant_names == record["applicants"]
    assert foreign.country == record["country"]
    assert all(
        code == code.strip() and not code.endswith("20060101") for p in Patent.objects.all() for code in p.ipc_codes
    )


def test_loading_again_changes_nothing(handler, sample):
    patents_load(actor=handler, path=sample["path"])
    again = patents_load(actor=handler, path=sample["path"])

    assert again.created == 0
    assert again.already_present == 2 * SAMPLE + 1
    assert Patent.objects.count() == 2 * SAMPLE + 1


def test_history_and_one_audit_event_per_file(handler, sample):
    summary = patents_load(actor=handler, path=sample["path"])

    assert Patent.history.count() == summary.created
    assert set(Patent.history.values_list("history_user", flat=True)) == {handler.pk}
    event = AuditEvent.objects.get(action="registry.load_patents")
    assert event.actor == handler
    assert event.details["file"] == "sample.jsonl"
    assert event.details["created"] == summary.created
    assert event.details["skipped"] == {"not_numbered": 1, "repeated": 1, "not_json": 1}


def test_only_registry_editors_load(supervisor, sample):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        patents_load(actor=supervisor, path=sample["path"])
    assert Patent.objects.count() == 0


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("H04W 4/12", ("H04W4/12", False)),
        ("A21D13/0020060101", ("A21D13/00", True)),
        ("A61K39/09520060101", ("A61K39/095", True)),
        ("A21D13/", ("A21D13", True)),
        ("A21D/", ("A21D", True)),
        ("A61K36//60", ("A61K36/60", True)),
        ("6A21D13/08", ("A21D13/08", True)),
        ("6A21C9/04,A23P1/08", (None, False)),
        ("nonsense", (None, False)),
    ],
)
def test_repair_ipc(code, expected):
    assert repair_ipc(code) == expected
