"""Receipts carry the TSA's RFC 3161 token of their checkpoint, and every verifier checks it (local openssl TSA)."""

import base64
import io
import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from huhang.evidence import timestamps
from huhang.evidence.receipts import evidence_receipt
from huhang.ledger.cosignature import generate_cosigner_key
from huhang.ledger.receipt import MESSAGES, ReceiptError, verify_receipt
from huhang.ledger.timestamp import verify_timestamp
from tests.evidence.test_receipts import _publish_cosigned
from tests.evidence.test_verify_command import huhang_verify
from tests.ledger.tsa_support import flip, signature_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def tsa_settings(settings, tsa):
    settings.HUHANG_LEDGER_TSA_URL = tsa.url
    settings.HUHANG_LEDGER_TSA_HASH = "sha256"
    settings.HUHANG_LEDGER_WITNESSES = "[]"
    return settings


def _command(*args) -> str:
    out = io.StringIO()
    with translation.override("en"):  # the messages' source text, whatever the catalogue says
        call_command("timestamp", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _fails(receipt, ledger, code, **kwargs) -> ReceiptError:
    with pytest.raises(ReceiptError) as info:
        verify_receipt(receipt, verifier_key=ledger.record.verifier_key, **kwargs)
    assert info.value.code == code, str(info.value)
    assert str(info.value) == MESSAGES[code].format(**info.value.params)
    return info.value


def test_receipt_carries_the_token_of_its_checkpoint_and_it_verifies(submit, ledger, pki, tsa):
    data = b"%PDF-1.4 time-stamped evidence"
    evidence = submit(data)
    assert "timestamp" not in evidence_receipt(evidence).receipt, "not time-stamped yet"
    result = timestamps.ledger_timestamp_once()
    assert result.created and result.size == ledger.size
    made = evidence_receipt(evidence)
    stamp = made.receipt["timestamp"]
    assert set(stamp) == {"token", "tsa_url", "gen_time"}
    assert stamp["tsa_url"] == tsa.url and stamp["gen_time"] == result.timestamp.gen_time
    assert base64.b64decode(stamp["token"]) == ledger.timestamp(made.tree_size).token
    note = made.receipt["proof"].partition("\n\n")[2]
    assert note == ledger.latest_checkpoint().note
    verify_timestamp(base64.b64decode(stamp["token"]), note.encode(), trusted_roots=[pki.pem("root")])

    key = ledger.record.verifier_key
    plain = verify_receipt(made.json_bytes(), verifier_key=key, file_bytes=data)
    assert plain.timestamp is not None and not plain.timestamp_anchored
    assert plain.timestamp.gen_time.isoformat().replace("+00:00", "Z") == stamp["gen_time"]
    anchored = verify_receipt(
        made.json_bytes(), verifier_key=key, tsa_certificates=[pki.pem("tsa_rsa")], trusted_roots=[pki.pem("root")]
    )
    assert anchored.timestamp_anchored and "护航测试时间戳服务 RSA" in anchored.timestamp.tsa_name


def test_a_receipt_of_an_unstamped_checkpoint_has_no_token(submit, ledger, pki):
    first = submit(b"first")
    assert timestamps.ledger_timestamp_once().created
    second = submit(b"second")  # a new checkpoint, not time-stamped yet
    for evidence in (first, second):
        receipt = evidence_receipt(evidence).receipt
        assert "timestamp" not in receipt
        assert verify_receipt(receipt, verifier_key=ledger.record.verifier_key).timestamp is None
    _fails(evidence_receipt(second).receipt, ledger, "no_timestamp", require_timestamp=True)
    assert timestamps.ledger_timestamp_once().created
    assert "timestamp" in evidence_receipt(first).receipt


def test_an_altered_token_is_rejected(submit, ledger, pki):
    evidence = submit(b"tampering")
    timestamps.ledger_timestamp_once()
    receipt = evidence_receipt(evidence).receipt
    token = base64.b64decode(receipt["timestamp"]["token"])

    def with_token(der: bytes) -> dict:
        changed = json.loads(json.dumps(receipt))
        changed["timestamp"]["token"] = base64.b64encode(der).decode()
        return changed

    error = _fails(with_token(flip(token, signature_of(token))), ledger, "bad_timestamp")
    assert "the token's signature does not verify" in str(error)
    digest = verify_timestamp(token, receipt["proof"].partition("\n\n")[2].encode()).digest
    error = _fails(with_token(flip(token, digest)), ledger, "bad_timestamp")
    assert "the token was altered" in str(error)
    _fails(with_token(token[:-10]), ledger, "bad_timestamp")
    for member in ("not an object", {"token": "not base64!"}, {"tsa_url": "x"}):
        changed = dict(receipt, timestamp=member)
        assert _fails(changed, ledger, "missing_field").params == {"field": "timestamp"}
    changed = json.loads(json.dumps(receipt))
    changed["timestamp"]["gen_time"] = "2020-01-01T00:00:00Z"  # a receipt claiming an earlier time
    error = _fails(changed, ledger, "timestamp_inconsistent")
    assert "2020-01-01T00:00:00Z" in str(error) and receipt["timestamp"]["gen_time"] in str(error)


def test_a_token_of_another_checkpoint_is_rejected(submit, ledger):
    first = submit(b"one")
    timestamps.ledger_timestamp_once()
    older = evidence_receipt(first).receipt
    second = submit(b"two")
    timestamps.ledger_timestamp_once()
    newer = evidence_receipt(second).receipt
    assert older["checkpoint"]["size"] < newer["checkpoint"]["size"]
    swapped = dict(older, timestamp=newer["timestamp"])
    error = _fails(swapped, ledger, "timestamp_mismatch")
    assert f"not for its checkpoint of size {older['checkpoint']['size']}" in str(error)
    assert "time-stamps other data" in str(error)


def test_a_token_of_another_tsa_is_rejected_when_the_tsa_is_given(submit, ledger, pki):
    evidence = submit(b"which TSA")
    timestamps.ledger_timestamp_once()
    receipt = evidence_receipt(evidence).receipt
    error = _fails(receipt, ledger, "bad_timestamp", tsa_certificates=[pki.pem("tsa_ec")])
    assert "not signed by any of the given TSA certificates" in str(error)
    error = _fails(receipt, ledger, "bad_timestamp", trusted_roots=[pki.pem("stranger")])
    assert "does not chain to a trusted root" in str(error)


def test_huhang_verify_checks_the_token_offline(submit, ledger, pki, tmp_path):
    data = b"%PDF-1.4 offline and time-stamped"
    evidence = submit(data)
    (tmp_path / "plain.json").write_bytes(evidence_receipt(evidence).json_bytes())
    timestamps.ledger_timestamp_once()
    receipt = tmp_path / "receipt.json"
    receipt.write_bytes(evidence_receipt(evidence).json_bytes())
    for name in ("tsa_rsa", "tsa_ec", "root", "stranger"):
        (tmp_path / f"{name}.pem").write_bytes(pki.pem(name))
    key = ledger.record.verifier_key

    result = huhang_verify(tmp_path, receipt, "--key", key)
    assert result.returncode == 0, result.stderr
    assert "time-stamped (RFC 3161) at" in result.stdout and "with the certificate it carries only" in result.stdout
    result = huhang_verify(tmp_path, receipt, "--key", key, "--tsa-cert", tmp_path / "tsa_rsa.pem")
    assert result.returncode == 0, result.stderr
    assert "护航测试时间戳服务 RSA" in result.stdout and "checked against --tsa-cert" in result.stdout
    result = huhang_verify(
        tmp_path, receipt, "--key", key, "--tsa-root", tmp_path / "stranger.pem", "--tsa-root", tmp_path / "root.pem"
    )
    assert result.returncode == 0 and "checked against --tsa-root" in result.stdout, result.stderr

    result = huhang_verify(tmp_path, receipt, "--key", key, "--tsa-root", tmp_path / "stranger.pem")
    assert result.returncode == 1 and "does not chain to a trusted root" in result.stderr
    result = huhang_verify(tmp_path, receipt, "--key", key, "--tsa-cert", tmp_path / "tsa_ec.pem")
    assert result.returncode == 1 and "not signed by any of the given TSA certificates" in result.stderr
    result = huhang_verify(tmp_path, tmp_path / "plain.json", "--key", key, "--tsa-cert", tmp_path / "tsa_rsa.pem")
    assert result.returncode == 1 and "carries no RFC 3161 time-stamp" in result.stderr

    tampered = json.loads(receipt.read_text())
    token = base64.b64decode(tampered["timestamp"]["token"])
    tampered["timestamp"]["token"] = base64.b64encode(flip(token, signature_of(token))).decode()
    (tmp_path / "tampered.json").write_text(json.dumps(tampered))
    result = huhang_verify(tmp_path, tmp_path / "tampered.json", "--key", key)
    assert result.returncode == 1 and "time-stamp does not verify" in result.stderr

    (tmp_path / "junk.pem").write_bytes(b"not a certificate")
    result = huhang_verify(tmp_path, receipt, "--key", key, "--tsa-cert", tmp_path / "junk.pem")
    assert result.returncode == 2 and "not a certificate" in result.stderr


def test_the_verification_page_shows_the_tsa_time(client, submit, ledger, settings):
    evidence = submit(b"%PDF-1.4 page")
    timestamps.ledger_timestamp_once()
    receipt = evidence_receipt(evidence).json_bytes()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post("/verify/", {"evidence": str(evidence.pk)}).content.decode()
    assert "Verified." in page and "Time-stamped at" in page and "护航测试时间戳服务 RSA" in page
    page = client.post("/verify/", {"receipt": SimpleUploadedFile("r.json", receipt)}).content.decode()
    assert "Time-stamped at" in page

    older = json.loads(receipt)
    submit(b"%PDF-1.4 a later entry")
    timestamps.ledger_timestamp_once()
    newer = json.loads(evidence_receipt(evidence).json_bytes())
    older["timestamp"] = newer["timestamp"]
    page = client.post("/verify/", {"receipt": SimpleUploadedFile("r.json", json.dumps(older).encode())})
    text = page.content.decode()
    assert "Not verified." in text and "time-stamp is not for its checkpoint" in text


def test_with_witnesses_the_published_note_is_time_stamped(submit, ledger, settings, pki):
    witness_key, witness_vkey = generate_cosigner_key("witness.court.example")
    evidence = submit(b"cosigned and time-stamped")
    size = _publish_cosigned(ledger, witness_key)
    settings.HUHANG_LEDGER_WITNESSES = json.dumps(
        [{"name": "witness.court.example", "url": "http://127.0.0.1:9", "key": witness_vkey}]
    )
    assert timestamps.timestamp_source() == "publication"
    result = timestamps.ledger_timestamp_once()
    assert result.created and result.size == size
    made = evidence_receipt(evidence)
    assert made.cosignatures == 1 and "timestamp" in made.receipt
    verify_timestamp(ledger.timestamp(size).token, ledger.publication(size).encode())
    verified = verify_receipt(
        made.receipt,
        verifier_key=ledger.record.verifier_key,
        witness_keys=[witness_vkey],
        quorum=1,
        trusted_roots=[pki.pem("root")],
    )
    assert verified.cosigners == ("witness.court.example",) and verified.timestamp_anchored
    assert "Covers: the published (cosigned) checkpoint" in _command("show", "--size", str(size))


def test_a_token_of_the_signed_note_is_left_out_of_a_receipt_of_the_cosigned_one(submit, ledger):
    evidence = submit(b"stamped before it was published")
    assert timestamps.ledger_timestamp_once().created  # no witnesses: the signed checkpoint
    witness_key, _ = generate_cosigner_key("witness.court.example")
    size = _publish_cosigned(ledger, witness_key)
    made = evidence_receipt(evidence)
    assert made.tree_size == size and made.cosignatures == 1
    assert ledger.timestamp(size) is not None and "timestamp" not in made.receipt
    assert "Covers: the signed checkpoint" in _command("show")


def test_timestamp_once_and_show(submit, ledger, tsa, tmp_path):
    submit(b"the command")
    out = _command("once")
    size = ledger.size
    assert out.startswith(f"Checkpoint {size} time-stamped at ") and tsa.url in out
    assert "was time-stamped already" in _command("once")
    stored = ledger.timestamp(size)
    shown = _command("show", "--out", str(tmp_path / "token.der"))
    assert shown == _command("show", "--size", str(size))
    fields = dict(line.split(": ", 1) for line in shown.splitlines() if ": " in line)
    token = verify_timestamp(stored.token, ledger.checkpoint(size).note.encode())
    assert fields["Checkpoint"] == str(size)
    assert fields["Time (from the TSA)"] == stored.gen_time
    assert "护航测试时间戳服务 RSA" in fields["TSA"]
    assert fields["Serial number"].startswith(f"{token.serial_number} ")
    assert fields["Covers"] == "the signed checkpoint"
    assert shown.splitlines()[-1] == base64.b64encode(stored.token).decode()
    assert (tmp_path / "token.der").read_bytes() == stored.token
    with pytest.raises(CommandError, match="has no time-stamp"):
        _command("show", "--size", str(size + 1000))


def test_timestamp_once_reports_a_tsa_that_is_down(submit, ledger, tsa, settings):
    submit(b"TSA down")
    tsa.mode = "http_error"
    with pytest.raises(CommandError, match=r"was not time-stamped: TSA .* answered HTTP 500"):
        _command("once")
    assert ledger.timestamp(ledger.size) is None
    tsa.mode = "ok"
    assert "time-stamped at" in _command("once")
    settings.HUHANG_LEDGER_TSA_URL = ""
    with pytest.raises(CommandError, match="HUHANG_LEDGER_TSA_URL is not set"):
        _command("once")


def test_serve_starts_a_background_timestamper(submit, ledger, settings):
    from huhang.site.management.commands.serve import Command

    submit(b"served")
    settings.HUHANG_LEDGER_TSA_INTERVAL = 1
    command = Command(stdout=io.StringIO(), stderr=io.StringIO())
    with translation.override("en"):
        timestamper = command._start_timestamper()
    try:
        deadline = time.monotonic() + 20
        while ledger.timestamp(ledger.size) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ledger.timestamp(ledger.size) is not None
        assert "time-stamping checkpoints with" in command.stdout._out.getvalue()
    finally:
        timestamper.close()
    settings.HUHANG_LEDGER_TSA_URL = ""
    assert command._start_timestamper() is None


def test_bad_tsa_settings_are_reported_at_start(settings):
    from huhang.evidence.system_checks import timestamp_settings

    assert timestamp_settings(None) == []
    settings.HUHANG_LEDGER_TSA_URL = "ftp://tsa.example/"
    settings.HUHANG_LEDGER_TSA_HASH = "md5"
    settings.HUHANG_LEDGER_TSA_INTERVAL = 0
    assert [e.id for e in timestamp_settings(None)] == [
        "huhang.evidence.E003",
        "huhang.evidence.E004",
        "huhang.evidence.E005",
    ]
    settings.HUHANG_LEDGER_TSA_URL = ""
    assert timestamp_settings(None) == []
