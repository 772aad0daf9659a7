"""Keyword conditions of the SEI ↔ IPC concordance, turned into terms that can be looked for in a text.

The 2021 concordance (战略性新兴产业分类与国际专利分类参照关系表) attaches to most of its rules a keyword
condition written as prose: product and service names from the industry classification, separated by
``；`` and ``、``, with ``等`` closing a list before its generic category ("高端路由器、单槽位处理路由器等其他
计算机制造"). Six rules are exclusions ("不包括航天相关设备制造。"). This module cuts that prose into terms:

- split at ``；;，,、`` and at ``等`` (the words before it and the category after it are both terms);
- drop the generic heads and tails that name a kind of activity rather than a technology (``其他``,
  ``制造``, ``服务``, ``相关关键词`` ...), and terms left with no content (``产品``, ``系统``);
- split ``X及Y`` and ``X和Y`` when both sides are words; keep single characters only when they were listed
  alone and are not a fragment (``铍``, ``铟``), so a line broken by the source PDF (``烯。``) is not a term;
- in an exclusion, ``X的Y`` becomes one term whose parts must all occur (``连续纤维改性`` and ``ABS``).

A term is found in a text when each of its parts occurs in it (case-insensitive). The terms are stored with
the reference tables (``ref_sei_term``), so every decision can be traced to the term that made it.

>>> keyword_terms("高端路由器、单槽位处理路由器等其他计算机制造；新一代移动通信基站设备制造。")
[('高端路由器',), ('单槽位处理路由器',), ('计算机',), ('新一代移动通信基站',)]
>>> keyword_terms("不包括连续纤维改性的ABS。", exclusion=True)
[('连续纤维改性', 'abs')]
>>> keyword_terms("量子计算、量子芯片、量子测控等量子计算机相关关键词。")
[('量子计算',), ('量子芯片',), ('量子测控',), ('量子计算机',)]
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[；;，,、。]")
_EXCLUSION_PREFIX = re.compile(r"^(?:不包括|不包含|不含|除)")
# Heads and tails that name a kind of activity, not a technology; removed repeatedly, longest first.
_PREFIXES = ("其他", "其它", "新型", "生产专用", "用于", "领域的", "领域用", "领域", "具有", "基于", "由", "的")
_SUFFIXES = (
    "相关关键词",
    "关键词",
    "相关设备制造",
    "相关设备",
    "设备制造",
    "专用设备制造",
    "制造",
    "服务",
    "生产",
    "加工",
    "修理",
    "材料",
    "相关",
)
_GENERIC = frozenset(
    {
        "系统",
        "设备",
        "产品",
        "材料",
        "装置",
        "器件",
        "制品",
        "配套设备",
        "其他",
        "其他电子设备",
        "信息",
        "技术",
        "工程",
        "施工",
        "应用",
        "相关",
        "配套",
        "服务",
    }
)
_WORD = re.compile(r"[\w\u3400-\u9fff]+")


def _strip(term: str) -> str:
    changed = True
    while changed and term:
        changed = False
        for prefix in _PREFIXES:
            if term.startswith(prefix) and len(term) > len(prefix):
                term, changed = term[len(prefix) :], True
        for suffix in _SUFFIXES:
            if term.endswith(suffix) and len(term) >= len(suffix) + 2:
                term, changed = term[: -len(suffix)], True
    return term.strip().rstrip("与和及").strip()


def _split_pairs(term: str) -> list[str]:
    """Split ``X及Y`` (both sides two characters or more) and ``X和Y``/``X与Y`` (three or more, so that
    不饱和聚酯 stays whole); ``X及其Y`` keeps X only (Y is X's own: 及其改性, 及其制品)."""
    if "及其" in term and not term.startswith("及其"):
        return _split_pairs(term.split("及其")[0])
    for joiner, least in (("及", 2), ("和", 3), ("与", 3)):
        left, sep, right = term.partition(joiner)
        if sep and len(left) >= least and len(right) >= least:
            return _split_pairs(left) + _split_pairs(right)
    return [term]


def keyword_terms(text: str, *, exclusion: bool = False) -> list[tuple[str, ...]]:
    """Return the terms of a keyword condition, each a tuple of parts that must all occur (lower case)."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    # Spaces the source PDF put between Chinese and Latin ("IGBT 生产线设备", "6 代") are not in patent texts.
    text = re.sub(r"\s+(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])\s+", "", text)
    text = text.replace("及以上", "").replace("及其他", "、其他").replace("等离子", "\0")
    pieces: list[tuple[str, bool]] = []  # (piece, listed alone between separators)
    for chunk in _SEPARATORS.split(text):
        chunk = chunk.strip()
        if exclusion:
            chunk = _EXCLUSION_PREFIX.sub("", chunk)
        parts = [part.strip().replace("\0", "等离子") for part in chunk.split("等")]
        pieces += [(part, len(parts) == 1) for part in parts if part]
    terms: list[tuple[str, ...]] = []
    for piece, alone in pieces:
        for candidate in _split_pairs(piece):
            if exclusion and "的" in candidate:
                parts = tuple(p for p in (_strip(x) for x in candidate.split("的")) if p and p not in _GENERIC)
            else:
                stripped = _strip(candidate)
                parts = (stripped,) if stripped and stripped not in _GENERIC else ()
            if not parts or not all(_WORD.search(part) for part in parts):
                continue
            if len(parts) == 1 and len(parts[0]) == 1 and not (alone and len(piece) == 1):
                continue
            if len(parts) == 1 and len(parts[0]) == 1 and len(pieces) == 1:
                continue  # a lone character as the whole condition is a fragment of a broken line
            term = tuple(part.lower() for part in parts)
            if term not in terms:
                terms.append(term)
    return terms
