"""Batch concurrent appends into one durable write each, and acknowledge each entry only after it.

Callers on any thread :meth:`Sequencer.submit` entry data and get a future; one writer thread takes
whatever has queued up (up to ``max_batch`` entries; with ``max_delay`` it also waits that long for more,
which is rarely worth it: what arrives during one commit already forms the next batch),
appends it as one batch (entries, tiles and a signed checkpoint in one transaction) and only then resolves
the futures with each entry's index. If the write fails, every future of the batch fails with it and the
log reloads its state from storage: nothing is acknowledged that was not committed.

An entry may bring a side row (:class:`~huhang.ledger.store.SideRow`, e.g. the platform's evidence row),
inserted in the same transaction, and may ask for its inclusion proof, computed by the writer while the
new tree is at hand. When the database refuses a batch for a constraint (an integrity error: nothing was
committed), its entries are written again one by one, so that only the entry whose row was refused fails.
An entry whose side row's requirement does not hold when its batch is written fails alone with
:class:`~huhang.ledger.errors.EntryRefused`; the others are written.
"""

import contextlib
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass

from huhang.ledger.errors import EntryRefused
from huhang.ledger.log import Log
from huhang.ledger.store import SideRow, StoredCheckpoint

_STOP = object()


@dataclass(frozen=True)
class Receipt:
    """An acknowledged entry: its index, the signed checkpoint of the batch that included it, and, when
    asked for, its inclusion proof in that checkpoint's tree."""

    index: int
    checkpoint: StoredCheckpoint
    proof: tuple[bytes, ...] | None = None


@dataclass(frozen=True)
class _Item:
    data: bytes
    row: SideRow | None
    prove: bool
    future: Future


class Submitter:
    """What a sequencer offers besides ``submit``, made of it: :class:`Sequencer` here, and
    :class:`~huhang.ledger.remote.RemoteSequencer` for the sequencer of another process."""

    def submit(self, data: bytes, *, row: SideRow | None = None, prove: bool = False) -> "Future[Receipt]":
        raise NotImplementedError

    def submit_many(self, entries: list[tuple[bytes, SideRow | None, bool]]) -> "list[Future[Receipt]]":
        """Queue several ``(data, row, prove)`` entries at once; one future each, as :meth:`submit` gives."""
        return [self.submit(data, row=row, prove=prove) for data, row, prove in entries]

    def append(
        self, data: bytes, timeout: float | None = None, *, row: SideRow | None = None, prove: bool = False
    ) -> Receipt:
        """Append one entry and wait until it is durable."""
        return self.submit(data, row=row, prove=prove).result(timeout)

    def append_many(self, entries: list[bytes], timeout: float | None = None) -> list[Receipt]:
        futures = [self.submit(data) for data in entries]
        return [future.result(timeout) for future in futures]


class Sequencer(Submitter):
    def __init__(self, log: Log, *, max_batch: int = 20_000, max_delay: float = 0.0):
        self.log = log
        self.max_batch = max_batch
        self.max_delay = max_delay
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=f"sequencer {log.origin}", daemon=True)
        self._started = False
        self._lock = threading.Lock()

    def __enter__(self) -> "Sequencer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        with self._lock:
            if not self._started:
                self._started = True
                self._thread.start()

    def stop(self) -> None:
        """Finish what was submitted, then stop the writer thread."""
        if self._started and self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()

    def submit(self, data: bytes, *, row: SideRow | None = None, prove: bool = False) -> "Future[Receipt]":
        """Queue ``data`` (with its side ``row``, if any); the future resolves once it is durable."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError(f"entry data must be bytes, not {type(data).__name__}")
        if row is not None and not isinstance(row, SideRow):
            raise TypeError(f"a side row must be a SideRow, not {type(row).__name__}")
        future: Future[Receipt] = Future()
        self._queue.put(_Item(bytes(data), row, bool(prove), future))
        return future

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            deadline = time.monotonic() + self.max_delay
            while len(batch) < self.max_batch:
                try:
                    remaining = deadline - time.monotonic()
                    item = self._queue.get_nowait() if remaining <= 0 else self._queue.get(timeout=remaining)
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    break
                batch.append(item)
            self._write(batch)

    def _write(self, batch: list[_Item]) -> None:
        rows = [item.row for item in batch]
        try:
            appended = self.log.append(
                [item.data for item in batch],
                rows=rows if any(row is not None for row in rows) else None,
                prove=[offset for offset, item in enumerate(batch) if item.prove],
            )
        except BaseException as exc:
            with contextlib.suppress(Exception):  # the next append reloads again
                self.log.reload()
            if len(batch) > 1 and self.log.store.is_integrity_error(exc):
                for item in batch:  # nothing was committed: find the entry the database refuses
                    self._write([item])
                return
            for item in batch:
                item.future.set_exception(exc)
            return
        for offset, item in enumerate(batch):
            index = appended.index_of(offset)
            if index is None:
                item.future.set_exception(EntryRefused(appended.refused[offset]))
                continue
            proof = appended.proofs.get(offset)
            item.future.set_result(Receipt(index, appended.checkpoint, tuple(proof) if proof is not None else None))
