import pytest

from huhang.analytics.ipc import ipc_ancestors, ipc_at_level, ipc_level, normalise_ipc


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("H04W4/12", "H04W4/12"),
        ("h04w 4/12", "H04W4/12"),
        ("Ｈ０４Ｗ４／１２", "H04W4/12"),
        ("G06F 17/30 (2006.01)", "G06F17/30"),
        ("G06F17/30(2006.01)I", "G06F17/30"),
        ("A01B0001000000", "A01B1/00"),
        ("H04W0004120000", "H04W4/12"),
        ("A21D13/0020060101", "A21D13/00"),
        ("G06F017/30", "G06F17/30"),
        ("G06F", "G06F"),
        ("A01", "A01"),
        ("H", "H"),
    ],
)
def test_normalise_reads_the_usual_spellings(raw, expected):
    assert normalise_ipc(raw) == expected


@pytest.mark.parametrize(
    "raw", ["A21D13/0", "A21D13/", "G06F17//30", "7A23B5/00,A21C9/06", "A23P0/00000", "Z01B", "", "G6"]
)
def test_normalise_refuses_truncated_or_foreign_text(raw):
    assert normalise_ipc(raw) is None


def test_levels_and_ancestors():
    assert [ipc_level(c) for c in ("H", "H04", "H04W", "H04W4/00", "H04W4/12")] == [
        "section",
        "class",
        "subclass",
        "main_group",
        "subgroup",
    ]
    assert ipc_ancestors("H04W4/12") == ["H", "H04", "H04W", "H04W4/00"]
    assert ipc_ancestors("H04W") == ["H", "H04"]
    assert ipc_at_level("H04W4/12", "main_group") == "H04W4/00"
    assert ipc_at_level("H04W4/12", "subclass") == "H04W"
    assert ipc_at_level("H04W", "main_group") is None
