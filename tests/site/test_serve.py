"""``huhang serve``: behind a trusted proxy it sees the client's address; its background helpers start only
when configured."""

import http.client
import io
import threading

from waitress.server import create_server

from huhang.site.management.commands.serve import Command, proxy_options


def _remote_addr_seen(options: dict, forwarded_for: str) -> str:
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [environ["REMOTE_ADDR"].encode()]

    server = create_server(app, host="127.0.0.1", port=0, **options)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.effective_port, timeout=10)
        conn.request("GET", "/", headers={"X-Forwarded-For": forwarded_for})
        return conn.getresponse().read().decode()
    finally:
        server.close()


def test_a_trusted_proxy_passes_on_the_client_address():
    assert _remote_addr_seen(proxy_options("127.0.0.1"), "203.0.113.7") == "203.0.113.7"


def test_without_a_trusted_proxy_the_header_is_ignored():
    assert _remote_addr_seen(proxy_options(None), "203.0.113.7") == "127.0.0.1"


def test_no_publisher_without_witnesses(settings):
    settings.HUHANG_LEDGER_WITNESSES = "[]"
    assert Command(stdout=io.StringIO(), stderr=io.StringIO())._start_publisher() is None
