"""The limit of HTTP alone, for the ledger's HTTP benchmark: every request answered 201 with a fixed body.

The benchmark serves this WSGI application with the same server and processes as ``huhang serve`` and drives
it the same way; the body is a real receipt, read from the file named by ``HUHANG_BENCH_BODY``.
"""

import os
from pathlib import Path

BODY = Path(os.environ["HUHANG_BENCH_BODY"]).read_bytes()
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("201 Created", HEADERS)
    return [BODY]
