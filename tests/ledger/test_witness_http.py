"""The witness's HTTP interface answers exactly as c2sp.org/tlog-witness says, through a real waitress server."""

import base64
import http.client
from urllib.parse import urlparse

import pytest

from huhang.ledger.note import open_note
from huhang.ledger.witness import BadRequestError
from huhang.ledger.witness_http import SIZE_CONTENT_TYPE, WitnessApp, format_request, parse_request
from tests.ledger.test_witness_support import LogKey, make_witness, new_cosigner_key, serve, signed_log, sqlite_url


@pytest.fixture
def key(origin_prefix):
    return LogKey.new(f"{origin_prefix}/evidence")


@pytest.fixture
def log(tmp_path, key):
    log = signed_log(sqlite_url(tmp_path / "log.sqlite3"), key.verifier.name, key)
    yield log
    log.store.close()


@pytest.fixture
def witness(tmp_path, key):
    witness = make_witness(tmp_path / "witness.sqlite3", new_cosigner_key("witness.example/w1"), key)
    yield witness
    witness.store.close()


@pytest.fixture
def url(witness):
    with serve(WitnessApp(witness, max_body=4096)) as url:
        yield url


def post(url: str, body: bytes, path: str = "/add-checkpoint", method: str = "POST", headers=None):
    """Send one request with http.client; return ``(status, content type, body)``."""
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()


def grow(log, count: int, tag: str = "e") -> str:
    start = log.size
    return log.append([f"{tag}{i}".encode() for i in range(start, start + count)]).checkpoint.note


def test_request_bodies_round_trip():
    proof = [bytes([i]) * 32 for i in range(3)]
    body = format_request(12, proof, "origin\n12\nroot\n\n— sig\n")
    assert body.startswith(b"old 12\n" + base64.b64encode(proof[0]) + b"\n")
    assert parse_request(body) == (12, proof, "origin\n12\nroot\n\n— sig\n".encode())
    assert parse_request(b"old 0\n\ncheckpoint") == (0, [], b"checkpoint")


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"old 1",
        b"old 01\n\ncp",
        b"old -1\n\ncp",
        b"new 1\n\ncp",
        b"old 1 \n\ncp",
        b"old 1\nnot base64!\n\ncp",
        b"old 1\nAAAA\ncp",
        b"old 1\n\n",
        b"old 1\n" + b"AAAA\n" * 64 + b"\ncp",
    ],
)
def test_malformed_request_bodies_are_refused(body):
    with pytest.raises(BadRequestError):
        parse_request(body)


def test_a_checkpoint_is_cosigned_over_http_and_the_state_moves_on(url, witness, log):
    note = grow(log, 3)
    status, content_type, body = post(url, format_request(0, [], note))
    assert status == 200 and content_type.startswith("text/plain"), body
    assert body.startswith("— witness.example/w1 ".encode()) and body.endswith(b"\n")
    assert len(open_note(note + body.decode(), witness.verifiers).signatures) == 1
    newer = grow(log, 4)
    status, _, body = post(url, format_request(3, log.consistency_proof(3), newer))
    assert status == 200, body
    assert witness.latest(log.origin).size == 7


def test_a_stale_old_size_is_409_with_the_size_as_text_x_tlog_size(url, log):
    assert post(url, format_request(0, [], grow(log, 5)))[0] == 200
    newer = grow(log, 1)
    status, content_type, body = post(url, format_request(0, [], newer))
    assert (status, content_type, body) == (409, SIZE_CONTENT_TYPE, b"5\n")
    status, content_type, body = post(url, format_request(3, log.consistency_proof(3), newer))
    assert (status, content_type, body) == (409, SIZE_CONTENT_TYPE, b"5\n")


def test_status_codes_of_refusals(url, log, key, tmp_path, origin_prefix):
    note = grow(log, 4)
    assert post(url, format_request(5, [], note))[0] == 400  # old size > checkpoint size
    assert post(url, b"old 0\n\nnot a checkpoint\n")[0] == 404  # its first line names no known log
    assert post(url, format_request(0, [], note.replace("\n\n", "\n")))[0] == 400
    impostor = signed_log(sqlite_url(tmp_path / "impostor.sqlite3"), log.origin, LogKey.new(log.origin))
    status, content_type, body = post(url, format_request(0, [], grow(impostor, 4)))
    assert status == 403 and content_type.startswith("text/plain") and b"not signed by a key" in body
    stranger_key = LogKey.new(f"{origin_prefix}/stranger")
    stranger = signed_log(sqlite_url(tmp_path / "stranger.sqlite3"), stranger_key.verifier.name, stranger_key)
    status, _, body = post(url, format_request(0, [], grow(stranger, 1)))
    assert status == 404 and b"unknown log" in body
    impostor.store.close()
    stranger.store.close()


def test_truncated_and_modified_proofs_are_422(url, log):
    assert post(url, format_request(0, [], grow(log, 5)))[0] == 200
    note = grow(log, 20)
    proof = log.consistency_proof(5)
    modified = [*proof[:-1], bytes(32)]
    short_hash = [*proof[:-1], proof[-1][:16]]
    for bad in (proof[:-1], modified, short_hash, []):
        status, _, body = post(url, format_request(5, bad, note))
        assert status == 422 and b"consistency proof" in body, (status, body)
    assert post(url, format_request(5, proof, note))[0] == 200


def test_a_fork_is_409_without_a_size(url, witness, log, key, tmp_path):
    assert post(url, format_request(0, [], grow(log, 3)))[0] == 200
    other = signed_log(sqlite_url(tmp_path / "split.sqlite3"), log.origin, key)
    status, content_type, body = post(url, format_request(3, [], grow(other, 3, tag="x")))
    assert status == 409 and content_type.startswith("text/plain") and b"fork" in body
    assert len(witness.evidence(log.origin)) == 1
    other.store.close()


def test_other_paths_methods_and_sizes(url, log):
    assert post(url, b"", path="/", method="GET")[0] == 404
    assert post(url, b"", path="/add-checkpoint/extra")[0] == 404
    status, _, _ = post(url, b"", method="GET")
    assert status == 405
    big = format_request(0, [], grow(log, 1)) + b"x" * 5000
    assert post(url, big)[0] == 413


def test_a_missing_content_length_is_411(witness):
    from tests.ledger.test_witness_support import wsgi_call

    app = WitnessApp(witness)
    environ_call = wsgi_call(app, "POST", "/add-checkpoint", b"")
    assert environ_call[0] == 400  # an empty body is malformed

    answer = {}

    def start_response(status, headers):
        answer["status"] = status

    app({"REQUEST_METHOD": "POST", "PATH_INFO": "/add-checkpoint", "wsgi.input": None}, start_response)
    assert answer["status"].startswith("411")


def test_an_unexpected_failure_is_500_without_details(witness, log, monkeypatch):
    from tests.ledger.test_witness_support import wsgi_call

    def broken(*args):
        raise RuntimeError("database on fire: secret detail")

    monkeypatch.setattr(witness, "add_checkpoint", broken)
    status, _, body = wsgi_call(WitnessApp(witness), "POST", "/add-checkpoint", format_request(0, [], grow(log, 1)))
    assert status == 500 and b"secret" not in body


def test_a_prefix_moves_the_endpoint(witness, log):
    from tests.ledger.test_witness_support import wsgi_call

    app = WitnessApp(witness, prefix="/witness/")
    assert wsgi_call(app, "POST", "/witness/add-checkpoint", format_request(0, [], grow(log, 1)))[0] == 200
    assert wsgi_call(app, "POST", "/add-checkpoint", b"")[0] == 404
