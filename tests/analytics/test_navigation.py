import pytest

from huhang.analytics import HighValueConfig, StoreError, classify
from huhang.analytics import navigation as nav
from tests.analytics.conftest import record


def patent(id, year, ipc, applicants, region=None, country="CN"):
    extra = {"applicant_region": region} if region else {}
    return record(id, title=id, ipc=ipc, applicants=applicants, app_date=f"{year}-06-01", country=country, extra=extra)


# Known numbers: H04W has P1, P2, P3, P5 (P2 twice) -> 4; G06F has P1, P4 -> 2; A01B has P6 -> 1.
# Main groups: H04W4/00 <- P1 (H04W4/12), P2 (H04W4/02, H04W4/12), P5 (H04W4/00) -> 3; H04W72/00 <- P3 -> 1.
# P7 has no IPC code; P6's only code is a subclass (coarser than a main group).
SET = [
    patent("P1", 2019, ["H04W4/12", "G06F17/30"], ["ACME Corp."], "湖北"),
    patent("P2", 2020, ["H04W4/02", "H04W4/12"], ["Acme Corporation"], "湖北"),
    patent("P3", 2021, ["H04W72/04"], ["Beta Ltd"], "北京"),
    patent("P4", 2021, ["G06F3/01"], ["beta ltd.", "ACME CORP"], None, "US"),
    patent("P5", 2022, ["H04W4/00"], ["Gamma"], "湖北"),
    patent("P6", 2022, ["A01B"], [], "湖北"),
    record("P7", title="P7", applicants=["Gamma"]),
]


@pytest.fixture
def nav_store(ref_store):
    ref_store.load_records(SET, source="test")
    return ref_store


def rows(landscape, *keys):
    return [tuple(row[key] for key in keys) for row in landscape.rows]


def test_counts_by_ipc_subclass_with_chinese_titles(nav_store):
    result = nav.by_ipc(nav_store, level="subclass")
    assert rows(result, "code", "patents") == [("H04W", 4), ("G06F", 2), ("A01B", 1)]
    assert result.rows[0]["title"] == "无线通信网络" and result.rows[0]["title_lang"] == "zh"
    assert result.rows[0]["share"] == round(4 / 7, 4)
    assert result.notes == ["1 of 7 patents have no IPC code"]


def test_counts_by_main_group_leave_out_coarser_codes(nav_store):
    result = nav.by_ipc(nav_store, level="main_group", top=2)
    assert rows(result, "code", "patents") == [("H04W4/00", 3), ("G06F17/00", 1)]
    assert "1 of 7 patents have IPC codes only coarser than main_group and are not counted" in result.notes


def test_applicants_are_grouped_on_their_key(nav_store):
    result = nav.by_applicant(nav_store, top=3)
    assert rows(result, "patents", "first_year", "last_year") == [(3, 2019, 2021), (2, 2021, 2021), (2, 2022, 2022)]
    assert result.rows[0]["applicant"] in {"ACME Corp.", "Acme Corporation", "ACME CORP"}
    assert result.notes == ["1 of 7 patents name no applicant"]


def test_years_regions_and_offices(nav_store):
    assert rows(nav.by_year(nav_store), "year", "patents") == [(2019, 1), (2020, 1), (2021, 2), (2022, 2)]
    assert nav.by_year(nav_store).notes == ["1 of 7 patents have no application date"]
    assert rows(nav.by_region(nav_store), "region", "patents") == [("湖北", 4), ("北京", 1)]
    assert rows(nav.by_region(nav_store, field="country"), "country", "patents") == [("CN", 5), ("US", 1)]


def test_filters_combine(nav_store):
    filtered = nav.Filters(year_from=2020, year_to=2021, ipc="H04W")
    assert rows(nav.by_ipc(nav_store, filters=filtered), "code", "patents") == [("H04W", 2)]
    assert nav.by_year(nav_store, filters=nav.Filters(ipc="H04W4/00")).total == 3
    assert nav.by_year(nav_store, filters=nav.Filters(ipc="H04W4/12")).total == 2
    assert nav.by_year(nav_store, filters=nav.Filters(applicant="acme corporation")).total == 3
    assert nav.by_year(nav_store, filters=nav.Filters(region="北京")).total == 1
    with pytest.raises(StoreError):
        nav.Filters(ipc="nonsense")


def test_trends_per_group(nav_store):
    result = nav.trend(nav_store, dimension="ipc", level="subclass", top=1)
    assert rows(result, "key", "year", "patents") == [
        ("H04W", 2019, 1),
        ("H04W", 2020, 1),
        ("H04W", 2021, 1),
        ("H04W", 2022, 1),
    ]
    chosen = nav.trend(nav_store, dimension="applicant", keys=["Beta Ltd."])
    assert rows(chosen, "key", "year", "patents") == [("beta", 2021, 2)]


def test_fastest_growing_groups(nav_store):
    # windows of 2 years ending 2022: previous 2019–2020, recent 2021–2022
    result = nav.fastest_growing_ipc(nav_store, level="subclass", end_year=2022, window=2, min_base=1)
    assert rows(result, "code", "previous", "recent", "growth") == [("G06F", 1, 1, 0.0), ("H04W", 2, 2, 0.0)]
    assert (
        nav.fastest_growing_ipc(nav_store, level="subclass", end_year=2022, window=2, min_base=2).rows[0]["code"]
        == "H04W"
    )
    grown = nav.fastest_growing_ipc(nav_store, level="subclass", end_year=2022, window=1, min_base=1)
    # windows of 1 year: previous 2021 (P3, P4), recent 2022 (P5)
    assert rows(grown, "code", "previous", "recent", "increase", "growth") == [
        ("H04W", 1, 1, 0, 0.0),
        ("G06F", 1, 0, -1, -1.0),
    ]


def test_industries_need_the_classification(nav_store):
    with pytest.raises(StoreError, match="classification"):
        nav.by_industry(nav_store)
    classify(nav_store, HighValueConfig())
    result = nav.by_industry(nav_store)
    assert len(result.rows) == 40
    counted = {row["sei_code"]: row["patents"] for row in result.rows}
    expected = dict(
        nav_store.query("SELECT sei_code, count(DISTINCT patent_id) FROM hv_sei WHERE status = 'yes' GROUP BY 1")
    )
    assert {code: n for code, n in counted.items() if n} == expected
