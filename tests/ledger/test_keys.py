"""Key names, key IDs and key texts."""

import pytest

from huhang.ledger import NoteError, is_valid_name, key_id
from huhang.ledger.keys import format_signer_key, format_verifier_key, parse_signer_key, parse_verifier_key

PETER_PUBLIC = bytes.fromhex("011a5cd907143c384c41e830c5bce12aa8817ec5649aaabf2c31388b35b2d744d6")


def test_key_id_of_the_go_example():
    assert key_id("PeterNeumann", PETER_PUBLIC) == 0xC74F20A3


def test_verifier_key_round_trip():
    vkey = format_verifier_key("PeterNeumann", PETER_PUBLIC)
    assert vkey == "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    assert parse_verifier_key(vkey) == ("PeterNeumann", 0xC74F20A3, PETER_PUBLIC)
    assert parse_verifier_key(vkey.replace("c74f20a3", "C74F20A3"))[1] == 0xC74F20A3  # Go accepts upper case too


def test_signer_key_round_trip():
    skey = format_signer_key("PeterNeumann", 0xC74F20A3, b"\x01" + bytes(32))
    assert skey.startswith("PRIVATE+KEY+PeterNeumann+c74f20a3+")
    assert parse_signer_key(skey) == ("PeterNeumann", 0xC74F20A3, b"\x01" + bytes(32))


@pytest.mark.parametrize(
    "name, valid",
    [
        ("example.com/log", True),
        ("护航/武汉", True),
        ("oid/1.2.156", True),
        ("", False),
        ("a b", False),
        ("a+b", False),
        ("a\u3000b", False),  # ideographic space
        ("a\u00a0b", False),  # no-break space
        ("a\u2028b", False),
        ("a\tb", False),
        ("a\x00b", False),
        ("a\ud800b", False),
        (None, False),
        (b"name", False),
    ],
)
def test_names(name, valid):
    assert is_valid_name(name) is valid


def test_formatting_refuses_bad_names():
    with pytest.raises(NoteError, match="invalid key name"):
        format_verifier_key("a b", PETER_PUBLIC)
    with pytest.raises(NoteError):
        format_signer_key("a+b", 1, b"\x01")
