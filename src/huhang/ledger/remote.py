"""One sequencer for several processes: the writer's process serves it over sockets, the others submit to it.

Several web processes of one instance must not each batch and write the log: every batch would lock the
log in the database, and each process would first have to re-read what the others appended. Instead one
process (``huhang serve --workers N``'s parent) owns the :class:`~huhang.ledger.sequencer.Sequencer`, the
only writer of the tree, and a :class:`SequencerServer` answers each web process over a connected stream
socket (a ``socketpair`` made when the process is started); each web process submits through a
:class:`RemoteSequencer`, which has the sequencer's ``submit``/``append`` and resolves each future only
when the owner says the entry is durable. Entries of all processes thus share batches and commits.

Frames are a 4-byte big-endian length followed by a pickle. Pickle is safe here only because both ends are
processes of the same instance started by the same parent, which created the socket pair: never listen on
an address with this protocol.

- request: ``(request id, entry bytes, side row or None, prove)``
- answer: ``(request id, Receipt, None)`` or ``(request id, None, (error class name, message))``

A failure of the owner's write fails the request, as it would in-process; an owner that goes away (its
process died) fails every pending request and every later one with :class:`SequencerGone`.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import pickle
import queue
import socket
import struct
import threading
from collections.abc import Callable
from concurrent.futures import Future

from huhang.ledger.errors import LedgerError
from huhang.ledger.sequencer import Receipt, Sequencer
from huhang.ledger.store import SideRow

logger = logging.getLogger(__name__)

_LENGTH = struct.Struct(">I")
MAX_FRAME = 16 << 20


class SequencerGone(LedgerError):
    """The process that owns the log's sequencer is not answering (it stopped or died)."""


class RemoteLedgerError(LedgerError):
    """The owner of the sequencer could not append the entry: its error's message, and its class's name."""

    def __init__(self, message: str, *, kind: str):
        super().__init__(message)
        self.kind = kind


def _send_frames(sock: socket.socket, objects: list) -> None:
    payload = bytearray()
    for obj in objects:
        body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        payload += _LENGTH.pack(len(body))
        payload += body
    sock.sendall(payload)


class _FrameReader:
    """Read length-prefixed frames from a stream socket, several per ``recv`` when they queued up."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = bytearray()

    def frames(self):
        """Yield each frame's object; return at end of stream."""
        while True:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                return
            self.buffer += chunk
            while len(self.buffer) >= _LENGTH.size:
                (length,) = _LENGTH.unpack_from(self.buffer)
                if length > MAX_FRAME:
                    raise LedgerError(f"a frame of {length} bytes: not this protocol")
                if len(self.buffer) < _LENGTH.size + length:
                    break
                body = bytes(self.buffer[_LENGTH.size : _LENGTH.size + length])
                del self.buffer[: _LENGTH.size + length]
                yield pickle.loads(body)  # noqa: S301 - our own child processes, over a socketpair (module doc)


class SequencerServer:
    """Serve the sequencer ``open_sequencer()`` returns (called at the first request) to connected processes."""

    def __init__(self, open_sequencer: Callable[[], Sequencer]):
        self._open = open_sequencer
        self._sequencer: Sequencer | None = None
        self._open_lock = threading.Lock()
        self._connections: list[socket.socket] = []
        self._threads: list[threading.Thread] = []

    def _get_sequencer(self) -> Sequencer:
        with self._open_lock:
            if self._sequencer is None:
                self._sequencer = self._open()  # raises (e.g. no ledger yet): answered as that request's error
            return self._sequencer

    def serve(self, sock: socket.socket) -> None:
        """Answer requests arriving on ``sock`` in background threads until the other end closes it."""
        outbox: queue.SimpleQueue = queue.SimpleQueue()
        reader = threading.Thread(target=self._read, args=(sock, outbox), name="sequencer server", daemon=True)
        writer = threading.Thread(target=self._write, args=(sock, outbox), name="sequencer answers", daemon=True)
        self._connections.append(sock)
        self._threads += [reader, writer]
        reader.start()
        writer.start()

    def close(self) -> None:
        for sock in self._connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(5)
        for sock in self._connections:
            sock.close()

    def _read(self, sock: socket.socket, outbox: queue.SimpleQueue) -> None:
        try:
            for request_id, data, row, prove in _FrameReader(sock).frames():
                try:
                    future = self._get_sequencer().submit(data, row=row, prove=prove)
                except Exception as exc:
                    outbox.put((request_id, None, _describe(exc)))
                    continue
                future.add_done_callback(lambda done, rid=request_id: outbox.put((rid, done)))
        except (OSError, LedgerError, pickle.UnpicklingError, ValueError, TypeError) as exc:
            logger.warning("sequencer connection closed: %s", exc)
        finally:
            outbox.put(None)

    @staticmethod
    def _write(sock: socket.socket, outbox: queue.SimpleQueue) -> None:
        while True:
            answers, done = [outbox.get()], False
            with contextlib.suppress(queue.Empty):
                while len(answers) < 1024:
                    answers.append(outbox.get_nowait())
            frames = []
            for answer in answers:
                if answer is None:
                    done = True
                elif len(answer) == 3:
                    frames.append(answer)
                else:
                    request_id, future = answer
                    exc = future.exception()
                    frames.append((request_id, None, _describe(exc)) if exc else (request_id, future.result(), None))
            try:
                if frames:
                    _send_frames(sock, frames)
            except OSError:
                return  # the web process went away; its entries are durable or failed, as answered to nobody
            if done:
                return


def _describe(exc: BaseException) -> tuple[str, str]:
    return type(exc).__name__, str(exc)


class RemoteSequencer:
    """The sequencer of another process, reached over a connected socket (see the module's doc)."""

    def __init__(self, sock: socket.socket, *, on_gone: Callable[[], None] | None = None):
        self._sock = sock
        self._on_gone = on_gone
        self._ids = itertools.count(1)
        self._pending: dict[int, Future] = {}
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._gone: str | None = None
        self._reader = threading.Thread(target=self._read, name="remote sequencer", daemon=True)
        self._reader.start()

    def start(self) -> None:
        """Nothing to start: the owner's sequencer runs in its own process."""

    def stop(self) -> None:
        """Stop using the owner's sequencer; requests still pending fail."""
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._reader.join(5)
        self._sock.close()

    def submit(self, data: bytes, *, row: SideRow | None = None, prove: bool = False) -> Future[Receipt]:
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError(f"entry data must be bytes, not {type(data).__name__}")
        future: Future[Receipt] = Future()
        with self._lock:
            if self._gone is not None:
                future.set_exception(SequencerGone(self._gone))
                return future
            request_id = next(self._ids)
            self._pending[request_id] = future
        try:
            with self._send_lock:
                _send_frames(self._sock, [(request_id, bytes(data), row, bool(prove))])
        except OSError as exc:
            self._fail_all(f"the ledger's sequencer process cannot be reached: {exc}")
        return future

    def append(
        self, data: bytes, timeout: float | None = None, *, row: SideRow | None = None, prove: bool = False
    ) -> Receipt:
        return self.submit(data, row=row, prove=prove).result(timeout)

    def append_many(self, entries: list[bytes], timeout: float | None = None) -> list[Receipt]:
        futures = [self.submit(data) for data in entries]
        return [future.result(timeout) for future in futures]

    def _read(self) -> None:
        reason = "the ledger's sequencer process closed the connection"
        try:
            for request_id, receipt, error in _FrameReader(self._sock).frames():
                with self._lock:
                    future = self._pending.pop(request_id, None)
                if future is None:
                    continue
                if error is None:
                    future.set_result(receipt)
                else:
                    future.set_exception(RemoteLedgerError(error[1], kind=error[0]))
        except (OSError, LedgerError, pickle.UnpicklingError, ValueError, TypeError) as exc:
            reason = f"the connection to the ledger's sequencer process failed: {exc}"
        self._fail_all(reason)
        if self._on_gone is not None:
            self._on_gone()

    def _fail_all(self, reason: str) -> None:
        with self._lock:
            if self._gone is None:
                self._gone = reason
            pending, self._pending = self._pending, {}
        for future in pending.values():
            future.set_exception(SequencerGone(reason))
