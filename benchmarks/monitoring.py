"""Monitoring benchmark: every indicator K1–K19 for a year over 1,000,000 cases and 100,000 entities, computed
by the platform (``huhang.monitoring.selectors.dashboard``: the database's aggregations through the ORM), against
the same aggregations written in SQL and run by DuckDB over the same rows exported to Parquet (the limit to
approach). The figures of both are compared: a benchmark that computed something else would fail.

The records are synthetic, generated with a fixed seed and written with bulk inserts: cases of every category
with their derived indicator columns, expert participations, entities with filings and trade-secret
designations, service stations, copyrights, patents with owners, survey answers and the population and GDP
statistics.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import statistics as stats
import time
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from benchmarks.harness import Result, say

BENCHMARKS = ("indicators",)
YEAR = 2025
TODAY = dt.date(2026, 3, 1)
CATEGORIES = (("adjudication", 0.25), ("mediation", 0.10), ("assistance", 0.20), ("penalty", 0.15),
              ("complaint", 0.10), ("judicial", 0.20))  # fmt: skip


def run(*, quick: bool, work_dir: Path, only: str | None = None) -> list[Result]:
    cases, entities = (20_000, 2_000) if quick else (1_000_000, 100_000)
    results: list[Result] = []
    _ensure_data(cases, entities, results)
    results += indicators_benchmark(work_dir, repeats=3 if quick else 5)
    return results


# Data --------------------------------------------------------------------------------------------------------------


def _ensure_data(cases: int, entities: int, results: list[Result]) -> None:
    from huhang.cases.models import Case

    if Case.objects.count() >= cases:
        return
    from huhang.accounts.models import Organisation, User
    from huhang.monitoring import services as monitoring
    from huhang.registry.models import District
    from huhang.surveys import services as surveys

    rng = random.Random("bench-monitoring")
    started = time.perf_counter()
    user, _ = User.objects.get_or_create(username="bench_supervisor", defaults={"role": "supervisor"})
    districts = list(District.objects.order_by("code"))
    organisations = {
        kind: Organisation.objects.get_or_create(name=f"基准{kind}", defaults={"kind": kind,
                                                 "district": districts[n % len(districts)]})[0]
        for n, kind in enumerate(("protection_centre", "quick_rights_centre", "ip_bureau", "court"))
    }  # fmt: skip
    written = 0
    say(f"writing {cases:,} cases")
    written += _cases(rng, cases, organisations, user)
    say(f"writing {entities:,} entities and their registers")
    written += _registers(rng, entities, districts, organisations)
    say("writing survey answers and statistics")
    questionnaire, _new = surveys.questionnaire_load_default()
    written += _answers(rng, entities // 2, questionnaire, districts)
    common = {"scope": "Wuhan", "source_title": "基准测试统计"}
    monitoring.statistic_record(actor=user, code="resident_population", name="常住人口", period="2024",
                                value="1380.91", unit="万人", **common)  # fmt: skip
    monitoring.statistic_record(actor=user, code="gdp", name="地区生产总值", period="2025", value="21000",
                                unit="亿元", **common)  # fmt: skip
    monitoring.statistic_record(
        actor=user, code="patent_intensive_value_added", name="专利密集型产业增加值", period="2025", value="3300",
        unit="亿元", **common,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    rate = f"{written / seconds:,.0f} rows/s ({written:,} rows, {seconds:.0f} s)"
    results.append(Result(f"write {cases:,} cases, {entities:,} entities and their registers", rate, "—", "—"))


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _cases(rng: random.Random, count: int, organisations: dict, user) -> int:
    from huhang.cases.models import Case, CaseExpert
    from huhang.registry.models import Expert

    experts = [Expert(name=f"基准专家{n}", kind="expert_juror", fields="G06F", appointed_on=dt.date(2020, 1, 1))
               for n in range(200)]  # fmt: skip
    Expert.objects.bulk_create(experts)
    experts = list(Expert.objects.filter(name__startswith="基准专家"))
    procedure = {"adjudication": "patent_adjudication", "mediation": "patent_mediation", "assistance":
                 "rights_assistance", "penalty": "counterfeiting_penalty", "complaint": "complaint_report",
                 "judicial": "judicial_case"}  # fmt: skip
    owner = {"judicial": organisations["court"], "assistance": organisations["protection_centre"],
             "mediation": organisations["quick_rights_centre"]}  # fmt: skip
    names, weights = zip(*CATEGORIES, strict=True)
    written, now = 0, timezone.now()
    for offset in range(0, count, 20_000):
        rows = []
        for n in range(offset, min(offset + 20_000, count)):
            category = rng.choices(names, weights)[0]
            opened = _day(rng, dt.date(2023, 1, 1), dt.date(2026, 2, 28))
            accepted = opened + dt.timedelta(days=rng.randint(0, 7)) if rng.random() < 0.9 else None
            closed = accepted + dt.timedelta(days=rng.randint(10, 200)) if accepted and rng.random() < 0.7 else None
            if closed and closed > TODAY:
                closed = None
            rows.append(Case(
                number=f"基准监测〔{opened.year}〕{n}号", procedure=procedure[category], profile="bench",
                category=category, title=f"基准{n}", organisation=owner.get(category, organisations["ip_bureau"]),
                opened_on=opened, state="closed" if closed else "accepted", is_open=closed is None, closed_on=closed,
                accepted_on=accepted, handling_days=max(0, (closed - accepted).days - rng.choice((0, 0, 0, 15)))
                if closed else None, within_limit=(rng.random() < 0.93) if closed else None,
                mediation_offered=category == "mediation" or rng.random() < 0.6, created_by=user,
            ))  # fmt: skip
        with transaction.atomic():
            Case.objects.bulk_create(rows, batch_size=5000)
            judicial = [c for c in rows if c.category == "judicial" and rng.random() < 0.1]
            CaseExpert.objects.bulk_create(
                [CaseExpert(case=c, expert=rng.choice(experts), role="expert_juror", recorded_by=user, recorded_at=now,
                            joined_on=c.accepted_on or c.opened_on) for c in judicial],
                batch_size=5000,
            )  # fmt: skip
        written += len(rows) + len(judicial)
        say(f"  {min(offset + 20_000, count):,}/{count:,} cases")
    return written


def _registers(rng: random.Random, count: int, districts: list, organisations: dict) -> int:
    from huhang.registry.demo_ids import uscc
    from huhang.registry.models import (
        Copyright,
        Entity,
        Filing,
        Patent,
        ServiceStation,
        TradeSecretDesignation,
    )  # fmt: skip

    entities = [
        Entity(kind="enterprise", name=f"基准企业{n}", district=rng.choice(districts),
               uscc=uscc(800_000_000 + n, authority_category="91", region="420100", new_style=True))
        for n in range(count)
    ]  # fmt: skip
    Entity.objects.bulk_create(entities, batch_size=5000)
    entities = list(Entity.objects.filter(name__startswith="基准企业").only("pk"))
    filings, designations = [], []
    for entity in entities:
        for centre, share in (("protection_centre", 0.03), ("quick_rights_centre", 0.02)):
            if rng.random() < share:
                start = _day(rng, dt.date(2022, 1, 1), dt.date(2025, 12, 31))
                end = start + dt.timedelta(days=rng.randint(200, 1500)) if rng.random() < 0.3 else None
                filings.append(Filing(entity=entity, centre=organisations[centre], valid_from=start, valid_to=end))
        if rng.random() < 0.03:
            kind = "demonstration_point" if rng.random() < 0.07 else "contact_point"
            day = _day(rng, dt.date(2022, 1, 1), dt.date(2025, 12, 31))
            designations.append(TradeSecretDesignation(entity=entity, kind=kind, designated_on=day))
    Filing.objects.bulk_create(filings, batch_size=5000)
    TradeSecretDesignation.objects.bulk_create(designations, batch_size=5000)
    kinds = (
        "protection_workstation",
        "trademark_guidance",
        "trade_secret",
        "copyright_centre",
        "high_value_patent_centre",
    )
    stations = [ServiceStation(kind=rng.choice(kinds), name=f"基准站{n}", level=rng.choice(("district", "city")),
                               opened_on=_day(rng, dt.date(2021, 1, 1), dt.date(2025, 12, 31)),
                               district=rng.choice(districts)) for n in range(count // 200)]  # fmt: skip
    ServiceStation.objects.bulk_create(stations)
    copyrights = [Copyright(registration_number=f"鄂作登字-{d.year}-A-{n:08d}", work_kind="art", title=f"基准作品{n}",
                            registered_on=d) for n in range(count)
                  for d in [_day(rng, dt.date(2023, 1, 1), dt.date(2026, 2, 28))]]  # fmt: skip
    Copyright.objects.bulk_create(copyrights, batch_size=5000)
    patents = [Patent(application_number=f"2024{n:08d}X", title=f"基准专利{n}", kind="invention",
                      grant_date=_day(rng, dt.date(2015, 1, 1), dt.date(2025, 12, 31)),
                      high_value=rng.choice((True, False, False, None))) for n in range(count // 2)]  # fmt: skip
    Patent.objects.bulk_create(patents, batch_size=5000)
    patents = list(Patent.objects.filter(title__startswith="基准专利").only("pk"))
    owners = Patent.owners.through
    owners.objects.bulk_create([owners(patent_id=p.pk, entity_id=rng.choice(entities).pk) for p in patents],
                               batch_size=5000)  # fmt: skip
    return len(entities) + len(filings) + len(designations) + len(stations) + len(copyrights) + 2 * len(patents)


def _answers(rng: random.Random, count: int, questionnaire, districts: list) -> int:
    from huhang.surveys.models import Answer

    now = timezone.now()
    rows = []
    for n in range(count):
        day = _day(rng, dt.date(2024, 1, 1), dt.date(2026, 2, 28))
        rows.append(Answer(questionnaire=questionnaire, code=questionnaire.code, channel=rng.choice(("portal", "case")),
                           respondent_type="enterprise", district=rng.choice(districts), submitted_at=now,
                           submitted_on=day, score=rng.uniform(50, 100), weight=rng.choice((1.0, 0.8)),
                           flag="" if rng.random() < 0.97 else "invalid", client_digest=f"{n:064x}",
                           session_digest=f"{n:064x}"))  # fmt: skip
    Answer.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


# Measurement ------------------------------------------------------------------------------------------------------


def indicators_benchmark(work_dir: Path, *, repeats: int) -> list[Result]:
    from huhang.monitoring import selectors
    from huhang.monitoring.periods import year

    period = year(YEAR)
    say(f"computing every indicator for {YEAR} through the platform, {repeats} times")
    samples, figures = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        figures = selectors.dashboard(period, today=TODAY)
        samples.append(time.perf_counter() - started)
    platform = {f.indicator.id: f.value for f in figures}
    say("exporting the tables to Parquet")
    started = time.perf_counter()
    parquet = _export(work_dir)
    export_seconds = time.perf_counter() - started
    say(f"computing the same with DuckDB over Parquet, {repeats} times")
    duck_samples, duck = [], {}
    for _ in range(repeats):
        started = time.perf_counter()
        duck = _duckdb(parquet)
        duck_samples.append(time.perf_counter() - started)
    from huhang.monitoring.indicators import BY_ID

    mismatches = [code for code, value in duck.items() if not _same(platform.get(code), value, BY_ID[code].decimals)]
    if mismatches:
        raise AssertionError(f"DuckDB and the platform differ on {mismatches}: "
                             f"{[(c, platform.get(c), duck[c]) for c in mismatches]}")  # fmt: skip
    median, duck_median = stats.median(samples), stats.median(duck_samples)
    vendor = connection.vendor
    return [
        Result(
            f"all 19 indicators for {YEAR} ({vendor}; median of {repeats})",
            f"{median * 1000:,.0f} ms (min {min(samples) * 1000:,.0f}, max {max(samples) * 1000:,.0f})",
            f"DuckDB over Parquet, the same {len(duck)} aggregations: {duck_median * 1000:,.0f} ms "
            f"(export to Parquet {export_seconds:.0f} s, not counted)",
            f"{median / duck_median:,.1f}× DuckDB's time",
        ),
        Result(f"figures compared with DuckDB's ({vendor})", f"{len(duck)} of {len(duck)} equal", "—", "—"),
    ]


def _same(platform, duck, decimals: int) -> bool:
    """Equal up to the platform's rounding of the figure to ``decimals`` places (DuckDB's is not rounded)."""
    if platform is None or duck is None:
        return platform is None and duck is None
    return abs(Decimal(str(platform)) - Decimal(str(duck))) <= Decimal(5) / 10 ** (decimals + 1) + Decimal("1e-9")


TABLES = {
    "cases": "SELECT c.id, c.category, c.opened_on, c.accepted_on, c.closed_on, c.handling_days, "
             "c.within_limit, c.mediation_offered FROM cases_case c",
    "experts": "SELECT case_id, joined_on FROM cases_caseexpert",
    "entities": "SELECT id, district_id FROM registry_entity",
    "filings": "SELECT f.entity_id, o.kind AS centre_kind, f.valid_from, f.valid_to FROM registry_filing f "
               "JOIN accounts_organisation o ON o.id = f.centre_id",
    "designations": "SELECT entity_id, kind, designated_on, revoked_on FROM registry_tradesecretdesignation",
    "stations": "SELECT kind, level, opened_on, closed_on FROM registry_servicestation",
    "copyrights": "SELECT registered_on FROM registry_copyright",
    "patents": "SELECT p.id, p.kind, p.status, p.grant_date, p.application_date, p.high_value, e.district_id "
               "FROM registry_patent p JOIN registry_patent_owners o ON o.patent_id = p.id "
               "JOIN registry_entity e ON e.id = o.entity_id",
    "answers": "SELECT a.submitted_on, a.score, a.weight, a.flag, q.indicator FROM surveys_answer a "
               "JOIN surveys_questionnaire q ON q.id = a.questionnaire_id",
    "statistics": "SELECT code, scope, period_end, value, unit FROM monitoring_statistic",
}  # fmt: skip


def _export(work_dir: Path) -> dict[str, Path]:
    """Write each table's rows to CSV, then to Parquet with DuckDB (no extension needed)."""
    import duckdb

    out = {}
    con = duckdb.connect()
    for name, sql in TABLES.items():
        path = work_dir / f"{name}.csv"
        with connection.cursor() as cursor, path.open("w", newline="", encoding="utf-8") as handle:
            cursor.execute(sql)
            writer = csv.writer(handle)
            header = [c[0] for c in cursor.description]
            writer.writerow(header)
            while rows := cursor.fetchmany(50_000):
                writer.writerows(_csv_row(row) for row in rows)
        target = work_dir / f"{name}.parquet"
        columns = ", ".join(f"'{c}': '{_duck_type(c)}'" for c in header)
        con.execute(
            f"COPY (SELECT * FROM read_csv('{path}', header=true, columns={{{columns}}})) "
            f"TO '{target}' (FORMAT parquet)"
        )
        path.unlink()
        out[name] = target
    con.close()
    return out


def _csv_row(row) -> list:
    return ["" if v is None else (str(v).lower() if isinstance(v, bool) else v) for v in row]


def _duck_type(column: str) -> str:
    if column.endswith(("_on", "_date", "_from", "_to", "period_end")):
        return "DATE"
    if column in ("within_limit", "mediation_offered", "high_value"):
        return "BOOLEAN"
    if column in ("score", "weight", "value"):
        return "DOUBLE"
    if column == "id" or column.endswith(("_id", "_days")):
        return "BIGINT"
    return "VARCHAR"


def _duckdb(parquet: dict[str, Path]) -> dict[str, float | None]:
    import duckdb

    con = duckdb.connect()
    for name, path in parquet.items():
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    y0, y1, end = f"DATE '{YEAR}-01-01'", f"DATE '{YEAR + 1}-01-01'", f"DATE '{YEAR}-12-31'"
    b0, b1 = f"DATE '{YEAR - 1}-01-01'", y0
    base_day = f"DATE '{YEAR - 1}-12-31'"
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    active = "{s} <= {d} AND ({e} IS NULL OR {e} > {d})"
    r = {}
    r["K1"] = one(f"SELECT SUM(score * weight) / SUM(weight) FROM answers "
                  f"WHERE indicator = 'K1' AND COALESCE(flag, '') = '' "
                  f"AND submitted_on >= {y0} AND submitted_on < {y1}")  # fmt: skip
    population = one(f"SELECT value FROM statistics WHERE code = 'resident_population' AND period_end <= {end} "
                     "ORDER BY period_end DESC LIMIT 1")  # fmt: skip
    high = one(f"SELECT COUNT(DISTINCT id) FROM patents WHERE kind = 'invention' AND status = 'valid' "
               f"AND district_id IS NOT NULL AND high_value AND (grant_date <= {end} OR (grant_date IS NULL AND "
               f"application_date <= {end}))")  # fmt: skip
    r["K2"] = high / (float(population) * 10_000) * 10_000
    r["K3"] = one(f"SELECT COUNT(*) FROM copyrights WHERE registered_on >= {y0} AND registered_on <= {end}")
    r["K4"] = one("SELECT 100.0 * (SELECT value FROM statistics WHERE code = 'patent_intensive_value_added') / "
                  "(SELECT value FROM statistics WHERE code = 'gdp')")  # fmt: skip
    admin = "category IN ('adjudication', 'mediation', 'penalty') AND handling_days IS NOT NULL"
    now_mean = one(f"SELECT AVG(handling_days) FROM cases WHERE {admin} AND closed_on >= {y0} AND closed_on <= {end}")
    then_mean = one(f"SELECT AVG(handling_days) FROM cases WHERE {admin} AND closed_on >= {b0} AND closed_on < {b1}")
    r["K5"] = (1 - now_mean / then_mean) * 100
    r["K6"] = one(f"SELECT COUNT(*) FROM cases WHERE category IN ('assistance', 'mediation') "
                  f"AND accepted_on >= {y0} AND accepted_on <= {end}")  # fmt: skip
    judicial = f"category = 'judicial' AND closed_on >= {y0} AND closed_on <= {end}"
    r["K7"] = one(f"SELECT 100.0 * COUNT(*) FILTER (WHERE within_limit) / COUNT(*) FROM cases "
                  f"WHERE {judicial} AND within_limit IS NOT NULL")  # fmt: skip
    r["K8"] = one(f"SELECT AVG(handling_days) FROM cases WHERE {judicial} AND handling_days IS NOT NULL")
    station = active.format(s="opened_on", e="closed_on", d=end)
    for code, kind in (("K9", "protection_workstation"), ("K10", "trademark_guidance"), ("K11", "trade_secret"),
                       ("K12", "copyright_centre")):  # fmt: skip
        r[code] = one(f"SELECT COUNT(*) FROM stations WHERE kind = '{kind}' AND {station}")
    r["K13"] = one(f"SELECT COUNT(*) FROM stations WHERE kind = 'high_value_patent_centre' "
                   f"AND level IN ('city', 'provincial', 'national') AND {station}")  # fmt: skip
    filed = "SELECT COUNT(DISTINCT entity_id) FROM filings WHERE centre_kind = '{k}' AND " + active.format(
        s="valid_from", e="valid_to", d="{d}"
    )
    r["K14"] = one(filed.format(k="protection_centre", d=end))
    now_q, then_q = (
        one(filed.format(k="quick_rights_centre", d=end)),
        one(filed.format(k="quick_rights_centre", d=base_day)),
    )
    r["K15"] = 100.0 * (now_q - then_q) / then_q
    designated = active.format(s="designated_on", e="revoked_on", d=end)
    r["K16"] = one(f"SELECT COUNT(DISTINCT entity_id) FROM designations WHERE kind = 'contact_point' AND {designated}")
    r["K17"] = one(f"SELECT COUNT(DISTINCT entity_id) FROM designations WHERE kind = 'demonstration_point' "
                   f"AND {designated}")  # fmt: skip
    now_x = one(f"SELECT COUNT(DISTINCT case_id) FROM experts WHERE joined_on >= {y0} AND joined_on <= {end}")
    then_x = one(f"SELECT COUNT(DISTINCT case_id) FROM experts WHERE joined_on >= {b0} AND joined_on < {b1}")
    r["K18"] = 100.0 * (now_x - then_x) / then_x
    r["K19"] = one(f"SELECT 100.0 * COUNT(*) FILTER (WHERE mediation_offered) / COUNT(*) FROM cases "
                   f"WHERE category IN ('adjudication', 'mediation') "
                   f"AND opened_on >= {y0} AND opened_on <= {end}")  # fmt: skip
    con.close()
    return r
