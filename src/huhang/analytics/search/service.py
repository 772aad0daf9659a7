"""Queries over the store: lexical, dense or both; hits with their matching passages; batches of queries."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huhang.analytics.errors import LoadError, Problem, SearchError
from huhang.analytics.search.dense import DenseIndex, Encoder
from huhang.analytics.search.lexical import LexicalIndex, refresh_tokens
from huhang.analytics.search.tokenize import VERSION as TOKENIZER_VERSION
from huhang.analytics.search.tokenize import Tokenizer
from huhang.analytics.store import PatentStore

MODES = ("lexical", "dense", "hybrid")
RRF_K = 60
PASSAGE_CHARS = 240
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s+|\n+")


@dataclass(frozen=True)
class Passage:
    """A sentence (or claim) of a hit that contains query words; ``highlights`` are (start, end) offsets."""

    field: str
    text: str
    highlights: tuple[tuple[int, int], ...]

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "text": self.text, "highlights": [list(span) for span in self.highlights]}


@dataclass(frozen=True)
class Hit:
    """One result: the patent id, its score (BM25, cosine or RRF by mode), its title and passages."""

    id: str
    score: float
    title: str | None
    passages: tuple[Passage, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "score": round(self.score, 6),
            "title": self.title,
            "passages": [p.as_dict() for p in self.passages],
        }


@dataclass(frozen=True)
class Query:
    """One query of a batch: its id exactly as given (string or number) and its text."""

    id: Any
    text: str


def read_queries(path: str | os.PathLike[str], *, skip_bad: bool = False) -> tuple[list[Query], list[Problem]]:
    """Read a JSON-lines file of ``{"id": ..., "text": ...}`` (other keys ignored).

    Malformed lines (not JSON, no id, no text, a repeated id) raise :class:`LoadError` listing each with its
    line number, unless ``skip_bad`` is set: then the good queries are returned with the problems.
    """
    source = str(path)
    queries: list[Query] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    try:
        with open(path, "rb") as file:
            lines = list(file)
    except OSError as exc:
        raise SearchError(f"cannot read {source}: {exc.strerror}") from exc
    for number, raw in enumerate(lines, start=1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(Problem(source, number, "", f"not a JSON object: {exc}"))
            continue
        if not isinstance(data, dict):
            problems.append(Problem(source, number, "", "expected a JSON object"))
            continue
        query_id, text = data.get("id"), data.get("text")
        if isinstance(query_id, bool) or not isinstance(query_id, str | int) or query_id == "":
            problems.append(Problem(source, number, "id", "required: a string or an integer"))
            continue
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(source, number, "text", "required: a non-empty string"))
            continue
        key = json.dumps(query_id)
        if key in seen:
            problems.append(Problem(source, number, "id", f"{query_id!r} repeats line {seen[key]}"))
            continue
        seen[key] = number
        queries.append(Query(query_id, text))
    if problems and not skip_bad:
        raise LoadError(problems)
    return queries, problems


class PatentSearch:
    """Search the patents of ``store`` with indexes kept under ``index_dir``.

    ``encoder`` enables the dense option (and makes ``hybrid`` the default mode).
    """

    def __init__(
        self,
        store: PatentStore,
        index_dir: str | os.PathLike[str],
        *,
        encoder: Encoder | None = None,
        tokenizer: Tokenizer | None = None,
        lexical: LexicalIndex | None = None,
    ) -> None:
        self.store = store
        self.index_dir = Path(index_dir)
        self.encoder = encoder
        self.tokenizer = tokenizer or Tokenizer()
        self._lexical: LexicalIndex | None = lexical  # an index already loaded (a server keeps one per process)
        self._dense: DenseIndex | None = None

    @property
    def lexical_dir(self) -> Path:
        return self.index_dir / "bm25"

    @property
    def dense_dir(self) -> Path:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.encoder.name) if self.encoder else "none"
        return self.index_dir / "dense" / name

    def is_current(self) -> bool:
        """Return whether the saved indexes match the store's data (and the encoder, if any)."""
        manifest = LexicalIndex.manifest_of(self.lexical_dir)
        current = (
            bool(manifest)
            and manifest["data_version"] == self.store.data_version
            and manifest["tokenizer"] == TOKENIZER_VERSION
        )
        if self.encoder is not None:
            dense = DenseIndex.manifest_of(self.dense_dir)
            current = current and bool(dense) and dense["data_version"] == self.store.data_version
        return current

    def build(self, *, progress: Callable[[str, int, int], None] | None = None) -> int:
        """Tokenise what changed, rebuild the BM25 index (and the vectors); return the documents indexed."""

        def step(name: str) -> Callable[[int, int], None] | None:
            return None if progress is None else (lambda done, total: progress(name, done, total))

        refresh_tokens(self.store, self.tokenizer, progress=step("tokenise"))
        self._lexical = LexicalIndex.build(self.store, self.lexical_dir)
        if self.encoder is not None:
            self._dense = DenseIndex.build(self.store, self.encoder, self.dense_dir, progress=step("encode"))
        return len(self._lexical)

    def ensure(self, *, progress: Callable[[str, int, int], None] | None = None) -> bool:
        """Build the indexes if they are missing or stale; return whether they were built."""
        if self.is_current():
            return False
        self.build(progress=progress)
        return True

    def document_count(self) -> int:
        """Return the number of documents in the lexical index."""
        return len(self._lexical_index())

    def lexical_index(self) -> LexicalIndex:
        """Return the lexical index (loaded on first use), e.g. for its inverse document frequencies."""
        return self._lexical_index()

    def _lexical_index(self) -> LexicalIndex:
        if self._lexical is None:
            self._lexical = LexicalIndex.load(self.lexical_dir)
        return self._lexical

    def _dense_index(self) -> DenseIndex:
        if self._dense is None:
            self._dense = DenseIndex.load(self.dense_dir)
        return self._dense

    def _mode(self, mode: str | None) -> str:
        mode = mode or ("hybrid" if self.encoder is not None else "lexical")
        if mode not in MODES:
            raise SearchError(f"unknown search mode {mode!r} (known: {', '.join(MODES)})")
        if mode != "lexical" and self.encoder is None:
            raise SearchError(f"the {mode} mode needs a local embedding model; none is configured")
        return mode

    def search_many(
        self, queries: Sequence[Query], *, top: int = 10, mode: str | None = None
    ) -> list[list[tuple[str, float]]]:
        """Return, per query, up to ``top`` ``(patent id, score)`` pairs, best first."""
        if top < 1:
            raise SearchError("top must be at least 1")
        mode = self._mode(mode)
        texts = [query.text for query in queries]
        depth = top if mode != "hybrid" else max(top * 5, 50)
        lexical = dense = None
        if mode in ("lexical", "hybrid"):
            lexical = self._lexical_index().retrieve([self.tokenizer.tokens(text) for text in texts], depth)
        if mode in ("dense", "hybrid"):
            dense = self._dense_index().search(self.encoder, texts, depth)
        if mode == "lexical":
            return lexical
        if mode == "dense":
            return dense
        return [_fuse(a, b)[:top] for a, b in zip(lexical, dense, strict=True)]

    def search(
        self,
        text: str,
        *,
        top: int = 10,
        mode: str | None = None,
        passages: int = 2,
        keep: Callable[[list[str]], Collection[str]] | None = None,
    ) -> list[Hit]:
        """Return the best ``top`` hits for ``text``, each with up to ``passages`` matching passages.

        ``keep``, if given, is called with candidate ids (best first) and returns those that may be shown
        (e.g. only Chinese patents, or not the company's own): the search then looks deeper, four times as
        deep each round, until ``top`` hits are kept or every match has been seen.
        """
        if not text or not text.strip():
            raise SearchError("the query is empty")
        if keep is None:
            ranked = self.search_many([Query(0, text)], top=top, mode=mode)[0]
        else:
            ranked, depth = [], max(top * 4, 50)
            while True:
                found = self.search_many([Query(0, text)], top=depth, mode=mode)[0]
                kept = set(keep([patent_id for patent_id, _ in found])) if found else set()
                ranked = [(patent_id, score) for patent_id, score in found if patent_id in kept][:top]
                if len(ranked) >= top or len(found) < depth or depth >= self.document_count():
                    break
                depth *= 4
        if not ranked:
            return []
        ids = [patent_id for patent_id, _ in ranked]
        rows = {
            row[0]: row[1:]
            for row in self.store.query(
                "SELECT id, title, abstract, claims FROM patents WHERE id IN (SELECT unnest(?))", [ids]
            )
        }
        wanted = set(self.tokenizer.tokens(text))
        # Passages are ranked by the idf of their words (uniform when only dense vectors were built).
        index = self._lexical
        if index is None and self.lexical_dir.exists():
            index = self._lexical_index()
        hits = []
        for patent_id, score in ranked:
            title, abstract, claims = rows.get(patent_id, (None, None, None))
            found = self._passages(wanted, index, title, abstract, claims)[:passages] if passages else ()
            hits.append(Hit(patent_id, score, title, tuple(found)))
        return hits

    def _passages(
        self, wanted: set[str], index: LexicalIndex | None, title: str | None, abstract: str | None, claims: str | None
    ) -> list[Passage]:
        if not wanted:
            return []
        scored = []
        for order, (field, text) in enumerate(_pieces(title, abstract, claims)):
            spans = [(start, end, token) for token, start, end in self.tokenizer.spans(text) if token in wanted]
            if not spans:
                continue
            weight = sum(index.idf(token) if index else 1.0 for token in {token for _, _, token in spans})
            scored.append((-weight, order, field, text, spans))
        scored.sort(key=lambda item: (item[0], item[1]))
        return [_passage(field, text, spans) for _, _, field, text, spans in scored]


def _pieces(title: str | None, abstract: str | None, claims: str | None):
    if title:
        yield "title", title
    for field, text in (("abstract", abstract), ("claims", claims)):
        for sentence in _SENTENCE_END.split(text or ""):
            if sentence and sentence.strip():
                yield field, sentence.strip()


def _passage(field: str, text: str, spans: list[tuple[int, int, str]]) -> Passage:
    merged: list[list[int]] = []
    for start, end, _ in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    offset = 0
    if len(text) > PASSAGE_CHARS:
        offset = max(0, min(merged[0][0] - PASSAGE_CHARS // 4, len(text) - PASSAGE_CHARS))
        text = text[offset : offset + PASSAGE_CHARS]
    highlights = tuple(
        (start - offset, min(end - offset, len(text)))
        for start, end in merged
        if start >= offset and start - offset < len(text)
    )
    return Passage(field, text, highlights)


def _fuse(*rankings: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion: score = Σ 1 / (60 + rank)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, (patent_id, _) in enumerate(ranking, start=1):
            scores[patent_id] = scores.get(patent_id, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
