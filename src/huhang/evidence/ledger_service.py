"""The platform's ledger: one log per instance, opened from the settings, written through one sequencer.

Its tables live in the instance's database (``DATABASE_URL``), created by ``huhang migrate``; its signing
key lives in ``HUHANG_DATA_DIR/ledger/``. Other apps record their events with :func:`ledger_append`.

A process appends through its own sequencer, except the web processes of ``huhang serve``: the serving
process owns the sequencer and they hand it their entries (:func:`connect_writer_from_environment`,
:func:`use_remote_sequencer`), so that the tree has one writer however many processes serve requests.
"""

import functools
import os
import re
import signal
import threading
from concurrent.futures import Future
from pathlib import Path

from django.conf import settings
from django.db import connection, models

from huhang.ledger import new_signer, new_verifier, sign_note
from huhang.ledger.errors import LedgerError
from huhang.ledger.log import Hasher, Log
from huhang.ledger.note import generate_key
from huhang.ledger.remote import RemoteSequencer
from huhang.ledger.sequencer import Receipt, Sequencer
from huhang.ledger.store import Fill, LogRecord, Requirement, SideRow, SqlStore
from huhang.ledger.suites import get_suite

_lock = threading.Lock()
_state: dict[str, object] = {}


class LedgerNotInitialised(LedgerError):
    """No log exists yet: ``huhang ledger init --origin ORIGIN`` creates it."""


def database_url() -> str:
    """Return the URL of the database Django uses now (during tests: the test database)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if db["ENGINE"].endswith("postgresql"):
        host = db.get("HOST") or ""
        auth = f"{db.get('USER') or ''}:{db.get('PASSWORD') or ''}@" if db.get("USER") else ""
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgresql://{auth}{host}{port}/{db['NAME']}"
    raise LedgerError(f"the ledger runs on SQLite or PostgreSQL, not {db['ENGINE']}")


def key_path(origin: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", origin)
    return Path(settings.DATA_DIR) / "ledger" / f"{safe}.key"


def ledger_init(*, origin: str, suite: str = "sha256-ed25519") -> LogRecord:
    """Create the log named ``origin`` with a new signing key; refuse if a log exists already.

    The key is written to a temporary file first and moved into place only once the log's row exists, so a
    failure leaves neither a log without a key nor a stray key.
    """
    store = SqlStore(database_url())
    path = key_path(origin)
    pending = path.with_suffix(".key.new")
    try:
        if store.find_log(origin) is not None:
            raise LedgerError(f"a log named {origin} exists already")
        if path.exists():
            raise LedgerError(f"{path} exists already: move it away before creating a new key")
        signer_key, verifier_key = generate_key(origin, suite=get_suite(suite))
        path.parent.mkdir(parents=True, exist_ok=True)
        pending.unlink(missing_ok=True)
        pending.touch(mode=0o600)
        pending.write_text(signer_key + "\n")
        record = store.create_log(origin=origin, suite=get_suite(suite).name, verifier_key=verifier_key)
        pending.rename(path)
        return record
    finally:
        pending.unlink(missing_ok=True)
        store.close()


def open_log(origin: str | None = None) -> Log:
    """Return this process's handle on the log named ``origin``.

    By default the log named by the setting ``HUHANG_LEDGER_ORIGIN``, or the only log of the database.
    """
    origin = origin or settings.HUHANG_LEDGER_ORIGIN or None
    key = origin or ""
    with _lock:
        log = _state.get(f"log:{key}")
        if log is None:
            store = SqlStore(database_url())
            record = store.find_log(origin)
            if record is None:
                store.close()
                raise LedgerNotInitialised("no ledger yet: run `huhang ledger init --origin ORIGIN`")
            signer = new_signer(key_path(record.origin).read_text().strip())
            log = Log(store, record, Hasher.for_suite(record.suite), lambda body: sign_note(body, [signer]))
            _state[f"log:{key}"] = log
        return log


def sequencer() -> Sequencer | RemoteSequencer:
    with _lock:
        seq = _state.get("sequencer")
    if seq is None:
        log = open_log()
        with _lock:
            seq = _state.setdefault("sequencer", Sequencer(log))
        seq.start()
    return seq


def use_remote_sequencer(remote: RemoteSequencer) -> RemoteSequencer:
    """Append through the sequencer another process serves (:mod:`huhang.ledger.remote`), not one of our own."""
    with _lock:
        _state["sequencer"] = remote
    return remote


#: Set by ``huhang serve`` for its web processes: the writer's Unix socket, and the secret it asks for.
WRITER_SOCKET_VARIABLE = "HUHANG_LEDGER_WRITER_SOCKET"
WRITER_SECRET_VARIABLE = "HUHANG_LEDGER_WRITER_SECRET"  # noqa: S105 - the variable's name


def _exit_for_another() -> None:
    """Without the ledger's writer this process could only fail appends: stop, and be replaced."""
    os.kill(os.getpid(), signal.SIGTERM)


def connect_writer_from_environment(environ=os.environ) -> RemoteSequencer | None:
    """In a web process of ``huhang serve``: append through the writer its environment names, if it does.

    Both variables are removed from ``environ`` (the secret must reach neither requests' environments nor
    child processes). If the connection to the writer is lost later, this process stops itself (SIGTERM)
    and the server starts another. Return the remote sequencer, or None when the variables are not set.
    """
    path = environ.pop(WRITER_SOCKET_VARIABLE, None)
    secret = environ.pop(WRITER_SECRET_VARIABLE, None)
    if not path and not secret:
        return None
    if not (path and secret):
        raise LedgerError(f"{WRITER_SOCKET_VARIABLE} and {WRITER_SECRET_VARIABLE} go together: one is missing")
    return use_remote_sequencer(RemoteSequencer.connect(path, secret, on_gone=_exit_for_another))


def verifier():
    return new_verifier(open_log().record.verifier_key)


def ledger_append(data: bytes, *, row: SideRow | None = None, prove: bool = False) -> Receipt:
    """Append ``data`` as one entry; return its index and signed checkpoint once it is durable.

    ``row`` (see :func:`side_row`) is inserted in the same transaction as the entry; with ``prove`` the
    receipt carries the entry's inclusion proof in that checkpoint's tree.
    """
    return sequencer().append(data, row=row, prove=prove)


def ledger_submit_many(entries: list[tuple[bytes, SideRow | None, bool]]) -> list[Future[Receipt]]:
    """Submit ``(data, row, prove)`` entries as :func:`ledger_append` appends one, without waiting: one future
    each, resolved to the entry's receipt once it is durable. A remote writer gets them in one message."""
    return sequencer().submit_many(entries)


def side_row(
    instance: models.Model, *, index_field: str, checkpoint_size_field: str, require: Requirement | None = None
) -> SideRow:
    """Return the row of the unsaved ``instance``, to be inserted with its ledger entry.

    The fields named ``index_field`` and ``checkpoint_size_field`` receive the entry's index and the size of
    the checkpoint that includes it. Every other value is prepared as Django's own insert prepares it
    (``pre_save``, then ``get_db_prep_save``), so the row is the one ``save()`` would have written. With
    ``require``, the row and its entry are written only if the requirement holds then.
    """
    table, columns, plan = _row_plan(type(instance), index_field, checkpoint_size_field)
    values = []
    for field, fill in plan:
        if fill is not None:
            values.append(fill)
        elif isinstance(field, models.BinaryField):
            values.append(bytes(getattr(instance, field.attname)))  # the driver's own type, not Django's wrapper
        else:
            values.append(field.get_db_prep_save(field.pre_save(instance, True), connection))
    return SideRow(table, columns, tuple(values), require)


@functools.lru_cache(maxsize=32)
def _row_plan(model: type[models.Model], index_field: str, checkpoint_size_field: str):
    """``(table, columns, [(field, Fill or None)])`` of ``model``'s side rows: what :func:`side_row` checks once."""
    meta = model._meta
    fill = {index_field: Fill.INDEX, checkpoint_size_field: Fill.CHECKPOINT_SIZE}
    unknown = set(fill) - {field.attname for field in meta.concrete_fields}
    if unknown:
        raise ValueError(f"{meta.label} has no field {', '.join(sorted(unknown))}")
    for field in meta.concrete_fields:
        if field.has_db_default() or field.generated:
            raise LedgerError(f"{meta.label}.{field.name}: a value the database computes cannot go in a side row")
    plan = [(field, fill.get(field.attname)) for field in meta.concrete_fields]
    return meta.db_table, tuple(field.column for field in meta.concrete_fields), plan


def ledger_reset_for_tests() -> None:
    """Forget the open log and stop the sequencer (tests switch databases between cases)."""
    ledger_close()


def ledger_close() -> None:
    """Stop the sequencer once what was submitted is written, and close the log's connections."""
    with _lock:
        seq = _state.pop("sequencer", None)
        logs = [_state.pop(k) for k in list(_state) if k.startswith("log:")]
    if seq is not None:
        seq.stop()
    for log in logs:
        log.store.close()
