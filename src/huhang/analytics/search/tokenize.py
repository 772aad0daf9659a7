"""Tokens of patent text for the lexical index: Chinese segmented with jieba, English stemmed.

The text is cut into runs of Chinese characters and runs of Latin letters and digits (full-width forms are
read as half-width). A Chinese run is segmented by jieba in its search mode, which also emits the words
inside a longer word (水电站 → 水电, 电站, 水电站), so a query for 电站 finds 水电站 and a query written
without spaces (高压输电线路) is cut the same way as the documents. A Latin run is lower-cased, English
stop words and patent boilerplate (wherein, said, comprising ...) are dropped, and the rest is stemmed with
the Snowball English stemmer (networks → network). Each token keeps its offsets in the text, for
highlighting.

>>> tokenizer = Tokenizer()
>>> tokenizer.tokens("一种水电站高压输电线路驱鸟保护装置")
['水电', '电站', '水电站', '高压', '输电', '线路', '驱鸟', '保护', '装置', '保护装置']
>>> tokenizer.tokens("Neural networks for the traveling salesman problem")
['neural', 'network', 'travel', 'salesman', 'problem']
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections.abc import Iterator

VERSION = "1"
"""Changes whenever the tokens of a text would change: stored tokens of another version are redone."""

_CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK_RANGES}]+|[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*")
_CJK = re.compile(rf"[{_CJK_RANGES}]")
# Full-width ASCII and the ideographic space, read as their half-width forms (length is kept: offsets hold).
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

ZH_STOP_WORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "为",
        "是",
        "将",
        "对",
        "其",
        "所",
        "该",
        "于",
        "由",
        "以",
        "等",
        "中",
        "上",
        "下",
        "个",
        "之",
        "而",
        "并",
        "且",
        "被",
        "把",
        "从",
        "向",
        "至",
        "也",
        "都",
        "就",
        "还",
        "又",
        "一",
        "一种",
        "一个",
        "所述",
        "其特征在于",
        "特征",
        "包括",
        "包含",
        "本发明",
        "发明",
        "本实用新型",
        "实用新型",
        "公开",
        "涉及",
        "提供",
        "具有",
        "用于",
        "通过",
        "进行",
        "根据",
        "权利要求",
        "如",
        "如下",
        "步骤",
        "其中",
        "以及",
        "使得",
        "使",
        "可以",
        "能够",
        "相应",
        "所示",
        "如图",
    ]
)
EN_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
        "from",
        "which",
        "wherein",
        "whereby",
        "said",
        "comprising",
        "comprises",
        "comprised",
        "including",
        "includes",
        "having",
        "has",
        "have",
        "been",
        "being",
        "thereof",
        "therein",
        "thereto",
        "claim",
        "claims",
        "according",
        "least",
        "one",
        "more",
        "each",
        "any",
        "can",
        "may",
        "also",
    ]
)


_SEGMENTER = None
_SEGMENTER_LOCK = threading.Lock()


def _segmenter():
    """jieba's segmenter, its dictionary loaded once per process (about a second) on first use."""
    global _SEGMENTER
    if _SEGMENTER is None:
        with _SEGMENTER_LOCK:
            if _SEGMENTER is None:
                with warnings.catch_warnings():  # jieba 0.42 has regexes Python 3.12 warns about
                    warnings.simplefilter("ignore", DeprecationWarning)
                    warnings.simplefilter("ignore", SyntaxWarning)
                    import jieba

                logging.getLogger("jieba").setLevel(logging.WARNING)
                segmenter = jieba.Tokenizer()
                segmenter.initialize()
                _SEGMENTER = segmenter
    return _SEGMENTER


class Tokenizer:
    """Turn text into index tokens (thread-safe)."""

    def __init__(self) -> None:
        import Stemmer

        self._stem = Stemmer.Stemmer("english").stemWord

    def spans(self, text: str) -> Iterator[tuple[str, int, int]]:
        """Yield ``(token, start, end)`` for the tokens of ``text`` (offsets into ``text``)."""
        if not text:
            return
        text = text.translate(_HALF_WIDTH)
        for run in _RUN.finditer(text):
            start, word = run.start(), run.group()
            if _CJK.match(word):
                for token, begin, end in _segmenter().tokenize(word, mode="search"):
                    if token not in ZH_STOP_WORDS:
                        yield token, start + begin, start + end
            else:
                lower = word.lower()
                if lower in EN_STOP_WORDS or (len(lower) < 2 and not lower.isdigit()):
                    continue
                yield self._stem(lower), start, run.end()

    def tokens(self, text: str | None) -> list[str]:
        """Return the tokens of ``text`` in order (repeats kept: BM25 counts them)."""
        return [token for token, _, _ in self.spans(text or "")]
