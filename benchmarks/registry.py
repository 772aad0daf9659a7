"""Registry benchmarks: importing entities from a spreadsheet, and the staff entity list at a million rows.

1. ``import_rows`` (CSV, 100,000 entities: parse, validate, check uniqueness, insert with history) against
   a raw ``executemany`` INSERT of the same rows into an empty table of the same shape.
2. ``GET /registry/entities/`` (plain, searched and filtered, page 500) as a signed-in handler through the
   whole Django stack, against the bare SQL that returns the same page of rows and its COUNT(*).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import time
from pathlib import Path

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from benchmarks.harness import Result, median_p95, repeat_ms, say
from huhang.accounts.models import Organisation, User
from huhang.accounts.roles import OrganisationKind, Role
from huhang.registry.demo import demo_data_present, generate_demo_data
from huhang.registry.demo_entities import EntityContext, entity_batches
from huhang.registry.models import District, Entity, Industry

# Rows of the import come from serial numbers far above the demo data's, so identifiers never collide.
IMPORT_FIRST_SERIAL = 5_000_000
COLUMNS = ("kind", "name", "uscc", "resident_id", "district_id", "industry_id", "size", "address",
           "contact_name", "contact_phone", "established_on", "is_demo", "created_at", "updated_at")  # fmt: skip
HEADERS = ("主体类型", "名称", "统一社会信用代码", "身份证号码", "所在区", "行业", "企业规模", "地址", "联系人",
           "联系电话", "成立日期")  # fmt: skip
KIND_ZH = {"enterprise": "企业", "university": "高校", "research_institute": "科研院所",
           "public_institution": "事业单位", "social_organisation": "社会组织", "individual": "个人"}  # fmt: skip
SIZE_ZH = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型", "": ""}
PAGE_SIZE = 50
BENCHMARKS = ("import", "list")


def run(*, quick: bool, work_dir: Path, only: str | None = None) -> list[Result]:
    """Run the registry benchmarks (or ``only`` the one so named); ``quick`` uses small sizes to check that
    everything works."""
    results = []
    if only in (None, "import"):
        results += import_benchmark(rows=5_000 if quick else 100_000, work_dir=work_dir)
    if only in (None, "list"):
        results += list_benchmark(entities=50_000 if quick else 1_000_000, repeats=10 if quick else 30)
    return results


def bench_user() -> User:
    """Return the case handler the benchmarks act as."""
    centre, _ = Organisation.objects.get_or_create(
        name="基准测试保护中心", defaults={"kind": OrganisationKind.PROTECTION_CENTRE}
    )
    user, _ = User.objects.get_or_create(
        username="bench_handler", defaults={"role": Role.HANDLER, "organisation": centre}
    )
    return user


# ------------------------------------------------------------------------------------------ import


def import_benchmark(*, rows: int, work_dir: Path) -> list[Result]:
    """Time ``import_rows`` on a CSV of ``rows`` entities and a raw executemany of the same rows."""
    try:
        from huhang.registry.tabular.importing import import_rows
    except ImportError as exc:
        say(f"import benchmark skipped: {exc}")
        return [Result(f"import {rows:,} entities", "skipped: importing module missing", "", "")]
    entities = _entities_to_import(rows)
    path = _write_csv(entities, work_dir / "entities.csv")
    say(f"raw executemany of {rows:,} rows into a copy of registry_entity")
    raw_seconds = _raw_insert(entities)
    say(f"import_rows of {path.name} ({path.stat().st_size / 1e6:.1f} MB)")
    checked_at: list[float] = []

    def progress(done: int, total: int) -> None:
        if not checked_at and done >= total // 2:
            checked_at.append(time.perf_counter())

    started = time.perf_counter()
    result = import_rows(actor=bench_user(), kind="entities", path_or_file=path, progress=progress)
    seconds = time.perf_counter() - started
    assert result.created == rows, result
    phases = f", of which checking {checked_at[0] - started:.1f} s" if checked_at else ""
    return [
        Result(
            f"import {rows:,} entities from CSV (`import_rows`)",
            f"{rows / seconds:,.0f} rows/s ({seconds:.1f} s{phases})",
            f"raw `executemany` INSERT: {rows / raw_seconds:,.0f} rows/s ({raw_seconds:.1f} s)",
            f"{seconds / raw_seconds:.1f}× the raw time",
        )
    ]


def _entities_to_import(rows: int) -> list[Entity]:
    context = EntityContext(
        district_ids=dict(District.objects.values_list("code", "pk")),
        industry_ids=dict(Industry.objects.values_list("code", "pk")),
    )
    batches = entity_batches(
        random.Random("bench-import"), count=rows, context=context, batch_size=rows,
        first_serial=IMPORT_FIRST_SERIAL,
    )  # fmt: skip
    now = timezone.now()
    entities = [entity for batch in batches for entity, _ in batch]
    for entity in entities:
        entity.is_demo, entity.created_at, entity.updated_at = False, now, now
    return entities


def _write_csv(entities: list[Entity], path: Path) -> Path:
    districts = dict(District.objects.values_list("pk", "name_zh"))
    industries = dict(Industry.objects.values_list("pk", "name_zh"))
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for e in entities:
            writer.writerow(
                (KIND_ZH[e.kind], e.name, e.uscc or "", e.resident_id or "", districts.get(e.district_id, ""),
                 industries.get(e.industry_id, ""), SIZE_ZH[e.size], e.address, e.contact_name, e.contact_phone,
                 e.established_on.isoformat() if e.established_on else "")
            )  # fmt: skip
    return path


def _raw_insert(entities: list[Entity]) -> float:
    """Insert the rows into an empty copy of the entity table with executemany; return the seconds taken."""
    values = [tuple(getattr(e, name) for name in COLUMNS) for e in entities]
    sql = f"INSERT INTO bench_entity ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    _create_copy_table()
    try:
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, values)
        return time.perf_counter() - started
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_entity")


def _create_copy_table() -> None:
    """Create ``bench_entity`` with the columns, constraints and indexes of ``registry_entity``.

    SQLite: the same DDL under another name (foreign keys included). PostgreSQL: ``LIKE … INCLUDING ALL``,
    which copies everything but the foreign keys.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'registry_entity' AND sql IS NOT NULL")
            for (ddl,) in cursor.fetchall():
                ddl = re.sub(r'INDEX "([^"]+)"', r'INDEX "bench_\1"', ddl)
                cursor.execute(ddl.replace('"registry_entity"', '"bench_entity"'))
        else:
            cursor.execute("CREATE TABLE bench_entity (LIKE registry_entity INCLUDING ALL)")


# ------------------------------------------------------------------------------------------ list page


def list_benchmark(*, entities: int, repeats: int) -> list[Result]:
    """Time the entity list page at ``entities`` rows against the bare query of the same page."""
    results = []
    missing = entities - Entity.objects.count()
    if missing > 0 and not demo_data_present():
        say(f"generating {missing:,} demo entities (entities only)")
        summary = generate_demo_data(scale=missing, entities_only=True, password=_throwaway_password())
        results.append(
            Result(
                f"generate {missing:,} demo entities (`generate_demo_data`, entities only)",
                f"{missing / summary.seconds:,.0f} rows/s ({summary.seconds:.0f} s)",
                "—",
                "—",
            )
        )
    total = Entity.objects.count()
    client = Client(HTTP_HOST="localhost")
    client.force_login(bench_user())
    zone = District.objects.get(code="WH-EHT").pk
    cases = (
        ("first page", "/registry/entities/", "", [], 0),
        ("search 光电 in 东湖新技术开发区", f"/registry/entities/?q=光电&district={zone}",
         _search_where(), [zone, "%光电%", "光电%"], 0),
        ("page 500", "/registry/entities/?page=500", "", [], 499 * PAGE_SIZE),
    )  # fmt: skip
    for label, path, where, params, offset in cases:
        say(f"GET {path} × {repeats}")
        page = repeat_ms(lambda path=path: _get(client, path), times=repeats)
        bare = repeat_ms(lambda w=where, p=params, o=offset: _bare_page(w, p, o), times=repeats)
        (page_median, page_p95), (bare_median, bare_p95) = median_p95(page), median_p95(bare)
        results.append(
            Result(
                f"entity list, {label} ({total:,} entities): `GET {path}`",
                f"median {_ms(page_median)} ms, p95 {_ms(page_p95)} ms",
                f"bare SQL page + COUNT(*): median {_ms(bare_median)} ms, p95 {_ms(bare_p95)} ms",
                f"{page_median / bare_median:.1f}× (median)",
            )
        )
    return results


def _ms(value: float) -> str:
    return f"{value:.2f}" if value < 1 else f"{value:.1f}" if value < 10 else f"{value:.0f}"


def _get(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)


def _search_where() -> str:
    like = "LIKE" if connection.vendor == "sqlite" else "ILIKE"
    return f"e.district_id = %s AND (e.name {like} %s OR e.uscc {like} %s)"


def _bare_page(where: str, params: list, offset: int) -> None:
    condition = f"WHERE {where}" if where else ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.id, e.kind, e.name, e.uscc, e.resident_id, e.size, d.name_zh, i.name_zh "
            "FROM registry_entity e LEFT JOIN registry_district d ON d.id = e.district_id "
            f"LEFT JOIN registry_industry i ON i.id = e.industry_id {condition} "
            f"ORDER BY e.id DESC LIMIT {PAGE_SIZE} OFFSET {offset}",
            params,
        )
        cursor.fetchall()
        cursor.execute(f"SELECT COUNT(*) FROM registry_entity e {condition}", params)
        cursor.fetchone()


def _throwaway_password() -> str:
    return f"bench-{dt.datetime.now():%Y%m%d%H%M%S}-{random.SystemRandom().randrange(10**9)}"
