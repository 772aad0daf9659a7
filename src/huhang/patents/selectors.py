"""Read paths of patent analytics for pages, the API and the exports: the store opened read-only, search with
passages ready to highlight, a patent with its classification, the landscape (专利导航).

The web process only reads the analytical store: loading, classifying and indexing are command-line work
(``huhang patents``), which holds DuckDB's write lock while it runs. A page asked for meanwhile says the data
are being updated instead of waiting. The lexical index is loaded once per process and reloaded when its
manifest changes (after ``huhang patents index``).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from django.utils.translation import gettext as _

from huhang.analytics import PatentStore, StoreError, assess, high_value, navigation
from huhang.analytics.search import LexicalIndex, PatentSearch, SentenceTransformerEncoder
from huhang.analytics.search.dense import DenseIndex
from huhang.patents.paths import index_dir, store_path

LANGS = ("zh", "en")
MAX_TOP = 100
MAX_QUERY_CHARS = 2000


class AnalyticsUnavailable(Exception):
    """The analytical store or its index cannot answer now; ``str(exc)`` says why, for people."""


@contextlib.contextmanager
def opened_store() -> Iterator[PatentStore]:
    """Open the analytical store read-only for one request."""
    path = store_path()
    if not path.is_file():
        raise AnalyticsUnavailable(_("No patent data has been loaded yet (huhang patents load)."))
    try:
        store = PatentStore(path, read_only=True)
    except duckdb.Error:
        raise AnalyticsUnavailable(
            _("The patent data are being updated (loading, classifying or indexing). Try again in a few minutes.")
        ) from None
    try:
        yield store
    finally:
        store.close()


# -------------------------------------------------------------------------------------------------- search

_LEXICAL: dict[str, tuple[tuple[int, int], LexicalIndex]] = {}
_ENCODERS: dict[str, SentenceTransformerEncoder] = {}
_LOCK = threading.Lock()


def _lexical(directory: Path) -> LexicalIndex:
    manifest = directory / "manifest.json"
    try:
        stat = manifest.stat()
    except FileNotFoundError:
        raise AnalyticsUnavailable(_("The search index has not been built yet (huhang patents index).")) from None
    stamp = (stat.st_mtime_ns, stat.st_ino)
    with _LOCK:
        cached = _LEXICAL.get(str(directory))
        if cached is None or cached[0] != stamp:
            cached = (stamp, LexicalIndex.load(directory))
            _LEXICAL[str(directory)] = cached
    return cached[1]


def _encoder():
    """The local sentence-transformers model named by ``HUHANG_PATENT_MODEL_DIR``, or None (lexical only)."""
    model = os.environ.get("HUHANG_PATENT_MODEL_DIR") or ""
    if not model:
        return None
    with _LOCK:
        if model not in _ENCODERS:
            _ENCODERS[model] = SentenceTransformerEncoder(model)
    return _ENCODERS[model]


def searcher(store: PatentStore) -> PatentSearch:
    """A :class:`PatentSearch` over ``store`` with the process's cached index (and the dense option if built)."""
    lexical = _lexical(index_dir() / "bm25")
    encoder = _encoder()
    search = PatentSearch(store, index_dir(), lexical=lexical, encoder=encoder)
    if encoder is not None and DenseIndex.manifest_of(search.dense_dir) is None:
        search = PatentSearch(store, index_dir(), lexical=lexical)  # vectors not built: lexical only
    return search


@dataclass
class Segment:
    text: str
    marked: bool


@dataclass
class PassageView:
    field: str
    text: str
    highlights: list[tuple[int, int]]

    @property
    def segments(self) -> list[Segment]:
        """The passage cut into plain and highlighted pieces, for templates and PDFs."""
        out, last = [], 0
        for start, end in self.highlights:
            if start > last:
                out.append(Segment(self.text[last:start], False))
            out.append(Segment(self.text[start:end], True))
            last = end
        if last < len(self.text):
            out.append(Segment(self.text[last:], False))
        return out

    @property
    def marked_words(self) -> list[str]:
        return [self.text[start:end] for start, end in self.highlights]


@dataclass
class HitView:
    id: str
    score: float
    title: str | None
    passages: list[PassageView]
    lang: str | None = None
    country: str | None = None
    applicants: list[str] = field(default_factory=list)
    year: int | None = None
    legal_status: str | None = None
    kind: str | None = None
    app_date: Any = None
    coverage: float | None = None  # risk report: share of the query's weight the patent's text contains
    level: str | None = None  # risk report: high, medium or low (huhang.patents.risk)


@dataclass
class SearchResult:
    query: str
    top: int
    lang: str
    hits: list[HitView]
    documents: int
    stale: bool
    mode: str


def _details(store: PatentStore, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    rows = store.query_dicts(
        """SELECT p.id, p.lang, p.country, p.legal_status, p.kind, p.app_date,
                  year(coalesce(p.pub_date, p.grant_date, p.app_date)) AS year,
                  list(a.name ORDER BY a.seq) FILTER (WHERE a.name IS NOT NULL) AS applicants
           FROM patents p LEFT JOIN patent_applicant a ON a.patent_id = p.id
           WHERE p.id IN (SELECT unnest(?::VARCHAR[])) GROUP BY ALL""",
        [ids],
    )
    return {row["id"]: row for row in rows}


def hit_views(store: PatentStore, hits) -> list[HitView]:
    """Core hits with what a page shows beside them (language, office, applicants, year, status)."""
    details = _details(store, [hit.id for hit in hits])
    views = []
    for hit in hits:
        d = details.get(hit.id, {})
        views.append(
            HitView(
                id=hit.id,
                score=hit.score,
                title=hit.title,
                passages=[PassageView(p.field, p.text, [tuple(h) for h in p.highlights]) for p in hit.passages],
                lang=d.get("lang"),
                country=d.get("country"),
                applicants=list(d.get("applicants") or []),
                year=d.get("year"),
                legal_status=d.get("legal_status"),
                kind=d.get("kind"),
                app_date=d.get("app_date"),
            )
        )
    return views


def patent_search(*, text: str, top: int = 10, lang: str = "") -> SearchResult:
    """Search titles, abstracts and claims; ``lang`` (zh or en) keeps only patents written in it."""
    with opened_store() as store:
        search = searcher(store)
        keep = None
        if lang:

            def keep(ids: list[str]) -> set[str]:
                rows = store.query(
                    "SELECT id FROM patents WHERE id IN (SELECT unnest(?::VARCHAR[])) AND lang = ?", [ids, lang]
                )
                return {row[0] for row in rows}

        hits = search.search(text, top=top, keep=keep)
        return SearchResult(
            query=text,
            top=top,
            lang=lang,
            hits=hit_views(store, hits),
            documents=search.document_count(),
            stale=not search.is_current(),
            mode="hybrid" if search.encoder is not None else "lexical",
        )


# -------------------------------------------------------------------------------------------------- one patent


@dataclass
class PatentView:
    record: dict[str, Any]
    ipc: list[dict[str, Any]]
    assessment: Any  # huhang.analytics.high_value.Assessment, or None when not classified
    classified_as_of: Any
    pledge_threshold: float | None
    classification_current: bool


def patent_detail(patent_id: str) -> PatentView | None:
    """The record, its IPC codes with titles, and its classification; None when the store has no such id."""
    with opened_store() as store:
        record = store.get(patent_id)
        if record is None:
            return None
        extra = record.get("extra")
        record["extra_dict"] = json.loads(extra) if isinstance(extra, str) else (extra or {})
        titles = {}
        if store.has_reference() and record["ipc"]:
            titles = {
                code: (title, lang)
                for code, title, lang in store.query(
                    "SELECT code, title, title_lang FROM ref_ipc WHERE code IN (SELECT unnest(?::VARCHAR[]))",
                    [record["ipc"]],
                )
            }
        ipc = [{"code": c, "title": titles.get(c, (None, None))[0], "title_lang": titles.get(c, (None, None))[1]}
               for c in record["ipc"]]  # fmt: skip
        config = high_value.stored_config(store)
        assessment = assess(store, patent_id) if config is not None else None
        return PatentView(
            record=record,
            ipc=ipc,
            assessment=assessment,
            classified_as_of=config.as_of if config else None,
            pledge_threshold=config.pledge_threshold if config else None,
            classification_current=config is not None and high_value.is_current(store),
        )


def patent_classification(patent_id: str) -> tuple[Any, Any, bool] | None:
    """``(assessment, config, current)`` of one patent, None when the store has no such id.

    Raises AnalyticsUnavailable when nothing has been classified yet.
    """
    with opened_store() as store:
        config = high_value.stored_config(store)
        if config is None:
            raise AnalyticsUnavailable(_("The patents have not been classified yet (huhang patents classify)."))
        assessment = assess(store, patent_id)
        if assessment is None:
            return None
        return assessment, config, high_value.is_current(store)


# -------------------------------------------------------------------------------------------------- landscape


@dataclass(frozen=True)
class LandscapeQuery:
    """What the navigation page asks: the corpus filter and the IPC level of the breakdowns."""

    ipc: str | None = None
    sei_code: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    applicant: str | None = None
    year_basis: str = "publication"
    level: str = "subclass"
    top: int = 20

    def filters(self) -> navigation.Filters:
        return navigation.Filters(
            year_from=self.year_from,
            year_to=self.year_to,
            year_basis=self.year_basis,
            ipc=self.ipc,
            applicant=self.applicant,
            sei_code=self.sei_code,
        )


@dataclass
class LandscapeData:
    query: LandscapeQuery
    total: int
    store_total: int
    by_ipc: navigation.Landscape
    ipc_trend: navigation.Landscape
    applicants: navigation.Landscape
    growth: navigation.Landscape
    by_year: navigation.Landscape
    regions: navigation.Landscape
    countries: navigation.Landscape
    industries: navigation.Landscape | None
    classified: bool
    classification_current: bool


def _grown(growth: navigation.Landscape) -> navigation.Landscape:
    """Keep the groups that grew: "fastest-growing" lists no group that shrank."""
    growth.rows = [row for row in growth.rows if row["growth"] is not None and row["growth"] > 0]
    return growth


def sei_industries() -> list[tuple[str, str]] | None:
    """``(code, name)`` of the SEI 2021 industries, for the filter; empty when the reference is not loaded, None
    when the store cannot be read now (no data, or being written: :func:`landscape` then says which)."""
    try:
        with opened_store() as store:
            if not store.table_exists("ref_sei_industry"):
                return []
            return [
                tuple(row) for row in store.query("SELECT sei_code, name_zh FROM ref_sei_industry ORDER BY sei_code")
            ]
    except AnalyticsUnavailable:
        return None


def landscape(query: LandscapeQuery) -> LandscapeData:
    """Every breakdown of the navigation page for one corpus filter (raises StoreError on a bad filter)."""
    with opened_store() as store:
        classified = store.table_exists("hv_sei")
        if query.sei_code and not classified:
            raise StoreError(_("Filtering by industry needs the classification (huhang patents classify)."))
        filters = query.filters()
        by_ipc = navigation.by_ipc(store, level=query.level, top=query.top, filters=filters)
        data = LandscapeData(
            query=query,
            total=by_ipc.total,
            store_total=store.count(),
            by_ipc=by_ipc,
            ipc_trend=navigation.trend(store, dimension="ipc", level=query.level, top=5, filters=filters),
            applicants=navigation.by_applicant(store, top=query.top, filters=filters),
            growth=_grown(navigation.fastest_growing_ipc(store, level=query.level, top=10, filters=filters)),
            by_year=navigation.by_year(store, filters=filters),
            regions=navigation.by_region(store, top=query.top, field="region", filters=filters),
            countries=navigation.by_region(store, top=query.top, field="country", filters=filters),
            industries=navigation.by_industry(store, filters=filters) if classified else None,
            classified=classified,
            classification_current=classified and high_value.is_current(store),
        )
        return data


# -------------------------------------------------------------------------------------------------- wording


def year_basis_label(basis: str) -> str:
    return {
        "publication": _("publication date"),
        "application": _("filing date"),
        "priority": _("priority date"),
    }[basis]


def landscape_notes(data: LandscapeData) -> list[str]:
    """What the figures leave out, worded for people (the core's notes are English only)."""
    notes = [_("A patent counts once in each group it belongs to, so shares can add up to more than 100 %.")]
    total = f"{data.total:,}"
    d = data.by_ipc.details
    if d.get("no_ipc"):
        notes.append(_("%(n)s of %(total)s patents have no IPC code.") % {"n": f"{d['no_ipc']:,}", "total": total})
    if d.get("coarser"):
        notes.append(
            _(
                "%(n)s of %(total)s patents have IPC codes only coarser than the chosen level "
                "and are not counted by IPC."
            )
            % {"n": f"{d['coarser']:,}", "total": total}
        )
    d = data.by_year.details
    if d.get("no_date"):
        notes.append(
            _("%(n)s of %(total)s patents have no %(date)s and are left out of the counts by year.")
            % {"n": f"{d['no_date']:,}", "total": total, "date": year_basis_label(d["year_basis"])}
        )
    if data.applicants.details.get("no_applicant"):
        notes.append(
            _("%(n)s of %(total)s patents name no applicant.")
            % {"n": f"{data.applicants.details['no_applicant']:,}", "total": total}
        )
    if data.regions.details.get("missing"):
        notes.append(
            _("%(n)s of %(total)s patents do not say the applicant's region.")
            % {"n": f"{data.regions.details['missing']:,}", "total": total}
        )
    d = data.growth.details
    if d.get("end_year") is not None:
        notes.append(
            _("Growth compares %(recent_from)s–%(end)s with %(previous_from)s–%(previous_to)s; groups with fewer "
              "than %(min)s patents in the earlier years are left out.")
            % {"recent_from": d["recent_from"], "end": d["end_year"], "previous_from": d["previous_from"],
               "previous_to": d["previous_to"], "min": d["min_base"]}
        )  # fmt: skip
    if not data.classified:
        notes.append(_("The patents have not been classified yet: industries appear after huhang patents classify."))
    elif not data.classification_current:
        notes.append(_("The classification predates the last load of patents: run huhang patents classify again."))
    return notes
