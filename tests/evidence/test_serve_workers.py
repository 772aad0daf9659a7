"""``huhang serve --workers N``: several web processes, one writer of the ledger.

The web processes hand their appends to the parent, whose sequencer alone writes the tree; every answer is
a durable, verifiable receipt, and a web process that dies is replaced.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from huhang.accounts.services import api_token_create
from huhang.evidence import ledger_service, services
from huhang.evidence.models import Evidence
from huhang.ledger.log import Hasher, Log
from huhang.ledger.receipt import verify_receipt
from huhang.ledger.remote import SequencerServer
from huhang.ledger.sequencer import Sequencer
from huhang.ledger.store import SqlStore

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def test_a_process_with_a_remote_sequencer_never_writes_the_log_itself(ledger, clerk, holder, monkeypatch):
    store = SqlStore(ledger_service.database_url())  # the owner's handle, as in the parent process
    owner = Log(store, store.find_log(ledger.origin), Hasher.for_suite(ledger.record.suite), ledger._sign)
    sequencer = Sequencer(owner)
    server = SequencerServer(lambda: sequencer.start() or sequencer)
    ours, theirs = socket.socketpair()
    server.serve(ours)
    remote = ledger_service.use_remote_sequencer(os.dup(theirs.fileno()))
    theirs.close()

    def must_not_write(*args, **kwargs):
        raise AssertionError("this process appended to the log itself")

    monkeypatch.setattr(ledger, "append", must_not_write)  # this process's own handle on the log
    try:
        made = [
            services.evidence_submit_hash(actor=clerk, holder=holder, kind="other", title="远程", sha256=f"{i:064x}")
            for i in range(1, 4)
        ]
        assert [e.ledger_index for e in made] == [owner.size - 3, owner.size - 2, owner.size - 1]
        for evidence in made:
            assert Evidence.objects.get(pk=evidence.pk).ledger_index == evidence.ledger_index
            assert ledger.entry(evidence.ledger_index) == evidence.leaf, "the reader caught up with the owner"
    finally:
        remote.stop()
        server.close()
        sequencer.stop()
        store.close()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _post(port: int, key: str, body: dict) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "POST",
        "/api/v1/evidence/hashes/",
        body=json.dumps(body),
        headers={"Authorization": f"Token {key}", "Content-Type": "application/json"},
    )
    response = conn.getresponse()
    status, data = response.status, json.loads(response.read())
    conn.close()
    return status, data


def _wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


def test_several_web_processes_share_one_writer(ledger, clerk, holder, admin_user, settings):
    key = api_token_create(actor=admin_user, user=clerk, name="partner")[1]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, DATABASE_URL=ledger_service.database_url(), HUHANG_DATA_DIR=str(settings.DATA_DIR))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["PYTHONPATH"] = f"{ROOT / 'src'}{os.pathsep}{env.get('PYTHONPATH', '')}"
    command = [sys.executable, "-m", "huhang", "serve", "--workers", "2", "--no-worker", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:

        def listening() -> bool:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return True
            except OSError:
                return False

        _wait_for(listening)
        answers: list[tuple[int, dict]] = []
        lock = threading.Lock()

        def client(n: int) -> None:
            for i in range(10):
                body = {
                    "holder": holder.uscc,
                    "kind": "other",
                    "title": f"证据 {n}-{i}",
                    "sha256": f"{n * 100 + i:064x}",
                }
                answer = _post(port, key, body)
                with lock:
                    answers.append(answer)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [status for status, _ in answers] == [201] * 60, answers[:3]
        web = _children(server.pid)
        assert len(web) == 2
        os.kill(web[0], signal.SIGKILL)  # a web process dies: the parent starts another
        _wait_for(lambda: len(_children(server.pid)) == 2 and web[0] not in _children(server.pid))
        for i in range(5):
            status, receipt = _post(
                port, key, {"holder": holder.uscc, "kind": "other", "title": "又一个", "sha256": f"{i + 1:064x}"}
            )
            assert status == 201
            answers.append((status, receipt))
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert _children(server.pid) == []
    ledger.refresh()
    indices = sorted(receipt["index"] for _, receipt in answers)
    assert len(set(indices)) == 65 and indices[-1] < ledger.size
    for _, receipt in answers:
        verify_receipt(receipt, verifier_key=ledger.record.verifier_key)
        assert bytes(Evidence.objects.get(ledger_index=receipt["index"]).leaf) == ledger.entry(receipt["index"])
    assert ledger.check() == []
