"""The K2 write-back end to end: registry patents → store → classification → Patent.high_value → K2."""

import datetime as dt
import shutil
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from huhang.analytics import HighValueConfig
from huhang.audit.models import AuditEvent
from huhang.monitoring import selectors as monitoring
from huhang.monitoring import services as statistics
from huhang.monitoring.indicators import BY_ID
from huhang.monitoring.periods import year
from huhang.patents.paths import store_path
from huhang.patents.services import high_value_reasons, registry_classify

AS_OF = dt.date(2025, 12, 31)


@pytest.fixture
def reference_store(data_dir, reference_template):
    path = store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(reference_template, path)
    return path


@pytest.fixture
def registry(entity_factory, reference_store):
    """Registry patents of a Wuhan entity: what the registry knows decides each answer."""
    from huhang.registry.models import Patent

    owner = entity_factory(name="武汉某光电科技有限公司")
    outsider = entity_factory(name="外地企业", district=None)
    made = {}

    def patent(key, owners, **fields):
        fields.setdefault("kind", "invention")
        fields.setdefault("country", "CN")
        made[key] = Patent.objects.create(**fields)
        made[key].owners.set(owners)

    # ③ maintained over 10 years and in force: high-value.
    patent("old", [owner], application_number="201210012345X", publication_number="CN102000001B", status="valid",
           title="一种炒锅", application_date=dt.date(2012, 3, 1), grant_date=dt.date(2014, 5, 6),
           ipc_codes=["A47J27/00"])  # fmt: skip
    # In force, filed 2022: ③ no; ② ④ ⑤ not in the registry, so unknown unless ① holds.
    patent("young", [owner], application_number="202210054321X", status="valid", title="一种数据处理方法",
           application_date=dt.date(2022, 6, 1), grant_date=dt.date(2024, 1, 9))  # fmt: skip
    # Lapsed: not eligible, so no.
    patent("lapsed", [owner], application_number="201310011111X", status="lapsed", title="一种旧装置",
           application_date=dt.date(2013, 1, 1), grant_date=dt.date(2015, 1, 1))  # fmt: skip
    # Of an entity without a district: high-value, but not local, so K2 does not count it.
    patent("outsider", [outsider], application_number="201110022222X", status="valid", title="一种外地方法",
           application_date=dt.date(2011, 1, 1), grant_date=dt.date(2013, 1, 1))  # fmt: skip
    # An IPC code the analytics cannot read: the store refuses the record, the answer is unknown with the reason.
    patent("unreadable", [owner], application_number="202010033333X", status="valid", title="一种编码装置",
           application_date=dt.date(2020, 1, 1), grant_date=dt.date(2022, 1, 1), ipc_codes=["H04W4"])  # fmt: skip
    return made


def _population(supervisor, persons="100"):
    statistics.statistic_record(actor=supervisor, code="resident_population", name="常住人口", period="2024",
                                value=persons, unit="万人", scope="Wuhan", source_title="测试统计公报")  # fmt: skip


def test_write_back_sets_each_answer_with_reasons_and_feeds_k2(registry, handler, supervisor):
    _population(supervisor)
    assert monitoring.figure(BY_ID["K2"], year(2025), today=dt.date(2026, 3, 1)).value is None  # nothing classified
    steps = []
    result = registry_classify(
        actor=handler, config=HighValueConfig(as_of=AS_OF), progress=lambda step, done, total: steps.append(step)
    )
    assert {"load", "classify", "write"} <= set(steps)
    for patent in registry.values():
        patent.refresh_from_db()
    old, young, lapsed = registry["old"], registry["young"], registry["lapsed"]
    assert (old.high_value, young.high_value, lapsed.high_value) == (True, None, False)
    assert registry["outsider"].high_value is True and registry["unreadable"].high_value is None
    assert result.answers == {"yes": 2, "no": 1, "unknown": 2} and result.changed == 5 and result.patents == 5
    assert [r["category"] for r in old.high_value_reasons] == ["maintained"]
    reason = old.high_value_reasons[0]
    assert set(reason) == {"category", "status", "label_zh", "label_en", "reason_zh", "reason_en"}
    assert reason["label_zh"] == "维持年限超过10年" and "申请日 2012-03-01，维持有效" in reason["reason_zh"]
    assert {r["category"] for r in lapsed.high_value_reasons} == {"eligible"}
    assert "法律状态：失效" in lapsed.high_value_reasons[0]["reason_zh"]
    assert {"family", "pledge", "award"} <= {r["category"] for r in young.high_value_reasons}
    unreadable = registry["unreadable"].high_value_reasons[0]
    assert unreadable["category"] == "record" and "H04W4" in unreadable["reason_en"]
    assert result.not_loaded and result.not_loaded[0].startswith("202010033333X")
    # K2: one local high-value patent (the outsider has no district) per 1,000,000 residents.
    figure = monitoring.figure(BY_ID["K2"], year(2025), today=dt.date(2026, 3, 1))
    assert figure.value == Decimal("0.0100") and figure.measurement.numerator == 1
    assert list(figure.measurement.records) == [old]
    event = AuditEvent.objects.get(action="patents.classify")
    assert event.actor == handler and event.details["high_value"] == {"yes": 2, "no": 1, "unknown": 2}
    assert old.history.first().history_change_reason.startswith("high-value classification")


def test_drill_down_shows_the_reasons_in_the_page_language(registry, handler):
    from django.utils import translation

    from huhang.monitoring.records import rows_for

    registry_classify(actor=handler, config=HighValueConfig(as_of=AS_OF))
    registry["old"].refresh_from_db()
    with translation.override("zh-hans"):
        assert "维持年限超过10年：申请日 2012-03-01" in rows_for("patents", [registry["old"]])[0].cells[3]
    with translation.override("en"):
        assert "maintained over 10 years：filed 2012-03-01" in rows_for("patents", [registry["old"]])[0].cells[3]


def test_a_second_run_changes_nothing_and_a_dry_run_writes_nothing(registry, handler):
    from huhang.registry.models import Patent

    dry = registry_classify(actor=handler, config=HighValueConfig(as_of=AS_OF), write=False)
    assert dry.changed == 5 and not Patent.objects.exclude(high_value=None).exists()
    assert not AuditEvent.objects.filter(action="patents.classify").exists()
    registry_classify(actor=handler, config=HighValueConfig(as_of=AS_OF))
    again = registry_classify(actor=handler, config=HighValueConfig(as_of=AS_OF))
    assert again.changed == 0 and again.answers["yes"] == 2
    # The judgement moves with the as-of date: in 2022 the 2012 patent was not yet over 10 years.
    earlier = registry_classify(actor=handler, config=HighValueConfig(as_of=dt.date(2022, 1, 1)))
    registry["old"].refresh_from_db()
    assert earlier.changed >= 1 and registry["old"].high_value is None


def test_only_registry_editors_write_back(registry, supervisor, partner):
    from huhang.registry.models import Patent

    for user in (supervisor, partner):
        with pytest.raises(PermissionDenied):
            registry_classify(actor=user)
    assert not Patent.objects.exclude(high_value=None).exists()


def test_reasons_of_an_assessment_follow_the_answer(analytics):
    from huhang.analytics import PatentStore, assess

    with PatentStore(analytics, read_only=True) as store:
        unknown = assess(store, "CN114034375A")
    reasons = high_value_reasons(unknown)
    assert unknown.high_value == "unknown" and {r["status"] for r in reasons} == {"unknown"}
    assert {"eligible", "family"} <= {r["category"] for r in reasons}
