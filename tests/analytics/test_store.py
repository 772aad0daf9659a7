import pytest

from huhang.analytics import LoadError, PatentStore, StoreError
from tests.analytics.conftest import head, record, write_jsonl


def test_loading_the_real_files(tmp_path, ref_store, patents_dir):
    """A slice of every real file (the whole of the smallest), loaded in one go with bad lines skipped."""
    files = [head(path, tmp_path / path.name, 300) for path in sorted(patents_dir.glob("*.jsonl"))]
    files.append(patents_dir / "en_synbio_oldham.jsonl")
    seen = []
    report = ref_store.load_files(files, skip_bad=True, progress=lambda done, total: seen.append((done, total)))
    assert report.lines == 300 * 8 + 644
    assert ref_store.count() == report.inserted
    # the pizza slice has truncated IPC codes (line 35: A47J27/0), reported with their line
    assert any(
        p.line == 35 and "A47J27/0" in p.message and p.source.endswith("pizza_wipo.jsonl") for p in report.problems
    )
    # the synbio slice and the whole file share 300 records: reported as repeats, stored once
    assert report.updated == 0 and len(report.duplicates) == 300
    assert ref_store.count() == 300 * 8 + 644 - 300 - report.skipped
    assert ref_store.load_files([patents_dir / "en_synbio_oldham.jsonl"]).updated == 644
    # old IPC codes are loaded and reported as unknown to the current tables
    assert report.ipc_checked and "G06F19/00" in report.unknown_ipc_codes
    assert seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)
    levels = dict(ref_store.query("SELECT level, count(*) FROM patent_ipc GROUP BY 1"))
    assert levels["subclass"] > 0 and levels["subgroup"] > 0


def test_a_bad_file_is_reported_by_line_and_nothing_is_written(tmp_path, store):
    path = write_jsonl(
        tmp_path / "bad.jsonl",
        [record("A", title="ok"), "{broken", record("B", ipc=["A21D13/"]), record("C", title="ok"), {"title": "no id"}],
    )
    with pytest.raises(LoadError) as caught:
        store.load_files([path])
    assert [(p.line, p.field) for p in caught.value.problems] == [(2, ""), (3, "ipc[0]"), (5, "id")]
    assert "3 malformed line(s)" in str(caught.value) and f"{path}:3: ipc[0]:" in str(caught.value)
    assert store.count() == 0 and store.data_version == 0


def test_bad_lines_are_skipped_only_when_asked(tmp_path, store):
    path = write_jsonl(tmp_path / "bad.jsonl", [record("A", title="ok"), "{broken", record("C", title="ok")])
    report = store.load_files([path], skip_bad=True)
    assert (report.inserted, report.skipped) == (2, 1)
    assert [p.line for p in report.problems] == [2]
    assert sorted(r[0] for r in store.query("SELECT id FROM patents")) == ["A", "C"]


def test_reloading_updates_and_never_duplicates(tmp_path, store):
    first = write_jsonl(
        tmp_path / "a.jsonl", [record("A", title="old", ipc=["G06F17/30"], applicants=["X"]), record("B")]
    )
    assert store.load_files([first]).inserted == 2
    version = store.data_version
    again = store.load_files([first])
    assert (again.inserted, again.updated) == (0, 2) and store.count() == 2
    changed = write_jsonl(tmp_path / "b.jsonl", [record("A", title="new", ipc=["H04W4/12"], applicants=["Y", "Z"])])
    store.load_files([changed])
    assert store.count() == 2 and store.data_version == version + 2
    patent = store.get("A")
    assert patent["title"] == "new" and patent["ipc"] == ["H04W4/12"] and patent["applicants"] == ["Y", "Z"]
    assert store.query("SELECT count(*) FROM patent_ipc WHERE patent_id = 'A'")[0][0] == 1


def test_unknown_ipc_codes_are_reported_with_lines(tmp_path, ref_store):
    path = write_jsonl(
        tmp_path / "u.jsonl", [record("A", ipc=["H04W4/12"]), record("B", ipc=["G06F17/30", "H04W4/12"])]
    )
    report = ref_store.load_files([path])
    assert report.unknown_ipc_codes == {"G06F17/30": 1}
    assert [(p.line, p.field) for p in report.unknown_ipc] == [(2, "ipc")]


def test_without_reference_tables_codes_are_not_checked(tmp_path, store):
    report = store.load_files([write_jsonl(tmp_path / "u.jsonl", [record("A", ipc=["G06F17/30"])])])
    assert not report.ipc_checked and report.unknown_ipc == []


def test_records_from_elsewhere_use_their_position(store):
    report = store.load_records([record("R1", title="x"), {"id": ""}], skip_bad=True, source="registry")
    assert report.inserted == 1 and str(report.problems[0]) == "registry:2: id: required: a non-empty string"


def test_missing_files_and_read_only_stores(tmp_path, store):
    with pytest.raises(StoreError, match="no such file"):
        store.load_files([tmp_path / "nothing.jsonl"])
    with pytest.raises(StoreError, match="no analytical store"):
        PatentStore(tmp_path / "absent.duckdb", read_only=True)
