"""The canonical leaf: the exact bytes appended to the ledger for one piece of evidence or one event.

A leaf is a JSON object written in one canonical form, so that the same facts always give the same bytes
and anyone can re-derive them: keys sorted, no insignificant whitespace, UTF-8, strings escaped as
RFC 8785 (JCS) does, integers only (no floats, whose text form is where JCS gets hard). For the subset
used here (ASCII keys, strings, integers, booleans, null, arrays, objects) this is RFC 8785 exactly.

Evidence (``"type": "huhang/evidence"``)::

    {"description":"…","holder":{"id":"91420100…","name":"武汉…"},"id":"<uuid>","kind":"document",
     "media_type":"application/pdf","mode":"file","sha256":"<hex>","size":1234,
     "submitted_by":"user/7","time":"2025-03-01T02:03:04Z","title":"…","type":"huhang/evidence","v":1}

plus ``"sm3"`` when the log's suite is ``sm3-sm2``. In trade-secret mode (``"mode":"hash"``) ``size`` and
``media_type`` are null unless the holder chose to state them. An individual holder's resident ID number
is masked (first 6 and last 4 characters), and the submitter is named by account number only: the leaf
carries no more personal data than needed (PIPL), yet every fact of the evidence row but the uploader's
file name, so a row lost after its append can be re-created from the log.

Events (``"type": "huhang/event"``)::

    {"actor":"user/12","id":"<uuid>","kind":"case.opened","payload":{…},"subject":"case/42",
     "time":"…","type":"huhang/event","v":1}

This module imports no Django.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

LEAF_VERSION = 1
EVIDENCE_TYPE = "huhang/evidence"
EVENT_TYPE = "huhang/event"
MAX_SAFE_INTEGER = 2**53 - 1
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")


class LeafError(ValueError):
    """A value cannot be written as (or read back from) a canonical leaf."""


def canonical_json(value: object) -> bytes:
    """Return the canonical UTF-8 JSON of ``value`` (RFC 8785 for strings, integers and ASCII keys).

    Raises :class:`LeafError` for floats, integers beyond ±(2**53 - 1), non-str or non-ASCII keys, lone
    surrogates, or any type JSON cannot hold.
    """
    _check(value, "$")
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def _check(value: object, where: str) -> None:
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise LeafError(f"{where}: integer {value} is beyond ±(2**53 - 1)")
        return
    if isinstance(value, float):
        raise LeafError(f"{where}: floats have no canonical form here; use an integer or a string")
    if isinstance(value, str):
        try:
            value.encode("utf-8")  # refuses exactly the surrogate code points, in C
        except UnicodeEncodeError:
            raise LeafError(f"{where}: the string contains a lone surrogate") from None
        return
    if isinstance(value, list | tuple):
        for position, item in enumerate(value):
            _check(item, f"{where}[{position}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise LeafError(f"{where}: object keys must be ASCII strings, got {key!r}")
            _check(item, f"{where}.{key}")
        return
    raise LeafError(f"{where}: {type(value).__name__} is not a JSON value")


def parse_leaf(data: bytes) -> dict:
    """Return the object a leaf holds; raise :class:`LeafError` unless ``data`` is a canonical leaf."""
    try:
        value = json.loads(bytes(data).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise LeafError("the leaf is not UTF-8 JSON") from None
    if not isinstance(value, dict):
        raise LeafError("the leaf is not a JSON object")
    if canonical_json(value) != bytes(data):
        raise LeafError("the leaf is not in canonical form (sorted keys, no whitespace)")
    if value.get("v") != LEAF_VERSION:
        raise LeafError(f"unknown leaf version {value.get('v')!r}: this software reads version {LEAF_VERSION}")
    if value.get("type") not in (EVIDENCE_TYPE, EVENT_TYPE):
        raise LeafError(f"unknown leaf type {value.get('type')!r}")
    return value


def rfc3339(moment: datetime) -> str:
    """Return ``moment`` (timezone-aware) as RFC 3339 UTC with whole seconds: ``2025-03-01T02:03:04Z``."""
    if moment.tzinfo is None:
        raise LeafError("times in a leaf must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_rfc3339(text: str) -> datetime:
    """Return the UTC datetime of a leaf's ``time`` string."""
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except (TypeError, ValueError):
        raise LeafError(f"time {text!r} is not RFC 3339 UTC (YYYY-MM-DDTHH:MM:SSZ)") from None


def evidence_leaf(
    *,
    id: str,
    holder_name: str,
    holder_id: str,
    kind: str,
    title: str,
    description: str,
    submitted_by: str,
    time: datetime,
    mode: str,
    sha256: str,
    size: int | None,
    media_type: str | None,
    sm3: str | None = None,
) -> bytes:
    """Return the canonical leaf of one piece of evidence. ``holder_id`` must already be masked if personal."""
    for name, digest in (("sha256", sha256), ("sm3", sm3)):
        if digest is not None and not _HEX64.match(digest):
            raise LeafError(f"{name} must be 64 lowercase hexadecimal digits")
    leaf = {
        "v": LEAF_VERSION,
        "type": EVIDENCE_TYPE,
        "id": id,
        "holder": {"name": holder_name, "id": holder_id},
        "kind": kind,
        "title": title,
        "description": description,
        "submitted_by": submitted_by,
        "time": rfc3339(time),
        "mode": mode,
        "sha256": sha256,
        "size": size,
        "media_type": media_type,
    }
    if sm3 is not None:
        leaf["sm3"] = sm3
    return canonical_json(leaf)


def event_leaf(*, id: str, kind: str, subject: str, actor: str, time: datetime, payload: dict) -> bytes:
    """Return the canonical leaf of one event recorded by another capability."""
    return canonical_json(
        {
            "v": LEAF_VERSION,
            "type": EVENT_TYPE,
            "id": id,
            "kind": kind,
            "subject": subject,
            "actor": actor,
            "time": rfc3339(time),
            "payload": payload,
        }
    )
