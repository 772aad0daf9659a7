"""Helpers of the witness and publisher tests (no tests here): signed logs, witnesses, WSGI transports."""

from __future__ import annotations

import contextlib
import io
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from waitress import wasyncore
from waitress.server import create_server

from huhang.ledger.cosignature import generate_cosigner_key, new_cosignature_signer
from huhang.ledger.log import Hasher, Log
from huhang.ledger.note import NoteVerifier, generate_key, new_signer, new_verifier, sign_note
from huhang.ledger.store import SqlStore
from huhang.ledger.witness import Witness
from huhang.ledger.witness_http import WitnessApp


@dataclass
class LogKey:
    """A log's signing key text and its verifier."""

    signer_key: str
    verifier: NoteVerifier

    @classmethod
    def new(cls, origin: str, suite: str = "sha256-ed25519") -> LogKey:
        skey, vkey = generate_key(origin, suite=suite)
        return cls(skey, new_verifier(vkey))


def signed_log(url: str, origin: str, key: LogKey) -> Log:
    """Open (creating it if needed) the log ``origin`` in the database at ``url``, signing with ``key``."""
    store = SqlStore(url)
    store.create_schema()
    suite = key.verifier.suite.name
    record = store.find_log(origin) or store.create_log(origin=origin, suite=suite, verifier_key=key.verifier.key)
    signer = new_signer(key.signer_key)
    return Log(store, record, Hasher.for_suite(suite), lambda body: sign_note(body, [signer]))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def new_cosigner_key(name: str) -> str:
    """Return a new cosigner signer key text for witness ``name``."""
    return generate_cosigner_key(name)[0]


def make_witness(location: str | Path, signer_key: str, *logs: LogKey, clock=None) -> Witness:
    """Return a witness keeping its state at ``location`` and following the logs of ``logs``' keys."""
    known = {key.verifier.name: key.verifier for key in logs}
    kwargs = {"clock": clock} if clock is not None else {}
    return Witness(location, new_cosignature_signer(signer_key), known, **kwargs)


def wsgi_call(app: Callable, method: str, path: str, body: bytes = b"") -> tuple[int, str, bytes]:
    """Call a WSGI app in-process; return ``(status, content type, body)``."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "SERVER_NAME": "test",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
    }
    answer: dict = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    data = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"].get("Content-Type", ""), data


class InProcessTransport:
    """A publisher transport that calls witness WSGI apps by URL, counting requests; ``down`` ones fail."""

    def __init__(self, apps: dict[str, WitnessApp]) -> None:
        self.apps = apps
        self.down: set[str] = set()
        self.requests: list[tuple[str, bytes]] = []

    def __call__(self, url: str, body: bytes, timeout: float) -> tuple[int, str, bytes]:
        from huhang.ledger.publisher import WitnessUnavailableError

        base = url.removesuffix("/add-checkpoint")
        self.requests.append((base, body))
        if base in self.down:
            raise WitnessUnavailableError(f"cannot reach {url}: connection refused")
        return wsgi_call(self.apps[base], "POST", "/add-checkpoint", body)


@contextlib.contextmanager
def serve(app: Callable) -> Iterator[str]:
    """Serve ``app`` with waitress on 127.0.0.1 at a random port in a thread; yield its base URL."""
    server = create_server(app, host="127.0.0.1", port=0, threads=4, asyncore_loop_timeout=0.05)
    thread = threading.Thread(target=server.run, name="test waitress", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        # Close every socket from inside the server's own loop, which then ends; then stop its workers.
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        thread.join(10)
        server.task_dispatcher.shutdown()


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
