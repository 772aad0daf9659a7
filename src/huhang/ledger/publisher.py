"""The log's side of witnessing: get the latest checkpoint cosigned, publish it once a quorum has.

A :class:`Publisher` asks each configured witness (c2sp.org/tlog-witness, over HTTP) to cosign the
log's latest checkpoint. It remembers the size each witness last cosigned, learns it from a 409
answer when it guessed wrong, and sends the consistency proof from that size. It checks every
cosignature with the witness's key and, once ``quorum`` witnesses have cosigned, stores the log's
signed note with their cosignature lines appended as the log's publication of that size. Publications
only grow; publishing the same size twice does nothing. Quorum 0 publishes the log's own signed note.

Relying parties check a published checkpoint with :func:`open_cosigned_checkpoint`, demanding
cosignatures from at least ``quorum`` of the witnesses they trust: a log showing different trees to
different witnesses (a split view) cannot collect that quorum for both trees while the witnesses
stay honest, since each witness cosigns only trees consistent with what it cosigned before.
"""

from __future__ import annotations

import http.client
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from huhang.ledger.background import BackgroundRounds
from huhang.ledger.checkpoint import Checkpoint, open_checkpoint
from huhang.ledger.cosignature import CosignatureVerifier, new_cosignature_verifier
from huhang.ledger.errors import LedgerError, NoteError
from huhang.ledger.log import Log
from huhang.ledger.note import Note, NoteSignature, Verifier, open_note
from huhang.ledger.store import SqlStore, StoredCheckpoint
from huhang.ledger.witness import WitnessError
from huhang.ledger.witness_http import SIZE_CONTENT_TYPE, format_request

logger = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 64 * 1024
Transport = Callable[[str, bytes, float], tuple[int, str, bytes]]
"""Send ``body`` by POST to a URL within a timeout; return ``(status, content type, body)``."""


class QuorumError(WitnessError):
    """A checkpoint carries valid cosignatures from fewer trusted witnesses than the quorum."""


class WitnessUnavailableError(WitnessError):
    """A witness could not be reached, or answered something other than the protocol allows."""


@dataclass(frozen=True)
class WitnessEndpoint:
    """A witness as a log configures it: ``name``, submission ``url`` (prefix) and cosignature ``verifier``."""

    name: str
    url: str
    verifier: CosignatureVerifier

    @classmethod
    def of(cls, name: str, url: str, key: str | CosignatureVerifier) -> WitnessEndpoint:
        """Return the endpoint for ``key`` (a cosignature verifier or its key text); the names must agree."""
        verifier = new_cosignature_verifier(key) if isinstance(key, str) else key
        if verifier.name != name:
            raise ValueError(f"witness {name}: its key is named {verifier.name}; use the key's name")
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"witness {name}: URL {url!r} is not http:// or https://")
        return cls(name, url.rstrip("/"), verifier)


@dataclass(frozen=True)
class PublishResult:
    """What :meth:`Publisher.publish_once` did for the checkpoint of ``size`` (None: the log is empty).

    ``cosignatures`` are the verified cosignatures gathered so far for that checkpoint, ``failures``
    say why the other witnesses asked this round did not cosign.
    """

    size: int | None
    published: bool = False
    note: str | None = None
    cosignatures: tuple[NoteSignature, ...] = ()
    failures: dict[str, str] = field(default_factory=dict)

    @property
    def cosigners(self) -> tuple[str, ...]:
        """The names of the witnesses whose cosignatures were gathered, in configuration order."""
        return tuple(s.name for s in self.cosignatures)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # a POST must not turn into a GET elsewhere: report the 3xx instead


_opener = urllib.request.build_opener(_NoRedirects)


def http_transport(url: str, body: bytes, timeout: float) -> tuple[int, str, bytes]:
    """POST ``body`` to ``url`` with urllib; raise :class:`WitnessUnavailableError` if it cannot be sent."""
    if not url.startswith(("http://", "https://")):
        raise WitnessUnavailableError(f"refusing to POST to {url!r}: not an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, data=body, method="POST", headers={"Content-Type": "text/plain; charset=utf-8"}
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read(MAX_RESPONSE_BYTES)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get("Content-Type", ""), error.read(MAX_RESPONSE_BYTES)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise WitnessUnavailableError(f"cannot reach {url}: {reason}") from None


class Publisher(BackgroundRounds):
    """Publish ``log``'s checkpoints once ``quorum`` of ``witnesses`` have cosigned them.

    ``witnesses`` are :class:`WitnessEndpoint` or ``(name, url, key)`` tuples. Publications are
    written through ``store`` (default: a connection of the publisher's own to the log's database).
    """

    _thread_name = "publisher"

    def __init__(
        self,
        log: Log,
        witnesses: Iterable[WitnessEndpoint | tuple[str, str, str | CosignatureVerifier]],
        quorum: int,
        *,
        store: SqlStore | None = None,
        transport: Transport = http_transport,
        timeout: float = 10.0,
        interval: float = 5.0,
    ) -> None:
        self.log = log
        self.witnesses = [w if isinstance(w, WitnessEndpoint) else WitnessEndpoint.of(*w) for w in witnesses]
        names = [w.name for w in self.witnesses]
        if len(set(names)) != len(names):
            raise ValueError(f"two witnesses share a name: {names}")
        if type(quorum) is not int or not 0 <= quorum <= len(self.witnesses):
            raise ValueError(f"quorum must be between 0 and {len(self.witnesses)} (the witnesses), got {quorum!r}")
        self.quorum = quorum
        self._own_store = store is None
        self.store = SqlStore(log.store.url) if store is None else store
        self.transport = transport
        self.timeout = timeout
        self.interval = interval
        self._lock = threading.Lock()  # guards the sizes and cosignatures below
        self._sizes: dict[str, int] = {}
        self._gathered: dict[str, NoteSignature] = {}
        self._gathered_size: int | None = None
        self._init_rounds()

    # -- state -----------------------------------------------------------------------------------

    @property
    def witness_sizes(self) -> dict[str, int]:
        """The size each witness last cosigned, as far as this publisher knows."""
        with self._lock:
            return dict(self._sizes)

    def latest_publication(self) -> tuple[int, str] | None:
        """Return the size and note of the log's latest publication."""
        with self._round:
            return self._latest_publication()

    def _latest_publication(self) -> tuple[int, str] | None:
        return self.store.latest_publication(self.log.record.id)

    # -- one round -------------------------------------------------------------------------------

    def publish_once(self) -> PublishResult:
        """Get the latest checkpoint cosigned by the witnesses and publish it if a quorum cosigned it."""
        with self._round:
            return self._publish_latest()

    def _publish_latest(self) -> PublishResult:
        checkpoint = self.store.latest_checkpoint(self.log.record.id)
        if checkpoint is None:
            return PublishResult(size=None)
        published = self._latest_publication()
        if published is not None and published[0] >= checkpoint.size:
            return PublishResult(checkpoint.size, published=published[0] == checkpoint.size, note=published[1])
        if checkpoint.size > self.log.size:
            self.log.reload()  # another process appended: proofs need the tree up to that size
        with self._lock:
            if self._gathered_size != checkpoint.size:
                self._gathered, self._gathered_size = {}, checkpoint.size
            pending = [w for w in self.witnesses if w.name not in self._gathered]
        failures: dict[str, str] = {}
        if pending:
            with ThreadPoolExecutor(max_workers=len(pending), thread_name_prefix="cosign") as pool:
                outcomes = list(pool.map(lambda w: self._outcome(w, checkpoint), pending))
            with self._lock:
                for endpoint, outcome in zip(pending, outcomes, strict=True):
                    if isinstance(outcome, NoteSignature):
                        if self._gathered_size == checkpoint.size:
                            self._gathered[endpoint.name] = outcome
                    else:
                        failures[endpoint.name] = outcome
        with self._lock:
            signatures = tuple(self._gathered[w.name] for w in self.witnesses if w.name in self._gathered)
        if len(signatures) < self.quorum:
            logger.warning(
                "checkpoint %d of %s: %d of %d cosignatures needed; failures: %s",
                checkpoint.size,
                self.log.origin,
                len(signatures),
                self.quorum,
                failures,
            )
            return PublishResult(checkpoint.size, cosignatures=signatures, failures=failures)
        note = checkpoint.note + "".join(s.to_line() for s in signatures)
        self._publish(checkpoint.size, note)
        return PublishResult(checkpoint.size, published=True, note=note, cosignatures=signatures, failures=failures)

    def _outcome(self, endpoint: WitnessEndpoint, checkpoint: StoredCheckpoint) -> NoteSignature | str:
        try:
            return self._cosign(endpoint, checkpoint)
        except (LedgerError, ValueError) as error:
            logger.info("witness %s did not cosign checkpoint %d: %s", endpoint.name, checkpoint.size, error)
            return str(error)
        except Exception as error:  # one witness's failure must not stop the others
            logger.exception("asking witness %s to cosign failed", endpoint.name)
            return f"unexpected error: {error!r}"

    def _cosign(self, endpoint: WitnessEndpoint, checkpoint: StoredCheckpoint) -> NoteSignature:
        """Ask ``endpoint`` to cosign ``checkpoint``; return its verified cosignature."""
        for _ in range(3):  # a guessed size, the size learnt from a 409, and one more race
            with self._lock:
                old = self._sizes.get(endpoint.name, 0)
            if old > checkpoint.size:
                raise WitnessError(f"witness is at size {old}, beyond checkpoint {checkpoint.size}")
            proof = self.log.consistency_proof(old, checkpoint.size) if 0 < old < checkpoint.size else []
            body = format_request(old, proof, checkpoint.note)
            status, content_type, answer = self.transport(endpoint.url + "/add-checkpoint", body, self.timeout)
            if status == 200:
                signature = _verified_cosignature(endpoint, checkpoint.note, answer)
                with self._lock:
                    self._sizes[endpoint.name] = checkpoint.size
                return signature
            if status == 409 and content_type.split(";")[0].strip() == SIZE_CONTENT_TYPE:
                size = _parse_size(answer)
                with self._lock:
                    self._sizes[endpoint.name] = size
                continue
            reason = answer[:300].decode("utf-8", "replace").strip()
            raise WitnessError(f"HTTP {status}: {reason}" if reason else f"HTTP {status}")
        raise WitnessError("the witness's size kept changing: giving up for this round")

    def _publish(self, size: int, note: str) -> None:
        try:
            self.store.publish(log_id=self.log.record.id, size=size, note=note)
        except Exception:
            published = self._latest_publication()
            if published is None or published[0] < size:
                raise
            # another publisher got there first: publications are idempotent

    # -- in the background -----------------------------------------------------------------------

    def _one_round(self) -> None:
        """Publish the latest checkpoint if it is newer than the latest publication (a round does nothing else)."""
        self.publish_once()


def _verified_cosignature(endpoint: WitnessEndpoint, note: str, answer: bytes) -> NoteSignature:
    try:
        lines = answer.decode("utf-8")
        opened = open_note(note + lines, [endpoint.verifier])
    except UnicodeDecodeError:
        raise WitnessError("the answer is not UTF-8") from None
    except NoteError as error:
        raise WitnessError(f"no valid cosignature by the configured key: {error}") from None
    for signature in opened.signatures:
        if (signature.name, signature.key_id) == (endpoint.verifier.name, endpoint.verifier.key_id):
            return signature
    raise WitnessError("no valid cosignature by the configured key")  # pragma: no cover - open_note ensures one


def _parse_size(answer: bytes) -> int:
    text = answer.decode("ascii", "replace")
    if not text.endswith("\n") or not text[:-1].isdigit() or (len(text) > 2 and text[0] == "0"):
        raise WitnessError(f"409 with a malformed size {text[:40]!r}")
    return int(text[:-1])


def open_cosigned_checkpoint(
    message: str | bytes,
    log_key: Verifier,
    witnesses: Sequence[CosignatureVerifier],
    quorum: int,
    *,
    origin: str | None = None,
) -> tuple[Checkpoint, Note, tuple[str, ...]]:
    """Open a published checkpoint: the log's signature and at least ``quorum`` of ``witnesses``' cosignatures.

    Return the checkpoint, the opened note and the names of the witnesses whose cosignatures verified.
    Signatures by unknown keys are ignored; a bad signature by a known key rejects the note. Raises
    :class:`~huhang.ledger.errors.NoteError` or :class:`~huhang.ledger.errors.CheckpointError` for a
    bad log signature or body, :class:`QuorumError` for too few cosignatures.
    """
    suite = getattr(log_key, "suite", None)
    checkpoint, note = open_checkpoint(message, log_key, others=witnesses, origin=origin, suite=suite)
    trusted = {(w.name, w.key_id) for w in witnesses}
    names = tuple(dict.fromkeys(s.name for s in note.signatures if (s.name, s.key_id) in trusted))
    if len(names) < quorum:
        raise QuorumError(
            f"checkpoint {checkpoint.size} of {checkpoint.origin} is cosigned by {len(names)} trusted witnesses "
            f"({', '.join(names) or 'none'}), {quorum} required"
        )
    return checkpoint, note, names
