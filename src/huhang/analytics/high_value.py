"""High-value invention patents per CNIPA's five categories (高价值发明专利), with the reasons, and K2.

CNIPA counts as high-value a *valid invention patent* (有效发明专利) that is in at least one of (LEGAL.md §8)::

    sei          ① 战略性新兴产业的发明专利          in a strategic emerging industry (SEI 2021 ↔ IPC concordance)
    family       ② 在海外有同族专利权的              has a family member granted abroad
    maintained   ③ 维持年限超过10年的                maintained more than 10 years (from the filing date)
    pledge       ④ 实现较高质押融资金额的            pledged for financing above an amount (configurable)
    award        ⑤ 获得国家科学技术奖或中国专利奖的  won a national S&T award or a China Patent Award

Every answer is ``yes``, ``no`` or ``unknown``: where the record lacks what a rule needs, the answer is
``unknown``, never ``no`` (no source of the shared data carries legal status, so "valid" is unknown for
all of them unless the record says). The rules, the reasons they give and their sources are in
docs/analytics.md; the reason codes are rendered in English and Chinese by :mod:`huhang.analytics.explain`.

:func:`classify` runs the whole store in SQL inside DuckDB (1,000,000 patents in a few seconds) and keeps
the results in ``hv_result`` (one row per patent) and ``hv_sei`` (one row per IPC code that the
concordance maps, with the rule, the keyword term found and the decision). :func:`assess` reads them back
for one patent; :func:`k2` computes the indicator from them and a population statistic.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from huhang.analytics.errors import StoreError
from huhang.analytics.store import PatentStore

CATEGORIES = ("sei", "family", "maintained", "pledge", "award")
STATUSES = ("yes", "no", "unknown")
NOT_IN_FORCE = ("pending", "lapsed", "invalidated", "expired")
"""Legal statuses that say a patent is not (or not yet) in force."""


@dataclass(frozen=True)
class HighValueConfig:
    """Parameters of a classification run.

    ``as_of``: the date the statuses are judged at (maintenance years, the 20-year term);
    ``pledge_threshold``: the pledge financing (yuan) above which category ④ holds. CNIPA has published no
    figure, so there is no default: without one a pledged patent is ``unknown`` in ④ (an unpledged one ``no``).
    """

    as_of: dt.date = field(default_factory=dt.date.today)
    pledge_threshold: float | None = None

    def __post_init__(self) -> None:
        if self.pledge_threshold is not None and self.pledge_threshold < 0:
            raise StoreError("the pledge threshold must not be negative")


@dataclass(frozen=True)
class Summary:
    """Counts of a classification run: per category and overall, by status."""

    patents: int
    eligible: dict[str, int]
    categories: dict[str, dict[str, int]]
    high_value: dict[str, int]
    config: HighValueConfig
    seconds: float


def classify(store: PatentStore, config: HighValueConfig | None = None) -> Summary:
    """Classify every patent of the store; replace ``hv_result`` and ``hv_sei``; return the counts."""
    config = config or HighValueConfig()
    if not store.has_reference():
        raise StoreError("the classification tables are not loaded: load the reference tables first")
    started = time.perf_counter()
    as_of = config.as_of.isoformat()
    threshold = config.pledge_threshold
    with store.transaction():
        store.con.execute(
            """CREATE OR REPLACE TEMP TABLE hv_cand AS
            SELECT i.patent_id, i.code AS ipc_code, c.rule_id, c.sei_code, c.has_keywords, c.is_exclusion
            FROM patent_ipc i JOIN ref_sei_concordance c ON c.ipc_code = i.code"""
        )
        # A term is found when every one of its parts occurs in the lower-cased title, abstract and claims.
        store.con.execute(
            """CREATE OR REPLACE TEMP TABLE hv_hit AS
            WITH pairs AS (SELECT DISTINCT patent_id, rule_id FROM hv_cand WHERE has_keywords),
                 txt AS (SELECT id, lower(concat_ws(' ', title, abstract, claims)) AS t FROM patents
                         WHERE id IN (SELECT patent_id FROM pairs)),
                 found AS (SELECT pr.patent_id, pr.rule_id, tm.term_no, any_value(tm.term) AS term
                           FROM pairs pr JOIN txt ON txt.id = pr.patent_id
                           JOIN ref_sei_term tm ON tm.rule_id = pr.rule_id
                           GROUP BY pr.patent_id, pr.rule_id, tm.term_no
                           HAVING bool_and(contains(txt.t, tm.part)))
            SELECT patent_id, rule_id, arg_min(term, term_no) AS term FROM found GROUP BY patent_id, rule_id"""
        )
        store.con.execute(
            """CREATE OR REPLACE TABLE hv_sei AS
            WITH decided AS (
                SELECT c.patent_id, c.ipc_code, c.rule_id, c.sei_code, h.term,
                    CASE WHEN NOT c.has_keywords THEN 'ipc'
                         WHEN h.term IS NOT NULL AND c.is_exclusion THEN 'excluded'
                         WHEN h.term IS NOT NULL THEN 'keyword_found'
                         WHEN r.term_count = 0 THEN 'no_terms'
                         WHEN p.lang IS DISTINCT FROM 'zh' THEN 'not_chinese'
                         WHEN p.abstract IS NULL AND p.claims IS NULL THEN 'title_only'
                         WHEN c.is_exclusion THEN 'not_excluded'
                         ELSE 'keyword_absent' END AS reason,
                    NULL::INTEGER AS detail
                FROM hv_cand c JOIN patents p ON p.id = c.patent_id
                JOIN ref_sei_rule r ON r.rule_id = c.rule_id
                LEFT JOIN hv_hit h ON h.patent_id = c.patent_id AND h.rule_id = c.rule_id
                UNION ALL
                SELECT i.patent_id, i.code, NULL, NULL, NULL, 'coarse_ipc', x.rows
                FROM patent_ipc i JOIN ref_sei_prefix x ON x.prefix = i.code
                WHERE i.level IN ('section', 'class', 'subclass'))
            SELECT *, CASE WHEN reason IN ('ipc', 'keyword_found', 'not_excluded') THEN 'yes'
                           WHEN reason IN ('excluded', 'keyword_absent') THEN 'no'
                           ELSE 'unknown' END AS status
            FROM decided"""
        )
        store.con.execute(
            f"""CREATE OR REPLACE TABLE hv_result AS
            WITH sei AS (
                SELECT patent_id,
                    CASE WHEN bool_or(status = 'yes') THEN 'yes' WHEN bool_or(status = 'unknown') THEN 'unknown'
                         ELSE 'no' END AS status
                FROM hv_sei GROUP BY patent_id),
            ipc AS (SELECT DISTINCT patent_id FROM patent_ipc),
            base AS (
            SELECT p.id,
                CASE WHEN p.country IS NULL THEN 'unknown' WHEN p.country = 'CN' THEN 'yes' ELSE 'no' END AS office,
                CASE WHEN p.kind IS NULL THEN 'unknown' WHEN p.kind = 'invention' THEN 'yes' ELSE 'no' END AS kind,
                CASE WHEN p.legal_status = 'valid' THEN 'yes'
                     WHEN p.legal_status IS NOT NULL THEN 'no'
                     WHEN p.app_date IS NOT NULL AND p.app_date + INTERVAL 20 YEAR <= DATE '{as_of}' THEN 'no'
                     ELSE 'unknown' END AS in_force,
                coalesce(sei.status, CASE WHEN ipc.patent_id IS NULL THEN 'unknown' ELSE 'no' END) AS sei,
                CASE WHEN p.family_foreign IS NULL THEN 'unknown'
                     WHEN len(p.family_foreign) = 0 THEN 'no'
                     WHEN len(p.family_foreign_granted) > 0 THEN 'yes'
                     ELSE 'unknown' END AS family,
                CASE WHEN p.legal_status IN ('lapsed', 'invalidated', 'expired', 'pending') THEN 'no'
                     WHEN p.app_date IS NULL THEN 'unknown'
                     WHEN DATE '{as_of}' <= p.app_date + INTERVAL 10 YEAR THEN 'no'
                     WHEN p.legal_status = 'valid' THEN 'yes'
                     ELSE 'unknown' END AS maintained,
                CASE WHEN p.pledge_amount IS NULL THEN 'unknown'
                     WHEN p.pledge_amount = 0 THEN 'no'
                     WHEN CAST($threshold AS DOUBLE) IS NULL THEN 'unknown'
                     WHEN p.pledge_amount > CAST($threshold AS DOUBLE) THEN 'yes'
                     ELSE 'no' END AS pledge,
                CASE WHEN p.national_awards IS NULL THEN 'unknown'
                     WHEN len(p.national_awards) > 0 THEN 'yes'
                     ELSE 'no' END AS award
            FROM patents p LEFT JOIN sei ON sei.patent_id = p.id LEFT JOIN ipc ON ipc.patent_id = p.id),
            eligible AS (
            SELECT *, CASE WHEN 'no' IN (office, kind, in_force) THEN 'no'
                           WHEN office = 'yes' AND kind = 'yes' AND in_force = 'yes' THEN 'yes'
                           ELSE 'unknown' END AS eligible
            FROM base)
            SELECT *,
                CASE WHEN eligible = 'no' THEN 'no'
                     WHEN sei = 'no' AND family = 'no' AND maintained = 'no' AND pledge = 'no' AND award = 'no'
                         THEN 'no'
                     WHEN eligible = 'yes' AND 'yes' IN (sei, family, maintained, pledge, award) THEN 'yes'
                     ELSE 'unknown' END AS high_value
            FROM eligible""",  # noqa: S608
            {"threshold": threshold},
        )
        store.set_meta("hv_as_of", as_of)
        store.set_meta("hv_pledge_threshold", "" if threshold is None else repr(float(threshold)))
        store.set_meta("hv_data_version", str(store.data_version))
        store.set_meta("hv_reference_version", store.meta("reference_version") or "0")
    return summary(store, seconds=time.perf_counter() - started)


def is_current(store: PatentStore, config: HighValueConfig | None = None) -> bool:
    """Return whether the stored results match the store's data and reference (and ``config`` if given)."""
    if not store.table_exists("hv_result"):
        return False
    same_data = store.meta("hv_data_version") == str(store.data_version)
    same_reference = store.meta("hv_reference_version") == (store.meta("reference_version") or "0")
    if config is None:
        return same_data and same_reference
    threshold = "" if config.pledge_threshold is None else repr(float(config.pledge_threshold))
    return (
        same_data
        and same_reference
        and store.meta("hv_as_of") == config.as_of.isoformat()
        and store.meta("hv_pledge_threshold") == threshold
    )


def stored_config(store: PatentStore) -> HighValueConfig | None:
    """Return the parameters of the stored results, or None when there are none."""
    as_of = store.meta("hv_as_of")
    if not as_of or not store.table_exists("hv_result"):
        return None
    threshold = store.meta("hv_pledge_threshold")
    return HighValueConfig(as_of=dt.date.fromisoformat(as_of), pledge_threshold=float(threshold) if threshold else None)


def summary(store: PatentStore, *, seconds: float = 0.0) -> Summary:
    """Return the counts of the stored classification."""
    config = stored_config(store)
    if config is None:
        raise StoreError("no classification yet: run the classification first")

    def counts(column: str) -> dict[str, int]:
        found = dict(store.query(f"SELECT {column}, count(*) FROM hv_result GROUP BY 1"))  # noqa: S608
        return {status: found.get(status, 0) for status in STATUSES}

    return Summary(
        patents=store.query("SELECT count(*) FROM hv_result")[0][0],
        eligible=counts("eligible"),
        categories={category: counts(category) for category in CATEGORIES},
        high_value=counts("high_value"),
        config=config,
        seconds=seconds,
    )


# ---------------------------------------------------------------------------------------------- one patent


@dataclass(frozen=True)
class Finding:
    """One reason: a ``code`` (see :mod:`huhang.analytics.explain`) with its particulars and its outcome."""

    code: str
    status: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def text_en(self) -> str:
        from huhang.analytics.explain import render

        return render(self, "en")

    @property
    def text_zh(self) -> str:
        from huhang.analytics.explain import render

        return render(self, "zh")


@dataclass(frozen=True)
class CategoryResult:
    """A category's status for one patent and the findings behind it."""

    category: str
    status: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Assessment:
    """The classification of one patent: eligibility, the five categories, the overall answer."""

    patent_id: str
    eligible: CategoryResult
    categories: dict[str, CategoryResult]
    high_value: str

    @property
    def matched(self) -> list[str]:
        """The categories that hold."""
        return [name for name, result in self.categories.items() if result.status == "yes"]

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """Return a JSON-ready dict with the reasons rendered in ``lang`` (en or zh)."""

        def part(result: CategoryResult) -> dict[str, Any]:
            text = "text_zh" if lang == "zh" else "text_en"
            return {
                "status": result.status,
                "reasons": [
                    {"code": f.code, "status": f.status, "text": getattr(f, text), **f.details} for f in result.findings
                ],
            }

        return {
            "id": self.patent_id,
            "high_value": self.high_value,
            "matched": self.matched,
            "eligible": part(self.eligible),
            "categories": {name: part(result) for name, result in self.categories.items()},
        }


def assess(store: PatentStore, patent_id: str) -> Assessment | None:
    """Return the stored classification of one patent with its reasons, or None if it is not in the store."""
    return assess_many(store, [patent_id]).get(patent_id)


def assess_many(store: PatentStore, patent_ids: list[str]) -> dict[str, Assessment]:
    """Return the stored classification of several patents, by id; ids not in the store are left out.

    Three queries for the whole list (results, SEI rows, IPC codes), so that a caller writing the results
    back for many patents (the platform's registry) does not pay three queries per patent.
    """
    config = stored_config(store)
    if config is None:
        raise StoreError("no classification yet: run the classification first")
    if not patent_ids:
        return {}
    store.con.execute("CREATE OR REPLACE TEMP TABLE assess_ids AS SELECT unnest(?::VARCHAR[]) AS id", [patent_ids])
    rows = store.query_dicts(
        "SELECT r.*, p.country AS p_country, p.kind AS p_kind, p.legal_status AS p_status, p.app_date, "
        "p.family_foreign, p.family_foreign_granted, p.family_offices, p.pledge_amount, p.awards, p.national_awards, "
        "p.lang, p.abstract IS NULL AND p.claims IS NULL AS title_only "
        "FROM hv_result r JOIN patents p ON p.id = r.id WHERE r.id IN (SELECT id FROM assess_ids)"
    )
    sei_rows: dict[str, list[dict[str, Any]]] = {}
    for r in store.query_dicts(
        """SELECT s.*, i.name_zh AS sei_name, r.keywords FROM hv_sei s
        LEFT JOIN ref_sei_industry i ON i.sei_code = s.sei_code LEFT JOIN ref_sei_rule r ON r.rule_id = s.rule_id
        WHERE s.patent_id IN (SELECT id FROM assess_ids)
        ORDER BY s.patent_id, CASE s.status WHEN 'yes' THEN 0 WHEN 'unknown' THEN 1 ELSE 2 END, s.ipc_code, s.rule_id"""
    ):
        sei_rows.setdefault(r["patent_id"], []).append(r)
    ipc: dict[str, list[str]] = {}
    for patent_id, code in store.query(
        "SELECT patent_id, code FROM patent_ipc WHERE patent_id IN (SELECT id FROM assess_ids) ORDER BY patent_id, seq"
    ):
        ipc.setdefault(patent_id, []).append(code)
    out = {}
    for row in rows:
        patent_id = row["id"]
        out[patent_id] = Assessment(
            patent_id=patent_id,
            eligible=CategoryResult("eligible", row["eligible"], _eligibility(row, config)),
            categories={
                "sei": CategoryResult(
                    "sei", row["sei"], _sei(row, sei_rows.get(patent_id, []), ipc.get(patent_id, []))
                ),
                "family": CategoryResult("family", row["family"], _family(row)),
                "maintained": CategoryResult("maintained", row["maintained"], _maintained(row, config)),
                "pledge": CategoryResult("pledge", row["pledge"], _pledge(row, config)),
                "award": CategoryResult("award", row["award"], _award(row)),
            },
            high_value=row["high_value"],
        )
    return out


def _eligibility(row: dict[str, Any], config: HighValueConfig) -> tuple[Finding, ...]:
    country, kind, status, app_date = row["p_country"], row["p_kind"], row["p_status"], row["app_date"]
    office = (
        Finding("office_unknown", "unknown")
        if country is None
        else Finding("office_cn", "yes")
        if country == "CN"
        else Finding("office_foreign", "no", {"office": country})
    )
    kind_finding = (
        Finding("kind_unknown", "unknown")
        if kind is None
        else Finding("kind_invention", "yes")
        if kind == "invention"
        else Finding("kind_other", "no", {"kind": kind})
    )
    if status == "valid":
        force = Finding("status_valid", "yes")
    elif status is not None:
        force = Finding("status_not_valid", "no", {"legal_status": status})
    elif app_date is not None and add_years(app_date, 20) <= config.as_of:
        force = Finding(
            "term_ended", "no", {"app_date": app_date.isoformat(), "ended": add_years(app_date, 20).isoformat()}
        )
    else:
        force = Finding("status_unknown", "unknown")
    return (office, kind_finding, force)


def _sei(row: dict[str, Any], sei_rows: list[dict[str, Any]], ipc: list[str]) -> tuple[Finding, ...]:
    if not ipc:
        return (Finding("no_ipc", "unknown"),)
    if not sei_rows:
        return (Finding("no_concordance", "no", {"ipc": ipc}),)
    findings = []
    for r in sei_rows:
        details = {"ipc": r["ipc_code"]}
        if r["reason"] == "coarse_ipc":
            details["rows"] = r["detail"]
        else:
            details.update(sei_code=r["sei_code"], sei_name=r["sei_name"], rule=r["rule_id"])
            if r["term"]:
                details["term"] = r["term"]
            if r["reason"] in ("keyword_absent", "no_terms", "title_only", "not_chinese", "not_excluded"):
                details["keywords"] = r["keywords"]
        findings.append(Finding(f"sei_{r['reason']}", r["status"], details))
    return tuple(findings)


def _family(row: dict[str, Any]) -> tuple[Finding, ...]:
    foreign, granted = row["family_foreign"], row["family_foreign_granted"]
    if foreign is None:
        return (Finding("family_unknown", "unknown"),)
    if not foreign:
        return (Finding("family_domestic", "no", {"offices": row["family_offices"] or []}),)
    if granted:
        return (Finding("family_granted_abroad", "yes", {"offices": granted}),)
    return (Finding("family_abroad_not_granted", "unknown", {"offices": foreign}),)


def _maintained(row: dict[str, Any], config: HighValueConfig) -> tuple[Finding, ...]:
    status, app_date = row["p_status"], row["app_date"]
    if status in NOT_IN_FORCE:
        return (Finding("maintained_not_in_force", "no", {"legal_status": status}),)
    if app_date is None:
        return (Finding("maintained_no_date", "unknown"),)
    years = round((config.as_of - app_date).days / 365.25, 1)
    details = {"app_date": app_date.isoformat(), "years": years, "as_of": config.as_of.isoformat()}
    if config.as_of <= add_years(app_date, 10):
        return (Finding("maintained_under_10", "no", details),)
    if status == "valid":
        return (Finding("maintained_over_10", "yes", details),)
    return (Finding("maintained_status_unknown", "unknown", details),)


def _pledge(row: dict[str, Any], config: HighValueConfig) -> tuple[Finding, ...]:
    amount, threshold = row["pledge_amount"], config.pledge_threshold
    if amount is None:
        return (Finding("pledge_unknown", "unknown"),)
    if amount == 0:
        return (Finding("pledge_none", "no"),)
    if threshold is None:
        return (Finding("pledge_no_threshold", "unknown", {"amount": amount}),)
    status = "yes" if amount > threshold else "no"
    return (
        Finding(
            f"pledge_{'above' if status == 'yes' else 'below'}", status, {"amount": amount, "threshold": threshold}
        ),
    )


def _award(row: dict[str, Any]) -> tuple[Finding, ...]:
    awards, national = row["awards"], row["national_awards"]
    if national is None:
        return (Finding("award_unknown", "unknown"),)
    if national:
        return (Finding("award_national", "yes", {"awards": national}),)
    if awards:
        return (Finding("award_not_national", "no", {"awards": awards}),)
    return (Finding("award_none", "no"),)


def add_years(day: dt.date, years: int) -> dt.date:
    """Return ``day`` moved by whole ``years`` (29 February becomes the 28th in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# ---------------------------------------------------------------------------------------------- K2


@dataclass(frozen=True)
class Population:
    """A resident-population statistic (常住人口): number of persons, the date it describes, who published it."""

    persons: int
    as_of: str
    source: str

    def __post_init__(self) -> None:
        if self.persons <= 0:
            raise StoreError("a population must be a positive number of persons")


@dataclass(frozen=True)
class K2:
    """每万人口高价值（发明）专利拥有量: the count, the population and the value, with what is unknown.

    ``value`` counts only patents classified ``yes``; ``upper_bound`` adds those still ``unknown``, so the
    true figure on this data lies between the two.
    """

    high_value: int
    unknown: int
    population: Population
    value: float
    upper_bound: float
    formula: str


def k2(
    store: PatentStore,
    population: Population,
    *,
    patent_ids: list[str] | None = None,
    regions: list[str] | None = None,
) -> K2:
    """Compute K2 over the stored classification, for the patents of local owners.

    Local owners are given either as ``patent_ids`` (the platform passes the patents its registry links to
    local entities) or as applicant ``regions``; with neither, every patent of the store counts.
    """
    if stored_config(store) is None:
        raise StoreError("no classification yet: run the classification first")
    where, params = ["TRUE"], []
    if patent_ids is not None:
        where.append("r.id IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(patent_ids))
    if regions is not None:
        where.append("p.region IN (SELECT unnest(?))")
        params.append(list(regions))
    yes, unknown = store.query(
        f"""SELECT count(*) FILTER (WHERE r.high_value = 'yes'), count(*) FILTER (WHERE r.high_value = 'unknown')
        FROM hv_result r JOIN patents p ON p.id = r.id WHERE {" AND ".join(where)}""",  # noqa: S608
        params,
    )[0]
    per = 10_000 / population.persons
    return K2(
        high_value=yes,
        unknown=unknown,
        population=population,
        value=yes * per,
        upper_bound=(yes + unknown) * per,
        formula=f"{yes} ÷ {population.persons} × 10,000 (population: {population.source}, {population.as_of})",
    )
