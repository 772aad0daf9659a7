"""Similarity search over patent titles, abstracts and claims, in Chinese and English.

:class:`PatentSearch` answers queries from the store: the lexical BM25 index always
(:mod:`~huhang.analytics.search.lexical`, Chinese segmented by jieba, English stemmed), the dense vectors
too when an encoder is configured (:mod:`~huhang.analytics.search.dense`), the two then fused by
reciprocal rank (RRF, k = 60). Each hit carries the passages that match the query, with the offsets of the
matching words for highlighting.

>>> # search = PatentSearch(store, index_dir)
>>> # hits = search.search("高压输电线路 驱鸟", top=10)
>>> # hits[0].id, hits[0].score, hits[0].passages[0].text, hits[0].passages[0].highlights
"""

from huhang.analytics.search.dense import DenseIndex, Encoder, SentenceTransformerEncoder
from huhang.analytics.search.lexical import LexicalIndex, refresh_tokens
from huhang.analytics.search.service import MODES, Hit, Passage, PatentSearch, Query, read_queries
from huhang.analytics.search.tokenize import Tokenizer

__all__ = [
    "MODES",
    "DenseIndex",
    "Encoder",
    "Hit",
    "LexicalIndex",
    "Passage",
    "PatentSearch",
    "Query",
    "SentenceTransformerEncoder",
    "Tokenizer",
    "read_queries",
    "refresh_tokens",
]
