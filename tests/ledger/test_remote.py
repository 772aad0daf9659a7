"""Side rows and proofs through the sequencer, and one sequencer shared by processes over a socket: a socket
pair, or a listening Unix socket that admits only its user's processes knowing the secret."""

import os
import pickle
import socket
import stat
import struct
import threading
import time
from pathlib import Path

import pytest

from huhang.ledger import remote as remote_module
from huhang.ledger.errors import EntryRefused, LedgerError
from huhang.ledger.remote import RemoteLedgerError, RemoteSequencer, SequencerGone, SequencerServer
from huhang.ledger.sequencer import Sequencer
from huhang.ledger.store import Fill, Requirement, SideRow
from tests.ledger import reference as ref
from tests.ledger.conftest import scratch_table


@pytest.fixture
def table(make_log):
    return scratch_table(make_log("shared"), "side", "id TEXT PRIMARY KEY, idx BIGINT NOT NULL, size BIGINT NOT NULL")


def _row(table: str, key: str) -> SideRow:
    return SideRow(table, ("id", "idx", "size"), (key, Fill.INDEX, Fill.CHECKPOINT_SIZE))


def _rows(log, table: str) -> dict[str, tuple[int, int]]:
    cur = log.store.conn.cursor()
    cur.execute(f"SELECT id, idx, size FROM {table}")
    return {key: (index, size) for key, index, size in cur.fetchall()}


def test_the_sequencer_writes_side_rows_and_proofs_with_the_batch(make_log, table):
    log = make_log("shared")
    with Sequencer(log, max_delay=0.01) as sequencer:
        futures = [
            sequencer.submit(f"entry {i}".encode(), row=_row(table, f"k{i}"), prove=i % 2 == 0) for i in range(50)
        ]
        receipts = [future.result(10) for future in futures]
    leaves = log.entries(0, log.size)
    rows = _rows(log, table)
    for i, receipt in enumerate(receipts):
        assert leaves[receipt.index] == f"entry {i}".encode()
        assert rows[f"k{i}"] == (receipt.index, receipt.checkpoint.size)
        if i % 2 == 0:
            assert list(receipt.proof) == ref.path(receipt.index, leaves[: receipt.checkpoint.size])
        else:
            assert receipt.proof is None
    assert len({r.checkpoint.size for r in receipts}) < 50, "entries shared batches"


def test_an_entry_whose_row_is_refused_fails_alone(make_log, table):
    log = make_log("shared")
    log.append([b"taken"], rows=[_row(table, "dup")])
    sequencer = Sequencer(log, max_delay=0.2)  # one batch: everything below is queued before the writer starts
    futures = [sequencer.submit(f"ok {i}".encode(), row=_row(table, f"ok{i}")) for i in range(3)]
    futures.insert(2, sequencer.submit(b"clashes", row=_row(table, "dup")))
    with sequencer:
        pass
    with pytest.raises(Exception) as refused:
        futures[2].result(5)
    assert log.store.is_integrity_error(refused.value)
    indices = [future.result(5).index for i, future in enumerate(futures) if i != 2]
    assert sorted(indices) == [1, 2, 3]
    assert log.entries(0, log.size) == [b"taken", b"ok 0", b"ok 1", b"ok 2"]
    assert set(_rows(log, table)) == {"dup", "ok0", "ok1", "ok2"}
    assert log.check() == []


@pytest.fixture
def served(make_log):
    """A sequencer served over a socket pair, as ``huhang serve --workers`` does: (remote, log, server)."""
    log = make_log("served")
    sequencer = Sequencer(log)
    server = SequencerServer(lambda: sequencer.start() or sequencer)
    ours, theirs = socket.socketpair()
    server.serve(ours)
    remote = RemoteSequencer(theirs)
    yield remote, log, server
    remote.stop()
    server.close()
    sequencer.stop()


def test_entries_from_other_processes_go_through_the_one_writer(served, make_log, table):
    remote, log, _ = served
    results: dict[int, object] = {}

    def submit(n: int) -> None:
        for i in range(40):
            key = f"{n}-{i}"
            results[n * 100 + i] = (key, remote.append(key.encode(), row=_row(table, key), prove=True, timeout=10))

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 240
    leaves = log.entries(0, log.size)
    rows = _rows(log, table)
    assert sorted(receipt.index for _, receipt in results.values()) == list(range(240))
    for key, receipt in results.values():
        assert leaves[receipt.index] == key.encode()
        assert rows[key] == (receipt.index, receipt.checkpoint.size)
        assert list(receipt.proof) == ref.path(receipt.index, leaves[: receipt.checkpoint.size])
        assert receipt.checkpoint == log.checkpoint(receipt.checkpoint.size)
    assert log.check() == []


def test_entries_submitted_together_travel_together(served, table, monkeypatch):
    remote, log, _ = served
    frames: list[tuple[str, list[int]]] = []
    send = remote_module._send_frames

    def counting(sock, objects):
        side = "answers" if threading.current_thread().name == "sequencer answers" else "requests"
        frames.append((side, [len(frame) for frame in objects]))
        send(sock, objects)

    monkeypatch.setattr(remote_module, "_send_frames", counting)
    monkeypatch.setattr(remote_module, "FRAME_ENTRIES", 16)
    entries = [(f"entry {i}".encode(), _row(table, f"k{i}"), i % 2 == 0) for i in range(40)]
    futures = remote.submit_many(entries)
    receipts = [future.result(10) for future in futures]
    assert frames[0] == ("requests", [16, 16, 8]), "one message, in frames of at most FRAME_ENTRIES entries"
    answered = [n for side, sizes in frames if side == "answers" for n in sizes]
    assert sum(answered) == 40 and len(answered) <= 3, "the answers to a frame go back together"
    leaves, rows = log.entries(0, log.size), _rows(log, table)
    for i, receipt in enumerate(receipts):
        assert leaves[receipt.index] == f"entry {i}".encode() and rows[f"k{i}"][0] == receipt.index
        assert (receipt.proof is not None) == (i % 2 == 0)
    assert remote.submit_many([]) == []


def test_a_request_frame_that_is_not_a_list_closes_the_connection(served):
    remote, log, _ = served
    body = pickle.dumps((1, b"entry", None, False))  # a request of the protocol before frames were lists
    remote._sock.sendall(struct.pack(">I", len(body)) + body)
    with pytest.raises(SequencerGone):
        remote.append(b"after", timeout=10)
    assert log.size == 0


def test_the_writers_errors_reach_the_submitter(served, table):
    remote, log, _ = served
    remote.append(b"first", row=_row(table, "same"))
    with pytest.raises(RemoteLedgerError) as error:
        remote.append(b"second", row=_row(table, "same"), timeout=5)
    assert error.value.kind in ("IntegrityError", "UniqueViolation")  # sqlite3's class, psycopg's
    assert remote.append(b"third").index == 1 and log.size == 2


def test_a_writer_that_cannot_open_its_log_answers_each_request(make_log):
    def no_log():
        raise LedgerError("no ledger yet: run `huhang ledger init --origin ORIGIN`")

    server = SequencerServer(no_log)
    ours, theirs = socket.socketpair()
    server.serve(ours)
    remote = RemoteSequencer(theirs)
    for _ in range(2):
        with pytest.raises(RemoteLedgerError, match="no ledger yet") as error:
            remote.append(b"x", timeout=5)
        assert error.value.kind == "LedgerError"
    remote.stop()
    server.close()


def test_when_the_writer_goes_away_nothing_is_acknowledged(make_log):
    gone = threading.Event()
    log = make_log()
    writing, release = threading.Event(), threading.Event()
    sequencer = Sequencer(log)
    original = log.append

    def slow_append(*args, **kwargs):
        writing.set()
        release.wait(5)
        return original(*args, **kwargs)

    log.append = slow_append
    server = SequencerServer(lambda: sequencer.start() or sequencer)
    ours, theirs = socket.socketpair()
    server.serve(ours)
    remote = RemoteSequencer(theirs, on_gone=gone.set)
    pending = remote.submit(b"in flight")
    # Once the writer holds the request: shut down earlier, its sequencer could start after `sequencer.stop()`
    # below, and still be writing when the test closes the log's connection (a crash of the whole run).
    assert writing.wait(5)
    ours.shutdown(socket.SHUT_RDWR)  # the writer's process dies with the request pending
    assert gone.wait(5)
    with pytest.raises(SequencerGone):
        pending.result(5)
    with pytest.raises(SequencerGone):
        remote.append(b"later", timeout=5)
    release.set()
    sequencer.stop()
    server.close()
    remote.stop()


# -- over a listening Unix socket, as `huhang serve` does ----------------------------------------------

SECRET = "s3cret-" + "ab" * 24


class _SideEffect:
    """A pickle that, once loaded, creates the directory ``path``: the proof that something was unpickled."""

    def __init__(self, path: Path):
        self.path = path

    def __reduce__(self):
        return Path.mkdir, (self.path,)


def _frame(body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + body


def _closed_by_peer(sock: socket.socket) -> bool:
    sock.settimeout(5)
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True


@pytest.fixture
def listening(make_log, tmp_path):
    """A sequencer served on a listening Unix socket: (path, log, server)."""
    log = make_log("listened")
    sequencer = Sequencer(log)
    server = SequencerServer(lambda: sequencer.start() or sequencer)
    path = str(tmp_path / "writer.sock")
    server.listen(path, SECRET)
    yield path, log, server
    server.close()
    sequencer.stop()


def test_processes_connecting_to_the_writers_socket_share_its_log(listening):
    path, log, _ = listening
    first, second = RemoteSequencer.connect(path, SECRET), RemoteSequencer.connect(path, SECRET.encode())
    try:
        receipts = []
        for i in range(5):
            receipts.append(first.append(f"first {i}".encode(), timeout=10, prove=True))
            receipts.append(second.append(f"second {i}".encode(), timeout=10, prove=True))
        futures = [
            remote.submit(f"{n} burst {i}".encode()) for i in range(20) for n, remote in enumerate((first, second))
        ]
        receipts += [future.result(10) for future in futures]
    finally:
        first.stop()
        second.stop()
    assert sorted(receipt.index for receipt in receipts) == list(range(50))
    leaves = log.entries(0, log.size)
    for receipt in receipts[:10]:
        assert receipt.checkpoint == log.checkpoint(receipt.checkpoint.size), "durable: the log has it"
        assert list(receipt.proof) == ref.path(receipt.index, leaves[: receipt.checkpoint.size])
    assert leaves[receipts[0].index] == b"first 0" and leaves[receipts[1].index] == b"second 0"
    assert log.check() == []


def test_the_socket_is_only_for_its_user(listening):
    path, _, _ = listening
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_wrong_secret_is_refused_before_anything_is_unpickled(listening, tmp_path, caplog):
    path, log, _ = listening
    marker = tmp_path / "unpickled"
    with pytest.raises(SequencerGone, match="refused"):
        RemoteSequencer.connect(path, "not the secret")
    for first in (b"not the secret", pickle.dumps(_SideEffect(marker))):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(path)
            sock.sendall(_frame(first) + _frame(pickle.dumps(_SideEffect(marker))))
            assert _closed_by_peer(sock)
    assert not marker.exists(), "the server unpickled a frame of a connection that did not prove the secret"
    assert log.size == 0
    assert "wrong secret" in caplog.text


def test_an_oversized_first_frame_is_refused_unread(listening, tmp_path):
    path, _, _ = listening
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(path)
        sock.sendall(struct.pack(">I", 1 << 30) + b"x" * 100)
        assert _closed_by_peer(sock)
    assert RemoteSequencer.connect(path, SECRET).append(b"still serving", timeout=10).index == 0


def test_a_process_of_another_user_is_refused(listening, tmp_path, monkeypatch, caplog):
    path, log, _ = listening
    marker = tmp_path / "unpickled"
    real = os.geteuid()
    monkeypatch.setattr(remote_module.os, "geteuid", lambda: real + 1)  # the server now runs as another user
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(path)
        sock.sendall(_frame(SECRET.encode()) + _frame(pickle.dumps(_SideEffect(marker))))
        assert _closed_by_peer(sock)
    assert not marker.exists()
    assert "user id" in caplog.text
    with pytest.raises(SequencerGone, match="user id"):  # and the client will not talk to a server of another user
        RemoteSequencer.connect(path, SECRET)
    deadline = time.monotonic() + 5  # the server refuses that connection too: let it say so within the test
    while caplog.text.count("refused a connection from user id") < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert caplog.text.count("refused a connection from user id") == 2
    assert log.size == 0


def test_a_client_whose_writer_dies_gets_sequencer_gone(listening):
    path, _, server = listening
    gone = threading.Event()
    remote = RemoteSequencer.connect(path, SECRET, on_gone=gone.set)
    assert remote.append(b"before", timeout=10).index == 0
    server.close()  # as when the writer's process dies: its end of every connection closes
    assert gone.wait(5)
    with pytest.raises(SequencerGone):
        remote.append(b"after", timeout=5)
    assert not os.path.exists(path)
    with pytest.raises(SequencerGone):
        RemoteSequencer.connect(path, SECRET)
    remote.stop()


def test_the_writer_closes_the_connections_of_processes_that_went_away(listening):
    path, _, server = listening
    for _ in range(5):
        remote = RemoteSequencer.connect(path, SECRET)
        remote.append(b"x", timeout=10)
        remote.stop()
    deadline = time.monotonic() + 5
    while server._connections and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server._connections == []


@pytest.fixture
def allowed(make_log):
    """A table of the keys side rows may be written for (their requirement names it)."""
    return scratch_table(make_log("shared"), "allowed", "k TEXT PRIMARY KEY", rows=[("yes",)])


def _required_row(table: str, allowed: str, key: str, grant: str) -> SideRow:
    require = Requirement(f"SELECT 1 FROM {allowed} WHERE k = ?", (grant,), refusal=f"{grant} is not allowed")
    return SideRow(table, ("id", "idx", "size"), (key, Fill.INDEX, Fill.CHECKPOINT_SIZE), require=require)


def test_an_entry_whose_requirement_fails_is_refused_alone(make_log, table, allowed):
    log = make_log("shared")
    grants = ["yes", "no", "yes", "no", "yes"]
    with Sequencer(log, max_delay=0.05) as sequencer:
        futures = [
            sequencer.submit(f"e{i}".encode(), row=_required_row(table, allowed, f"k{i}", g), prove=True)
            for i, g in enumerate(grants)
        ]
        outcomes = []
        for future in futures:
            try:
                outcomes.append(future.result(10))
            except EntryRefused as exc:
                outcomes.append(str(exc))
    assert outcomes[1] == outcomes[3] == "no is not allowed"
    written = [receipt for receipt in outcomes if not isinstance(receipt, str)]
    assert [receipt.index for receipt in written] == [0, 1, 2] and log.size == 3
    leaves, rows = log.entries(0, 3), _rows(log, table)
    assert leaves == [b"e0", b"e2", b"e4"] and set(rows) == {"k0", "k2", "k4"}
    for receipt in written:
        assert list(receipt.proof) == ref.path(receipt.index, leaves[: receipt.checkpoint.size])
        assert rows[leaves[receipt.index].decode().replace("e", "k")] == (receipt.index, receipt.checkpoint.size)
    assert log.check() == []


def test_a_batch_refused_whole_writes_nothing(make_log, table, allowed):
    log = make_log("shared")
    log.append([b"before"])
    before = log.latest_checkpoint()
    appended = log.append([b"x", b"y"], rows=[_required_row(table, allowed, f"k{i}", "no") for i in range(2)])
    assert (appended.count, appended.index_of(0)) == (0, None)
    assert appended.refused == {0: "no is not allowed", 1: "no is not allowed"}
    assert log.size == 1 and log.latest_checkpoint() == before and _rows(log, table) == {}


def test_a_refusal_reaches_a_remote_submitter_as_itself(served, table, allowed):
    remote, log, _ = served
    futures = remote.submit_many([(b"a", _required_row(table, allowed, "a", "no"), False), (b"b", None, False)])
    with pytest.raises(EntryRefused, match="no is not allowed"):
        futures[0].result(10)
    assert futures[1].result(10).index == 0 and log.size == 1


def test_a_requirement_is_a_select():
    with pytest.raises(ValueError, match="SELECT"):
        Requirement("DELETE FROM evidence", ())
