import csv
import shutil

import pytest

from huhang.analytics import PatentStore, ReferenceDataError, load_reference
from tests.analytics.conftest import CLASSIFICATION


def test_the_tables_load_with_the_english_fallback(ref_store):
    titles = dict(
        ref_store.query(
            "SELECT code, title || ' / ' || title_lang FROM ref_ipc WHERE code IN ('H04W4/12', 'A24F1/00', 'A01B1/00')"
        )
    )
    assert titles["H04W4/12"] == "消息传送；邮箱；通告 / zh"
    assert titles["A24F1/00"] == "Tobacco pipes / en"  # A24F is incomplete in the CNIPA table
    assert titles["A01B1/00"] == "手动工具 / zh"  # the cross-reference （草坪修整机入A01G3/06） is dropped
    assert ref_store.query("SELECT count(*) FROM ref_sei_industry")[0][0] == 40
    assert ref_store.query("SELECT count(*) FROM ref_sei_rule WHERE is_exclusion")[0][0] == 6
    with (CLASSIFICATION / "sei2021_ipc_concordance.csv").open(encoding="utf-8", newline="") as file:
        rows = sum(1 for _ in csv.DictReader(file))
    assert ref_store.query("SELECT count(*) FROM ref_sei_concordance")[0][0] == rows
    assert ref_store.query("SELECT term FROM ref_sei_term WHERE rule_id = 52") == [("航天",)]


def test_a_missing_file_or_column_is_refused(tmp_path, classification_dir):
    copy = tmp_path / "classification"
    shutil.copytree(classification_dir, copy)
    (copy / "sei2021_industries.csv").unlink()
    with PatentStore(tmp_path / "s.duckdb") as store:
        with pytest.raises(ReferenceDataError, match=r"sei2021_industries\.csv is missing"):
            load_reference(store, copy)
        shutil.copy(classification_dir / "sei2021_industries.csv", copy)
        text = (copy / "sei2021_ipc_concordance.csv").read_text(encoding="utf-8")
        (copy / "sei2021_ipc_concordance.csv").write_text(text.replace("sei_rule_id", "rule", 1), encoding="utf-8")
        with pytest.raises(ReferenceDataError, match="lacks the column"):
            load_reference(store, copy)
        assert not store.has_reference()
