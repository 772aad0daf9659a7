"""One sequencer for several processes: the writer's process serves it over sockets, the others submit to it.

Several web processes of one instance must not each batch and write the log: every batch would lock the
log in the database, and each process would first have to re-read what the others appended. Instead one
process (``huhang serve``, granian's supervisor) owns the :class:`~huhang.ledger.sequencer.Sequencer`, the
only writer of the tree, and a :class:`SequencerServer` answers each web process over a stream socket;
each web process submits through a :class:`RemoteSequencer`, which has the sequencer's
``submit``/``append`` and resolves each future only when the owner says the entry is durable. Entries of
all processes thus share batches and commits.

The server takes connections two ways:

- :meth:`SequencerServer.listen`: on a Unix-domain socket, which ``huhang serve`` creates in a fresh
  directory only its user may enter, and whose path and secret it hands to its web processes in their
  environment; they connect with :meth:`RemoteSequencer.connect`. Before anything of a connection is
  unpickled, the server checks that the peer runs as the server's own user (``SO_PEERCRED``) and that its
  first frame is the shared secret (compared in constant time); the client checks the peer's user too, and
  waits for the server's acceptance. A connection failing a check is closed without reading further.
- :meth:`SequencerServer.serve`: one connected socket whose other end is trusted already, such as a
  ``socketpair`` made by the process that owns both ends.

Frames are a 4-byte big-endian length followed by a body. The handshake's frames are raw bytes: the
client's secret, then the server's :data:`ACCEPTED`. Every later body is a pickle, which is safe only
because both ends are proved to be processes of the same user that know the instance's secret (or share a
socket pair): never serve this protocol without those checks.

- a request frame: a list of ``(request id, entry bytes, side row or None, prove)``, the entries a client
  submitted together (:meth:`RemoteSequencer.submit_many`);
- an answer frame: a list of ``(request id, Receipt, None)`` or ``(request id, None, (error class name,
  message))``: the answers to one or more request frames, each sent once all of its entries are answered.

Entries travel in batches because a web process gathers the submissions of all its waiting requests
(:mod:`huhang.evidence.hash_gateway`): one frame, one pickle and one system call each way for a batch,
and the checkpoint the batch's receipts share is pickled once.

A failure of the owner's write fails the request, as it would in-process; an owner that goes away (its
process died) fails every pending request and every later one with :class:`SequencerGone`.
"""

from __future__ import annotations

import contextlib
import hmac
import itertools
import logging
import os
import pickle
import queue
import socket
import struct
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

from huhang.ledger.errors import EntryRefused, LedgerError
from huhang.ledger.sequencer import Receipt, Sequencer, Submitter
from huhang.ledger.store import SideRow

logger = logging.getLogger(__name__)

_LENGTH = struct.Struct(">I")
MAX_FRAME = 16 << 20
#: Entries per request frame, and answers per answer frame: each well under MAX_FRAME.
FRAME_ENTRIES = 1024
_PEERCRED = struct.Struct("iII")  # struct ucred: pid, uid, gid
#: The server's answer to a client whose user and secret it accepted.
ACCEPTED = b"huhang-sequencer/1 accepted"
MAX_SECRET = 1024
HANDSHAKE_TIMEOUT = 10.0


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


def _secret_bytes(secret: str | bytes) -> bytes:
    data = secret.encode() if isinstance(secret, str) else bytes(secret)
    if not 0 < len(data) <= MAX_SECRET:
        raise ValueError(f"the secret must have 1 to {MAX_SECRET} bytes")
    return data


def _require_peer_credentials() -> None:
    if not hasattr(socket, "SO_PEERCRED"):
        raise LedgerError("the ledger's writer socket needs SO_PEERCRED (Linux) to check who connects")


def _peer_uid(sock: socket.socket) -> int:
    """Return the user id the process at the other end of the Unix-domain socket ``sock`` runs as."""
    _require_peer_credentials()
    _pid, uid, _gid = _PEERCRED.unpack(sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _PEERCRED.size))
    return uid


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the other end closed the connection")
        data += chunk
    return bytes(data)


def _raw_frame(body: bytes) -> bytes:
    return _LENGTH.pack(len(body)) + body


def _read_raw_frame(sock: socket.socket, limit: int) -> bytes:
    """Read one frame's bytes (never unpickled); refuse a frame longer than ``limit`` without reading it."""
    (length,) = _LENGTH.unpack(_recv_exactly(sock, _LENGTH.size))
    if length > limit:
        raise ValueError(f"a handshake frame of {length} bytes")
    return _recv_exactly(sock, length)


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
                yield pickle.loads(body)  # noqa: S301 - a peer of our user that knows the secret (module doc)


class SequencerServer:
    """Serve the sequencer ``open_sequencer()`` returns (called at the first request) to connected processes."""

    def __init__(self, open_sequencer: Callable[[], Sequencer]):
        self._open = open_sequencer
        self._sequencer: Sequencer | None = None
        self._open_lock = threading.Lock()
        self._lock = threading.Lock()
        self._closing = False
        self._listener: socket.socket | None = None
        self._listen_path: str | None = None
        self._connections: list[socket.socket] = []
        self._threads: list[threading.Thread] = []

    def _get_sequencer(self) -> Sequencer:
        with self._open_lock:
            if self._sequencer is None:
                self._sequencer = self._open()  # raises (e.g. no ledger yet): answered as that request's error
            return self._sequencer

    def listen(self, path: str, secret: str | bytes) -> None:
        """Accept connections on a new Unix-domain socket at ``path``, in a background thread.

        A connection is served only if its process runs as this process's user and its first frame is
        ``secret``; any other is closed before anything of it is unpickled. Put ``path`` in a directory only
        this user may enter: the checks are a second lock, not the first.
        """
        expected = _secret_bytes(secret)
        _require_peer_credentials()  # before listening, rather than at the first connection
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(path)
            os.chmod(path, 0o600)
            listener.listen(128)
        except OSError:
            listener.close()
            raise
        accept = threading.Thread(
            target=self._accept, args=(listener, expected), name="sequencer listener", daemon=True
        )
        with self._lock:
            if self._closing or self._listener is not None:
                listener.close()
                raise LedgerError("this sequencer server is closed or listens already")
            self._listener, self._listen_path = listener, path
            self._threads.append(accept)
            accept.start()

    def serve(self, sock: socket.socket) -> None:
        """Answer requests arriving on ``sock`` in background threads until the other end closes it.

        ``sock``'s other end must be trusted already (a socket pair, or a connection :meth:`listen` admitted).
        """
        outbox: queue.SimpleQueue = queue.SimpleQueue()
        reader = threading.Thread(target=self._read, args=(sock, outbox), name="sequencer server", daemon=True)
        writer = threading.Thread(
            target=self._answer, args=(sock, outbox, reader), name="sequencer answers", daemon=True
        )
        with self._lock:
            if self._closing:
                sock.close()
                return
            self._connections.append(sock)
            self._threads = [thread for thread in self._threads if thread.is_alive()] + [reader, writer]
            reader.start()
            writer.start()

    def close(self) -> None:
        """Stop listening and close every connection (the sequencer itself is its owner's to stop)."""
        with self._lock:
            self._closing = True
            listener, self._listener = self._listener, None
            connections, threads = list(self._connections), list(self._threads)
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
            listener.close()
            with contextlib.suppress(OSError):
                os.unlink(self._listen_path)
        for sock in connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(5)
        for sock in connections:
            sock.close()

    def _accept(self, listener: socket.socket, expected: bytes) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError as exc:
                with self._lock:
                    if self._closing:
                        return
                logger.warning("the ledger's writer could not accept a connection: %s", exc)
                time.sleep(0.1)  # e.g. out of file descriptors: let some close
                continue
            admit = threading.Thread(target=self._admit, args=(conn, expected), name="sequencer handshake")
            admit.daemon = True
            admit.start()

    def _admit(self, conn: socket.socket, expected: bytes) -> None:
        """Serve ``conn`` if its peer is of our user and sends the secret first; else close it, unread."""
        try:
            uid = _peer_uid(conn)
            if uid != os.geteuid():
                logger.warning("the ledger's writer refused a connection from user id %s", uid)
                conn.close()
                return
            conn.settimeout(HANDSHAKE_TIMEOUT)
            offered = _read_raw_frame(conn, MAX_SECRET)
            if not hmac.compare_digest(offered, expected):
                logger.warning("the ledger's writer refused a connection with a wrong secret")
                conn.close()
                return
            conn.sendall(_raw_frame(ACCEPTED))
            conn.settimeout(None)
        except (OSError, ValueError, LedgerError) as exc:
            logger.warning("the ledger's writer refused a connection: %s", exc)
            conn.close()
            return
        self.serve(conn)

    def _read(self, sock: socket.socket, outbox: queue.SimpleQueue) -> None:
        try:
            for requests in _FrameReader(sock).frames():
                if type(requests) is not list:
                    raise TypeError(f"a request frame must be a list, not {type(requests).__name__}")
                answers = _Answers(len(requests), outbox)
                for request_id, data, row, prove in requests:
                    try:
                        future = self._get_sequencer().submit(data, row=row, prove=prove)
                    except Exception as exc:
                        answers.add((request_id, None, _describe(exc)))
                        continue
                    future.add_done_callback(lambda done, rid=request_id, to=answers: to.add(_answer(rid, done)))
        except (OSError, LedgerError, pickle.UnpicklingError, ValueError, TypeError) as exc:
            logger.warning("sequencer connection closed: %s", exc)
        finally:
            outbox.put(None)

    def _answer(self, sock: socket.socket, outbox: queue.SimpleQueue, reader: threading.Thread) -> None:
        """Send the answers; once the connection is over, close it (a web process may be replaced many times)."""
        try:
            self._write(sock, outbox)
        finally:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes the reader if the peer stopped reading first
            reader.join()
            with self._lock:
                if sock in self._connections:
                    self._connections.remove(sock)
            sock.close()

    @staticmethod
    def _write(sock: socket.socket, outbox: queue.SimpleQueue) -> None:
        """Send what is answered, as few frames as the outbox allows; return once the reader is done."""
        done = False
        while not done:
            answers = outbox.get()
            done = answers is None
            frame = [] if done else list(answers)
            with contextlib.suppress(queue.Empty):
                while not done and len(frame) < FRAME_ENTRIES:
                    more = outbox.get_nowait()
                    done = more is None
                    frame += more or []
            try:
                if frame:
                    _send_frames(sock, [frame])
            except OSError:
                return  # the web process went away; its entries are durable or failed, as answered to nobody


class _Answers:
    """The answers to one request frame, put in the outbox together once the last of them is in."""

    __slots__ = ("_answers", "_left", "_lock", "_outbox")

    def __init__(self, count: int, outbox: queue.SimpleQueue):
        self._answers: list = []
        self._left = count
        self._lock = threading.Lock()
        self._outbox = outbox

    def add(self, answer: tuple) -> None:
        with self._lock:
            self._answers.append(answer)
            self._left -= 1
            complete = self._left == 0
        if complete:
            self._outbox.put(self._answers)


def _answer(request_id: int, future: Future) -> tuple:
    exc = future.exception()
    return (request_id, None, _describe(exc)) if exc else (request_id, future.result(), None)


def _describe(exc: BaseException) -> tuple[str, str]:
    return type(exc).__name__, str(exc)


class RemoteSequencer(Submitter):
    """The sequencer of another process, reached over a connected socket (see the module's doc)."""

    @classmethod
    def connect(
        cls,
        path: str,
        secret: str | bytes,
        *,
        on_gone: Callable[[], None] | None = None,
        timeout: float = HANDSHAKE_TIMEOUT,
    ) -> RemoteSequencer:
        """Connect to the sequencer a :class:`SequencerServer` serves on the Unix socket ``path``.

        The server must run as this process's user; it is sent ``secret`` and must accept it. Raise
        :class:`SequencerGone` when it cannot be reached or refuses.
        """
        offered = _secret_bytes(secret)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(path)
            uid = _peer_uid(sock)
            if uid != os.geteuid():
                raise SequencerGone(f"the ledger's writer at {path} runs as user id {uid}, not as this process")
            sock.sendall(_raw_frame(offered))
            if _read_raw_frame(sock, len(ACCEPTED)) != ACCEPTED:
                raise SequencerGone(f"the ledger's writer at {path} answered something else than its acceptance")
            sock.settimeout(None)
        except (OSError, ValueError) as exc:
            sock.close()
            raise SequencerGone(f"the ledger's writer at {path} cannot be reached or refused: {exc}") from exc
        except BaseException:
            sock.close()
            raise
        return cls(sock, on_gone=on_gone)

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
        return self.submit_many([(data, row, prove)])[0]

    def submit_many(self, entries: list[tuple[bytes, SideRow | None, bool]]) -> list[Future[Receipt]]:
        """Send several ``(data, row, prove)`` entries in one frame (or a few); one future each."""
        for data, _row, _prove in entries:
            if not isinstance(data, bytes | bytearray | memoryview):
                raise TypeError(f"entry data must be bytes, not {type(data).__name__}")
        futures: list[Future[Receipt]] = [Future() for _ in entries]
        with self._lock:
            if self._gone is not None:
                for future in futures:
                    future.set_exception(SequencerGone(self._gone))
                return futures
            requests = []
            for (data, row, prove), future in zip(entries, futures, strict=True):
                request_id = next(self._ids)
                self._pending[request_id] = future
                requests.append((request_id, bytes(data), row, bool(prove)))
        frames = [requests[at : at + FRAME_ENTRIES] for at in range(0, len(requests), FRAME_ENTRIES)]
        try:
            with self._send_lock:
                _send_frames(self._sock, frames)
        except OSError as exc:
            self._fail_all(f"the ledger's sequencer process cannot be reached: {exc}")
        return futures

    def _read(self) -> None:
        reason = "the ledger's sequencer process closed the connection"
        try:
            for answers in _FrameReader(self._sock).frames():
                with self._lock:
                    futures = [self._pending.pop(request_id, None) for request_id, _receipt, _error in answers]
                for future, (_request_id, receipt, error) in zip(futures, answers, strict=True):
                    if future is None:
                        continue
                    if error is None:
                        future.set_result(receipt)
                    elif error[0] == EntryRefused.__name__:  # not written: as the owner's sequencer says it
                        future.set_exception(EntryRefused(error[1]))
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
