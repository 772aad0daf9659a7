"""Checkpoints: the C2SP example, strict parsing, round trips, and opening signed ones."""

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huhang.ledger import (
    SM3_SM2,
    Checkpoint,
    CheckpointError,
    LedgerError,
    NoteError,
    UnverifiedNoteError,
    format_checkpoint,
    generate_cosigner_key,
    generate_key,
    new_cosignature_signer,
    new_cosignature_verifier,
    new_signer,
    new_verifier,
    open_checkpoint,
    parse_checkpoint,
    root_hash,
    sign_note,
)

# c2sp.org/tlog-checkpoint, the example.
C2SP_BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"


def test_c2sp_example_parses_and_formats_back():
    checkpoint = parse_checkpoint(C2SP_BODY)
    assert checkpoint == Checkpoint(
        "example.com/behind-the-sofa", 20852163, base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    )
    assert format_checkpoint(checkpoint) == C2SP_BODY


def test_extension_lines_round_trip():
    checkpoint = Checkpoint("log.example/a", 0, root_hash([]), ("ext one", "— ext two"))
    text = format_checkpoint(checkpoint)
    assert text.endswith("\next one\n— ext two\n")
    assert parse_checkpoint(text) == checkpoint


@pytest.mark.parametrize(
    "text, message",
    [
        ("example.com/log\n1\n", "want at least 3"),
        ("example.com/log\n1\nAAAA", "end with a newline"),
        ("\n1\n" + "A" * 43 + "=\n", "origin must be a non-empty"),
        ("example.com/log\n01\n" + "A" * 43 + "=\n", "leading zeros"),
        ("example.com/log\n-1\n" + "A" * 43 + "=\n", "not a decimal"),
        ("example.com/log\n+1\n" + "A" * 43 + "=\n", "not a decimal"),
        ("example.com/log\n 1\n" + "A" * 43 + "=\n", "not a decimal"),
        ("example.com/log\n１\n" + "A" * 43 + "=\n", "not a decimal"),
        ("example.com/log\n9223372036854775808\n" + "A" * 43 + "=\n", "2\\*\\*63"),
        ("example.com/log\n1\n" + "A" * 42 + "==\n", "31 bytes, want 32"),
        ("example.com/log\n1\n" + "A" * 44 + "\n", "33 bytes, want 32"),
        ("example.com/log\n1\n" + "A" * 43 + "\n", "not base64"),
        ("example.com/log\n1\n" + "A" * 42 + "B=\n", "canonical"),
        ("example.com/log\n1\n" + "A" * 43 + "=\n\n", "extension line must be a non-empty"),
        ("example.com/log\n1\n" + "A" * 43 + "=\nbad\tline\n", "control character"),
        ("exa\rmple.com/log\n1\n" + "A" * 43 + "=\n", "control character"),
        (b"example.com/log\n1\n", "must be a str"),
    ],
)
def test_malformed_checkpoints(text, message):
    with pytest.raises(CheckpointError, match=message):
        parse_checkpoint(text)


@pytest.mark.parametrize(
    "checkpoint",
    [
        Checkpoint("", 1, bytes(32)),
        Checkpoint("a\nb", 1, bytes(32)),
        Checkpoint("log", -1, bytes(32)),
        Checkpoint("log", 1 << 63, bytes(32)),
        Checkpoint("log", True, bytes(32)),
        Checkpoint("log", 1, bytes(31)),
        Checkpoint("log", 1, "0" * 32),
        Checkpoint("log", 1, bytes(32), ("",)),
        Checkpoint("log", 1, bytes(32), ["list"]),
    ],
)
def test_format_refuses_invalid_checkpoints(checkpoint):
    with pytest.raises(CheckpointError):
        format_checkpoint(checkpoint)


@settings(max_examples=200, deadline=None, database=None)
@given(
    origin=st.text(st.characters(min_codepoint=0x20, exclude_categories=("Cs",)), min_size=1, max_size=30),
    size=st.integers(min_value=0, max_value=(1 << 63) - 1),
    root=st.binary(min_size=32, max_size=32),
)
def test_round_trip_any_valid_checkpoint(origin, size, root):
    checkpoint = Checkpoint(origin, size, root)
    assert parse_checkpoint(format_checkpoint(checkpoint)) == checkpoint


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=120))
def test_fuzz_parse_raises_only_checkpoint_errors(text):
    try:
        checkpoint = parse_checkpoint(text)
    except LedgerError as error:
        assert isinstance(error, CheckpointError)
    else:
        assert format_checkpoint(checkpoint) == text  # one text form per checkpoint


@pytest.mark.parametrize("suite", [None, SM3_SM2], ids=["sha256-ed25519", "sm3-sm2"])
def test_open_signed_checkpoint(suite):
    skey, vkey = generate_key("log.example/evidence", suite=suite)
    checkpoint = Checkpoint("log.example/evidence", 3, root_hash([b"a", b"b", b"c"], suite=suite))
    signed = sign_note(format_checkpoint(checkpoint, suite=suite), [new_signer(skey)])
    opened, note = open_checkpoint(signed, new_verifier(vkey), suite=suite)
    assert opened == checkpoint
    assert note.signatures[0].name == "log.example/evidence"


def test_open_checkpoint_requires_the_log_signature_and_origin():
    log_skey, log_vkey = generate_key("log.example/evidence")
    w_skey, w_vkey = generate_cosigner_key("witness.example/w1")
    witness = new_cosignature_signer(w_skey)
    body = format_checkpoint(Checkpoint("log.example/evidence", 1, root_hash([b"a"])))
    only_witness = body + "\n" + witness.sign(body, timestamp=1700000000).to_line()
    with pytest.raises(UnverifiedNoteError, match="not signed by the log key"):
        open_checkpoint(only_witness, new_verifier(log_vkey), others=[new_cosignature_verifier(w_vkey)])
    signed = sign_note(body, [new_signer(log_skey)])
    with pytest.raises(CheckpointError, match=r"origin is 'log\.example/evidence', want 'other'"):
        open_checkpoint(signed, new_verifier(log_vkey), origin="other")
    other_skey, other_vkey = generate_key("other.example/log")
    foreign = sign_note(body, [new_signer(other_skey)])
    with pytest.raises(CheckpointError, match=r"want 'other\.example/log'"):
        open_checkpoint(foreign, new_verifier(other_vkey))
    with pytest.raises(CheckpointError, match="want at least 3"):
        open_checkpoint(sign_note("not\na checkpoint\n", [new_signer(log_skey)]), new_verifier(log_vkey))
    with pytest.raises(NoteError):
        open_checkpoint(signed.replace("\n1\n", "\n2\n"), new_verifier(log_vkey))
