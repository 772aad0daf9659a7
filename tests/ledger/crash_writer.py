"""Append from several threads through a Sequencer, printing each entry once it is acknowledged.

Run by test_sequencer.py, which kills this process at a random moment: every line printed is a promise
that the entry is durable.
"""

import hashlib
import os
import sys
import threading

from huhang.ledger.log import Log
from huhang.ledger.sequencer import Sequencer
from huhang.ledger.store import SqlStore
from tests.ledger.conftest import SHA256, unsigned

url, origin = sys.argv[1], sys.argv[2]
store = SqlStore(url)
store.create_schema()
record = store.find_log(origin) or store.create_log(origin=origin, suite="sha256-ed25519", verifier_key="k")
sequencer = Sequencer(Log(store, record, SHA256, unsigned), max_delay=0.001)
sequencer.start()
lock = threading.Lock()


def writer() -> None:
    while True:
        data = os.urandom(24)
        receipt = sequencer.append(data)
        with lock:
            sys.stdout.write(f"{receipt.index} {hashlib.sha256(data).hexdigest()}\n")
            sys.stdout.flush()


print("ready", flush=True)
for _ in range(4):
    threading.Thread(target=writer, daemon=True).start()
threading.Event().wait()
