"""The canonical leaf: one byte form for one set of facts (RFC 8785 for the subset used). No database."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from huhang.evidence.leaf import LeafError, canonical_json, event_leaf, evidence_leaf, parse_leaf
from huhang.evidence.sniff import sniff_media_type
from tests.evidence.conftest import PNG

CASES = [
    ({"b": 1, "a": [True, None, "x"]}, b'{"a":[true,null,"x"],"b":1}'),
    ({"s": '武汉\n\t"\\\x01'}, '{"s":"武汉\\n\\t\\"\\\\\\u0001"}'.encode()),
    ({"z": {"y": 2, "x": 1}}, b'{"z":{"x":1,"y":2}}'),
    ({"n": -(2**53 - 1)}, b'{"n":-9007199254740991}'),
]


@pytest.mark.parametrize(("value", "expected"), CASES, ids=["sorted", "escapes", "nested", "min-int"])
def test_canonical_json(value, expected):
    assert canonical_json(value) == expected


@pytest.mark.parametrize(
    "value",
    [{"f": 1.5}, {"n": 2**53}, {1: "x"}, {"ключ": 1}, {"s": "\ud800"}, {"o": object()}],
    ids=["float", "big-int", "int-key", "non-ascii-key", "surrogate", "object"],
)
def test_values_without_a_canonical_form_are_refused(value):
    with pytest.raises(LeafError):
        canonical_json(value)


def _leaf(**overrides):
    fields = dict(
        id="6c1f0d0e-0000-4000-8000-000000000001",
        holder_name="武汉长江光电有限公司",
        holder_id="91420100000000001Y",
        kind="document",
        title="现有技术证据",
        description="",
        submitted_by="user/7",
        time=datetime(2025, 3, 1, 10, 3, 4, tzinfo=timezone(timedelta(hours=8))),
        mode="file",
        sha256="ab" * 32,
        size=10,
        media_type="application/pdf",
    )
    fields.update(overrides)
    return evidence_leaf(**fields)


def test_evidence_leaf_is_canonical_and_versioned():
    leaf = _leaf()
    fields = parse_leaf(leaf)
    assert fields["v"] == 1 and fields["type"] == "huhang/evidence"
    assert fields["time"] == "2025-03-01T02:03:04Z"  # UTC, whole seconds
    assert leaf == canonical_json(fields)
    assert "sm3" not in fields and parse_leaf(_leaf(sm3="cd" * 32))["sm3"] == "cd" * 32


def test_leaf_refuses_bad_hashes_and_naive_times():
    with pytest.raises(LeafError):
        _leaf(sha256="AB" * 32)
    with pytest.raises(LeafError):
        _leaf(time=datetime(2025, 3, 1))


def test_parse_leaf_refuses_non_canonical_bytes():
    with pytest.raises(LeafError, match="canonical"):
        parse_leaf(b'{"v": 1, "type": "huhang/evidence"}')
    with pytest.raises(LeafError, match="version"):
        parse_leaf(b'{"type":"huhang/evidence","v":2}')


def test_event_leaf():
    leaf = event_leaf(
        id="x",
        kind="case.opened",
        subject="case/1",
        actor="user/3",
        time=datetime(2025, 1, 1, tzinfo=UTC),
        payload={"stage": "立案"},
    )
    assert parse_leaf(leaf)["payload"] == {"stage": "立案"}


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PNG, "image/png"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"<!DOCTYPE html><html>", "text/html"),
        (b"MIME-Version: 1.0\nContent-Type: multipart/related;", "multipart/related"),
        ("def main():\n    print('你好')\n".encode(), "text/plain"),
        (b'{"a": 1}', "application/json"),
        (b"\x00\x01\x02garbage", "application/octet-stream"),
        ("中文".encode()[:-1], "text/plain"),  # a head cut inside a character is still text
        (b"", "application/octet-stream"),
    ],
    ids=["png", "pdf", "html", "mhtml", "source", "json", "binary", "cut-utf8", "empty"],
)
def test_sniffing_reads_the_content(head, expected):
    assert sniff_media_type(head) == expected
