import datetime as dt

import pytest

from huhang.analytics import HighValueConfig, Population, StoreError, assess, classify, high_value, k2
from tests.analytics.conftest import record

AS_OF = dt.date(2025, 6, 30)


def pick(store, sql):
    rows = store.query(sql)
    assert rows, sql
    return rows[0]


@pytest.fixture
def codes(ref_store):
    """IPC codes chosen from the real concordance by what the rules say about them."""
    plain = pick(
        ref_store,
        """SELECT ipc_code FROM ref_sei_concordance WHERE ipc_level = 'subgroup' GROUP BY ipc_code
        HAVING NOT bool_or(has_keywords) ORDER BY ipc_code LIMIT 1""",
    )[0]
    keyed, term = pick(
        ref_store,
        """SELECT c.ipc_code, t.term FROM ref_sei_concordance c JOIN ref_sei_term t ON t.rule_id = c.rule_id
        WHERE c.ipc_level = 'subgroup' AND c.rule_id = 91 AND t.term_no = 1
          AND c.ipc_code IN (SELECT ipc_code FROM ref_sei_concordance GROUP BY ipc_code HAVING count(*) = 1)
        ORDER BY c.ipc_code LIMIT 1""",
    )
    excluded = pick(
        ref_store,
        """SELECT ipc_code FROM ref_sei_concordance WHERE rule_id = 52 AND ipc_level = 'subgroup'
          AND ipc_code IN (SELECT ipc_code FROM ref_sei_concordance GROUP BY ipc_code HAVING count(*) = 1)
        ORDER BY ipc_code LIMIT 1""",
    )[0]
    coarse = pick(
        ref_store,
        """SELECT prefix FROM ref_sei_prefix WHERE length(prefix) = 4
          AND prefix NOT IN (SELECT ipc_code FROM ref_sei_concordance) ORDER BY prefix LIMIT 1""",
    )[0]
    outside = pick(
        ref_store,
        """SELECT code FROM ref_ipc WHERE level = 'subgroup'
          AND left(code, 4) NOT IN (SELECT prefix FROM ref_sei_prefix) ORDER BY code LIMIT 1""",
    )[0]
    return {"plain": plain, "keyed": keyed, "term": term, "excluded": excluded, "coarse": coarse, "outside": outside}


def valid_cn(id, **fields):
    extra = {"kind": "invention", "legal_status": "valid", **fields.pop("extra", {})}
    return record(id, country="CN", lang="zh", extra=extra, **fields)


@pytest.fixture
def classified(ref_store, codes):
    c = codes
    records = [
        valid_cn(
            "ALL-FIVE",
            title="一种装置",
            ipc=[c["plain"]],
            app_date="2010-05-01",
            extra={
                "family_numbers": "CN101234567B; US8000001B2; WO2010000001A1",
                "pledge_amount": 5_000_000,
                "awards": ["第二十届中国专利金奖"],
            },
        ),
        valid_cn(
            "KEY-HIT",
            title="一种装置",
            abstract=f"本发明涉及{c['term']}的提纯。",
            ipc=[c["keyed"]],
            app_date="2021-01-01",
        ),
        valid_cn(
            "ALL-NO",
            title="一种装置",
            abstract="本发明涉及一种普通的机械结构。",
            ipc=[c["keyed"]],
            app_date="2020-03-01",
            extra={"family_size": 1, "pledge_amount": 0, "awards": []},
        ),
        valid_cn("KEY-TITLE", title="一种装置", ipc=[c["keyed"]]),
        record("US-KEY", title="An apparatus", abstract="An apparatus.", ipc=[c["keyed"]], country="US", lang="en"),
        valid_cn("EXCLUDED", title="一种航天器姿态控制装置", abstract="用于航天器。", ipc=[c["excluded"]]),
        valid_cn("NOT-EXCLUDED", title="一种飞机机翼", abstract="用于民航飞机。", ipc=[c["excluded"]]),
        valid_cn("COARSE", title="一种装置", ipc=[c["coarse"]]),
        valid_cn("NO-IPC", title="一种装置"),
        valid_cn("OUTSIDE", title="一种装置", abstract="无关。", ipc=[c["outside"]]),
        record("BARE", title="一种装置", country="CN"),
        record("OLD-UNKNOWN", title="一种装置", country="CN", app_date="2012-01-01", extra={"kind": "invention"}),
        record("EXPIRED", title="一种装置", country="CN", app_date="2000-01-01", extra={"kind": "invention"}),
        valid_cn("UTILITY", title="一种装置", ipc=[c["plain"]], extra={"kind": "utility_model"}),
        valid_cn("PLEDGED", title="一种装置", extra={"pledge_amount": 20_000_000, "awards": ["湖北省科学技术进步奖"]}),
        valid_cn(
            "ABROAD-PENDING", title="一种装置", extra={"family_numbers": ["CN1", "EP3000001A1", "US20200000001A1"]}
        ),
    ]
    ref_store.load_records(records, source="test")
    summary = classify(ref_store, HighValueConfig(as_of=AS_OF, pledge_threshold=1_000_000))
    return ref_store, summary


def status(store, patent_id):
    found = assess(store, patent_id)
    return {name: result.status for name, result in found.categories.items()} | {
        "eligible": found.eligible.status,
        "high_value": found.high_value,
    }


def test_all_five_categories_with_their_reasons(classified, codes):
    store, _ = classified
    found = assess(store, "ALL-FIVE")
    assert found.matched == ["sei", "family", "maintained", "pledge", "award"]
    assert found.high_value == "yes" and found.eligible.status == "yes"
    texts = {name: [f.text_en for f in result.findings] for name, result in found.categories.items()}
    assert texts["sei"][0].startswith(f"{codes['plain']} → ") and "no keyword condition" in texts["sei"][0]
    assert texts["family"] == ["family members granted in US"]
    assert texts["maintained"] == ["filed 2010-05-01 and in force: 15.2 years by 2025-06-30"]
    assert texts["pledge"] == ["pledged for 5,000,000 yuan, above 1,000,000"]
    assert texts["award"] == ["awarded: 第二十届中国专利金奖"]
    assert found.categories["award"].findings[0].text_zh == "获奖：第二十届中国专利金奖"


def test_no_is_said_only_when_the_record_shows_it(classified):
    store, _ = classified
    assert status(store, "ALL-NO") == {
        "sei": "no",
        "family": "no",
        "maintained": "no",
        "pledge": "no",
        "award": "no",
        "eligible": "yes",
        "high_value": "no",
    }
    bare = status(store, "BARE")
    assert {bare[name] for name in high_value.CATEGORIES} == {"unknown"}
    assert bare["eligible"] == "unknown" and bare["high_value"] == "unknown"
    reasons = [f.text_en for f in assess(store, "BARE").eligible.findings]
    assert reasons == [
        "published by CNIPA (CN)",
        "the kind of patent is not in the record",
        "the legal status is not in the record",
    ]


def test_sei_keyword_conditions(classified, codes):
    store, _ = classified
    hit = assess(store, "KEY-HIT").categories["sei"]
    assert hit.status == "yes"
    assert hit.findings[0].code == "sei_keyword_found" and hit.findings[0].details["term"] == codes["term"]
    assert f"keyword “{codes['term']}” found" in hit.findings[0].text_en
    assert assess(store, "ALL-NO").categories["sei"].findings[0].code == "sei_keyword_absent"
    title_only = assess(store, "KEY-TITLE").categories["sei"]
    assert (title_only.status, title_only.findings[0].code) == ("unknown", "sei_title_only")
    english = assess(store, "US-KEY").categories["sei"]
    assert (english.status, english.findings[0].code) == ("unknown", "sei_not_chinese")


def test_sei_exclusions(classified):
    store, _ = classified
    excluded = assess(store, "EXCLUDED").categories["sei"]
    assert (excluded.status, excluded.findings[0].code, excluded.findings[0].details["term"]) == (
        "no",
        "sei_excluded",
        "航天",
    )
    kept = assess(store, "NOT-EXCLUDED").categories["sei"]
    assert (kept.status, kept.findings[0].code) == ("yes", "sei_not_excluded")
    assert kept.findings[0].details["sei_code"] == "2.2"


def test_sei_without_precise_codes(classified, codes):
    store, _ = classified
    coarse = assess(store, "COARSE").categories["sei"]
    assert coarse.status == "unknown" and coarse.findings[0].code == "sei_coarse_ipc"
    rows = store.query("SELECT rows FROM ref_sei_prefix WHERE prefix = ?", [codes["coarse"]])[0][0]
    assert coarse.findings[0].details["rows"] == rows
    assert assess(store, "NO-IPC").categories["sei"].findings[0].code == "no_ipc"
    outside = assess(store, "OUTSIDE").categories["sei"]
    assert (outside.status, outside.findings[0].code) == ("no", "no_concordance")


def test_dates_status_and_kind(classified):
    store, _ = classified
    assert status(store, "OLD-UNKNOWN")["maintained"] == "unknown"
    expired = assess(store, "EXPIRED")
    assert expired.eligible.status == "no" and expired.high_value == "no"
    assert expired.eligible.findings[2].text_en == "filed 2000-01-01: the 20-year term ended on 2020-01-01"
    assert status(store, "UTILITY")["eligible"] == "no" and status(store, "UTILITY")["high_value"] == "no"
    assert status(store, "US-KEY")["eligible"] == "no"
    assert status(store, "KEY-HIT")["maintained"] == "no"
    assert [f.code for f in assess(store, "PLEDGED").categories["award"].findings] == ["award_not_national"]
    pending = assess(store, "ABROAD-PENDING").categories["family"]
    assert pending.status == "unknown" and pending.findings[0].details["offices"] == ["EP", "US"]


def test_pledge_threshold_is_configurable(classified):
    store, _ = classified
    assert status(store, "PLEDGED")["pledge"] == "yes"
    classify(store, HighValueConfig(as_of=AS_OF))
    no_threshold = assess(store, "PLEDGED").categories["pledge"]
    assert no_threshold.status == "unknown" and no_threshold.findings[0].code == "pledge_no_threshold"
    assert status(store, "ALL-NO")["pledge"] == "no"
    classify(store, HighValueConfig(as_of=AS_OF, pledge_threshold=20_000_000))
    assert status(store, "PLEDGED")["pledge"] == "no"
    assert not high_value.is_current(store, HighValueConfig(as_of=AS_OF))
    assert high_value.is_current(store, HighValueConfig(as_of=AS_OF, pledge_threshold=20_000_000))


def test_summary_counts_match_the_results(classified):
    store, summary = classified
    assert summary.patents == 16
    for category in high_value.CATEGORIES:
        assert sum(summary.categories[category].values()) == 16
    yes = {row[0] for row in store.query("SELECT id FROM hv_result WHERE high_value = 'yes'")}
    assert yes == {"ALL-FIVE", "KEY-HIT", "NOT-EXCLUDED", "PLEDGED"}
    assert summary.high_value["yes"] == 4


def test_k2_from_the_population_statistic(classified):
    store, summary = classified
    population = Population(13_809_100, "2024-12-31", "武汉市2024年国民经济和社会发展统计公报")
    everything = k2(store, population)
    assert everything.high_value == 4 and everything.unknown == summary.high_value["unknown"]
    assert everything.value == pytest.approx(4 / 13_809_100 * 10_000)
    assert everything.upper_bound == pytest.approx((4 + everything.unknown) / 13_809_100 * 10_000)
    some = k2(store, population, patent_ids=["ALL-FIVE", "ALL-NO", "BARE"])
    assert (some.high_value, some.unknown) == (1, 1)
    none = k2(store, population, patent_ids=[])
    assert (none.high_value, none.unknown, none.value) == (0, 0, 0)
    many = k2(store, population, patent_ids=[f"ABSENT-{n}" for n in range(20_000)] + ["ALL-FIVE"])
    assert (many.high_value, many.unknown) == (1, 0)  # a city's worth of ids in one query, not one insert each
    with pytest.raises(StoreError):
        Population(0, "", "")


def test_classification_needs_the_reference_tables(store):
    with pytest.raises(StoreError, match="reference"):
        classify(store)


def test_assess_many_gives_what_assess_gives_for_each(classified):
    from huhang.analytics import assess_many

    store, summary = classified
    ids = [row[0] for row in store.query("SELECT id FROM patents ORDER BY id")]
    many = assess_many(store, [*ids, "NOT-IN-THE-STORE"])
    assert sorted(many) == ids and len(ids) == summary.patents
    for patent_id in ids:
        assert many[patent_id] == assess(store, patent_id)
    assert assess_many(store, []) == {}
