"""Signed notes, checked against the examples and tests of golang.org/x/mod/sumdb/note."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huhang.ledger import (
    SM3_SM2,
    InvalidSignatureError,
    LedgerError,
    NoteError,
    NoteSignature,
    NoteSigner,
    NoteVerifier,
    UnverifiedNoteError,
    format_note,
    generate_key,
    new_signer,
    new_verifier,
    open_note,
    sign_note,
)

# From golang.org/x/mod/sumdb/note (note.go documentation and note_test.go, v0.7.0).
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
PETER_SIG = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

PETER = new_verifier(PETER_VKEY)
ENOCH = new_verifier(ENOCH_VKEY)


def _sig(line: str) -> NoteSignature:
    return open_note(TEXT + "\n" + line, [PETER, ENOCH]).signatures[0]


def test_signing_reproduces_go_signature_byte_for_byte():
    assert sign_note(TEXT, [new_signer(PETER_SKEY)]) == TEXT + "\n" + PETER_SIG


def test_keys_round_trip_like_go():
    signer = new_signer(PETER_SKEY)
    assert (signer.name, signer.key_id) == ("PeterNeumann", 0xC74F20A3)
    assert signer.private_key_text() == PETER_SKEY
    assert signer.verifier() == PETER
    assert PETER.key == PETER_VKEY
    assert "AYEKFALV" not in repr(signer)


def test_open_one_verified_one_unverified():
    note = open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [PETER])
    assert note.text == TEXT
    assert [(s.name, s.key_id) for s in note.signatures] == [("PeterNeumann", 0xC74F20A3)]
    assert [(s.name, s.key_id) for s in note.unverified] == [("EnochRoot", 0xAF0CFE78)]
    assert note.signatures[0].to_line() == PETER_SIG


def test_open_both_verified():
    note = open_note((TEXT + "\n" + PETER_SIG + ENOCH_SIG).encode(), [PETER, ENOCH])
    assert [s.name for s in note.signatures] == ["PeterNeumann", "EnochRoot"]
    assert note.unverified == ()


def test_open_with_no_known_key_carries_the_note():
    with pytest.raises(UnverifiedNoteError) as info:
        open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [])
    assert [s.name for s in info.value.note.unverified] == ["PeterNeumann", "EnochRoot"]
    assert info.value.note.text == TEXT


def test_open_accepts_a_single_verifier():
    assert open_note(TEXT + "\n" + PETER_SIG, PETER).signatures[0].name == "PeterNeumann"


def test_ambiguous_verifiers_are_refused():
    twin = NoteVerifier("EnochRoot", ENOCH.key_id, ENOCH.suite, bytes(32))
    with pytest.raises(NoteError, match="ambiguous key EnochRoot\\+af0cfe78"):
        open_note(TEXT + "\n" + ENOCH_SIG, [ENOCH, PETER, twin])
    # The same key listed twice is one key (Go calls this ambiguous too, but only when it is used).
    assert open_note(TEXT + "\n" + ENOCH_SIG, [ENOCH, PETER, new_verifier(ENOCH_VKEY)]).signatures


def test_invalid_signature_by_a_known_key():
    tampered = PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]
    with pytest.raises(InvalidSignatureError, match="invalid signature for key PeterNeumann\\+c74f20a3"):
        open_note(TEXT + "\n" + tampered, [PETER])
    with pytest.raises(InvalidSignatureError):
        open_note(TEXT.replace("answer", "Answer") + "\n" + PETER_SIG, [PETER])


def test_duplicated_signatures_are_dropped():
    enoch_abcd = ENOCH_SIG[:60] + "ABCD" + ENOCH_SIG[60:]
    note = open_note(TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG + enoch_abcd, [PETER])
    assert len(note.signatures) == 1
    assert [s.to_line() for s in note.unverified] == [ENOCH_SIG, enoch_abcd]


def test_too_many_signatures():
    with pytest.raises(NoteError, match="at most 100"):
        open_note(TEXT + "\n" + PETER_SIG * 101, [PETER])
    assert open_note(TEXT + "\n" + PETER_SIG * 100, [PETER]).signatures


@pytest.mark.parametrize(
    "message",
    [
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + TEXT + "\n" + PETER_SIG,
        (b"\xff" + (TEXT + "\n" + PETER_SIG).encode()),
        TEXT
        + "\n"
        + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        # Our additions.
        TEXT + "\n" + PETER_SIG.replace("— ", "-- "),
        TEXT + "\n" + "— PeterNeumann\n",
        TEXT + "\n" + "— PeterNeumann AAAA\n",
        TEXT + "\n" + "— PeterNeumann x08go/ZJkuBS9UG/Sffcv!\n",
        TEXT + "\n" + PETER_SIG.replace("M=\n", "M\n"),  # missing padding
        TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Peter+Neumann"),
        TEXT.replace("\n", "\r\n", 1) + "\n" + PETER_SIG,
        "\ud800" + TEXT + "\n" + PETER_SIG,
        "",
        None,
        42,
    ],
)
def test_malformed_notes(message):
    with pytest.raises(NoteError):
        open_note(message, [PETER])


def test_empty_lines_in_the_text_are_accepted_when_opening():
    # c2sp.org/signed-note: the text may contain empty lines; the last empty line ends it.
    signer = new_signer(PETER_SKEY)
    text = "first\n\nthird\n"
    signed = text + "\n" + NoteSignature(signer.name, signer.key_id, signer.sign(text.encode())).to_line()
    assert open_note(signed, [PETER]).text == text


@pytest.mark.parametrize(
    "text, message",
    [
        ("no newline", "must end with a newline"),
        ("", "must end with a newline"),
        ("\n", "empty lines"),
        ("a\n\nb\n", "empty lines"),
        ("a\n\n", "empty lines"),
        ("tab\there\n", "U\\+0009"),
        (b"bytes\n", "must be a str"),
    ],
)
def test_sign_rejects_texts_it_will_not_sign(text, message):
    with pytest.raises(NoteError, match=message):
        sign_note(text, [new_signer(PETER_SKEY)])


def test_resigning_keeps_other_signatures_and_replaces_own():
    note = open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [PETER])
    skey, vkey = generate_key("example.com/me")
    me = new_signer(skey)
    signed = sign_note(TEXT, [me], existing=note.signatures + note.unverified)
    assert signed.startswith(TEXT + "\n" + PETER_SIG + ENOCH_SIG + "— example.com/me ")
    again = open_note(signed, [PETER, new_verifier(vkey)])
    assert sign_note(TEXT, [me], existing=again.signatures + again.unverified).count("— example.com/me ") == 1


def test_format_note_checks_its_signatures():
    good = _sig(PETER_SIG)
    assert format_note(TEXT, [good]) == TEXT + "\n" + PETER_SIG
    for bad in [
        NoteSignature("bad name", 1, b"x"),
        NoteSignature("n", 1 << 32, b"x"),
        NoteSignature("n", 1, b""),
        "line",
    ]:
        with pytest.raises(NoteError):
            format_note(TEXT, [bad])
    with pytest.raises(NoteError, match="at least one"):
        format_note(TEXT, [])


@pytest.mark.parametrize(
    "vkey",
    [
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",  # Go: wrong length key
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # Go: unknown algorithm
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # wrong key ID
        "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # short key ID
        "PeterNeumann+0xc74f20+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # not hex digits
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # space in name
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # empty name
        "PeterNeumann+c74f20a3+",  # empty key
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",  # bad base64
        "PeterNeumann",
        "",
        None,
    ],
)
def test_bad_verifier_keys(vkey):
    with pytest.raises(NoteError):
        new_verifier(vkey)


@pytest.mark.parametrize(
    "skey",
    [
        "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",  # wrong key ID
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKD",  # short seed
        "PRIVATE+KEY+PeterNeumann+c74f20a3+BYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",  # unknown algorithm
        "PRIVATE+KEY+Peter+Neumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
        "PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",  # not private
        PETER_VKEY,
        None,
    ],
)
def test_bad_signer_keys_never_show_the_key(skey):
    with pytest.raises(NoteError) as info:
        new_signer(skey)
    assert "AYEKFALV" not in str(info.value)


@pytest.mark.parametrize("suite", [None, SM3_SM2], ids=["ed25519", "sm2"])
def test_generated_keys_sign_and_verify(suite):
    skey, vkey = generate_key("log.huhang.example/wuhan", suite=suite)
    signer, verifier = new_signer(skey), new_verifier(vkey)
    assert (signer.name, signer.key_id) == (verifier.name, verifier.key_id)
    signed = sign_note("log.huhang.example/wuhan\n7\n", [signer])
    assert open_note(signed, [verifier]).signatures[0].name == "log.huhang.example/wuhan"
    with pytest.raises(InvalidSignatureError):
        open_note(signed.replace("\n7\n", "\n8\n"), [verifier])


def test_sm2_keys_use_our_extension_type():
    skey, vkey = generate_key("gm.example/log", suite="sm3-sm2")
    verifier = new_verifier(vkey)
    assert verifier.suite is SM3_SM2
    assert len(verifier.public_key) == 65
    import base64

    typed = base64.b64decode(vkey.split("+", 2)[2])
    assert typed.startswith(b"\xffhuhang/sm2-note/v1") and len(typed) == 1 + 18 + 65
    assert skey.startswith("PRIVATE+KEY+gm.example/log+")
    # An Ed25519 verifier with the same name never accepts an SM2 signature line, and vice versa.
    _, ed_vkey = generate_key("gm.example/log")
    signed = sign_note("hello\n", [new_signer(skey)])
    with pytest.raises(UnverifiedNoteError):
        open_note(signed, [new_verifier(ed_vkey)])


def test_signer_from_raw_key_checks_it():
    with pytest.raises(NoteError):
        NoteSigner("name", b"short")
    with pytest.raises(NoteError):
        NoteSigner("bad name", bytes(32))
    with pytest.raises(NoteError):
        NoteVerifier.from_public_key("n", bytes(31))


@settings(max_examples=300, deadline=None, database=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_fuzz_open_note_raises_only_note_errors(message):
    try:
        open_note(message, [PETER])
    except LedgerError as error:
        assert isinstance(error, NoteError)


@settings(max_examples=200, deadline=None, database=None)
@given(st.data())
def test_fuzz_mutated_signed_notes_are_rejected(data):
    signed = TEXT + "\n" + PETER_SIG
    position = data.draw(st.integers(min_value=0, max_value=len(signed) - 1))
    char = data.draw(st.characters(codec="utf-8"))
    mutated = signed[:position] + char + signed[position + 1 :]
    if mutated == signed:
        return
    try:
        note = open_note(mutated, [PETER])
    except NoteError:
        return
    # A change that survives must leave the signed text and the signature intact.
    assert note.text == TEXT and note.signatures[0].to_line() == PETER_SIG
