"""Witness cosignatures (c2sp.org/tlog-cosignature, cosignature/v1)."""

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from huhang.ledger import (
    SM3_SM2,
    Checkpoint,
    CheckpointError,
    CosignatureSigner,
    CosignatureVerifier,
    NoteError,
    NoteSignature,
    cosignature_timestamp,
    cosigned_message,
    format_checkpoint,
    generate_cosigner_key,
    generate_key,
    new_cosignature_signer,
    new_cosignature_verifier,
    new_signer,
    new_verifier,
    open_checkpoint,
    open_note,
    root_hash,
    sign_note,
)

BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
SEED = bytes(range(32))


def test_signed_message_is_the_spec_example():
    # c2sp.org/tlog-cosignature, "Ed25519 signed message".
    assert cosigned_message(BODY, 1679315147) == (
        b"cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
        b"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    )


def test_spec_example_line_carries_its_timestamp():
    # The witness line of the c2sp.org/tlog-cosignature example: key ID, then time 1679315147.
    line = (
        "— witness.example.com/w1 "
        "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
    )
    with pytest.raises(NoteError) as info:
        open_note(BODY + "\n" + line, [])
    signature = info.value.note.unverified[0]
    assert (signature.name, signature.key_id) == ("witness.example.com/w1", 0x8D66CF3F)
    assert cosignature_timestamp(signature) == 1679315147
    assert len(signature.signature) == 8 + 64


def test_signature_layout_and_key_id_by_hand():
    signer = CosignatureSigner("witness.example/w1", SEED)
    line = signer.sign(BODY, timestamp=1679315147)
    public = Ed25519PrivateKey.from_private_bytes(SEED).public_key().public_bytes_raw()
    assert line.key_id == int.from_bytes(hashlib.sha256(b"witness.example/w1\n\x04" + public).digest()[:4], "big")
    expected = Ed25519PrivateKey.from_private_bytes(SEED).sign(cosigned_message(BODY, 1679315147))
    assert line.signature == (1679315147).to_bytes(8, "big") + expected


def test_open_a_checkpoint_with_log_signature_and_cosignatures():
    log_skey, log_vkey = generate_key("example.com/behind-the-sofa")
    signed = sign_note(BODY, [new_signer(log_skey)])
    witnesses = [generate_cosigner_key(f"witness.example/w{i}") for i in range(3)]
    lines = [new_cosignature_signer(skey).sign(BODY, timestamp=1700000000 + i) for i, (skey, _) in enumerate(witnesses)]
    cosigned = signed + "".join(line.to_line() for line in lines[:2])
    verifiers = [new_cosignature_verifier(vkey) for _, vkey in witnesses]
    checkpoint, note = open_checkpoint(cosigned, new_verifier(log_vkey), others=verifiers)
    assert checkpoint.size == 20852163
    assert [s.name for s in note.signatures] == [
        "example.com/behind-the-sofa",
        "witness.example/w0",
        "witness.example/w1",
    ]
    assert [cosignature_timestamp(s) for s in note.signatures[1:]] == [1700000000, 1700000001]


def test_a_cosignature_of_another_checkpoint_or_time_fails():
    signer = CosignatureSigner("witness.example/w1", SEED)
    verifier = signer.verifier()
    line = signer.sign(BODY, timestamp=1679315147)
    assert verifier.verify(BODY.encode(), line.signature)
    assert not verifier.verify(BODY.replace("20852163", "20852164").encode(), line.signature)
    later = (1679315148).to_bytes(8, "big") + line.signature[8:]
    assert not verifier.verify(BODY.encode(), later)
    assert not verifier.verify(BODY.encode(), line.signature[:-1])
    assert not verifier.verify(BODY.encode(), (1 << 63).to_bytes(8, "big") + line.signature[8:])


def test_note_key_and_cosignature_key_differ():
    note_signer = new_signer(CosignatureSigner("w", SEED).private_key_text())
    cosigner = CosignatureSigner("w", SEED)
    assert note_signer.key_id != cosigner.key_id
    # A plain note signature by the same key is not a cosignature.
    plain = sign_note(BODY, [note_signer])
    with pytest.raises(NoteError):
        open_note(plain, [cosigner.verifier()])


def test_key_texts_follow_transparency_dev_formats():
    skey, vkey = generate_cosigner_key("witness.example/w1")
    typed_private = base64.b64decode(skey.split("+", 4)[4])
    typed_public = base64.b64decode(vkey.split("+", 2)[2])
    assert typed_private[0] == 0x01  # an ordinary Ed25519 note signer key
    assert typed_public[0] == 0x04  # the published cosignature verifier key
    signer, verifier = new_cosignature_signer(skey), new_cosignature_verifier(vkey)
    assert (signer.key_id, signer.name) == (verifier.key_id, verifier.name)
    assert verifier.key == vkey
    # The ordinary note verifier key of the same public key is accepted and converted.
    note_vkey = new_signer(skey).verifier().key
    assert new_cosignature_verifier(note_vkey) == verifier
    # A cosignature-form signer key is read too.
    cosig_form_skey = (
        f"PRIVATE+KEY+witness.example/w1+{signer.key_id:08x}+" + base64.b64encode(b"\x04" + typed_private[1:]).decode()
    )
    assert new_cosignature_signer(cosig_form_skey).key_id == signer.key_id
    # But a note verifier refuses a cosignature key.
    with pytest.raises(NoteError, match="cosigner key"):
        new_verifier(vkey)


def test_sm2_cosignatures():
    skey, vkey = generate_cosigner_key("witness.gm.example/w1", suite=SM3_SM2)
    signer, verifier = new_cosignature_signer(skey), new_cosignature_verifier(vkey)
    assert base64.b64decode(vkey.split("+", 2)[2]).startswith(b"\xffhuhang/sm2-cosignature/v1")
    body = format_checkpoint(Checkpoint("gm.example/log", 2, root_hash([b"a", b"b"], suite=SM3_SM2)), suite=SM3_SM2)
    line = signer.sign(body, timestamp=1700000000)
    assert len(line.signature) == 8 + 64
    assert verifier.verify(body.encode(), line.signature)
    assert not verifier.verify(body.replace("\n2\n", "\n3\n").encode(), line.signature)


@pytest.mark.parametrize("timestamp", [-1, 1 << 63, 1.5, "1700000000", None])
def test_bad_timestamps(timestamp):
    with pytest.raises(NoteError, match="timestamp"):
        CosignatureSigner("w", SEED).sign(BODY, timestamp=timestamp)


def test_only_checkpoints_are_cosigned():
    with pytest.raises(CheckpointError):
        CosignatureSigner("w", SEED).sign("free text\n", timestamp=1)


def test_bad_keys():
    with pytest.raises(NoteError):
        CosignatureSigner("bad name", SEED)
    with pytest.raises(NoteError):
        CosignatureSigner("w", SEED[:31])
    with pytest.raises(NoteError):
        CosignatureVerifier.from_public_key("w", b"\x00" * 31)
    with pytest.raises(NoteError):
        new_cosignature_verifier("w+00000000+BQ==")
    wrong_id = "PRIVATE+KEY+w+00000000+" + base64.b64encode(b"\x01" + SEED).decode()
    with pytest.raises(NoteError, match="key ID"):
        new_cosignature_signer(wrong_id)
    assert "AAECAw" not in repr(CosignatureSigner("w", SEED))


def test_timestamp_of_a_short_signature():
    with pytest.raises(NoteError, match="too short"):
        cosignature_timestamp(NoteSignature("w", 1, b"\x00" * 7))
