"""Exporting a register: Excel-friendly files that import again, with identities masked as they must be."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import load_workbook

from huhang.registry import models as m
from huhang.registry.models.rights import CopyrightWorkKind
from huhang.registry.tabular.columns import KINDS
from huhang.registry.tabular.errors import ImportRejected
from huhang.registry.tabular.exporting import export_queryset
from huhang.registry.tabular.importing import import_rows
from tests.registry.tabular.files import read_csv, read_xlsx

pytestmark = pytest.mark.django_db

# Import order: entities first, since the other registers refer to them.
ORDER = [
    "entities",
    "patents",
    "trademarks",
    "copyrights",
    "geographical-indications",
    "trade-secrets",
    "data-ip",
    "filings",
    "stations",
    "trade-secret-library",
    "experts",
]
IGNORED = {"id", "created_at", "updated_at"}


@pytest.fixture
def registry(entity_factory, centre, quick_centre):
    """One or more records of every kind, with the awkward values real files have."""
    company = entity_factory(
        name="=武汉公式有限公司",  # would be a formula in Excel
        kind="enterprise",
        industry=m.Industry.objects.get(code="KC-OPTO"),
        size="small",
        address="武汉市洪山区珞喻路1037号\n东区",
        contact_name="王五",
        contact_phone="+86 27 8754 0000",
        established_on=date(2001, 2, 28),
    )
    person = entity_factory(kind="individual", name="张三", district=None)
    university = entity_factory(kind="university", name="华中某大学")
    patent = m.Patent.objects.create(
        title="一种光纤连接器",
        application_number="201911044411.X",
        publication_number="CN114911801A",
        kind="invention",
        status="valid",
        application_date=date(2019, 10, 24),
        ipc_codes=["G02B6/38", "H04B10/25"],
        ipc_main="G02B6/38",
        applicant_names=["Acme, Inc.", "华中某大学"],
        abstract="第一行\n第二行",
    )
    patent.owners.set([company, person])
    m.Patent.objects.create(title="A design", publication_number="US20050286606", country="US", status="unknown")
    mark = m.Trademark.objects.create(
        title="光谷", registration_number="12345678", nice_class=9, goods="计算机", expires_on=date(2031, 5, 6)
    )
    mark.owners.set([company])
    work = m.Copyright.objects.create(
        title="护航软件", registration_number="2023SR0123456", work_kind=CopyrightWorkKind.SOFTWARE
    )
    work.owners.set([university])
    gi = m.GeographicalIndication.objects.create(
        title="蔡甸莲藕", product="莲藕", region="蔡甸区", scheme="product", protected_on=date(2008, 1, 1)
    )
    gi.owners.set([company])
    secret = m.TradeSecretAsset.objects.create(
        title="配方", category="technical", protective_measures="分级授权", status="pending"
    )
    secret.owners.set([company])
    data = m.DataIP.objects.create(title="交通数据集", registration_number="DR-2024-001", data_description="脱敏")
    data.owners.set([university])
    m.Filing.objects.create(entity=company, centre=centre, valid_from=date(2024, 1, 1), valid_to=date(2025, 1, 1))
    m.Filing.objects.create(entity=person, centre=quick_centre, reference="KW-7", valid_from=date(2024, 3, 1))
    m.ServiceStation.objects.create(
        kind="trade_secret",
        name="光谷商业秘密保护服务站",
        level="city",
        district=m.District.objects.get(code="WH-EHT"),
        host=university,
        opened_on=date(2023, 4, 26),
    )
    m.TradeSecretDesignation.objects.create(
        entity=company, kind="demonstration_point", designated_on=date(2024, 4, 26), revoked_on=date(2025, 4, 26)
    )
    m.Expert.objects.create(
        name="李四", kind="technical_investigator", fields="H04; G06", appointed_on=date(2022, 1, 1)
    )
    return {"company": company, "person": person}


def snapshot() -> dict[str, list]:
    """Every record of every register, by natural keys, in a stable order."""
    found = {}
    for kind in ORDER:
        model = KINDS[kind].model
        rows = []
        for record in model.objects.all():
            row = {}
            for field in model._meta.fields:
                if field.name in IGNORED:
                    continue
                value = getattr(record, field.name)
                if isinstance(value, m.Entity):
                    value = value.identifier
                elif isinstance(value, m.District | m.Industry):
                    value = value.code
                elif value is not None and field.is_relation:
                    value = str(value)
                row[field.name] = value
            if hasattr(record, "owners"):
                row["owners"] = sorted(owner.identifier for owner in record.owners.all())
            rows.append(row)
        found[kind] = sorted(rows, key=repr)
    return found


def empty_registry() -> None:
    for kind in reversed(ORDER):
        model = KINDS[kind].model
        model.objects.all().delete()
        model.history.all().delete()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_gives_the_same_records(registry, handler, write_file, fmt):
    before = snapshot()
    files = {}
    for kind in ORDER:
        queryset = KINDS[kind].model.objects.all()
        files[kind] = write_file(f"{kind}.{fmt}", export_queryset(kind=kind, queryset=queryset, fmt=fmt, user=handler))
    empty_registry()

    for kind in ORDER:
        import_rows(actor=handler, kind=kind, path_or_file=files[kind])

    assert snapshot() == before


def test_english_export_imports_too(registry, handler, write_file):
    before = snapshot()
    with translation.override("en"):
        data = export_queryset(kind="entities", queryset=m.Entity.objects.all(), fmt="xlsx", user=handler)
    assert read_xlsx(data)[0][:3] == ("Kind", "Name", "Unified social credit code")
    empty_registry()
    import_rows(actor=handler, kind="entities", path_or_file=write_file("e.xlsx", data))
    assert snapshot()["entities"] == before["entities"]


def test_xlsx_layout(registry, handler):
    data = export_queryset(kind="entities", queryset=m.Entity.objects.order_by("pk"), fmt="xlsx", user=handler)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]

    assert [c.value for c in sheet[1]][:4] == ["主体类型", "名称", "统一社会信用代码", "身份证号码"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width >= 18
    established = sheet.cell(row=2, column=11)
    assert established.is_date and established.value.date() == date(2001, 2, 28)
    name = sheet.cell(row=2, column=2)
    assert name.value == "=武汉公式有限公司" and name.data_type == "s"
    assert sheet.cell(row=2, column=1).value == "企业"


def test_csv_opens_in_excel(registry, handler):
    data = export_queryset(kind="entities", queryset=m.Entity.objects.order_by("pk"), fmt="csv", user=handler)
    rows = read_csv(data)
    assert b"\r\n" in data
    assert rows[0][:2] == ["主体类型", "名称"]
    assert rows[1][1] == "'=武汉公式有限公司"  # guarded: Excel shows it as text
    assert rows[1][9] == "'+86 27 8754 0000"
    assert rows[1][10] == "2001-02-28"


def identifiers_in(data: bytes, column: int) -> list:
    return [row[column] for row in read_xlsx(data)[1:]]


def test_resident_ids_are_masked_for_a_supervisor(registry, handler, supervisor):
    person = registry["person"]
    masked = person.resident_id[:6] + "********" + person.resident_id[-4:]
    entities = m.Entity.objects.filter(pk=person.pk)

    for_handler = export_queryset(kind="entities", queryset=entities, fmt="xlsx", user=handler)
    for_supervisor = export_queryset(kind="entities", queryset=entities, fmt="xlsx", user=supervisor)

    assert identifiers_in(for_handler, 3) == [person.resident_id]
    assert identifiers_in(for_supervisor, 3) == [masked]
    patents = export_queryset(kind="patents", queryset=m.Patent.objects.all(), fmt="csv", user=supervisor)
    assert masked in patents.decode("utf-8-sig") and person.resident_id not in patents.decode("utf-8-sig")
    filings = export_queryset(kind="filings", queryset=m.Filing.objects.all(), fmt="csv", user=supervisor)
    assert masked in filings.decode("utf-8-sig") and person.resident_id not in filings.decode("utf-8-sig")


def test_a_masked_export_cannot_be_imported_as_if_it_were_complete(registry, handler, supervisor, write_file):
    data = export_queryset(kind="entities", queryset=m.Entity.objects.all(), fmt="xlsx", user=supervisor)
    empty_registry()
    with pytest.raises(ImportRejected) as caught:
        import_rows(actor=handler, kind="entities", path_or_file=write_file("e.xlsx", data))
    (error,) = caught.value.report.errors
    assert error.column == "身份证号码" and "********" in error.reason


def test_who_may_export(registry, applicant, partner):
    with pytest.raises(PermissionDenied):
        export_queryset(kind="entities", queryset=m.Entity.objects.all(), fmt="csv", user=applicant)
    assert export_queryset(kind="experts", queryset=m.Expert.objects.all(), fmt="csv", user=partner)
