"""The platform's witnesses: who cosigns the ledger's checkpoints, and the witness another organisation runs.

Log side, from the settings:

- ``HUHANG_LEDGER_WITNESSES``: a JSON list (text, or an already parsed list) of
  ``{"name": ..., "url": ..., "key": ...}``, each witness's name, submission URL and cosignature
  verifier key; default none;
- ``HUHANG_LEDGER_QUORUM``: how many of them must cosign a checkpoint before it is published;
  default: all of them.

Witness side (``huhang witness init`` and ``serve``): the witness's database and the key file beside it.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from huhang.evidence import ledger_service
from huhang.ledger.cosignature import generate_cosigner_key, new_cosignature_signer
from huhang.ledger.errors import LedgerError, NoteError
from huhang.ledger.note import NoteVerifier, new_verifier
from huhang.ledger.publisher import Publisher, PublishResult, WitnessEndpoint
from huhang.ledger.witness import Witness, WitnessStore
from huhang.ledger.witness_http import WitnessApp

# -- the log's side --------------------------------------------------------------------------------


def configured_witnesses() -> list[WitnessEndpoint]:
    """Return the witnesses of ``HUHANG_LEDGER_WITNESSES``; raise ImproperlyConfigured if it is malformed."""
    raw = getattr(settings, "HUHANG_LEDGER_WITNESSES", None) or []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else []
        except json.JSONDecodeError as error:
            raise ImproperlyConfigured(f"HUHANG_LEDGER_WITNESSES is not JSON: {error}") from None
    if not isinstance(raw, list):
        raise ImproperlyConfigured("HUHANG_LEDGER_WITNESSES must be a JSON list of {name, url, key} objects")
    witnesses = []
    for position, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or set(item) != {"name", "url", "key"}:
            raise ImproperlyConfigured(f"HUHANG_LEDGER_WITNESSES item {position}: want exactly name, url and key")
        try:
            witnesses.append(WitnessEndpoint.of(item["name"], item["url"], item["key"]))
        except (LedgerError, ValueError) as error:
            raise ImproperlyConfigured(f"HUHANG_LEDGER_WITNESSES item {position}: {error}") from None
    if len({w.name for w in witnesses}) != len(witnesses):
        raise ImproperlyConfigured("HUHANG_LEDGER_WITNESSES names a witness twice")
    return witnesses


def configured_quorum(witnesses: list[WitnessEndpoint]) -> int:
    """Return ``HUHANG_LEDGER_QUORUM`` (default: every witness), checked against ``witnesses``."""
    quorum = getattr(settings, "HUHANG_LEDGER_QUORUM", None)
    if quorum is None:
        return len(witnesses)
    if type(quorum) is not int or not 0 <= quorum <= len(witnesses):
        raise ImproperlyConfigured(
            f"HUHANG_LEDGER_QUORUM={quorum!r}: want a number from 0 to {len(witnesses)} (the configured witnesses)"
        )
    return quorum


def ledger_publisher(**options: float) -> Publisher:
    """Return a publisher of the platform's log to the configured witnesses (``timeout``, ``interval``)."""
    witnesses = configured_witnesses()
    return Publisher(ledger_service.open_log(), witnesses, configured_quorum(witnesses), **options)


def ledger_publish_once() -> PublishResult:
    """Publish the platform log's latest checkpoint once the configured quorum has cosigned it."""
    with ledger_publisher() as publisher:
        return publisher.publish_once()


# -- the witness's side ----------------------------------------------------------------------------


def witness_key_path(db: str, key: str | None = None) -> Path:
    """Return where the witness key lives: ``key``, or beside a SQLite ``db`` file as ``<db>.key``."""
    if key:
        return Path(key)
    parsed = urlparse(db)
    if "://" not in db:
        return Path(db + ".key")
    if parsed.scheme in {"sqlite", "sqlite3"}:
        return Path(unquote(parsed.path) + ".key")
    raise LedgerError("the witness database is not a file: say where its key lives with --key")


def witness_init(*, name: str, db: str, key: str | None = None) -> tuple[str, Path]:
    """Create the witness's database and key; return its cosignature verifier key and the key file's path."""
    path = witness_key_path(db, key)
    if path.exists():
        raise LedgerError(f"{path} exists already: this witness has a key (move it away to make another)")
    try:
        signer_key, verifier_key = generate_cosigner_key(name)
    except NoteError as error:
        raise LedgerError(str(error)) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    if "://" not in db:
        Path(db).parent.mkdir(parents=True, exist_ok=True)
    WitnessStore(db).close()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(signer_key + "\n")
    return verifier_key, path


def witness_open(*, db: str, log_keys: list[str], key: str | None = None) -> Witness:
    """Return the witness of database ``db`` with its key file, following the logs of ``log_keys``.

    Each log is known by its verifier key text; the key's name is the log's origin (several keys of
    one name: any of them may sign).
    """
    path = witness_key_path(db, key)
    try:
        signer = new_cosignature_signer(path.read_text().strip())
    except FileNotFoundError:
        raise LedgerError(f"no witness key at {path}: run `huhang witness init` first") from None
    known: dict[str, list[NoteVerifier]] = defaultdict(list)
    for text in log_keys:
        verifier = new_verifier(text)
        known[verifier.name].append(verifier)
    if not known:
        raise LedgerError("give the verifier key of at least one log to follow (--log-key)")
    return Witness(db, signer, known)


def witness_app(witness: Witness, *, prefix: str = "") -> WitnessApp:
    """Return the WSGI application serving ``witness``."""
    return WitnessApp(witness, prefix=prefix)
