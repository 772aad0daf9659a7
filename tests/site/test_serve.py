"""``huhang serve``: granian's web processes append through this process's ledger writer; behind a trusted
proxy they see the client's address; its background helpers start only when configured."""

import http.client
import io
import json
import multiprocessing
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import Future
from pathlib import Path

import pytest

from huhang.evidence import ledger_service
from huhang.evidence.ledger_service import WRITER_SECRET_VARIABLE, WRITER_SOCKET_VARIABLE
from huhang.ledger.errors import LedgerError
from huhang.ledger.receipt import verify_receipt
from huhang.ledger.remote import RemoteSequencer, SequencerGone, SequencerServer
from huhang.site.management.commands.serve import MAX_SOCKET_PATH, TARGET, Command, writer_directory
from huhang.site.proxy import TRUSTED_PROXY_VARIABLE
from huhang.site.serving import build

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def short_tmpdir():
    """A temporary directory of a short path: the writer's socket goes there (AF_UNIX paths are short)."""
    path = Path(tempfile.mkdtemp(prefix="hs-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _remote_addr_seen(trusted_proxy: str | None, forwarded_for: str) -> str:
    """REMOTE_ADDR as the site sees it for a request from 127.0.0.1, built as a web process builds it."""
    seen = {}

    def app(environ, start_response):
        seen.update(environ)
        return [b""]

    environment = {TRUSTED_PROXY_VARIABLE: trusted_proxy} if trusted_proxy else {}
    environ = {"REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "HTTP_X_FORWARDED_FOR": forwarded_for}
    build(app, environment)(environ, lambda *args: None)
    return seen["REMOTE_ADDR"]


def test_a_trusted_proxy_passes_on_the_client_address():
    assert _remote_addr_seen("127.0.0.1", "203.0.113.7") == "203.0.113.7"


def test_without_a_trusted_proxy_the_header_is_ignored():
    assert _remote_addr_seen(None, "203.0.113.7") == "127.0.0.1"
    assert _remote_addr_seen("10.0.0.2", "203.0.113.7") == "127.0.0.1"


def test_no_publisher_without_witnesses(settings):
    settings.HUHANG_LEDGER_WITNESSES = "[]"
    assert Command(stdout=io.StringIO(), stderr=io.StringIO())._start_publisher() is None


def test_granian_gets_the_writers_socket_and_everything_is_put_back(monkeypatch):
    """What the command hands granian, and that it leaves the process as it found it."""
    seen = {}

    class Granian:
        def __init__(self, target, **options):
            seen.update(target=target, options=options)

        def serve(self):
            seen["start method"] = multiprocessing.get_start_method(allow_none=True)
            path, secret = os.environ[WRITER_SOCKET_VARIABLE], os.environ[WRITER_SECRET_VARIABLE]
            seen["path"], seen["proxy"] = path, os.environ[TRUSTED_PROXY_VARIABLE]
            seen["mode"] = stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode)
            RemoteSequencer.connect(path, secret).stop()
            with pytest.raises(SequencerGone):
                RemoteSequencer.connect(path, "a guess")

    monkeypatch.setattr("granian.server.Server", Granian)
    monkeypatch.delenv(WRITER_SOCKET_VARIABLE, raising=False)
    monkeypatch.setenv(TRUSTED_PROXY_VARIABLE, "192.0.2.1")  # inherited from elsewhere: not believed
    method = multiprocessing.get_start_method(allow_none=True)
    handler = signal.getsignal(signal.SIGTERM)
    Command(stdout=io.StringIO(), stderr=io.StringIO())._serve(
        "127.0.0.1", 8123, workers=3, threads=5, trusted_proxy=None
    )
    assert seen["target"] == TARGET == "huhang.site.serving:application"
    options = seen["options"]
    assert (options["interface"], options["workers"], options["blocking_threads"]) == ("wsgi", 3, 5)
    assert options["respawn_failed_workers"] is True and (options["address"], options["port"]) == ("127.0.0.1", 8123)
    assert seen["start method"] == "spawn" and seen["mode"] == 0o700 and seen["proxy"] == ""
    assert multiprocessing.get_start_method(allow_none=True) == method
    assert signal.getsignal(signal.SIGTERM) == handler
    assert WRITER_SOCKET_VARIABLE not in os.environ and WRITER_SECRET_VARIABLE not in os.environ
    assert os.environ[TRUSTED_PROXY_VARIABLE] == "192.0.2.1"
    assert not os.path.exists(os.path.dirname(seen["path"]))


def test_a_web_process_appends_through_the_writer_its_environment_names(monkeypatch, short_tmpdir):
    class Writer:  # stands for the writer's sequencer
        def submit(self, data, *, row=None, prove=False):
            future = Future()
            future.set_result(("receipt of", data))
            return future

    stopped = threading.Event()
    monkeypatch.setattr(ledger_service, "_exit_for_another", stopped.set)  # instead of SIGTERM to itself
    server = SequencerServer(Writer)
    path = str(short_tmpdir / "writer.sock")
    server.listen(path, "the secret")
    environ = {WRITER_SOCKET_VARIABLE: path, WRITER_SECRET_VARIABLE: "the secret", "PATH": "/usr/bin"}
    try:
        remote = ledger_service.connect_writer_from_environment(environ)
        assert environ == {"PATH": "/usr/bin"}, "the secret must not reach requests or child processes"
        assert ledger_service.sequencer() is remote
        assert ledger_service.ledger_append(b"entry") == ("receipt of", b"entry")
        server.close()  # the writer goes away: the web process stops, to be replaced
        assert stopped.wait(5)
    finally:
        server.close()
        ledger_service.ledger_close()


def test_without_the_variables_a_process_keeps_its_own_sequencer():
    assert ledger_service.connect_writer_from_environment({}) is None
    with pytest.raises(LedgerError, match="go together"):
        ledger_service.connect_writer_from_environment({WRITER_SOCKET_VARIABLE: "/nowhere"})


# -- end to end: `huhang serve --workers 2` in a process of its own ---------------------------------------

_PREPARE = """
import os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huhang.site.settings")
django.setup()
from django.core.management import call_command
from huhang.accounts.models import Organisation, User
from huhang.accounts.roles import OrganisationKind, Role
from huhang.identifiers import uscc_check_char
from huhang.registry.models import Entity
call_command("migrate", verbosity=0)
call_command("ledger", "init", "--origin", "serve.test/evidence", stdout=sys.stderr)
centre = Organisation.objects.create(name="测试保护中心", kind=OrganisationKind.PROTECTION_CENTRE)
User.objects.create(username="clerk", role=Role.HANDLER, organisation=centre)
User.objects.create(username="admin", role=Role.ADMIN, organisation=centre)
code = "914201000000000" + "42"
code += uscc_check_char(code)
Entity.objects.create(uscc=code, kind="enterprise", name="武汉测试科技有限公司")
print(code)
call_command("api_token", user="clerk", name="test", days=1, actor="admin", stderr=sys.stderr)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _web_processes(pid: int) -> set[int]:
    """The web processes granian started for ``pid`` (not multiprocessing's resource tracker)."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) != pid:
                continue
            if b"spawn_main" in (entry / "cmdline").read_bytes():
                found.add(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _post_hash(port: int, key: str, holder: str, n: int) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = {"holder": holder, "kind": "other", "title": f"证据 {n}", "sha256": f"{n:064x}"}
    headers = {"Authorization": f"Token {key}", "Content-Type": "application/json", "Accept": "application/json"}
    try:
        conn.request("POST", "/api/v1/evidence/hashes/", body=json.dumps(body), headers=headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def test_a_long_temporary_directory_is_avoided(monkeypatch, tmp_path):
    deep = tmp_path / ("d" * 60)
    deep.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    directory = writer_directory()
    try:
        assert len(os.path.join(directory, "writer.sock")) < MAX_SOCKET_PATH
        assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
        assert list(deep.iterdir()) == []
    finally:
        os.rmdir(directory)


def test_serve_with_two_web_processes_and_one_writer(tmp_path, short_tmpdir):
    data, temporary = tmp_path / "data", short_tmpdir
    env = dict(os.environ, HUHANG_DATA_DIR=str(data), DATABASE_URL=f"sqlite:///{data / 'huhang.sqlite3'}")
    env.update(TMPDIR=str(temporary), PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{env.get('PYTHONPATH', '')}")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    prepared = subprocess.run(
        [sys.executable, "-c", _PREPARE], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert prepared.returncode == 0, prepared.stderr
    holder, key = prepared.stdout.split()
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    command = [sys.executable, "-m", "huhang", "serve", "--workers", "2", "--no-worker", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "huhang serve did not listen within 60 s"
                time.sleep(0.2)
        answers = [_post_hash(port, key, holder, n) for n in (1, 2)]
        assert [status for status, _ in answers] == [201, 201], answers
        first, second = (receipt["index"] for _, receipt in answers)
        assert second == first + 1
        for _, receipt in answers:
            verify_receipt(receipt, verifier_key=receipt["verifier_key"])
        web = _web_processes(server.pid)
        assert len(web) == 2
        killed = web.pop()
        os.kill(killed, signal.SIGKILL)  # a web process dies: granian starts another, which finds the writer
        _wait_for(lambda: len(_web_processes(server.pid) - {killed}) == 2)
        later = [_post_hash(port, key, holder, n) for n in (3, 4, 5, 6)]
        assert [(status, receipt["index"]) for status, receipt in later] == [(201, second + n) for n in (1, 2, 3, 4)]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
            assert page.status == 200
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            returncode = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
        log.close()
    assert returncode == 0, (tmp_path / "serve.log").read_text()
    assert not [entry for entry in temporary.iterdir() if entry.name.startswith("huhang-ledger-writer-")]
