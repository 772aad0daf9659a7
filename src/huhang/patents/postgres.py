"""The navigation's counts on PostgreSQL, for deployments past one machine (docs/analytics.md, "At national scale").

:func:`pg_copy` copies the store's tables that navigation reads (patents, their IPC codes and applicants, IPC
titles, SEI results) into a PostgreSQL schema with ``COPY``, and indexes them; :func:`pg_by_ipc`,
:func:`pg_by_applicant` and :func:`pg_by_year` are :mod:`huhang.analytics.navigation`'s queries written in
PostgreSQL's dialect, taking the same :class:`~huhang.analytics.navigation.Filters` and giving the same rows.
The test suite compares them with DuckDB's whenever it runs on PostgreSQL (CI does).

The dialect's differences: ``year(d)`` is ``extract(year FROM d)``; DuckDB's ``first(x ORDER BY …)`` is
``(array_agg(x ORDER BY …))[1]``; ``GROUP BY ALL`` names its columns; the applicant key is computed once for
the filter's value by DuckDB (in memory), so both databases group names by the same rule.
"""

from __future__ import annotations

from typing import Any

import duckdb

from huhang.analytics.ipc import ipc_level, normalise_ipc
from huhang.analytics.navigation import Filters
from huhang.analytics.store import PatentStore, name_key_sql

SCHEMA = "patent_analytics"
TABLES = {
    "patents": (
        "id text PRIMARY KEY, country text, lang text, app_date date, pub_date date, grant_date date, "
        "priority_date date, region text",
        "SELECT id, country, lang, app_date, pub_date, grant_date, priority_date, region FROM patents",
    ),
    "patent_ipc": (
        "patent_id text NOT NULL, seq integer, code text NOT NULL, level text, section text, class text, "
        "subclass text, main_group text",
        "SELECT patent_id, seq, code, level, section, class, subclass, main_group FROM patent_ipc",
    ),
    "patent_applicant": (
        "patent_id text NOT NULL, seq integer, name text NOT NULL, name_key text NOT NULL",
        "SELECT patent_id, seq, name, name_key FROM patent_applicant",
    ),
    "ref_ipc": ("code text PRIMARY KEY, title text, title_lang text", "SELECT code, title, title_lang FROM ref_ipc"),
    "hv_sei": (
        "patent_id text NOT NULL, sei_code text, status text",
        "SELECT patent_id, sei_code, status FROM hv_sei WHERE sei_code IS NOT NULL",
    ),
}
INDEXES = (
    "CREATE INDEX ON {s}.patent_ipc (patent_id)",
    "CREATE INDEX ON {s}.patent_ipc (code)",
    "CREATE INDEX ON {s}.patent_ipc (main_group)",
    "CREATE INDEX ON {s}.patent_applicant (patent_id)",
    "CREATE INDEX ON {s}.patent_applicant (name_key)",
    "CREATE INDEX ON {s}.hv_sei (patent_id, sei_code)",
)
YEAR = {
    "application": "extract(year FROM p.app_date)::int",
    "priority": "extract(year FROM coalesce(p.priority_date, p.app_date))::int",
    "publication": "extract(year FROM coalesce(p.pub_date, p.grant_date))::int",
}
LEVEL = {
    "section": "i.section",
    "class": "i.class",
    "subclass": "i.subclass",
    "main_group": "i.main_group",
    "subgroup": "CASE WHEN i.level = 'subgroup' THEN i.code END",
}


def pg_copy(store: PatentStore, connection, *, schema: str = SCHEMA, batch: int = 50_000) -> dict[str, int]:
    """Replace ``schema``'s tables with the store's (Django ``connection`` to PostgreSQL); return rows per table."""
    copied = {}
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        cursor.execute(f"CREATE SCHEMA {schema}")
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        for table, (columns, select) in TABLES.items():
            cursor.execute(f"CREATE TABLE {schema}.{table} ({columns})")
            if not store.table_exists(table):
                copied[table] = 0
                continue
            source = store.con.cursor()
            source.execute(select)
            count = 0
            with raw.copy(f"COPY {schema}.{table} FROM STDIN") as copy:
                while rows := source.fetchmany(batch):
                    for row in rows:
                        copy.write_row(row)
                    count += len(rows)
            source.close()
            copied[table] = count
        for statement in INDEXES:
            cursor.execute(statement.format(s=schema))
        cursor.execute(f"ANALYZE {schema}.patents, {schema}.patent_ipc, {schema}.patent_applicant")
    return copied


def _name_key(name: str) -> str:
    with duckdb.connect() as con:
        return con.execute(f"SELECT {name_key_sql('?')}", [name]).fetchone()[0]


def _scope(filters: Filters | None, schema: str) -> tuple[str, list[Any]]:
    f = filters or Filters()
    year = YEAR[f.year_basis]
    where, params = ["TRUE"], []
    if f.year_from is not None:
        where.append(f"{year} >= %s")
        params.append(f.year_from)
    if f.year_to is not None:
        where.append(f"{year} <= %s")
        params.append(f.year_to)
    if f.country:
        where.append("p.country = %s")
        params.append(f.country.upper())
    if f.lang:
        where.append("p.lang = %s")
        params.append(f.lang.lower())
    if f.ipc:
        code = normalise_ipc(f.ipc)
        test = {"main_group": "x.main_group = %s", "subgroup": "x.code = %s"}.get(ipc_level(code), "x.code LIKE %s")
        where.append(f"EXISTS (SELECT 1 FROM {schema}.patent_ipc x WHERE x.patent_id = p.id AND {test})")  # noqa: S608
        params.append(code if "LIKE" not in test else code + "%")
    if f.applicant:
        where.append(
            f"EXISTS (SELECT 1 FROM {schema}.patent_applicant a WHERE a.patent_id = p.id AND a.name_key = %s)"  # noqa: S608
        )
        params.append(_name_key(f.applicant))
    if f.region:
        where.append("p.region = %s")
        params.append(f.region)
    if f.sei_code:
        where.append(
            f"EXISTS (SELECT 1 FROM {schema}.hv_sei s "  # noqa: S608
            "WHERE s.patent_id = p.id AND s.sei_code = %s AND s.status = 'yes')"
        )
        params.append(f.sei_code)
    return f"SELECT p.*, {year} AS year FROM {schema}.patents p WHERE {' AND '.join(where)}", params  # noqa: S608


def _rows(connection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def pg_by_ipc(
    connection, *, level: str = "subclass", top: int = 20, filters: Filters | None = None, schema: str = SCHEMA
) -> list[dict[str, Any]]:
    """Patents per IPC group at ``level`` with titles, most first (``navigation.by_ipc``'s rows without share)."""
    column = LEVEL[level]
    scope, params = _scope(filters, schema)
    return _rows(
        connection,
        f"""WITH f AS ({scope}),
        g AS (SELECT DISTINCT f.id, {column} AS code FROM f JOIN {schema}.patent_ipc i ON i.patent_id = f.id
              WHERE {column} IS NOT NULL)
        SELECT g.code, r.title, r.title_lang, count(*) AS patents
        FROM g LEFT JOIN {schema}.ref_ipc r ON r.code = g.code
        GROUP BY g.code, r.title, r.title_lang ORDER BY patents DESC, g.code LIMIT %s""",  # noqa: S608
        [*params, top],
    )


def pg_by_applicant(
    connection, *, top: int = 20, filters: Filters | None = None, schema: str = SCHEMA
) -> list[dict[str, Any]]:
    """Top applicants with first and last year (``navigation.by_applicant``'s rows without share)."""
    scope, params = _scope(filters, schema)
    return _rows(
        connection,
        f"""WITH f AS ({scope}),
        a AS (SELECT DISTINCT f.id, f.year, a.name_key, a.name FROM f
              JOIN {schema}.patent_applicant a ON a.patent_id = f.id),
        spelling AS (SELECT name_key, name, count(*) AS n FROM a GROUP BY name_key, name),
        label AS (SELECT name_key, (array_agg(name ORDER BY n DESC, name))[1] AS applicant FROM spelling
                  GROUP BY name_key)
        SELECT label.applicant, count(DISTINCT a.id) AS patents, min(a.year) AS first_year, max(a.year) AS last_year
        FROM a JOIN label ON label.name_key = a.name_key
        GROUP BY a.name_key, label.applicant ORDER BY patents DESC, a.name_key LIMIT %s""",  # noqa: S608
        [*params, top],
    )


def pg_by_year(connection, *, filters: Filters | None = None, schema: str = SCHEMA) -> list[dict[str, Any]]:
    """Patents per year on the filters' year basis (``navigation.by_year``'s rows)."""
    scope, params = _scope(filters, schema)
    return _rows(
        connection,
        f"""WITH f AS ({scope}) SELECT year, count(*) AS patents FROM f WHERE year IS NOT NULL
        GROUP BY year ORDER BY year""",  # noqa: S608
        params,
    )
