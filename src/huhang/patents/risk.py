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
from dataclasses import dataclass, field

from huhang.analytics.store import _NAME_KEY_SQL
from huhang.patents.selectors import HitView, hit_views, opened_store, searcher

HIGH, MEDIUM = 0.6, 0.35
NOT_IN_FORCE = ("pending", "lapsed", "invalidated", "expired")


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
    excluded_statuses: tuple[str, ...] = field(default=NOT_IN_FORCE)

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
            key = _NAME_KEY_SQL.replace("lower(name)", "lower(?)")
            own = {row[0] for row in store.query(
                f"SELECT DISTINCT patent_id FROM patent_applicant WHERE name_key = {key}", [company]  # noqa: S608
            )}  # fmt: skip
        ended = today.replace(year=today.year - 20) if not (today.month == 2 and today.day == 29) else (
            today.replace(year=today.year - 20, day=28)
        )  # fmt: skip

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
            texts = {
                row[0]: set(search.tokenizer.tokens(row[1]))
                for row in store.query(
                    "SELECT id, concat_ws(' ', title, abstract, claims) FROM patents "
                    "WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                    [[hit.id for hit in hits]],
                )
            } if hits else {}  # fmt: skip
            for hit in hits:
                found = texts.get(hit.id, set())
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
