"""Patent navigation (专利导航): counts and trends by IPC, applicant, year, region and industry.

Definitions (docs/analytics.md has them with examples):

- **A patent counts once per group.** A patent with three codes in H04W counts once for H04W; the shares
  of a breakdown can sum past 100 % because a patent belongs to several groups.
- **IPC level.** Counts at a level use each code's ancestor at that level; a code coarser than the level
  (``G06F`` when counting main groups) is not counted there, and the result says how many patents that
  left out. Titles are the Chinese CNIPA titles, or the English WIPO title where CNIPA's table has none
  (``title_lang`` says which).
- **Year.** ``year_basis`` chooses the date: ``application`` (filing date, the default, as in CNIPA's
  navigation reports), ``priority`` (earliest priority, else filing), ``publication`` (publication, else
  grant). Patents without that date are left out of year counts, and the result says how many.
- **Applicant.** Names are grouped on a key that ignores case, spacing, punctuation and company-form
  suffixes (Corp., Inc., Co., Ltd.); the label is the most frequent spelling (the first in order on a tie).
- **Industry.** The SEI 2021 industry a patent is classified in with status ``yes``
  (:mod:`huhang.analytics.high_value`); ``possible`` counts those with status ``unknown`` for that industry.
- **Growth.** Fastest-growing IPC groups compare two windows of ``window`` years: the recent one ending at
  ``end_year`` and the one before it. growth = recent ÷ previous − 1, only for groups with at least
  ``min_base`` patents in the previous window (a group from 1 to 4 is not "300 % growth"); ties are
  broken by the absolute increase.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from huhang.analytics.errors import StoreError
from huhang.analytics.ipc import LEVELS, ipc_level, normalise_ipc
from huhang.analytics.store import PatentStore, name_key_sql

YEAR_BASES = {
    "application": "year(p.app_date)",
    "priority": "year(coalesce(p.priority_date, p.app_date))",
    "publication": "year(coalesce(p.pub_date, p.grant_date))",
}
_LEVEL_SQL = {
    "section": "i.section",
    "class": "i.class",
    "subclass": "i.subclass",
    "main_group": "i.main_group",
    "subgroup": "CASE WHEN i.level = 'subgroup' THEN i.code END",
}


@dataclass(frozen=True)
class Filters:
    """Which patents a query covers; every field is optional and they combine with AND."""

    year_from: int | None = None
    year_to: int | None = None
    year_basis: str = "application"
    country: str | None = None
    lang: str | None = None
    ipc: str | None = None
    applicant: str | None = None
    region: str | None = None
    sei_code: str | None = None

    def __post_init__(self) -> None:
        if self.year_basis not in YEAR_BASES:
            raise StoreError(f"unknown year basis {self.year_basis!r} (known: {', '.join(YEAR_BASES)})")
        if self.ipc is not None and normalise_ipc(self.ipc) is None:
            raise StoreError(f"{self.ipc!r} is not an IPC code")


@dataclass
class Landscape:
    """A navigation result: rows (dicts with the named columns) and notes on what was left out."""

    title: str
    columns: list[str]
    rows: list[dict[str, Any]]
    total: int
    notes: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    """The figures behind the notes (e.g. ``no_ipc``, ``coarser``), for callers that word the notes themselves."""

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "title": self.title,
            "total": self.total,
            "columns": self.columns,
            "rows": self.rows,
            "notes": self.notes,
            "details": self.details,
        }


def _scope(store: PatentStore, filters: Filters | None) -> tuple[str, list[Any]]:
    """Return a CTE body selecting the filtered patents (with their ``year``) and its parameters."""
    f = filters or Filters()
    where, params = ["TRUE"], []
    year = YEAR_BASES[f.year_basis]
    if f.year_from is not None:
        where.append(f"{year} >= ?")
        params.append(f.year_from)
    if f.year_to is not None:
        where.append(f"{year} <= ?")
        params.append(f.year_to)
    if f.country:
        where.append("p.country = ?")
        params.append(f.country.upper())
    if f.lang:
        where.append("p.lang = ?")
        params.append(f.lang.lower())
    if f.ipc:
        code = normalise_ipc(f.ipc)
        test = {"main_group": "x.main_group = ?", "subgroup": "x.code = ?"}.get(
            ipc_level(code), "starts_with(x.code, ?)"
        )
        where.append(f"EXISTS (SELECT 1 FROM patent_ipc x WHERE x.patent_id = p.id AND {test})")  # noqa: S608
        params.append(code)
    if f.applicant:
        key = name_key_sql("?")
        where.append(f"EXISTS (SELECT 1 FROM patent_applicant a WHERE a.patent_id = p.id AND a.name_key = {key})")  # noqa: S608
        params.append(f.applicant)
    if f.region:
        where.append("p.region = ?")
        params.append(f.region)
    if f.sei_code:
        _require_classification(store)
        where.append("EXISTS (SELECT 1 FROM hv_sei s WHERE s.patent_id = p.id AND s.sei_code = ? AND s.status = 'yes')")
        params.append(f.sei_code)
    return f"SELECT p.*, {year} AS year FROM patents p WHERE {' AND '.join(where)}", params  # noqa: S608


def _total(store: PatentStore, scope: str, params: list[Any]) -> int:
    return store.query(f"WITH f AS ({scope}) SELECT count(*) FROM f", params)[0][0]  # noqa: S608


def by_ipc(store: PatentStore, *, level: str = "subclass", top: int = 20, filters: Filters | None = None) -> Landscape:
    """Count patents per IPC group at ``level``, most first, with titles."""
    column = _level(level)
    scope, params = _scope(store, filters)
    total = _total(store, scope, params)
    rows = (
        store.query_dicts(
            f"""WITH f AS ({scope}),
        g AS (SELECT DISTINCT f.id, {column} AS code FROM f JOIN patent_ipc i ON i.patent_id = f.id
              WHERE {column} IS NOT NULL)
        SELECT g.code, r.title, r.title_lang, count(*) AS patents
        FROM g LEFT JOIN ref_ipc r ON r.code = g.code
        GROUP BY g.code, r.title, r.title_lang ORDER BY patents DESC, g.code LIMIT ?""",  # noqa: S608
            [*params, top],
        )
        if store.has_reference()
        else _without_titles(store, scope, params, column, top)
    )
    for row in rows:
        row["share"] = round(row["patents"] / total, 4) if total else 0.0
    no_ipc, coarser = store.query(
        f"""WITH f AS ({scope}),
        c AS (SELECT f.id, count(i.code) AS codes, count({column}) AS at_level
              FROM f LEFT JOIN patent_ipc i ON i.patent_id = f.id GROUP BY f.id)
        SELECT count(*) FILTER (WHERE codes = 0), count(*) FILTER (WHERE codes > 0 AND at_level = 0) FROM c""",  # noqa: S608
        params,
    )[0]
    notes = []
    if no_ipc:
        notes.append(f"{no_ipc:,} of {total:,} patents have no IPC code")
    if coarser:
        notes.append(f"{coarser:,} of {total:,} patents have IPC codes only coarser than {level} and are not counted")
    return Landscape(
        f"patents by IPC {level}",
        ["code", "title", "title_lang", "patents", "share"],
        rows,
        total,
        notes,
        {"no_ipc": no_ipc, "coarser": coarser, "level": level},
    )


def _without_titles(store: PatentStore, scope: str, params: list[Any], column: str, top: int) -> list[dict[str, Any]]:
    return store.query_dicts(
        f"""WITH f AS ({scope})
        SELECT {column} AS code, NULL AS title, NULL AS title_lang, count(DISTINCT f.id) AS patents
        FROM f JOIN patent_ipc i ON i.patent_id = f.id WHERE {column} IS NOT NULL
        GROUP BY 1 ORDER BY patents DESC, code LIMIT ?""",  # noqa: S608
        [*params, top],
    )


def by_applicant(store: PatentStore, *, top: int = 20, filters: Filters | None = None) -> Landscape:
    """Top applicants by number of patents, with their first and last year."""
    scope, params = _scope(store, filters)
    total = _total(store, scope, params)
    rows = store.query_dicts(
        f"""WITH f AS ({scope}),
        a AS (SELECT DISTINCT f.id, f.year, a.name_key, a.name FROM f JOIN patent_applicant a ON a.patent_id = f.id),
        spelling AS (SELECT name_key, name, count(*) AS n FROM a GROUP BY ALL),
        label AS (SELECT name_key, first(name ORDER BY n DESC, name) AS applicant FROM spelling GROUP BY name_key)
        SELECT label.applicant, count(DISTINCT a.id) AS patents, min(a.year) AS first_year, max(a.year) AS last_year
        FROM a JOIN label ON label.name_key = a.name_key
        GROUP BY a.name_key, label.applicant ORDER BY patents DESC, a.name_key LIMIT ?""",  # noqa: S608
        [*params, top],
    )
    for row in rows:
        row["share"] = round(row["patents"] / total, 4) if total else 0.0
    missing = store.query(
        f"""WITH f AS ({scope}) SELECT count(*) FROM f
        WHERE NOT EXISTS (SELECT 1 FROM patent_applicant a WHERE a.patent_id = f.id)""",  # noqa: S608
        params,
    )[0][0]
    notes = [f"{missing:,} of {total:,} patents name no applicant"] if missing else []
    return Landscape(
        "top applicants",
        ["applicant", "patents", "share", "first_year", "last_year"],
        rows,
        total,
        notes,
        {"no_applicant": missing},
    )


def by_year(store: PatentStore, *, filters: Filters | None = None) -> Landscape:
    """Patents per year (on the filters' year basis)."""
    f = filters or Filters()
    scope, params = _scope(store, f)
    total = _total(store, scope, params)
    rows = store.query_dicts(
        f"""WITH f AS ({scope}) SELECT year, count(*) AS patents FROM f WHERE year IS NOT NULL
        GROUP BY year ORDER BY year""",  # noqa: S608
        params,
    )
    counted = sum(row["patents"] for row in rows)
    notes = [f"{total - counted:,} of {total:,} patents have no {f.year_basis} date"] if counted < total else []
    return Landscape(
        f"patents by {f.year_basis} year",
        ["year", "patents"],
        rows,
        total,
        notes,
        {"no_date": total - counted, "year_basis": f.year_basis},
    )


def by_region(store: PatentStore, *, top: int = 20, field: str = "region", filters: Filters | None = None) -> Landscape:
    """Patents per applicant region (``field="region"``) or per office (``field="country"``)."""
    if field not in ("region", "country"):
        raise StoreError("field must be region or country")
    scope, params = _scope(store, filters)
    total = _total(store, scope, params)
    rows = store.query_dicts(
        f"""WITH f AS ({scope}) SELECT {field}, count(*) AS patents FROM f WHERE {field} IS NOT NULL
        GROUP BY {field} ORDER BY patents DESC, {field} LIMIT ?""",  # noqa: S608
        [*params, top],
    )
    for row in rows:
        row["share"] = round(row["patents"] / total, 4) if total else 0.0
    missing = store.query(f"WITH f AS ({scope}) SELECT count(*) FROM f WHERE {field} IS NULL", params)[0][0]  # noqa: S608
    notes = [f"{missing:,} of {total:,} patents have no {field}"] if missing else []
    return Landscape(f"patents by {field}", [field, "patents", "share"], rows, total, notes, {"missing": missing})


def by_industry(store: PatentStore, *, filters: Filters | None = None) -> Landscape:
    """Patents per SEI 2021 industry: classified (``patents``) and possible (``possible``: status unknown)."""
    _require_classification(store)
    scope, params = _scope(store, filters)
    total = _total(store, scope, params)
    rows = store.query_dicts(
        f"""WITH f AS ({scope}),
        s AS (SELECT s.patent_id, s.sei_code, bool_or(s.status = 'yes') AS yes, bool_or(s.status = 'unknown') AS maybe
              FROM hv_sei s JOIN f ON f.id = s.patent_id WHERE s.sei_code IS NOT NULL GROUP BY ALL)
        SELECT i.sei_code, i.name_zh, i.top_name_zh, count(*) FILTER (WHERE s.yes) AS patents,
               count(*) FILTER (WHERE NOT s.yes AND s.maybe) AS possible
        FROM ref_sei_industry i LEFT JOIN s ON s.sei_code = i.sei_code
        GROUP BY ALL ORDER BY patents DESC, possible DESC, i.sei_code""",  # noqa: S608
        params,
    )
    return Landscape(
        "patents by strategic emerging industry (SEI 2021)",
        ["sei_code", "name_zh", "top_name_zh", "patents", "possible"],
        rows,
        total,
    )


def trend(
    store: PatentStore,
    *,
    dimension: str = "ipc",
    level: str = "subclass",
    keys: list[str] | None = None,
    top: int = 5,
    filters: Filters | None = None,
) -> Landscape:
    """Patents per year for the ``top`` groups of a dimension (ipc, applicant, region, industry), or ``keys``."""
    scope, params = _scope(store, filters)
    if dimension == "ipc":
        column = _level(level)
        pairs = (
            f"SELECT DISTINCT f.id, f.year, {column} AS key FROM f JOIN patent_ipc i ON i.patent_id = f.id "  # noqa: S608
            f"WHERE {column} IS NOT NULL"
        )
    elif dimension == "applicant":
        pairs = "SELECT DISTINCT f.id, f.year, a.name_key AS key FROM f JOIN patent_applicant a ON a.patent_id = f.id"
    elif dimension == "region":
        pairs = "SELECT f.id, f.year, f.region AS key FROM f WHERE f.region IS NOT NULL"
    elif dimension == "industry":
        _require_classification(store)
        pairs = (
            "SELECT DISTINCT f.id, f.year, s.sei_code AS key FROM f JOIN hv_sei s ON s.patent_id = f.id "
            "WHERE s.status = 'yes'"
        )
    else:
        raise StoreError("dimension must be ipc, applicant, region or industry")
    key_filter, key_params = "", []
    if keys:
        if dimension == "applicant":
            key_expr = name_key_sql("k")
            key_filter = f"WHERE key IN (SELECT {key_expr} FROM (SELECT unnest(?) AS k))"  # noqa: S608
        else:
            key_filter = "WHERE key IN (SELECT unnest(?))"
        key_params = [[normalise_ipc(k) or k for k in keys] if dimension == "ipc" else list(keys)]
    else:
        key_filter = "WHERE key IN (SELECT key FROM pairs GROUP BY key ORDER BY count(DISTINCT id) DESC, key LIMIT ?)"
        key_params = [top]
    label = {
        "ipc": "(SELECT title FROM ref_ipc WHERE code = t.key)" if store.has_reference() else "NULL",
        "applicant": "(SELECT first(name ORDER BY name) FROM patent_applicant WHERE name_key = t.key)",
        "region": "t.key",
        "industry": "(SELECT name_zh FROM ref_sei_industry WHERE sei_code = t.key)",
    }[dimension]
    rows = store.query_dicts(
        f"""WITH f AS ({scope}), pairs AS ({pairs}),
        t AS (SELECT key, year, count(DISTINCT id) AS patents FROM pairs {key_filter} AND year IS NOT NULL GROUP BY ALL)
        SELECT t.key, {label} AS label, t.year, t.patents FROM t ORDER BY t.key, t.year""",  # noqa: S608
        [*params, *key_params],
    )
    total = _total(store, scope, params)
    return Landscape(f"{dimension} trend", ["key", "label", "year", "patents"], rows, total)


def fastest_growing_ipc(
    store: PatentStore,
    *,
    level: str = "main_group",
    end_year: int | None = None,
    window: int = 3,
    min_base: int = 5,
    top: int = 10,
    filters: Filters | None = None,
) -> Landscape:
    """IPC groups whose count grew fastest between two windows of ``window`` years (see module docstring)."""
    if window < 1 or min_base < 1:
        raise StoreError("window and min_base must be at least 1")
    column = _level(level)
    f = filters or Filters()
    scope, params = _scope(store, f)
    if end_year is None:
        end_year = store.query(f"WITH f AS ({scope}) SELECT max(year) FROM f", params)[0][0]  # noqa: S608
        if end_year is None:
            return Landscape(
                "fastest-growing IPC groups", [], [], 0, [f"no patent has a {f.year_basis} date"], {"no_dates": True}
            )
    recent_from, previous_from = end_year - window + 1, end_year - 2 * window + 1
    title = "(SELECT title FROM ref_ipc WHERE code = g.code)" if store.has_reference() else "NULL"
    rows = store.query_dicts(
        f"""WITH f AS ({scope}),
        pairs AS (SELECT DISTINCT f.id, f.year, {column} AS code FROM f JOIN patent_ipc i ON i.patent_id = f.id
                  WHERE {column} IS NOT NULL AND f.year BETWEEN ? AND ?),
        g AS (SELECT code, count(DISTINCT id) FILTER (WHERE year >= ?) AS recent,
                     count(DISTINCT id) FILTER (WHERE year < ?) AS previous
              FROM pairs GROUP BY code)
        SELECT g.code, {title} AS title, g.previous, g.recent, g.recent - g.previous AS increase,
               round(g.recent / g.previous - 1, 4) AS growth
        FROM g WHERE g.previous >= ? ORDER BY growth DESC, increase DESC, g.code LIMIT ?""",  # noqa: S608
        [*params, previous_from, end_year, recent_from, recent_from, min_base, top],
    )
    notes = [
        f"recent window {recent_from}–{end_year}, previous {previous_from}–{recent_from - 1} ({f.year_basis} year); "
        f"groups with fewer than {min_base} patents in the previous window are left out",
    ]
    return Landscape(
        "fastest-growing IPC groups",
        ["code", "title", "previous", "recent", "increase", "growth"],
        rows,
        _total(store, scope, params),
        notes,
        {
            "recent_from": recent_from,
            "end_year": end_year,
            "previous_from": previous_from,
            "previous_to": recent_from - 1,
            "min_base": min_base,
            "year_basis": f.year_basis,
        },
    )


def _level(level: str) -> str:
    if level not in LEVELS:
        raise StoreError(f"unknown IPC level {level!r} (known: {', '.join(LEVELS)})")
    return _LEVEL_SQL[level]


def _require_classification(store: PatentStore) -> None:
    if not store.table_exists("hv_sei"):
        raise StoreError("no classification yet: run the classification first")
