"""The sequencer batches concurrent appends, acknowledges only what is durable, and survives kill -9."""

import hashlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from huhang.ledger.sequencer import Sequencer
from tests.ledger import reference as ref

ROOT = Path(__file__).resolve().parents[2]


def test_concurrent_appends_are_batched_and_all_acknowledged(make_log):
    log = make_log()
    results: list = []
    lock = threading.Lock()
    with Sequencer(log, max_delay=0.005) as sequencer:

        def worker(n: int) -> None:
            for i in range(200):
                receipt = sequencer.append(f"{n}:{i}".encode())
                with lock:
                    results.append((receipt.index, f"{n}:{i}".encode(), receipt.checkpoint.size))

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(index for index, _, _ in results) == list(range(1600))
    for index, data, checkpoint_size in results:
        assert log.entry(index) == data and checkpoint_size > index
    checkpoints = log.store.checkpoints(log.record.id)
    assert len(checkpoints) < 1600, "appends were batched"
    leaves = [log.entry(i) for i in range(1600)]
    assert log.root() == ref.mth(leaves)


def test_a_failed_write_fails_its_callers_and_nothing_is_acknowledged(make_log):
    log = make_log()
    log.append([b"first"])
    original = log.store.append

    def broken(*args, **kwargs):
        raise OSError("disk full")

    log.store.append = broken
    with Sequencer(log) as sequencer:
        future = sequencer.submit(b"lost")
        try:
            future.result(5)
        except OSError as exc:
            assert "disk full" in str(exc)
        else:
            raise AssertionError("the append should have failed")
        log.store.append = original
        assert sequencer.append(b"second").index == 1
    assert log.size == 2


def test_kill_at_any_moment_loses_no_acknowledged_entry(make_log, store_url, origin_prefix):
    rng = random.Random(os.getpid())
    acknowledged: dict[int, str] = {}
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    for _ in range(4):
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.ledger.crash_writer", store_url, f"{origin_prefix}/crash"],
            stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env,
        )  # fmt: skip
        assert process.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + rng.uniform(0.2, 1.0)
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            index, digest = line.split()
            acknowledged[int(index)] = digest
        process.send_signal(signal.SIGKILL)
        process.wait()
        log = make_log("crash")  # opening checks the stored tree against the last checkpoint
        for index, digest in acknowledged.items():
            assert hashlib.sha256(log.entry(index)).hexdigest() == digest
        assert log.check() == [], "every checkpoint ever signed is a prefix of the stored tree"
    assert len(acknowledged) > 100
