"""Importing a file: every row is checked first, then all are written, or none."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation
from openpyxl import load_workbook

from huhang.audit.models import AuditEvent
from huhang.registry.models import Copyright, Entity, Filing, Patent, ServiceStation, Trademark
from huhang.registry.tabular.errors import ImportRejected, TabularError
from huhang.registry.tabular.importing import import_rows
from tests.conftest import make_resident_id, make_uscc
from tests.registry.tabular.files import csv_bytes, read_csv, read_xlsx, xlsx_bytes

pytestmark = pytest.mark.django_db

ENTITY_HEADER = ["主体类型", "名称", "统一社会信用代码", "身份证号码", "所在区", "行业", "企业规模", "成立日期"]


def entity_rows():
    return [
        ENTITY_HEADER,
        ["企业", "武汉光谷芯片有限公司", make_uscc(), "", "武昌区", "C", "小型", "2020/3/5"],
        ["高校", "华中某大学", make_uscc(), "", "Hongshan District", "教育", "", "1953年10月1日"],
        ["个人", "张三", "", make_resident_id(), "420102", "", "", ""],
    ]


def assert_nothing_written():
    assert Entity.objects.count() == 0
    assert Entity.history.count() == 0
    assert AuditEvent.objects.filter(action="registry.import").count() == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_import_in_every_encoding_excel_writes(handler, write_file, encoding):
    rows = entity_rows()
    path = write_file("entities.csv", csv_bytes(rows, encoding=encoding))

    result = import_rows(actor=handler, kind="entities", path_or_file=path)

    assert result.created == 3
    company = Entity.objects.get(uscc=rows[1][2])
    assert company.name == "武汉光谷芯片有限公司"
    assert company.kind == "enterprise"
    assert company.district.code == "420106"
    assert company.industry.code == "C"
    assert company.size == "small"
    assert company.established_on == date(2020, 3, 5)
    assert Entity.objects.get(uscc=rows[2][2]).established_on == date(1953, 10, 1)
    person = Entity.objects.get(resident_id=rows[3][3])
    assert person.kind == "individual" and person.uscc is None and person.district.code == "420102"


def test_xlsx_import_reads_dates_and_numbers(handler, write_file):
    rows = entity_rows()
    rows[1][7] = date(2021, 6, 30)  # a real Excel date
    rows[2][7] = 44377  # an Excel serial number: 2021-06-30
    path = write_file("entities.xlsx", xlsx_bytes(rows))

    import_rows(actor=handler, kind="entities", path_or_file=path)

    assert Entity.objects.get(uscc=rows[1][2]).established_on == date(2021, 6, 30)
    assert Entity.objects.get(uscc=rows[2][2]).established_on == date(2021, 6, 30)


def test_import_of_an_upload_under_any_name_and_english_headers(handler):
    english = ["Kind", "Name", "USCC", "District"]
    data = csv_bytes([english, ["enterprise", "Wuhan Optics Co.", make_uscc(), "Wuchang District"]])
    upload = SimpleUploadedFile("report.txt", data)  # the name does not decide the format

    result = import_rows(actor=handler, kind="entities", path_or_file=upload)

    assert result.created == 1
    assert result.file_name == "report.txt"


def test_history_and_audit_record_who_and_when(handler, write_file):
    path = write_file("entities.csv", csv_bytes(entity_rows()))

    result = import_rows(actor=handler, kind="entities", path_or_file=path)

    assert Entity.history.count() == 3
    assert set(Entity.history.values_list("history_user", flat=True)) == {handler.pk}
    assert set(Entity.history.values_list("history_type", flat=True)) == {"+"}
    event = AuditEvent.objects.get(action="registry.import")
    assert event.actor == handler
    assert event.target == "entities"
    assert event.details == {"file": "entities.csv", "rows": 3, "sha256": result.sha256}


def test_each_history_version_copies_its_record(handler, entity_factory, write_file):
    existing = entity_factory()
    existing.save()  # a second version: the records' ids and their versions' ids now differ
    path = write_file("entities.csv", csv_bytes(entity_rows()))

    import_rows(actor=handler, kind="entities", path_or_file=path)

    imported = Entity.objects.exclude(pk=existing.pk)
    assert imported.count() == 3
    dates = set()
    for entity in imported:
        (version,) = entity.history.all()
        for field in Entity._meta.concrete_fields:
            assert getattr(version, field.attname) == getattr(entity, field.attname), field.name
        assert (version.history_type, version.history_user, version.history_change_reason) == (
            "+",
            handler,
            "import entities.csv",
        )
        dates.add(version.history_date)
    assert len(dates) == 1


def test_without_insert_returning_simple_history_writes(handler, write_file, monkeypatch):
    # SQLite before 3.35 cannot return the ids of a multi-row INSERT: bulk_create_with_history writes then.
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    path = write_file("entities.csv", csv_bytes(entity_rows()))

    import_rows(actor=handler, kind="entities", path_or_file=path)

    assert Entity.objects.count() == Entity.history.count() == 3
    assert set(Entity.history.values_list("history_user", flat=True)) == {handler.pk}


def test_every_bad_row_is_reported_and_nothing_is_written(handler, write_file):
    rows = entity_rows()
    good = make_uscc()
    bad_uscc = good[:-1] + ("1" if good[-1] == "0" else "0")
    rows += [
        ["企业", "", make_uscc(), "", "武昌区", "", "", ""],  # row 5: no name
        # Row 6: two unreadable cells; the model's own rules (the USCC) are checked once every cell reads.
        ["企业", "武汉乙公司", bad_uscc, "", "火星区", "", "", "2021-02-30"],
        ["合伙", "武汉丙公司", make_uscc(), "", "", "", "", ""],  # row 7: unknown kind
        ["个人", "李四", "", "110105********002X", "", "", "", ""],  # row 8: a masked number
    ]
    path = write_file("entities.csv", csv_bytes(rows))

    with pytest.raises(ImportRejected) as caught:
        import_rows(actor=handler, kind="entities", path_or_file=path)

    errors = [(e.row, e.column) for e in caught.value.report.errors]
    assert (5, "名称") in errors
    assert (6, "所在区") in errors
    assert (6, "成立日期") in errors
    assert (7, "主体类型") in errors
    assert (8, "身份证号码") in errors
    assert {e.row for e in caught.value.report.errors} == {5, 6, 7, 8}
    reasons = {(e.row, e.column): e.reason for e in caught.value.report.errors}
    assert "火星区" in reasons[(6, "所在区")]
    assert "2021-02-30" in reasons[(6, "成立日期")]
    assert_nothing_written()


def test_a_bad_identifier_is_reported_with_its_rule(handler, write_file):
    rows = [ENTITY_HEADER, ["企业", "武汉乙公司", "91420100000000001X", "", "", "", "", ""]]
    path = write_file("entities.csv", csv_bytes(rows))

    with pytest.raises(ImportRejected) as caught:
        import_rows(actor=handler, kind="entities", path_or_file=path)

    (error,) = caught.value.report.errors
    assert (error.row, error.column) == (2, "统一社会信用代码")
    assert "校验码" in error.reason  # the Chinese message of the identifier check
    assert_nothing_written()


def test_duplicates_within_the_file_and_against_the_registry(handler, entity_factory, write_file):
    existing = entity_factory()
    uscc = make_uscc()
    rows = [
        ENTITY_HEADER,
        ["企业", "甲", uscc, "", "", "", "", ""],
        ["企业", "乙", existing.uscc.lower(), "", "", "", "", ""],  # normalised before comparing
        ["企业", "丙", uscc, "", "", "", "", ""],
    ]
    path = write_file("entities.csv", csv_bytes(rows))

    with pytest.raises(ImportRejected) as caught:
        import_rows(actor=handler, kind="entities", path_or_file=path)

    found = {(e.row, e.column): e.reason for e in caught.value.report.errors}
    assert set(found) == {(3, "统一社会信用代码"), (4, "统一社会信用代码")}
    assert "row 2" in found[(4, "统一社会信用代码")] or "第 2" in found[(4, "统一社会信用代码")]
    assert Entity.objects.count() == 1
    assert Entity.history.count() == 1  # the existing entity's own version: the import added none


def test_the_report_downloads_as_xlsx_and_csv(handler, write_file):
    rows = [ENTITY_HEADER, ["企业", '=HYPERLINK("x")', "bad", "", "", "", "", ""]]
    path = write_file("entities.csv", csv_bytes(rows))
    with pytest.raises(ImportRejected) as caught:
        import_rows(actor=handler, kind="entities", path_or_file=path)
    report = caught.value.report

    with translation.override("en"):
        as_csv = read_csv(report.to_csv())
        as_xlsx = read_xlsx(report.to_xlsx())
        rows_sheet = load_workbook(io.BytesIO(report.to_xlsx())).worksheets[1]

    assert as_csv[0] == ["Row", "Column", "Problem"]
    assert as_csv[1][:2] == ["2", "统一社会信用代码"]
    assert as_xlsx[0] == ("Row", "Column", "Problem")
    assert as_xlsx[1][:2] == (2, "统一社会信用代码")
    assert [c.value for c in rows_sheet[1]] == ["Row", *ENTITY_HEADER]
    assert rows_sheet["C2"].value == '=HYPERLINK("x")'
    assert rows_sheet["C2"].data_type == "s"  # kept as text, never a formula


def test_rights_with_owners_and_ipc_codes(handler, entity_factory, write_file):
    first, second = entity_factory(), entity_factory(kind="individual")
    rows = [
        ["专利名称", "申请号", "公开（公告）号", "法律状态", "申请日", "IPC分类号", "权利人证件号码"],
        [
            "一种光纤连接器",
            "ZL 2019 1 1044411.x",
            "CN 114911801 A",
            "有效",
            "2019-10-24",
            "g02b 6/38; H04B10/25",
            f"{first.uscc}；{second.resident_id}",
        ],
        ["一种外观", "", "CN306123456S", "", "", "", first.uscc],
    ]
    path = write_file("patents.csv", csv_bytes(rows))

    result = import_rows(actor=handler, kind="patents", path_or_file=path)

    assert result.created == 2
    patent = Patent.objects.get(application_number="201911044411.X")
    assert patent.publication_number == "CN114911801A"
    assert patent.kind == "invention"
    assert patent.ipc_codes == ["G02B6/38", "H04B10/25"]
    assert patent.ipc_main == "G02B6/38"
    assert set(patent.owners.all()) == {first, second}
    design = Patent.objects.get(publication_number="CN306123456S")
    assert design.kind == "design" and design.status == "valid"
    assert list(design.owners.all()) == [first]


def test_model_rules_are_checked(handler, write_file):
    rows = [
        ["商标名称", "注册号", "国际分类"],
        ["光谷", "第12345678号", "第9类"],
        ["长江", "ABC", "46"],
    ]
    path = write_file("marks.csv", csv_bytes(rows))

    with pytest.raises(ImportRejected) as caught:
        import_rows(actor=handler, kind="trademarks", path_or_file=path)

    assert {(e.row, e.column) for e in caught.value.report.errors} == {(3, "注册号"), (3, "国际分类")}
    assert Trademark.objects.count() == 0

    rows.pop()
    import_rows(actor=handler, kind="trademarks", path_or_file=write_file("ok.csv", csv_bytes(rows)))
    assert Trademark.objects.get().registration_number == "12345678"


def test_choice_by_english_label_and_value(handler, write_file):
    rows = [
        ["作品名称", "登记号", "作品类别"],
        ["护航软件", "2023SR0123456", "Computer software"],
        ["护航手册", "国作登字-2026-A-00037559", "written"],
    ]
    import_rows(actor=handler, kind="copyrights", path_or_file=write_file("c.csv", csv_bytes(rows)))
    assert set(Copyright.objects.values_list("work_kind", flat=True)) == {"software", "written"}


def test_filings_that_overlap_in_the_file_or_the_registry(handler, entity_factory, centre, write_file):
    a, b = entity_factory(), entity_factory()
    Filing.objects.create(entity=b, centre=centre, valid_from=date(2024, 1, 1))
    rows = [
        ["主体证件号码", "备案机构", "生效日期", "失效日期"],
        [a.uscc, centre.name, "2024-01-01", "2025-01-01"],
        [a.uscc, centre.name, "2024-06-01", ""],  # overlaps row 2
        [a.uscc, centre.name, "2025-01-01", "2026-01-01"],  # overlaps row 3 (open-ended)
        [b.uscc, centre.name, "2025-01-01", ""],  # overlaps the filing in the registry
        [a.uscc, "某法院", "2024-01-01", ""],
    ]
    with pytest.raises(ImportRejected) as caught:
        import_rows(actor=handler, kind="filings", path_or_file=write_file("f.csv", csv_bytes(rows)))

    assert {e.row for e in caught.value.report.errors} == {3, 4, 5, 6}
    assert Filing.objects.count() == 1


def test_a_filing_overlapping_the_registry_is_reported_where_and_why(handler, entity_factory, centre, write_file):
    entity = entity_factory()
    Filing.objects.create(entity=entity, centre=centre, valid_from=date(2024, 1, 1), valid_to=date(2025, 1, 1))
    rows = [
        ["主体证件号码", "备案机构", "生效日期", "失效日期"],
        [entity.uscc, centre.name, "2025-01-01", ""],  # starts as the other ends: no overlap
        [entity.uscc, centre.name, "2023-01-01", "2024-01-02"],  # ends a day into the other
    ]
    with pytest.raises(ImportRejected) as caught:
        import_rows(actor=handler, kind="filings", path_or_file=write_file("f.csv", csv_bytes(rows)))

    (error,) = caught.value.report.errors
    assert (error.row, error.column, error.reason) == (3, "生效日期", str(Filing.OVERLAP_MESSAGE))
    assert Filing.objects.count() == 1
    # Saving one filing (a form, the API) still checks it against the registry.
    with pytest.raises(ValidationError) as refused:
        Filing(entity=entity, centre=centre, valid_from=date(2023, 1, 1), valid_to=date(2024, 1, 2)).full_clean()
    assert refused.value.message_dict == {"valid_from": [str(Filing.OVERLAP_MESSAGE)]}


def test_the_queries_of_a_filing_import_do_not_grow_with_its_rows(
    handler, centre, write_file, django_assert_max_num_queries
):
    entities = Entity.objects.bulk_create(
        Entity(kind="enterprise", name=f"武汉备案测试公司{n}", uscc=make_uscc(900_000 + n)) for n in range(1000)
    )
    Filing.objects.bulk_create(
        Filing(entity=entity, centre=centre, valid_from=date(2020, 1, 1), valid_to=date(2021, 1, 1))
        for entity in entities
    )
    rows = [["主体证件号码", "备案机构", "生效日期"]]
    rows += [[entity.uscc, centre.name, "2024-01-01"] for entity in entities]
    path = write_file("filings.csv", csv_bytes(rows))

    # 12 on SQLite and PostgreSQL: the lookups, the overlap check (2), one INSERT for the filings and one for
    # their history, the audit event. Checking each row's overlaps with its own query took over 1,000.
    with django_assert_max_num_queries(20) as captured:
        result = import_rows(actor=handler, kind="filings", path_or_file=path)

    assert result.created == 1000
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert sum('FROM "registry_filing"' in sql for sql in selects) == 2  # 900 entities a query
    assert (Filing.objects.count(), Filing.history.count()) == (2000, 1000)


def test_filings_import(handler, entity_factory, centre, quick_centre, write_file):
    a = entity_factory()
    rows = [
        ["主体证件号码", "主体名称", "备案机构", "生效日期", "失效日期"],
        [a.uscc, "(ignored)", centre.name, "2024-01-01", "2025-01-01"],
        [a.uscc, "", centre.name, "2025-01-01", ""],
        [a.uscc, "", quick_centre.name, "2024年3月1日", ""],
    ]
    result = import_rows(actor=handler, kind="filings", path_or_file=write_file("f.csv", csv_bytes(rows)))
    assert result.created == 3
    assert Filing.objects.filter(entity=a, centre=centre).count() == 2


def test_composite_uniqueness_of_stations(handler, write_file):
    ServiceStation.objects.create(kind="trade_secret", name="光谷站", level="city", opened_on=date(2023, 1, 1))
    rows = [
        ["站点类型", "名称", "认定级别", "设立日期"],
        ["商业秘密保护服务站", "光谷站", "市级", "2024-01-01"],
        ["知识产权保护工作站", "光谷站", "市级", "2024-01-01"],
    ]
    with pytest.raises(ImportRejected) as caught:
        import_rows(actor=handler, kind="stations", path_or_file=write_file("s.csv", csv_bytes(rows)))
    assert [e.row for e in caught.value.report.errors] == [2]


def test_who_may_import(applicant, supervisor, write_file):
    path = write_file("entities.csv", csv_bytes(entity_rows()))
    for user in (applicant, supervisor):
        with pytest.raises(PermissionDenied):
            import_rows(actor=user, kind="entities", path_or_file=path)
    assert Entity.objects.count() == 1  # the applicant's own entity
    assert AuditEvent.objects.filter(action="registry.import").count() == 0


def test_unknown_kind(handler, write_file):
    with pytest.raises(TabularError, match="widgets"):
        import_rows(actor=handler, kind="widgets", path_or_file=write_file("x.csv", b"a,b\n1,2\n"))


def test_progress_is_reported(handler, write_file):
    calls = []
    path = write_file("entities.csv", csv_bytes(entity_rows()))

    import_rows(actor=handler, kind="entities", path_or_file=path, progress=lambda d, t: calls.append((d, t)))

    assert calls[0] == (3, 6)
    assert calls[-1] == (6, 6)
