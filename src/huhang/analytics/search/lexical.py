"""The lexical index: BM25 (bm25s, Lucene's variant, k1 = 1.5, b = 0.75) over each patent's title, abstract
and claims, tokenised by :mod:`huhang.analytics.search.tokenize`.

Tokens are kept in the store (``search_tokens``: one row per patent with a hash of its text), so that a
rebuild after loading more records tokenises only the new and changed ones. The index itself lives in a
directory (the platform uses ``HUHANG_DATA_DIR/analytics/search/bm25``): bm25s's arrays, the patent ids
in index order, and a manifest naming the store's data version it was built from.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import bm25s
import numpy as np

from huhang.analytics.errors import SearchError
from huhang.analytics.search.tokenize import VERSION as TOKENIZER_VERSION
from huhang.analytics.search.tokenize import Tokenizer
from huhang.analytics.store import PatentStore

TEXT_SQL = "concat_ws(chr(31), p.title, p.abstract, p.claims)"
_MANIFEST = "manifest.json"
_IDS = "ids.json"

logging.getLogger("bm25s").setLevel(logging.WARNING)


def refresh_tokens(
    store: PatentStore,
    tokenizer: Tokenizer,
    *,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 5_000,
) -> int:
    """Tokenise the patents whose text changed since their tokens were stored; return how many."""
    store.con.execute(
        "CREATE TABLE IF NOT EXISTS search_tokens "
        "(patent_id VARCHAR NOT NULL, text_hash VARCHAR NOT NULL, tokens VARCHAR)"
    )
    if store.meta("search_tokenizer") != TOKENIZER_VERSION:
        store.con.execute("DELETE FROM search_tokens")
    store.con.execute("DELETE FROM search_tokens WHERE patent_id NOT IN (SELECT id FROM patents)")
    pending_sql = f"""FROM patents p LEFT JOIN search_tokens t ON t.patent_id = p.id
        WHERE t.text_hash IS DISTINCT FROM md5({TEXT_SQL})"""
    total = store.query(f"SELECT count(*) {pending_sql}")[0][0]
    if total == 0:
        store.set_meta("search_tokenizer", TOKENIZER_VERSION)
        return 0
    cursor = store.con.cursor()
    cursor.execute(f"SELECT p.id, md5({TEXT_SQL}), p.title, p.abstract, p.claims {pending_sql}")
    done = 0
    with tempfile.TemporaryDirectory(prefix="tokens-", dir=store.path.parent) as work:
        staged = Path(work) / "tokens.jsonl"
        while rows := cursor.fetchmany(batch_size):
            with staged.open("w", encoding="utf-8") as file:
                for patent_id, text_hash, title, abstract, claims in rows:
                    tokens = tokenizer.tokens(title) + tokenizer.tokens(abstract) + tokenizer.tokens(claims)
                    file.write(
                        json.dumps(
                            {"patent_id": patent_id, "text_hash": text_hash, "tokens": " ".join(tokens)},
                            ensure_ascii=False,
                        )
                    )
                    file.write("\n")
            with store.transaction():
                store.con.execute(
                    """CREATE OR REPLACE TEMP TABLE staged_tokens AS
                    SELECT * FROM read_json(?, format = 'newline_delimited',
                    columns = {'patent_id': 'VARCHAR', 'text_hash': 'VARCHAR', 'tokens': 'VARCHAR'})""",
                    [str(staged)],
                )
                store.con.execute("DELETE FROM search_tokens WHERE patent_id IN (SELECT patent_id FROM staged_tokens)")
                store.con.execute("INSERT INTO search_tokens SELECT * FROM staged_tokens")
            done += len(rows)
            if progress is not None:
                progress(done, total)
    cursor.close()
    store.set_meta("search_tokenizer", TOKENIZER_VERSION)
    return done


class LexicalIndex:
    """A BM25 index over the store's patents, loaded from or saved to a directory."""

    def __init__(self, retriever: bm25s.BM25, ids: list[str], manifest: dict) -> None:
        self.retriever = retriever
        self.ids = ids
        self.manifest = manifest
        indptr = np.asarray(retriever.scores["indptr"])
        document_frequency = np.diff(indptr)
        n = max(len(ids), 1)
        self._idf = np.log(1 + (n - document_frequency + 0.5) / (document_frequency + 0.5))

    @classmethod
    def build(cls, store: PatentStore, directory: str | os.PathLike[str]) -> LexicalIndex:
        """Build the index from the stored tokens (see :func:`refresh_tokens`) and save it to ``directory``."""
        rows = store.query("SELECT patent_id, tokens FROM search_tokens ORDER BY patent_id")
        if not rows:
            raise SearchError("no patents to index: load patents first")
        ids = [row[0] for row in rows]
        corpus = [row[1].split() if row[1] else [] for row in rows]
        retriever = bm25s.BM25(method="lucene", k1=1.5, b=0.75)
        retriever.index(corpus, show_progress=False)
        manifest = {"data_version": store.data_version, "tokenizer": TOKENIZER_VERSION, "documents": len(ids)}
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=directory.name + "-", dir=directory.parent))
        retriever.save(str(work), show_progress=False)
        (work / _IDS).write_text(json.dumps(ids, ensure_ascii=False), encoding="utf-8")
        (work / _MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        if directory.exists():
            shutil.rmtree(directory)
        work.rename(directory)
        return cls(retriever, ids, manifest)

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> LexicalIndex:
        """Load a saved index (its arrays memory-mapped)."""
        directory = Path(directory)
        if not (directory / _MANIFEST).is_file():
            raise SearchError(f"no search index in {directory}: build it first")
        retriever = bm25s.BM25.load(str(directory), mmap=True, show_progress=False)
        ids = json.loads((directory / _IDS).read_text(encoding="utf-8"))
        manifest = json.loads((directory / _MANIFEST).read_text(encoding="utf-8"))
        return cls(retriever, ids, manifest)

    @staticmethod
    def manifest_of(directory: str | os.PathLike[str]) -> dict | None:
        """Return the manifest of a saved index, or None."""
        path = Path(directory) / _MANIFEST
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def retrieve(self, queries: Sequence[Sequence[str]], k: int) -> list[list[tuple[str, float]]]:
        """Return, per tokenised query, up to ``k`` ``(patent id, score)`` with a positive score, best first."""
        if not queries:
            return []
        k = max(1, min(k, len(self.ids)))
        vocab = self.retriever.vocab_dict
        known = [[token for token in query if token in vocab] for query in queries]
        out: list[list[tuple[str, float]]] = [[] for _ in queries]
        asked = [i for i, query in enumerate(known) if query]
        if not asked:
            return out
        documents, scores = self.retriever.retrieve([known[i] for i in asked], k=k, show_progress=False, n_threads=0)
        for row, i in enumerate(asked):
            out[i] = [
                (self.ids[int(doc)], float(score))
                for doc, score in zip(documents[row], scores[row], strict=True)
                if score > 0
            ]
        return out

    def idf(self, token: str) -> float:
        """Return the inverse document frequency of a token (0 when the index does not know it)."""
        index = self.retriever.vocab_dict.get(token)
        return float(self._idf[index]) if index is not None and index < len(self._idf) else 0.0

    def __len__(self) -> int:
        return len(self.ids)
