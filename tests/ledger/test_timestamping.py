"""The timestamper gets the log's checkpoints time-stamped by a TSA (the local ``openssl ts`` one) and keeps the tokens.

Runs on SQLite, and on the PostgreSQL of DATABASE_URL when the suite runs there (see conftest.store_url).
"""

import base64
import logging
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from huhang.ledger.store import TABLES, SqlStore, schema_statements
from huhang.ledger.timestamp import TimestampError, read_timestamp, verify_timestamp
from huhang.ledger.timestamping import Timestamper, format_gen_time, public_tsa_url
from tests.ledger.conftest import tamper

SRC = Path(__file__).resolve().parents[2] / "src"


def _note_bytes(log, size=None) -> bytes:
    checkpoint = log.latest_checkpoint() if size is None else log.checkpoint(size)
    return checkpoint.note.encode("utf-8")


def _wait_for(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting")
        time.sleep(0.02)


@pytest.fixture
def stamper(make_log, tsa):
    """Make a timestamper of a log (default: a new one) with the local TSA; closed at the end."""
    made = []

    def make(log=None, **options):
        options.setdefault("url", tsa.url)
        timestamper = Timestamper(log if log is not None else make_log(), **options)
        made.append(timestamper)
        return timestamper

    yield make
    for timestamper in made:
        timestamper.close()


@pytest.mark.parametrize("hash_name", ["sha256", "sm3"])
def test_the_latest_checkpoint_is_time_stamped_verified_and_stored(make_log, stamper, pki, tsa, hash_name):
    log = make_log()
    log.append([b"first", b"second"])
    before = datetime.now(UTC)
    result = stamper(log, hash_name=hash_name).timestamp_once()
    assert result.size == 2 and result.created and result.error is None
    stored = log.timestamp(2)
    assert stored == result.timestamp == log.latest_timestamp()
    assert stored.tsa_url == tsa.url
    token = verify_timestamp(stored.token, _note_bytes(log), trusted_roots=[pki.pem("root")])
    assert token.hash_name == hash_name
    assert stored.gen_time == format_gen_time(token.gen_time) and stored.gen_time.endswith("Z")
    assert before - timedelta(seconds=5) <= token.gen_time <= datetime.now(UTC) + timedelta(seconds=5)
    assert "Verification: OK" in pki.openssl_verifies(stored.token, _note_bytes(log))
    assert log.check() == []


def test_it_is_idempotent_and_follows_the_log(make_log, stamper, tsa):
    log = make_log()
    timestamper = stamper(log)
    assert timestamper.timestamp_once().size is None, "an empty log has nothing to time-stamp"
    assert tsa.requests == []
    log.append([b"one"])
    first = timestamper.timestamp_once()
    again = timestamper.timestamp_once()
    assert first.created and not again.created
    assert again.timestamp == first.timestamp
    assert len(tsa.requests) == 1, "a checkpoint with a token is not sent again"
    log.append([b"two"])
    second = stamper(log).timestamp_once()  # another timestamper, e.g. after a restart
    assert second.created and second.size == 2
    assert log.timestamp(1) == first.timestamp and log.latest_timestamp() == second.timestamp
    assert len(tsa.requests) == 2


@pytest.mark.parametrize("mode", ["http_error", "garbage", "down"])
def test_tsa_failure_is_reported_nothing_is_stored_and_the_next_round_retries(make_log, stamper, tsa, caplog, mode):
    log = make_log()
    log.append([b"evidence"])
    url = tsa.url
    if mode == "down":
        with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as server:
            url = f"http://127.0.0.1:{server.server_address[1]}/tsa"  # closed once the block ends
    else:
        tsa.mode = mode
    timestamper = stamper(log, url=url, timeout=2)
    with caplog.at_level(logging.WARNING, logger="huhang.ledger.timestamping"):
        failed = timestamper.timestamp_once()
    expected = {"http_error": "answered HTTP 500", "garbage": "response is malformed", "down": "cannot reach TSA"}
    assert failed.size == 1 and failed.timestamp is None and not failed.created
    assert expected[mode] in failed.error
    assert log.timestamp(1) is None and log.latest_timestamp() is None
    messages = [record.getMessage() for record in caplog.records]
    assert any("time-stamping checkpoint 1" in m and expected[mode] in m for m in messages), messages
    tsa.mode = "ok"
    timestamper.url = tsa.url  # the TSA is back
    retried = timestamper.timestamp_once()
    assert retried.created and log.timestamp(1) == retried.timestamp


def test_a_token_that_does_not_verify_is_not_stored(make_log, stamper, pki, tsa):
    log = make_log()
    log.append([b"evidence"])
    pinned = stamper(log, tsa_certificates=[pki.pem("tsa_ec")]).timestamp_once()
    assert "not signed by any of the given TSA certificates" in pinned.error
    rooted = stamper(log, trusted_roots=[pki.pem("stranger")]).timestamp_once()
    assert "does not chain to a trusted root" in rooted.error
    tsa.mode = "other_digest"
    assert "time-stamped another digest" in stamper(log).timestamp_once().error
    assert log.timestamp(1) is None
    tsa.mode = "ok"
    good = stamper(log, tsa_certificates=[pki.pem("tsa_rsa")], trusted_roots=[pki.pem("root")]).timestamp_once()
    assert good.created


def test_two_timestampers_racing_store_one_token(make_log, stamper, tsa):
    log = make_log()
    log.append([b"evidence"])
    first, second = stamper(log), stamper(log)
    real_lookup = second.store.timestamp
    calls = []

    def stale_lookup(log_id, size):  # the second looks before the first stores, and asks the TSA too
        calls.append(size)
        return None if len(calls) == 1 else real_lookup(log_id, size)

    second.store.timestamp = stale_lookup
    won = first.timestamp_once()
    lost = second.timestamp_once()
    assert won.created and not lost.created
    assert lost.timestamp == won.timestamp == log.timestamp(1)
    assert len(tsa.requests) == 2


def test_publication_source_time_stamps_the_cosigned_note(make_log, stamper):
    log = make_log()
    log.append([b"evidence"])
    timestamper = stamper(log, source="publication")
    assert timestamper.timestamp_once().size is None, "nothing published yet"
    cosigned = log.latest_checkpoint().note + "— witness.example/w1 AAAAAQ==\n"
    log.store.publish(log_id=log.record.id, size=1, note=cosigned)
    result = timestamper.timestamp_once()
    assert result.created and result.size == 1
    verify_timestamp(result.timestamp.token, cosigned.encode())
    with pytest.raises(TimestampError, match="time-stamps other data"):
        verify_timestamp(result.timestamp.token, _note_bytes(log))
    assert log.publication(1) == cosigned
    assert log.check() == [], "a token of the published note is a token of that checkpoint"


def test_the_background_timestamper_retries_until_the_tsa_answers(make_log, stamper, tsa):
    log = make_log()
    log.append([b"evidence"])
    tsa.mode = "http_error"
    timestamper = stamper(log, interval=0.05)
    timestamper.start()
    try:
        _wait_for(lambda: len(tsa.requests) >= 3)
        assert log.timestamp(1) is None
        tsa.mode = "ok"
        _wait_for(lambda: log.timestamp(1) is not None)
        log.append([b"more"])
        _wait_for(lambda: log.timestamp(2) is not None)
        count = len(tsa.requests)
        time.sleep(0.3)
        assert len(tsa.requests) == count, "nothing new: no more requests"
    finally:
        timestamper.stop(timeout=10)
    assert not any(t.name.startswith("timestamper") and t.is_alive() for t in threading.enumerate())


def test_secrets_in_the_tsa_url_are_not_stored(make_log, stamper, tsa):
    log = make_log()
    log.append([b"evidence"])
    result = stamper(log, url=tsa.url + "?api-key=t0ken#frag").timestamp_once()
    assert result.created and log.timestamp(1).tsa_url == tsa.url
    assert public_tsa_url("https://court:s3cret@tsa.example:8443/ts?key=t0ken") == "https://tsa.example:8443/ts"
    assert public_tsa_url("http://[::1]:318/") == "http://[::1]:318/"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"url": "ftp://tsa.example/"}, "not an http:// or https:// URL"),
        ({"url": "http://"}, "not an http:// or https:// URL"),
        ({"hash_name": "md5"}, "unsupported TSA hash 'md5'"),
        ({"source": "witness"}, "source must be one of"),
        ({"interval": 0}, "interval must be positive"),
    ],
)
def test_bad_configuration_is_refused(make_log, options, message):
    options.setdefault("url", "http://127.0.0.1:9/tsa")
    with pytest.raises(ValueError, match=message):
        Timestamper(make_log(), **options)


# --- Storage --------------------------------------------------------------------------------------------


def test_the_timestamp_table_is_append_only(make_log, stamper):
    log = make_log()
    log.append([b"evidence"])
    assert stamper(log).timestamp_once().created
    log_id = log.record.id
    statements = [
        f"UPDATE ledger_timestamp SET gen_time = '2000-01-01T00:00:00Z' WHERE log_id = {log_id}",
        f"UPDATE ledger_timestamp SET token = token WHERE log_id = {log_id}",
        f"DELETE FROM ledger_timestamp WHERE log_id = {log_id}",
    ]
    if log.store.vendor == "postgresql":
        statements.append("TRUNCATE ledger_timestamp")
    for statement in statements:
        with pytest.raises(Exception, match="append-only"), log.store.transaction() as cur:
            cur.execute(statement)
    assert log.timestamp(1) is not None


def test_one_token_per_existing_checkpoint(make_log, stamper):
    log = make_log()
    log.append([b"evidence"])
    stored = stamper(log).timestamp_once().timestamp
    row = {"log_id": log.record.id, "token": b"x", "tsa_url": "http://x/", "gen_time": "2000-01-01T00:00:00Z"}
    with pytest.raises(Exception, match=r"(?i)unique|duplicate|primary key"):
        log.store.add_timestamp(size=1, **row)
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        log.store.add_timestamp(size=7, **row)  # no checkpoint of size 7
    assert log.timestamp(1) == stored and log.timestamp(7) is None


def test_check_finds_a_token_that_does_not_cover_its_checkpoint(make_log, stamper):
    log = make_log()
    log.append([b"one"])
    first = stamper(log).timestamp_once().timestamp
    log.append([b"two"])
    assert log.check() == []
    # An intruder files checkpoint 1's token under checkpoint 2.
    log.store.add_timestamp(log_id=log.record.id, size=2, token=first.token, tsa_url="x", gen_time=first.gen_time)
    assert log.check() == [
        "time-stamp of checkpoint 2: the token time-stamps other data: its sha256 imprint does not match"
    ]
    tamper(log.store, "ledger_timestamp", "token", first.token[:-1], f"log_id = {log.record.id} AND size = 1")
    assert any(p.startswith("time-stamp of checkpoint 1: ") for p in log.check())


def test_a_database_from_before_time_stamps_gets_the_table_from_the_new_statements(tmp_path):
    store = SqlStore(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        old_tables = [t for t in TABLES if t != "ledger_timestamp"]
        with store.transaction() as cur:
            for statement in schema_statements("sqlite", tables=old_tables):
                cur.execute(statement)
        new = schema_statements("sqlite", tables=["ledger_timestamp"])
        assert all("ledger_timestamp" in statement for statement in new)
        assert len(new) == 3, "the table and its two triggers"
        for _ in range(2):  # idempotent
            with store.transaction() as cur:
                for statement in new:
                    cur.execute(statement)
        store.create_schema()  # and everything again
        rows = store.conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'ledger_timestamp%'").fetchall()
        assert {name for (name,) in rows} == {f"ledger_timestamp{s}" for s in ("", "_no_update", "_no_delete")}
    finally:
        store.close()
    postgres = schema_statements("postgresql", tables=["ledger_timestamp"])
    assert any("ledger_timestamp_append_only" in s for s in postgres)
    assert not any("ledger_entry" in s for s in postgres)
    with pytest.raises(ValueError, match="not ledger tables: ledger_nonsense"):
        schema_statements("sqlite", tables=["ledger_nonsense"])


def test_read_timestamp_reads_without_checking(make_log, stamper):
    log = make_log()
    log.append([b"evidence"])
    stored = stamper(log).timestamp_once().timestamp
    token = read_timestamp(stored.token)
    assert format_gen_time(token.gen_time) == stored.gen_time
    assert base64.b64encode(token.der) == base64.b64encode(stored.token)
    with pytest.raises(TimestampError):
        read_timestamp(b"not a token")


def test_module_does_not_import_django():
    code = (
        "import sys, huhang.ledger.timestamping, huhang.ledger.receipt;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONPATH": str(SRC)}
    )
    assert out.stdout.strip() == "[]"
