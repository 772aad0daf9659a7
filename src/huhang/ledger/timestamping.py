"""Time-stamp a log's checkpoints with an external RFC 3161 time-stamping authority (TSA), and keep the tokens.

A :class:`Timestamper` takes the log's latest checkpoint, asks the TSA to time-stamp the exact UTF-8 bytes
of its signed note (:func:`~huhang.ledger.timestamp.request_timestamp`), checks the token it gets back
(:func:`~huhang.ledger.timestamp.verify_timestamp`: imprint, signature, TSA certificate) and stores it in
``ledger_timestamp`` under the checkpoint's size. One token per size, never replaced: a round for a size
that has a token already does nothing, and a round whose TSA is down or answers badly stores nothing, is
logged and reported, and the next round tries again.

Which note is time-stamped, ``source``:

- ``"checkpoint"`` (no witnesses): the log's latest signed checkpoint, as stored in ``ledger_checkpoint``;
- ``"publication"`` (witnesses configured): the latest *published* note, the log's signed checkpoint with
  the witnesses' cosignature lines (``ledger_publication``). The token then also proves that the
  cosignatures existed at the TSA's time, and it covers exactly the note a receipt carries: receipts use
  the latest publication covering their entry when there is one. Time-stamping waits for the quorum.

Either way the token is over the very bytes that follow the blank line of a receipt's tlog-proof, so a
verifier hashes what it already holds. This module never imports Django.
"""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass

from huhang.ledger.background import BackgroundRounds
from huhang.ledger.log import Log
from huhang.ledger.store import SqlStore, StoredTimestamp
from huhang.ledger.timestamp import (
    HASH_NAMES,
    CertificateInput,
    TimestampError,
    format_gen_time,
    request_timestamp,
    verify_timestamp,
)

logger = logging.getLogger(__name__)

SOURCES = ("checkpoint", "publication")


@dataclass(frozen=True)
class TimestampResult:
    """What :meth:`Timestamper.timestamp_once` did for the checkpoint of ``size`` (None: nothing to stamp yet).

    ``timestamp`` is the checkpoint's stored token (obtained now when ``created``, earlier otherwise);
    ``error`` says why none could be obtained this round.
    """

    size: int | None
    timestamp: StoredTimestamp | None = None
    created: bool = False
    error: str | None = None


def public_tsa_url(url: str) -> str:
    """Return ``url`` without user name, password, query or fragment: what may be stored and put in receipts."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


class Timestamper(BackgroundRounds):
    """Time-stamp ``log``'s latest checkpoint (or publication) with the TSA at ``url``.

    Tokens are written through ``store`` (default: a connection of the timestamper's own to the log's
    database). Give ``tsa_certificates`` or ``trusted_roots`` to accept only tokens of that TSA; without
    them a token must verify with the certificate it embeds.
    """

    _thread_name = "timestamper"

    def __init__(
        self,
        log: Log,
        url: str,
        *,
        hash_name: str = "sha256",
        source: str = "checkpoint",
        store: SqlStore | None = None,
        timeout: float = 10.0,
        interval: float = 60.0,
        tsa_certificates: Sequence[CertificateInput] | None = None,
        trusted_roots: Sequence[CertificateInput] | None = None,
    ) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc.rpartition("@")[2]:
            raise ValueError(f"the TSA URL {public_tsa_url(url)!r} is not an http:// or https:// URL with a host")
        if hash_name not in HASH_NAMES:
            raise ValueError(f"unsupported TSA hash {hash_name!r}: use one of {', '.join(HASH_NAMES)}")
        if source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
        if interval <= 0:
            raise ValueError(f"the interval must be positive, not {interval!r}")
        self.log = log
        self.url = url
        self.tsa_url = public_tsa_url(url)
        self.hash_name = hash_name
        self.source = source
        self.timeout = timeout
        self.interval = interval
        self.tsa_certificates = tsa_certificates
        self.trusted_roots = trusted_roots
        self._own_store = store is None
        self.store = SqlStore(log.store.url) if store is None else store
        self._init_rounds()

    # -- one round -------------------------------------------------------------------------------

    def target(self) -> tuple[int, str] | None:
        """Return ``(size, note)`` of what a round would time-stamp now: None while there is nothing."""
        with self._round:
            return self._target()

    def _target(self) -> tuple[int, str] | None:
        if self.source == "publication":
            published = self.store.latest_publication(self.log.record.id)
            return (published[0], published[1]) if published else None
        latest = self.store.latest_checkpoint(self.log.record.id)
        return (latest.size, latest.note) if latest else None

    def timestamp_once(self) -> TimestampResult:
        """Time-stamp the latest checkpoint (or publication) unless it has a token already."""
        with self._round:
            return self._timestamp_latest()

    def _timestamp_latest(self) -> TimestampResult:
        target = self._target()
        if target is None:
            return TimestampResult(size=None)
        size, note = target
        existing = self.store.timestamp(self.log.record.id, size)
        if existing is not None:
            return TimestampResult(size, existing)
        data = note.encode("utf-8")
        try:
            token = request_timestamp(data, url=self.url, hash_name=self.hash_name, timeout=self.timeout)
            verify_timestamp(token.der, data, tsa_certificates=self.tsa_certificates, trusted_roots=self.trusted_roots)
        except TimestampError as error:
            logger.warning("time-stamping checkpoint %d of %s failed: %s", size, self.log.origin, error)
            return TimestampResult(size, error=str(error))
        stamp = StoredTimestamp(size, token.der, self.tsa_url, format_gen_time(token.gen_time))
        try:
            self.store.add_timestamp(
                log_id=self.log.record.id, size=size, token=stamp.token, tsa_url=stamp.tsa_url, gen_time=stamp.gen_time
            )
        except Exception:
            existing = self.store.timestamp(self.log.record.id, size)
            if existing is None:
                raise
            return TimestampResult(size, existing)  # another process stored one first: one token per size
        logger.info("checkpoint %d of %s time-stamped at %s by %s", size, self.log.origin, stamp.gen_time, self.tsa_url)
        return TimestampResult(size, stamp, created=True)

    # -- in the background -----------------------------------------------------------------------

    def _one_round(self) -> None:
        self.timestamp_once()
