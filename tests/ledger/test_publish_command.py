"""The platform's witness settings and the ``huhang witness`` command: init, evidence, publish-once."""

import json
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from huhang.evidence import ledger_service, witnesses
from huhang.ledger.cosignature import generate_cosigner_key, new_cosignature_verifier
from huhang.ledger.errors import LedgerError
from huhang.ledger.publisher import open_cosigned_checkpoint
from huhang.ledger.store import SqlStore
from huhang.ledger.witness import ForkError
from tests.ledger.test_witness_support import LogKey, serve, signed_log, sqlite_url

LEDGER_ORIGIN = "test.huhang.example/evidence"  # the evidence tests' log: one log per test database


def witness_config(name: str, url: str, key: str) -> dict:
    return {"name": name, "url": url, "key": key}


def test_no_witnesses_by_default_and_the_quorum_is_all_of_them(settings):
    settings.HUHANG_LEDGER_WITNESSES = "[]"
    settings.HUHANG_LEDGER_QUORUM = None
    assert witnesses.configured_witnesses() == []
    keys = [generate_cosigner_key(f"w{i}.example/w")[1] for i in range(3)]
    settings.HUHANG_LEDGER_WITNESSES = json.dumps(
        [witness_config(f"w{i}.example/w", f"https://w{i}.example/", key) for i, key in enumerate(keys)]
    )
    configured = witnesses.configured_witnesses()
    assert [w.url for w in configured] == ["https://w0.example", "https://w1.example", "https://w2.example"]
    assert configured[1].verifier == new_cosignature_verifier(keys[1])
    assert witnesses.configured_quorum(configured) == 3
    settings.HUHANG_LEDGER_QUORUM = 2
    assert witnesses.configured_quorum(configured) == 2
    settings.HUHANG_LEDGER_QUORUM = 4
    with pytest.raises(ImproperlyConfigured, match="QUORUM"):
        witnesses.configured_quorum(configured)


@pytest.mark.parametrize(
    "value",
    [
        "not json",
        '{"name": "w"}',
        '[{"name": "w.example/w", "url": "https://w.example"}]',
        '[{"name": "w.example/w", "url": "https://w.example", "key": "garbage"}]',
    ],
)
def test_malformed_witness_settings_are_refused_clearly(settings, value):
    settings.HUHANG_LEDGER_WITNESSES = value
    with pytest.raises(ImproperlyConfigured, match="HUHANG_LEDGER_WITNESSES"):
        witnesses.configured_witnesses()


def test_a_witness_twice_or_under_another_name_is_refused(settings):
    key = generate_cosigner_key("w.example/w")[1]
    settings.HUHANG_LEDGER_WITNESSES = [witness_config("w.example/w", "https://w.example", key)] * 2
    with pytest.raises(ImproperlyConfigured, match="twice"):
        witnesses.configured_witnesses()
    settings.HUHANG_LEDGER_WITNESSES = [witness_config("other.example/w", "https://w.example", key)]
    with pytest.raises(ImproperlyConfigured, match="named"):
        witnesses.configured_witnesses()


def test_init_creates_the_key_beside_the_database_once(tmp_path):
    db = tmp_path / "witness.sqlite3"
    out = StringIO()
    call_command(
        "witness", "init", "--name", "witness.court.example/w1", "--db", str(db), stdout=out, stderr=StringIO()
    )
    verifier = new_cosignature_verifier(out.getvalue().strip())
    assert verifier.name == "witness.court.example/w1"
    key_file = tmp_path / "witness.sqlite3.key"
    assert key_file.stat().st_mode & 0o777 == 0o600 and db.exists()
    with pytest.raises(CommandError, match="exists already"):
        call_command("witness", "init", "--name", "witness.court.example/w1", "--db", str(db), stderr=StringIO())
    with pytest.raises(CommandError, match="key name"):
        call_command("witness", "init", "--name", "bad name", "--db", str(tmp_path / "x.sqlite3"), stderr=StringIO())


def test_a_witness_opens_with_its_key_and_the_logs_it_follows(tmp_path, origin_prefix):
    db = str(tmp_path / "witness.sqlite3")
    with pytest.raises(LedgerError, match="witness init"):
        witnesses.witness_open(db=db, log_keys=[])
    verifier_key, _ = witnesses.witness_init(name="witness.court.example/w1", db=db)
    with pytest.raises(LedgerError, match="--log-key"):
        witnesses.witness_open(db=db, log_keys=[])
    log_key = LogKey.new(f"{origin_prefix}/evidence")
    witness = witnesses.witness_open(db=db, log_keys=[log_key.verifier.key])
    assert witness.verifiers[0].key == verifier_key and list(witness.known_logs) == [log_key.verifier.name]
    assert witnesses.witness_app(witness, prefix="/w").path == "/w/add-checkpoint"
    witness.store.close()


def test_evidence_prints_each_recorded_fork_as_json(tmp_path, origin_prefix):
    db = str(tmp_path / "witness.sqlite3")
    witnesses.witness_init(name="witness.court.example/w1", db=db)
    key = LogKey.new(f"{origin_prefix}/evidence")
    witness = witnesses.witness_open(db=db, log_keys=[key.verifier.key])
    view_a = signed_log(sqlite_url(tmp_path / "a.sqlite3"), key.verifier.name, key)
    view_b = signed_log(sqlite_url(tmp_path / "b.sqlite3"), key.verifier.name, key)
    witness.add_checkpoint(0, [], view_a.append([b"a"]).checkpoint.note)
    with pytest.raises(ForkError):
        witness.add_checkpoint(1, [], view_b.append([b"b"]).checkpoint.note)
    out = StringIO()
    call_command("witness", "evidence", "--db", db, stdout=out)
    (line,) = out.getvalue().splitlines()
    record = json.loads(line)
    assert record["kind"] == "fork" and record["origin"] == key.verifier.name
    assert record["witnessed_checkpoint"] == view_a.latest_checkpoint().note
    assert record["submitted_checkpoint"] == view_b.latest_checkpoint().note
    for closable in (witness.store, view_a.store, view_b.store):
        closable.close()


@pytest.fixture
def platform_log(transactional_db):
    """The instance's log in the test database (created on first use, shared with the evidence tests)."""
    ledger_service.ledger_reset_for_tests()
    store = SqlStore(ledger_service.database_url())
    try:
        record = store.find_log()
    finally:
        store.close()
    if record is None:
        ledger_service.ledger_init(origin=LEDGER_ORIGIN)
    yield ledger_service.open_log()
    ledger_service.ledger_reset_for_tests()


def test_publish_once_gets_the_platform_checkpoint_cosigned(platform_log, settings, tmp_path):
    db = str(tmp_path / "witness.sqlite3")
    verifier_key, _ = witnesses.witness_init(name="witness.court.example/w1", db=db)
    witness = witnesses.witness_open(db=db, log_keys=[platform_log.record.verifier_key])
    ledger_service.ledger_append(b"an event to publish")
    with serve(witnesses.witness_app(witness)) as url:
        settings.HUHANG_LEDGER_WITNESSES = json.dumps([witness_config("witness.court.example/w1", url, verifier_key)])
        settings.HUHANG_LEDGER_QUORUM = None
        out = StringIO()
        call_command("witness", "publish-once", stdout=out, stderr=StringIO())
    size = platform_log.latest_checkpoint().size
    checkpoint, _, names = open_cosigned_checkpoint(
        out.getvalue(), ledger_service.verifier(), [new_cosignature_verifier(verifier_key)], 1
    )
    assert checkpoint.size == size and names == ("witness.court.example/w1",)
    assert platform_log.store.latest_publication(platform_log.record.id) == (size, out.getvalue())

    ledger_service.ledger_append(b"another event")
    settings.HUHANG_LEDGER_WITNESSES = json.dumps(
        [witness_config("witness.court.example/w1", "http://127.0.0.1:9", verifier_key)]
    )
    err = StringIO()
    with pytest.raises(CommandError, match="not published"):
        call_command("witness", "publish-once", stdout=StringIO(), stderr=err)
    assert "cannot reach" in err.getvalue()
    witness.store.close()
