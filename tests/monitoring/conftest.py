"""Fixtures of the monitoring tests: a small zone whose every indicator for 2025 can be worked out by hand."""

import datetime as dt
import itertools

import pytest

from huhang.accounts.models import Organisation
from huhang.monitoring import services
from tests.conftest import make_uscc

D = dt.date
TODAY = D(2026, 3, 1)  # 2025 has ended
_numbers = itertools.count(1)
CLOSED = {"judicial": "judged", "adjudication": "published", "assistance": "closed", "mediation": "closed",
          "penalty": "closed"}  # fmt: skip
PROCEDURE = {"judicial": "judicial_case", "assistance": "rights_assistance", "mediation": "patent_mediation",
             "penalty": "counterfeiting_penalty"}  # fmt: skip
OPEN = {"judicial": "ordinary", "adjudication": "accepted", "assistance": "accepted", "mediation": "accepted",
        "penalty": "investigating"}  # fmt: skip


@pytest.fixture
def districts(db):
    from huhang.registry.models import District, Industry
    from huhang.registry.reference import load_reference_rows

    if not District.objects.exists():  # a transactional test before this one flushed the migration's rows
        load_reference_rows(District, Industry)
    return list(District.objects.order_by("code"))


def make_case(organisation, creator, *, category, opened_on, accepted_on=None, closed_on=None, handling_days=None,
              within_limit=None, mediation_offered=False):  # fmt: skip
    from huhang.cases.models import Case

    n = next(_numbers)
    return Case.objects.create(
        number=f"测试〔{opened_on.year}〕{n}号", procedure=PROCEDURE.get(category, "patent_adjudication"),
        profile="test", category=category, title=f"案件{n}", organisation=organisation, opened_on=opened_on,
        state=(CLOSED if closed_on else OPEN)[category], is_open=closed_on is None, closed_on=closed_on,
        accepted_on=accepted_on, handling_days=handling_days, within_limit=within_limit,
        mediation_offered=mediation_offered, created_by=creator,
    )  # fmt: skip


@pytest.fixture
def zone(db, districts, supervisor, court, centre, quick_centre):
    """2025 in a small zone. Expected figures (as of 2025-12-31):

    K3 3 copyrights · K5 1 − 30/40 = 25 % · K6 3 matters · K7 2 of 3 = 66.67 % · K8 (90+120+60)/3 = 90.0 days ·
    K9 2 stations (one closed) · K13 1 (the district-level centre does not count) · K14 2 entities · K15 (3 − 2)/2
    = 50 % · K16 1 · K17 0 · K18 (2 − 1)/1 = 100 % · K19 3 of 4 = 75 % · K2 2 high-value of 1,000,000 residents
    = 0.02 per 10,000 · K4 3,000/20,000 = 15 %.
    """
    from huhang.cases.models import CaseExpert
    from huhang.registry.models import Copyright, Entity, Expert, Filing, Patent, ServiceStation
    from huhang.registry.models import TradeSecretDesignation as Designation

    wuchang, hongshan = districts[0], districts[1]
    centre.district = wuchang
    centre.save()
    office = Organisation.objects.create(name="武汉市知识产权局", kind="ip_bureau", district=hongshan)
    # K5: administrative cases closed in 2025 (mean 30 days) and in 2024 (mean 40 days); one open case is ignored.
    for days, closed in ((20, D(2025, 3, 10)), (40, D(2025, 6, 2))):
        make_case(office, supervisor, category="adjudication", opened_on=D(2025, 1, 5), accepted_on=D(2025, 1, 8),
                  closed_on=closed, handling_days=days, within_limit=True, mediation_offered=True)  # fmt: skip
    make_case(office, supervisor, category="penalty", opened_on=D(2024, 2, 1), accepted_on=D(2024, 2, 2),
              closed_on=D(2024, 5, 1), handling_days=40, within_limit=True)  # fmt: skip
    make_case(office, supervisor, category="adjudication", opened_on=D(2025, 11, 1), accepted_on=D(2025, 11, 3))
    # K6: assistance and mediation accepted in 2025 (3), one accepted in 2024 and one not accepted.
    for accepted in (D(2025, 2, 1), D(2025, 9, 9)):
        make_case(centre, supervisor, category="assistance", opened_on=accepted, accepted_on=accepted)
    make_case(centre, supervisor, category="mediation", opened_on=D(2025, 12, 30), accepted_on=D(2025, 12, 31),
              mediation_offered=True)  # fmt: skip
    make_case(centre, supervisor, category="assistance", opened_on=D(2024, 12, 1), accepted_on=D(2024, 12, 2))
    make_case(centre, supervisor, category="mediation", opened_on=D(2024, 12, 1))
    # K19 over 2025: adjudication opened 2025-01-05 ×2 (offered), 2025-11-01 (not offered), mediation 2025-12-30
    # (offered) → 3 of 4 = 75 %.
    # K7/K8: court cases closed in 2025.
    for days, within in ((90, True), (120, False), (60, True)):
        make_case(court, supervisor, category="judicial", opened_on=D(2025, 1, 2), accepted_on=D(2025, 1, 2),
                  closed_on=D(2025, 8, 1), handling_days=days, within_limit=within)  # fmt: skip
    # K18: cases with an expert in 2025 (2) and in 2024 (1).
    juror = Expert.objects.create(name="王专家", kind="expert_juror", fields="G06F", appointed_on=D(2020, 1, 1))
    court_cases = list(court.cases.all())
    for case, joined in ((court_cases[0], D(2025, 3, 1)), (court_cases[1], D(2025, 4, 1))):
        at = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
        CaseExpert.objects.create(case=case, expert=juror, role="expert_juror", joined_on=joined,
                                  recorded_by=supervisor, recorded_at=at)  # fmt: skip
    old = make_case(court, supervisor, category="judicial", opened_on=D(2024, 3, 1), accepted_on=D(2024, 3, 1))
    CaseExpert.objects.create(case=old, expert=juror, role="expert_juror", joined_on=D(2024, 5, 1),
                              recorded_by=supervisor, recorded_at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))  # fmt: skip
    # Registers.
    a, b, c = (Entity.objects.create(kind="enterprise", name=f"企业{i}", uscc=make_uscc(), district=wuchang)
               for i in range(3))  # fmt: skip
    stations = (("一站", D(2024, 5, 1), None, wuchang), ("二站", D(2025, 2, 1), None, hongshan),
                ("三站", D(2024, 1, 1), D(2025, 6, 1), wuchang))  # fmt: skip
    for name, opened, closed, district in stations:
        ServiceStation.objects.create(kind="protection_workstation", name=name, level="district", opened_on=opened,
                                      closed_on=closed, district=district)  # fmt: skip
    ServiceStation.objects.create(
        kind="high_value_patent_centre", name="光电子中心", level="city", opened_on=D(2023, 1, 1)
    )
    ServiceStation.objects.create(
        kind="high_value_patent_centre", name="区中心", level="district", opened_on=D(2023, 1, 1)
    )
    for entity in (a, b):
        Filing.objects.create(entity=entity, centre=centre, valid_from=D(2024, 6, 1))
    for entity in (a, b):
        Filing.objects.create(entity=entity, centre=quick_centre, valid_from=D(2024, 6, 1))
    Filing.objects.create(entity=c, centre=quick_centre, valid_from=D(2025, 7, 1))
    Designation.objects.create(entity=a, kind="contact_point", designated_on=D(2025, 3, 1))
    Designation.objects.create(entity=b, kind="demonstration_point", designated_on=D(2024, 3, 1),
                                          revoked_on=D(2025, 3, 1))  # fmt: skip
    for n, registered in enumerate((D(2025, 1, 3), D(2025, 5, 6), D(2025, 12, 31), D(2024, 12, 31))):
        work = Copyright.objects.create(registration_number=f"鄂作登字-{registered.year}-A-{n:08d}", work_kind="art",
                                        title=f"作品{n}", registered_on=registered)  # fmt: skip
        work.owners.add(a)
    for n, high in enumerate((True, True, False, None)):
        patent = Patent.objects.create(application_number=f"20231000{n:04d}X", title=f"专利{n}", kind="invention",
                                       grant_date=D(2024, 6, 1), high_value=high)  # fmt: skip
        patent.owners.add(a)
    foreign = Patent.objects.create(application_number="202310009999X", title="外地专利", kind="invention",
                                    grant_date=D(2024, 6, 1), high_value=True)  # fmt: skip
    foreign.owners.add(Entity.objects.create(kind="enterprise", name="外地企业", uscc=make_uscc()))
    # Statistics with their sources.
    common = {"scope": "Wuhan", "source_title": "测试统计公报"}
    services.statistic_record(actor=supervisor, code="resident_population", name="常住人口", period="2024",
                              value="100", unit="万人", **common)  # fmt: skip
    services.statistic_record(actor=supervisor, code="gdp", name="地区生产总值", period="2025", value="20000",
                              unit="亿元", **common)  # fmt: skip
    services.statistic_record(actor=supervisor, code="patent_intensive_value_added", name="专利密集型产业增加值",
                              period="2025", value="3000", unit="亿元", **common)  # fmt: skip
    return {"office": office, "wuchang": wuchang, "hongshan": hongshan}


@pytest.fixture(autouse=True)
def english_messages():
    """Messages are checked in English here (pages and the command choose their own language: Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield
