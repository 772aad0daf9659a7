"""The write paths: submit a file, submit a hash, record an event. Bad input leaves nothing behind."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation

from huhang.evidence import services
from huhang.evidence.leaf import parse_leaf
from huhang.evidence.models import Evidence, InsertOnlyError, LedgerEvent
from huhang.evidence.storage import evidence_store
from tests.evidence.conftest import PNG, sha256, upload

pytestmark = pytest.mark.django_db(transaction=True)


def _nothing_written(ledger, size_before, evidence_dir):
    assert Evidence.objects.count() == 0
    assert ledger.size == size_before
    assert not list(evidence_store().keys())


def test_submit_stores_by_hash_and_appends_the_leaf(submit, ledger, owner, holder, evidence_dir):
    data = b"%PDF-1.4 evidence of prior art\n"
    evidence = submit(data)
    assert evidence.sha256 == sha256(data) and evidence.size == len(data)
    assert evidence.storage_key == f"{evidence.sha256[:2]}/{evidence.sha256[2:4]}/{evidence.sha256}"
    assert (evidence_dir / evidence.storage_key).read_bytes() == data
    assert ledger.entry(evidence.ledger_index) == bytes(evidence.leaf)
    fields = parse_leaf(bytes(evidence.leaf))
    assert fields["holder"] == {"name": holder.name, "id": holder.uscc}
    assert fields["submitted_by"] == f"user/{owner.pk}" and fields["id"] == str(evidence.pk)
    assert evidence.submitted_by == owner and evidence.checkpoint_size > evidence.ledger_index
    assert not list((evidence_dir / "incoming").iterdir())  # no temporary file left


def test_same_content_is_stored_once(submit, evidence_dir):
    first, second = submit(b"same bytes"), submit(b"same bytes")
    assert first.storage_key == second.storage_key and first.ledger_index != second.ledger_index
    assert len(list(evidence_store().keys())) == 1


def test_png_named_pdf_is_recorded_as_png(submit):
    assert submit(PNG, name="contract.pdf").media_type == "image/png"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/abs/path/报告.pdf", "报告.pdf"),
        ("evil\x00name\n.txt", "evilname.txt"),
        ("...", ""),
    ],
    ids=["dotdot", "backslashes", "absolute", "control-chars", "only-dots"],
)
def test_file_names_are_never_paths(submit, evidence_dir, name, shown):
    evidence = submit(b"content of " + name.encode(), name=name)
    assert evidence.original_name == shown
    stored = [p for p in evidence_dir.rglob("*") if p.is_file()]
    assert stored == [evidence_dir / evidence.storage_key]


def test_upload_over_the_limit_is_refused_and_leaves_nothing(submit, ledger, settings, evidence_dir):
    settings.HUHANG_EVIDENCE_MAX_BYTES = 1000
    before = ledger.size
    with pytest.raises(ValidationError) as info:
        submit(b"x" * 1001)
    assert "file" in info.value.message_dict
    _nothing_written(ledger, before, evidence_dir)
    assert not list((evidence_dir / "incoming").glob("*")) if (evidence_dir / "incoming").exists() else True


def test_size_limit_holds_even_when_the_declared_size_lies(ledger, owner, holder, settings, evidence_dir):
    settings.HUHANG_EVIDENCE_MAX_BYTES = 1000
    liar = upload(b"y" * 5000)
    liar.size = 10
    with pytest.raises(ValidationError):
        services.evidence_submit(actor=owner, holder=holder, kind="document", title="t", upload=liar)
    assert not list(evidence_store().keys())
    assert not list((evidence_dir / "incoming").iterdir())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "painting"}, "kind"),
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": "bell\x07"}, "description"),
        ({"holder": None}, "holder"),
    ],
    ids=["kind", "blank-title", "long-title", "control-char", "no-holder"],
)
def test_bad_fields_are_refused_before_anything_is_written(submit, ledger, evidence_dir, overrides, field):
    before = ledger.size
    with pytest.raises(ValidationError) as info:
        submit(**overrides)
    assert field in info.value.message_dict
    _nothing_written(ledger, before, evidence_dir)


def test_empty_file_is_refused(submit, ledger, evidence_dir):
    with translation.override("en"), pytest.raises(ValidationError, match="empty"):
        submit(b"")


def test_only_the_holder_or_staff_may_submit(submit, ledger, stranger, judge, clerk, holder, evidence_dir):
    before = ledger.size
    for actor in (stranger, judge):
        with pytest.raises(PermissionDenied):
            submit(actor=actor)
    _nothing_written(ledger, before, evidence_dir)
    assert submit(actor=clerk).holder == holder  # the centre gathers evidence for any holder


def test_trade_secret_mode_never_stores_content(ledger, owner, holder, evidence_dir):
    secret = b"the recipe: 3 parts of ..."
    evidence = services.evidence_submit_hash(
        actor=owner, holder=holder, kind="source_code", title="配方", sha256=sha256(secret).upper()
    )
    assert evidence.mode == "hash" and evidence.sha256 == sha256(secret)
    assert evidence.storage_key == "" and evidence.size is None and evidence.media_type == ""
    assert not evidence_dir.exists() or not any(p.is_file() for p in evidence_dir.rglob("*"))
    fields = parse_leaf(bytes(evidence.leaf))
    assert fields["mode"] == "hash" and fields["size"] is None and fields["media_type"] is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sha256": "abc"}, "sha256"),
        ({"sha256": "g" * 64}, "sha256"),
        ({"sha256": services.EMPTY_SHA256}, "sha256"),
        ({"size": 0}, "size"),
        ({"size": True}, "size"),
        ({"media_type": "not a type"}, "media_type"),
    ],
    ids=["short", "not-hex", "empty-file", "zero-size", "bool-size", "media-type"],
)
def test_bad_hash_submissions_are_refused(ledger, owner, holder, overrides, field):
    before = ledger.size
    fields = {"sha256": "ab" * 32, **overrides}
    with pytest.raises(ValidationError) as info:
        services.evidence_submit_hash(actor=owner, holder=holder, kind="other", title="t", **fields)
    assert field in info.value.message_dict
    assert ledger.size == before and Evidence.objects.count() == 0


def test_individual_holders_resident_id_is_masked_in_the_leaf(ledger, clerk, make_holder):
    person = make_holder(kind="individual", name="张三")
    evidence = services.evidence_submit_hash(actor=clerk, holder=person, kind="image", title="照片", sha256="cd" * 32)
    holder_id = parse_leaf(bytes(evidence.leaf))["holder"]["id"]
    assert person.resident_id not in bytes(evidence.leaf).decode()
    assert holder_id[:6] == person.resident_id[:6] and holder_id[-4:] == person.resident_id[-4:] and "*" in holder_id


def test_rows_are_insert_only(submit):
    evidence = submit()
    evidence.title = "changed"
    with pytest.raises(InsertOnlyError):
        evidence.save()
    with pytest.raises(InsertOnlyError):
        evidence.delete()
    assert Evidence.objects.get().title == "现有技术证据"


def test_record_event(ledger, clerk):
    event = services.ledger_record_event(
        actor=clerk, kind="case.opened", subject="case/42", payload={"procedure": "patent_adjudication", "n": 3}
    )
    assert LedgerEvent.objects.get() == event
    fields = parse_leaf(ledger.entry(event.ledger_index))
    assert fields["type"] == "huhang/event" and fields["actor"] == f"user/{clerk.pk}"
    assert fields["payload"] == {"procedure": "patent_adjudication", "n": 3}
    system = services.ledger_record_event(actor=None, kind="service.delivered", subject="document/7")
    assert parse_leaf(bytes(system.leaf))["actor"] == "system" and system.ledger_index == event.ledger_index + 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "Case Opened"}, "kind"),
        ({"subject": "42"}, "subject"),
        ({"payload": {"fee": 1.5}}, "payload"),
        ({"payload": ["not", "an", "object"]}, "payload"),
    ],
    ids=["kind", "subject", "float", "list"],
)
def test_record_event_refuses_bad_input(ledger, clerk, overrides, field):
    before = ledger.size
    fields = {"kind": "case.opened", "subject": "case/1", "payload": {}, **overrides}
    with pytest.raises(ValidationError) as info:
        services.ledger_record_event(actor=clerk, **fields)
    assert field in info.value.message_dict
    assert ledger.size == before and LedgerEvent.objects.count() == 0


def test_record_event_refuses_to_run_inside_a_transaction(ledger, clerk):
    before = ledger.size
    with pytest.raises(services.LedgerInTransactionError), transaction.atomic():
        services.ledger_record_event(actor=clerk, kind="case.opened", subject="case/1")
    assert ledger.size == before


def test_store_computes_sm3_when_asked(tmp_path):
    from huhang.evidence.storage import LocalStore
    from huhang.ledger.suites import get_suite

    blob = LocalStore(tmp_path).put([b"part one, ", b"part two"], max_bytes=100, with_sm3=True)
    assert blob.sm3 == get_suite("sm3-sm2").hash(b"part one, part two").hex()
    assert blob.sha256 == sha256(b"part one, part two") and blob.created
    assert LocalStore(tmp_path).put([b"part one, part two"], max_bytes=100).created is False
