"""IPC codes: one written form (``H04W4/12``), their level and their ancestors.

>>> normalise_ipc("h04w 4/12 (2009.01)")
'H04W4/12'
>>> normalise_ipc("A01B0001000000"), normalise_ipc("A21D13/0020060101"), normalise_ipc("G06F017/30")
('A01B1/00', 'A21D13/00', 'G06F17/30')
>>> normalise_ipc("A21D13/0") is None
True
>>> ipc_level("H04W"), ipc_level("H04W4/00"), ipc_level("H04W4/12")
('subclass', 'main_group', 'subgroup')
>>> ipc_ancestors("H04W4/12")
['H', 'H04', 'H04W', 'H04W4/00']
"""

from __future__ import annotations

import re
import unicodedata

LEVELS = ("section", "class", "subclass", "main_group", "subgroup")
"""IPC levels from the broadest; a patent's code may be given at any of them."""

_CODE = re.compile(r"([A-H])(?:(\d{2})(?:([A-Z])(?:(\d{1,4})/(\d{2,6}))?)?)?")
_SYMBOL14 = re.compile(r"([A-H]\d{2}[A-Z])(\d{4})(\d{6})")
_EDITION = re.compile(r"\(\d{4}\.\d{2}\)[A-Z]?$|\d{4}\.\d{2}$")
_GLUED_EDITION = re.compile(
    r"([A-H]\d{2}[A-Z]\d{1,4}/\d{2,6}?)((?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
)


def normalise_ipc(raw: str) -> str | None:
    """Return ``raw`` written as ``H04W4/12``, or None when it is not an IPC code.

    Accepted besides the canonical form: spaces and lower case, full-width characters, an edition suffix
    (``(2006.01)``, optionally followed by ``I``/``N``), the 14-character WIPO symbol (``A01B0001000000``),
    an edition date glued to the subgroup (``A21D13/0020060101``), zero-padded main groups (``G06F017/30``).
    Truncated codes (``A21D13/0``, ``A21D13/``) are refused.
    """
    text = unicodedata.normalize("NFKC", raw).upper()
    text = re.sub(r"\s+", "", text)
    text = _EDITION.sub("", text)
    symbol = _SYMBOL14.fullmatch(text)
    if symbol:
        subclass, main, sub = symbol.groups()
        sub = sub.rstrip("0").ljust(2, "0")
        return f"{subclass}{int(main)}/{sub}"
    glued = _GLUED_EDITION.fullmatch(text)
    if glued and _CODE.fullmatch(glued.group(1)):
        text = glued.group(1)
    match = _CODE.fullmatch(text)
    if match is None:
        return None
    section, klass, subclass, main, sub = match.groups()
    if main is None:
        return text
    if int(main) == 0:
        return None
    return f"{section}{klass}{subclass}{int(main)}/{sub}"


def ipc_level(code: str) -> str:
    """Return the level of a normalised code: section, class, subclass, main_group or subgroup."""
    if "/" in code:
        return "main_group" if code.endswith("/00") else "subgroup"
    return LEVELS[{1: 0, 3: 1, 4: 2}[len(code)]]


def ipc_ancestors(code: str) -> list[str]:
    """Return the codes above a normalised code, broadest first (subgroup nesting is not in the code)."""
    out = [code[:1], code[:3], code[:4]][: {1: 0, 3: 1, 4: 2}.get(len(code), 3)]
    if ipc_level(code) == "subgroup":
        out.append(code.split("/")[0] + "/00")
    return out


def ipc_at_level(code: str, level: str) -> str | None:
    """Return the code's ancestor (or itself) at ``level``, or None when the code is coarser than that."""
    depth = LEVELS.index(level)
    if LEVELS.index(ipc_level(code)) < depth:
        return None
    if level == "section":
        return code[:1]
    if level == "class":
        return code[:3]
    if level == "subclass":
        return code[:4]
    if level == "main_group":
        return code.split("/")[0] + "/00"
    return code
