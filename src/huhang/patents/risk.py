"""Infringement-risk analysis (侵权风险分析) for a company, e.g. one preparing to list (拟上市企业).

Each product description or claim the company hands over is searched against the store: others' patents that
may still be in force, ranked by BM25 similarity, each with the passages that contain the product's words
(highlighted). Left out: the company's own patents (by applicant name, grouped as navigation groups names), and
patents the record shows are not in force (pending, lapsed, invalidated, expired, or filed 20 years or more
ago). A patent whose record lacks its legal status is kept and marked as such: the shared data carry none.

``coverage`` is the share of the product's words, weighted by their inverse document frequency, that occur in
the patent's title, abstract or claims: 1.0 means every word of the product is in the patent. The level
(``high`` ≥ 0.6, ``medium`` ≥ 0.35, else ``low``) is a reading aid for ranking which patents to read first;
it is textual similarity, not an opinion on infringement, which needs the claims construed by a professional.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from huhang.analytics.high_value import NOT_IN_FORCE, add_years
from huhang.analytics.store import name_key_sql
from huhang.patents.selectors import HitView, hit_views, opened_store, searcher

HIGH, MEDIUM = 0.6, 0.35


@dataclass
class ProductRisk:
    number: int
    text: str
    hits: list[HitView]

    @property
    def highest(self) -> str | None:
        return self.hits[0].level if self.hits else None


@dataclass
class RiskReport:
    company: str
    products: list[ProductRisk]
    top: int
    prepared_on: dt.date
    documents: int
    own_patents: int
    stale_index: bool
    status_unknown: int = 0

    @property
    def hit_count(self) -> int:
        return sum(len(p.hits) for p in self.products)


def level_of(coverage: float) -> str:
    return "high" if coverage >= HIGH else "medium" if coverage >= MEDIUM else "low"


def risk_analysis(*, company: str, products: list[str], top: int = 10, today: dt.date | None = None) -> RiskReport:
    """Search each product against others' patents that may be in force (see the module docstring)."""
    today = today or dt.date.today()
    with opened_store() as store:
        search = searcher(store)
        own = set()
        if company:
            own = {row[0] for row in store.query(
                f"SELECT DISTINCT patent_id FROM patent_applicant WHERE name_key = {name_key_sql('?')}",  # noqa: S608
                [company],
            )}  # fmt: skip
        ended = add_years(today, -20)  # filed on or before: the 20-year term is over

        def keep(ids: list[str]) -> set[str]:
            rows = store.query(
                """SELECT id FROM patents WHERE id IN (SELECT unnest(?::VARCHAR[]))
                   AND (legal_status IS NULL OR legal_status NOT IN (SELECT unnest(?::VARCHAR[])))
                   AND NOT (legal_status IS NULL AND app_date IS NOT NULL AND app_date <= ?)""",
                [ids, list(NOT_IN_FORCE), ended],
            )
            return {row[0] for row in rows} - own

        index = search.lexical_index()
        out = []
        for number, text in enumerate(products, start=1):
            hits = hit_views(store, search.search(text, top=top, passages=3, keep=keep))
            wanted = {token: index.idf(token) for token in set(search.tokenizer.tokens(text))}
            weight = sum(wanted.values()) or 1.0
            words = _words(store, search.tokenizer, [hit.id for hit in hits])
            for hit in hits:
                found = words.get(hit.id, set())
                hit.coverage = round(sum(w for token, w in wanted.items() if token in found) / weight, 3)
                hit.level = level_of(hit.coverage)
            out.append(ProductRisk(number, text, hits))
        report = RiskReport(
            company=company,
            products=out,
            top=top,
            prepared_on=today,
            documents=search.document_count(),
            own_patents=len(own),
            stale_index=not search.is_current(),
        )
        report.status_unknown = len({hit.id for p in out for hit in p.hits if hit.legal_status is None})
        return report


def _words(store, tokenizer, ids: list[str]) -> dict[str, set[str]]:
    """The words of each patent's title, abstract and claims: the tokens the index was built from
    (``search_tokens``), so that the hits' texts are not segmented again; tokenised here only if missing."""
    if not ids:
        return {}
    words: dict[str, set[str]] = {}
    if store.table_exists("search_tokens"):
        rows = store.query(
            "SELECT patent_id, tokens FROM search_tokens WHERE patent_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
        )
        words = {patent_id: set((tokens or "").split()) for patent_id, tokens in rows}
    missing = [patent_id for patent_id in ids if patent_id not in words]
    if missing:
        for patent_id, text in store.query(
            "SELECT id, concat_ws(' ', title, abstract, claims) FROM patents WHERE id IN (SELECT unnest(?::VARCHAR[]))",
            [missing],
        ):
            words[patent_id] = set(tokenizer.tokens(text))
    return words
