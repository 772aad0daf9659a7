"""A web process of ``huhang serve`` hands its appends to the writer's process and never writes the log.

(``huhang serve`` itself, with two web processes, one of them killed and replaced: tests/site/test_serve.py.)
"""

import os
import socket
from pathlib import Path

import pytest

from huhang.evidence import ledger_service, services
from huhang.evidence.models import Evidence
from huhang.ledger.log import Hasher, Log
from huhang.ledger.remote import RemoteSequencer, SequencerServer
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
    remote = ledger_service.use_remote_sequencer(RemoteSequencer(socket.socket(fileno=os.dup(theirs.fileno()))))
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
