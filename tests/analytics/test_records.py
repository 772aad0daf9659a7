import json

from huhang.analytics.records import parse_line, parse_record, read_jsonl
from tests.analytics.conftest import record, write_jsonl


def problems_of(data, **kw):
    return [(p.field, p.message) for p in parse_record(data, source="f.jsonl", line=7).problems]


def test_a_good_record_is_normalised():
    parsed = parse_record(
        record(
            "CN114081026A",
            title=" 一种水电站高压输电线路驱鸟保护装置 ",
            ipc=["a01m 29/00", "G06F", "G06F"],
            applicants=["  Acme   Corp. ", ""],
            pub_number="CN114081026A",
            extra={"pub_date": "2022-03-01"},
        ),
        source="f.jsonl",
        line=1,
    )
    row = parsed.row
    assert parsed.problems == []
    assert row.title == "一种水电站高压输电线路驱鸟保护装置"
    assert row.ipc == ["A01M29/00", "G06F"]
    assert row.applicants == ["Acme Corp."]
    assert row.country == "CN" and row.kind == "invention" and row.lang == "zh"
    assert row.pub_date == "2022-03-01"


def test_every_problem_of_a_line_is_reported_with_its_field():
    found = problems_of(
        {
            "id": "X1",
            "title": 5,
            "ipc": ["A21D13/", "G06F"],
            "app_date": "2019-13-01",
            "colour": "red",
            "extra": {"pledge_amount": -3},
        }
    )
    assert ("colour", "not a field of the patent schema") in found
    assert ("title", "expected a string or null, got a number") in found
    assert any(field == "ipc[0]" and "'A21D13/'" in message for field, message in found)
    assert any(field == "app_date" for field, _ in found)
    assert ("extra.pledge_amount", "expected a non-negative amount in yuan") in found
    assert problems_of({"title": "no id"}) == [("id", "required: a non-empty string")]


def test_lines_that_are_not_json_objects():
    assert parse_line("{oops", source="f", line=3).problems[0].message.startswith("not valid JSON")
    assert parse_line("[1, 2]", source="f", line=3).problems[0].message == "expected a JSON object, got a list"
    assert "not UTF-8" in parse_line(b"\xff\xfe", source="f", line=3).problems[0].message


def test_read_jsonl_numbers_lines_and_skips_blank_ones(tmp_path):
    path = write_jsonl(tmp_path / "r.jsonl", [record("A", title="a"), "", "not json", record("B", title="b")])
    out = [(number, bool(parsed.row)) for number, _, parsed in read_jsonl(str(path))]
    assert out == [(1, True), (3, False), (4, True)]


def test_family_members_granted_abroad_are_read_from_kind_codes():
    row = parse_record(
        record(
            "EP784692A1", extra={"family_numbers": "AU707782B2; CA2201487A1; CN1169161A; EP784692A1; WO1996011280A1"}
        ),
        source="f",
    ).row
    assert row.country == "EP"
    assert row.family_foreign == ["AU", "CA", "CN"]
    assert row.family_foreign_granted == ["AU"]


def test_family_countries_without_grants_and_unknown_family():
    row = parse_record(record("AT199301479A", country="AT", extra={"family_countries": "AT; EP"}), source="f").row
    assert row.family_foreign == ["EP"] and row.family_foreign_granted == []
    alone = parse_record(record("AT1", country="AT", extra={"family_size": "1"}), source="f").row
    assert alone.family_foreign == []
    assert parse_record(record("AT2", country="AT"), source="f").row.family_foreign is None


def test_awards_none_given_empty_and_national():
    def national(extra):
        return parse_record(record("CN1", extra=extra), source="f").row.national_awards

    assert national({}) is None
    assert national({"awards": []}) == []
    assert national({"awards": ["湖北省科学技术进步奖一等奖"]}) == []
    assert national({"awards": "第二十三届中国专利金奖; 湖北省专利奖"}) == ["第二十三届中国专利金奖"]
    assert national({"awards": ["国家科学技术进步奖二等奖"]}) == ["国家科学技术进步奖二等奖"]
    assert national({"awards": ["China Patent Gold Award"]}) == ["China Patent Gold Award"]


def test_status_and_kind_accept_chinese_and_registry_values():
    row = parse_record(record("CN1", extra={"legal_status": "有效", "kind": "pct_invention"}), source="f").row
    assert (row.legal_status, row.kind) == ("valid", "invention")
    assert problems_of(record("CN1", extra={"legal_status": "sleeping"}))[0][0] == "extra.legal_status"


def test_row_serialises_for_the_bulk_loader():
    row = parse_record(record("US1", title="Pizza box", extra={"pledge_amount": "1,500,000"}), source="f").row
    data = json.loads(row.as_json())
    assert data["pledge_amount"] == 1_500_000.0 and data["lang"] == "en" and data["country"] == "US"
