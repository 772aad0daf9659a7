"""``huhang verify`` checks a receipt with no database, no server and no network; it exits non-zero with the reason."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from huhang.evidence.receipts import evidence_receipt

pytestmark = pytest.mark.django_db(transaction=True)
SRC = Path(__file__).resolve().parents[2] / "src"


def _offline(tmp_path):
    """Run in an isolated network namespace when the machine allows it, else as is."""
    if shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0:
        return ["unshare", "-rn"]
    return []


def huhang_verify(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HUHANG_", "DATABASE_"))}
    env.update(
        DATABASE_URL="sqlite:////nonexistent/dir/x.db",  # any database access would fail
        HUHANG_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(SRC),
        http_proxy="http://127.0.0.1:9",
        https_proxy="http://127.0.0.1:9",
    )
    workdir = tmp_path / "cwd"
    workdir.mkdir(exist_ok=True)
    result = subprocess.run(
        [*_offline(tmp_path), sys.executable, "-m", "huhang", "verify", *map(str, args)],
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert not (tmp_path / "data").exists() and not any(workdir.iterdir()), "verify must create nothing"
    return result


@pytest.fixture
def receipt_file(submit, tmp_path):
    data = b"%PDF-1.4 offline\n"
    evidence = submit(data)
    (tmp_path / "file.pdf").write_bytes(data)
    path = tmp_path / "receipt.json"
    path.write_bytes(evidence_receipt(evidence).json_bytes())
    return path


def test_verifies_offline_without_a_database(tmp_path, receipt_file, ledger):
    key = ledger.record.verifier_key
    result = huhang_verify(tmp_path, receipt_file, "--file", tmp_path / "file.pdf", "--key", key)
    assert result.returncode == 0, result.stderr
    assert "OK: entry" in result.stdout and "is the preserved file" in result.stdout
    assert not Path("/nonexistent/dir/x.db").exists()
    key_file = tmp_path / "log.vkey"
    key_file.write_text(key + "\n")
    assert huhang_verify(tmp_path, receipt_file, "--key", key_file).returncode == 0


def test_every_mismatch_exits_non_zero_with_the_reason(tmp_path, receipt_file, ledger):
    key = ledger.record.verifier_key
    (tmp_path / "other.pdf").write_bytes(b"not it")
    result = huhang_verify(tmp_path, receipt_file, "--file", tmp_path / "other.pdf", "--key", key)
    assert result.returncode != 0 and "this is not the preserved file" in result.stderr

    receipt = json.loads(receipt_file.read_text())
    head, _, note = receipt["proof"].partition("\n\n")
    receipt["proof"] = head.rsplit("\n", 1)[0] + "\n\n" + note if head.count("\n") > 1 else head + "\nAAAA\n\n" + note
    bad = tmp_path / "truncated.json"
    bad.write_text(json.dumps(receipt))
    result = huhang_verify(tmp_path, bad, "--key", key)
    assert result.returncode != 0 and "receipt does not verify" in result.stderr

    from huhang.ledger import generate_key

    result = huhang_verify(tmp_path, receipt_file, "--key", generate_key("another.example/log")[1])
    assert result.returncode != 0 and "from the log" in result.stderr
    result = huhang_verify(tmp_path, receipt_file, "--key", generate_key(ledger.origin)[1])
    assert result.returncode != 0 and "not the key given" in result.stderr
    result = huhang_verify(tmp_path, tmp_path / "missing.json", "--key", key)
    assert result.returncode != 0 and "cannot read the receipt" in result.stderr
    result = huhang_verify(tmp_path, receipt_file, "--key", key, "--quorum", "1")
    assert result.returncode != 0 and "--quorum 1 needs" in result.stderr
