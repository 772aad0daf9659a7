"""The platform's RFC 3161 time-stamping of ledger checkpoints, from the settings (docs/ledger.md, "Time-stamping").

- ``HUHANG_LEDGER_TSA_URL``: the TSA's URL; empty (the default): no time-stamping;
- ``HUHANG_LEDGER_TSA_HASH``: the imprint's hash, ``sha256`` (default) or ``sm3``;
- ``HUHANG_LEDGER_TSA_INTERVAL``: seconds between two rounds of the background timestamper.

With witnesses configured (``HUHANG_LEDGER_WITNESSES``) the latest *published* (cosigned) note is
time-stamped, since that is the note receipts carry; otherwise the latest signed checkpoint.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from huhang.evidence import ledger_service
from huhang.evidence.witnesses import configured_witnesses
from huhang.ledger.store import StoredTimestamp
from huhang.ledger.timestamp import HASH_NAMES, TimestampError, read_timestamp, timestamp_covers
from huhang.ledger.timestamping import Timestamper, TimestampResult


def tsa_url() -> str:
    """Return ``HUHANG_LEDGER_TSA_URL`` (empty: time-stamping is off)."""
    return (getattr(settings, "HUHANG_LEDGER_TSA_URL", "") or "").strip()


def tsa_hash() -> str:
    name = (getattr(settings, "HUHANG_LEDGER_TSA_HASH", "") or "sha256").strip().lower()
    if name not in HASH_NAMES:
        raise ImproperlyConfigured(
            _("HUHANG_LEDGER_TSA_HASH=%(name)s is not supported: use sha256 or sm3.") % {"name": name}
        )
    return name


def tsa_interval() -> float:
    interval = getattr(settings, "HUHANG_LEDGER_TSA_INTERVAL", 60)
    if not isinstance(interval, int | float) or isinstance(interval, bool) or interval <= 0:
        raise ImproperlyConfigured(
            _("HUHANG_LEDGER_TSA_INTERVAL=%(value)s: want a positive number of seconds.") % {"value": interval}
        )
    return interval


def timestamp_source() -> str:
    """``publication`` when witnesses publish the checkpoints, else ``checkpoint``."""
    return "publication" if configured_witnesses() else "checkpoint"


def ledger_timestamper(**options) -> Timestamper:
    """Return a timestamper of the platform's log with the configured TSA (``timeout``, ``interval``...)."""
    url = tsa_url()
    if not url:
        raise ImproperlyConfigured(_("HUHANG_LEDGER_TSA_URL is not set: no time-stamping authority is configured."))
    options.setdefault("interval", tsa_interval())
    try:
        return Timestamper(ledger_service.open_log(), url, hash_name=tsa_hash(), source=timestamp_source(), **options)
    except ValueError as error:
        raise ImproperlyConfigured(str(error)) from None


def ledger_timestamp_once() -> TimestampResult:
    """Time-stamp the platform log's latest checkpoint (or publication) unless it has a token already."""
    with ledger_timestamper() as timestamper:
        return timestamper.timestamp_once()


def covering_timestamp(log, size: int, note: str) -> StoredTimestamp | None:
    """Return the stored token of checkpoint ``size`` if it time-stamps exactly ``note``, else None.

    Only its imprint is compared here (a receipt's verifier checks the rest): a token of the other note of
    that size (the signed one when the cosigned one is used, or the reverse) does not cover ``note``.
    """
    stamp = log.timestamp(size)
    if stamp is None:
        return None
    try:
        covered = timestamp_covers(read_timestamp(stamp.token), note.encode("utf-8"))
    except TimestampError:
        return None
    return stamp if covered else None
