"""``huhang patents`` through its command class (the app need not be installed for these)."""

import json

import pytest
from django.core.management import CommandError, call_command

from huhang.patents.management.commands.patents import Command
from tests.analytics.conftest import CLASSIFICATION, record, write_jsonl

DOCS = [
    record("CN114081026A", title="一种水电站高压输电线路驱鸟保护装置", ipc=["H02G1/00"], lang="zh"),
    record("CN114034375A", title="一种特高压输电线路噪声测量系统及方法", ipc=["G01H"], lang="zh"),
    record(
        "US5375761", title="Pizza box and method of disposing of used pizza boxes", lang="en", app_date="1994-12-27"
    ),
    record(
        "US0000001", title="Folding carton for baked goods", lang="en", applicants=["Acme Corp."], app_date="1999-02-01"
    ),
]


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def run(*args) -> tuple[str, str]:
    import io

    out, err = io.StringIO(), io.StringIO()
    call_command(Command(), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def loaded(data_dir, tmp_path):
    path = write_jsonl(tmp_path / "docs.jsonl", DOCS)
    out, err = run("load", str(path))
    assert "4 lines: 4 new, 0 updated, 0 skipped" in out
    assert "loading [" in err and "100%" in err
    assert (data_dir / "analytics" / "patents.duckdb").is_file()
    return path


def test_bad_lines_are_reported_and_skipped_only_when_asked(data_dir, tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", [record("A", title="ok"), "{nope", record("B", ipc=["A21D13/"])])
    with pytest.raises(CommandError, match="malformed records"):
        run("load", str(path))
    out, err = run("load", "--skip-bad", str(path))
    assert "2 malformed line(s) skipped" in err
    assert f"{path}:2:" in err and f"{path}:3: ipc[0]: 'A21D13/' is not an IPC code" in err
    assert "3 lines: 1 new, 0 updated, 2 skipped" in out


def test_search_prints_hits_with_marked_passages(loaded):
    out, err = run("search", "--top", "2", "高压输电线路")
    assert "the search index was out of date and has been rebuilt" in err
    assert out.splitlines()[0].split()[1] in {"CN114081026A", "CN114034375A"}
    assert "【高压输电线路】" in out
    out, _ = run("search", "--json", "--top", "1", "pizza", "boxes")
    result = json.loads(out)
    assert result["query"] == "pizza boxes" and result["results"][0]["id"] == "US5375761"
    assert result["results"][0]["passages"][0]["highlights"] == [[0, 5], [6, 9], [42, 47], [48, 53]]


def test_search_queries_file_gives_one_json_line_per_query(loaded, tmp_path):
    queries = write_jsonl(
        tmp_path / "q.jsonl",
        [{"id": "q1", "text": "pizza box"}, {"id": 2, "text": "驱鸟"}, {"id": "q3", "text": "nothing like it"}],
    )
    out, _ = run("search", "--json", "--top", "3", "--queries", str(queries))
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == ["q1", 2, "q3"]
    assert set(lines[0]) == {"id", "results"}
    assert [hit["id"] for hit in lines[0]["results"]] == ["US5375761"]
    assert set(lines[0]["results"][0]) == {"id", "score"} and lines[0]["results"][0]["score"] > 0
    assert [hit["id"] for hit in lines[1]["results"]] == ["CN114081026A"]
    assert lines[2]["results"] == []


def test_malformed_queries_are_reported_with_line_numbers(loaded, tmp_path):
    queries = write_jsonl(tmp_path / "q.jsonl", [{"id": "q1", "text": "pizza"}, {"id": "q2"}])
    with pytest.raises(CommandError, match="malformed queries"):
        run("search", "--json", "--queries", str(queries))
    out, err = run("search", "--json", "--queries", str(queries), "--skip-bad")
    assert f"{queries}:2: text: required" in err
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["q1"]


def test_classify_and_landscape(loaded, data_dir):
    if not CLASSIFICATION.is_dir():
        pytest.skip("the shared classification tables are not beside the repository")
    out, _ = run("reference", str(CLASSIFICATION))
    assert "SEI: 40 industries, 321 rules" in out
    out, _ = run("classify", "--json", "--id", "CN114081026A", "--lang", "en", "--all", "--population", "10000")
    result = json.loads(out)
    assert result["summary"]["patents"] == 4
    assert result["patents"][0]["eligible"]["status"] == "unknown"
    assert result["k2"]["population"] == 10000 and result["k2"]["value"] == 0
    out, err = run("landscape", "ipc", "--level", "subclass")
    assert "H02G\t" in out and "G01H\t" in out
    assert "note: 2 of 4 patents have no IPC code" in err
    out, _ = run("landscape", "year", "--json")
    assert [(r["year"], r["patents"]) for r in json.loads(out)["rows"]] == [(1994, 1), (1999, 1)]


@pytest.mark.django_db
def test_registry_patents_load_with_what_the_registry_knows(data_dir):
    import datetime as dt

    from huhang.analytics import PatentStore
    from huhang.registry.models import Patent

    Patent.objects.create(
        publication_number="CN114081026A",
        title="一种水电站高压输电线路驱鸟保护装置",
        status="valid",
        kind="invention",
        country="CN",
        application_date=dt.date(2012, 3, 1),
        ipc_codes=["H02G1/00"],
        applicant_names=["国网湖北省电力有限公司"],
    )
    out, _ = run("load", "--registry")
    assert "1 lines: 1 new, 0 updated, 0 skipped" in out
    with PatentStore(data_dir / "analytics" / "patents.duckdb") as store:
        patent = store.get("CN114081026A")
    assert (patent["legal_status"], patent["kind"], str(patent["app_date"])) == ("valid", "invention", "2012-03-01")
    assert patent["applicants"] == ["国网湖北省电力有限公司"] and patent["ipc"] == ["H02G1/00"]


@pytest.mark.django_db
def test_classify_registry_writes_back_only_with_write_and_names_the_user(data_dir, handler, entity_factory):
    import datetime as dt

    from huhang.audit.models import AuditEvent
    from huhang.registry.models import Patent

    if not CLASSIFICATION.is_dir():
        pytest.skip("the shared classification tables are not beside the repository")
    run("reference", str(CLASSIFICATION))
    patent = Patent.objects.create(
        application_number="201210012345X", title="一种炒锅", status="valid", kind="invention",
        application_date=dt.date(2012, 3, 1), grant_date=dt.date(2014, 5, 6), ipc_codes=["A47J27/00"],
    )  # fmt: skip
    patent.owners.add(entity_factory())
    with pytest.raises(CommandError, match="give --registry too"):
        run("classify", "--write")
    with pytest.raises(CommandError, match="no user 'nobody'"):
        run("classify", "--registry", "--write", "--as", "nobody")
    _, err = run("classify", "--registry", "--as-of", "2025-12-31")
    assert "1 would change (nothing written: add --write)" in err
    patent.refresh_from_db()
    assert patent.high_value is None and not AuditEvent.objects.filter(action="patents.classify").exists()
    out, err = run(
        "classify", "--registry", "--write", "--as", handler.username, "--as-of", "2025-12-31",
        "--population", "13809100", "--population-source", "武汉市统计公报", "--population-as-of", "2024-12-31",
    )  # fmt: skip
    assert "registry: 1 patents; high-value yes 1, no 0, unknown 0; 1 changed" in err
    assert "writing [" in err and "K2 = 0.00 per 10,000 residents (1 ÷ 13809100 × 10,000" in out
    patent.refresh_from_db()
    assert patent.high_value is True and patent.high_value_reasons[0]["category"] == "maintained"
    assert AuditEvent.objects.get(action="patents.classify").actor == handler
