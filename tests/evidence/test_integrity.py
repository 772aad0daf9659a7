"""Attacks on what is stored: a modified database row, a replaced or missing file, an entry without a row."""

import json
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from huhang.evidence import checks, ledger_service
from huhang.evidence.leaf import evidence_leaf
from huhang.evidence.models import Evidence, LedgerEvent
from huhang.evidence.receipts import evidence_receipt
from huhang.evidence.services import _now, ledger_record_event
from huhang.ledger.receipt import ReceiptError, verify_receipt

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _english():
    """The checks' messages are asserted in English (the commands speak the active language)."""
    with translation.override("en"):
        yield


def _check_output(since):
    from io import StringIO

    out = StringIO()
    try:
        call_command("evidence", "check", "--since", str(since), stdout=out)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), None


def test_a_clean_store_passes_the_check(submit, ledger_start):
    submit(b"one")
    submit(b"two")
    output, error = _check_output(ledger_start)
    assert error is None and "every evidence row agrees" in output


def test_modified_row_is_detected_by_the_check_and_the_detail_page(submit, ledger_start, client, owner):
    evidence = submit(b"original content")
    forged = "0" * 64
    Evidence.objects.filter(pk=evidence.pk).update(sha256=forged)  # behind the application's back
    output, error = _check_output(ledger_start)
    assert error == "1 problems found"
    assert (
        f"evidence/{evidence.pk}: sha256 in the database is {forged}, but the ledger recorded {evidence.sha256}"
        in output
    )
    client.force_login(owner)
    page = client.get(f"/evidence/{evidence.pk}/").content.decode()
    assert 'class="integrity bad"' in page and forged in page and evidence.sha256 in page


def test_modified_leaf_in_the_row_is_detected(submit, ledger):
    evidence = submit(b"content")
    leaf = json.loads(bytes(evidence.leaf))
    leaf["title"] = "改过的标题"
    Evidence.objects.filter(pk=evidence.pk).update(
        leaf=json.dumps(leaf, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(), title="改过的标题"
    )
    problems = [str(p) for p in checks.evidence_check_rows()]
    assert any("differs from ledger entry" in p for p in problems)
    assert any("title in the database is 改过的标题" in p for p in problems)


def test_replaced_file_is_reported_and_fails_verification(submit, ledger, evidence_dir):
    original = b"the genuine contract\n"
    evidence = submit(original)
    path = evidence_dir / evidence.storage_key
    os.chmod(path, 0o640)
    path.write_bytes(b"a forged contract\n")
    problems = checks.evidence_check_files()
    assert [p.subject for p in problems] == [f"evidence/{evidence.pk}"]
    assert "was replaced" in problems[0].message
    receipt = evidence_receipt(evidence).json_bytes()
    with pytest.raises(ReceiptError) as info:
        verify_receipt(receipt, verifier_key=ledger.record.verifier_key, file_bytes=path.read_bytes())
    assert info.value.code == "file_mismatch"
    verify_receipt(receipt, verifier_key=ledger.record.verifier_key, file_bytes=original)


def test_missing_file_is_reported(submit, ledger_start, evidence_dir):
    evidence = submit(b"soon gone")
    (evidence_dir / evidence.storage_key).unlink()
    output, error = _check_output(ledger_start)
    assert error and "its file is missing from the store" in output


def test_entry_without_a_row_is_reported_and_recovered(ledger_start, owner, holder):
    """The process died after the append and before the insert: the leaf holds all the row needs."""
    leaf = evidence_leaf(
        id="2b7d1f44-5a7e-4b8a-9d55-0c1d7f0a0b01",
        holder_name=holder.name,
        holder_id=holder.uscc,
        kind="contract",
        title="合同",
        description="",
        submitted_by=f"user/{owner.pk}",
        time=_now(),
        mode="hash",
        sha256="ef" * 32,
        size=None,
        media_type=None,
    )
    index = ledger_service.ledger_append(leaf).index
    event = ledger_record_event(actor=owner, kind="case.opened", subject="case/9")
    LedgerEvent.objects.all()._raw_delete("default")  # lose the event's row too
    output, error = _check_output(ledger_start)
    assert error == "2 problems found"
    assert f"entry/{index}: huhang/evidence 2b7d1f44-5a7e-4b8a-9d55-0c1d7f0a0b01 has no row" in output
    assert f"entry/{event.ledger_index}: huhang/event" in output
    call_command("evidence", "recover", "--since", str(ledger_start), stdout=open(os.devnull, "w"))  # noqa: SIM115
    recovered = Evidence.objects.get(pk="2b7d1f44-5a7e-4b8a-9d55-0c1d7f0a0b01")
    assert recovered.ledger_index == index and recovered.submitted_by == owner and recovered.holder == holder
    assert recovered.checkpoint_size == index + 1, "the checkpoint that committed the entry, its batch of one"
    assert LedgerEvent.objects.get().ledger_index == event.ledger_index
    assert LedgerEvent.objects.get().checkpoint_size == event.checkpoint_size
    assert _check_output(ledger_start)[1] is None


def test_a_recovered_file_entry_names_its_stored_file_and_its_checkpoint(submit, ledger_start):
    evidence = submit(b"kept in the store, its row lost")
    Evidence.objects.all()._raw_delete("default")
    call_command("evidence", "recover", "--since", str(ledger_start), stdout=open(os.devnull, "w"))  # noqa: SIM115
    recovered = Evidence.objects.get(pk=evidence.pk)
    assert (recovered.mode, recovered.storage_key, recovered.sha256) == ("file", evidence.storage_key, evidence.sha256)
    assert (recovered.ledger_index, recovered.checkpoint_size) == (evidence.ledger_index, evidence.checkpoint_size)
    assert checks.evidence_file_problems(recovered) == []
