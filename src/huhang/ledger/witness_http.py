"""The HTTP interface of a witness (c2sp.org/tlog-witness) as a plain WSGI application.

One endpoint, ``POST <prefix>/add-checkpoint``, whose body is ``old <size>\\n``, up to 63 base64
consistency proof lines, an empty line, then the signed checkpoint. Answers:

=====  ========================================================================================
200    cosignature lines (``— <witness> <base64>\\n``), the checkpoint is cosigned
400    malformed body or checkpoint, or old size > checkpoint size
403    no key the witness trusts for the origin signed the checkpoint
404    unknown origin (or another path)
405    not a POST
409    ``Content-Type: text/x.tlog.size``, body ``<size>\\n``: old size is not the witness's size;
       as ``text/plain``: the log signed another root at the witness's size (a fork, recorded)
411    no Content-Length
413    body over the size limit
422    the consistency proof does not verify (recorded when it may show a fork)
=====  ========================================================================================

Every body other than a 200 or a 409 size is one line of plain text saying what went wrong.
Serve it with any WSGI server, e.g. ``waitress.serve(WitnessApp(witness), host=..., port=...)``.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from huhang.ledger.witness import (
    MAX_PROOF_LINES,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    ForkError,
    InconsistentError,
    UnknownLogError,
    Witness,
    WitnessError,
)

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
"""Requests with a larger body are refused (413): a checkpoint, 63 hashes and 100 signatures fit easily."""

SIZE_CONTENT_TYPE = "text/x.tlog.size"
_TEXT = "text/plain; charset=utf-8"
_OLD_LINE = re.compile(rb"old (0|[1-9][0-9]{0,18})\Z")

_STATUS = {
    200: "200 OK",
    400: "400 Bad Request",
    403: "403 Forbidden",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    409: "409 Conflict",
    411: "411 Length Required",
    413: "413 Content Too Large",
    422: "422 Unprocessable Entity",
    500: "500 Internal Server Error",
}
_ERROR_STATUS: list[tuple[type[WitnessError], int]] = [
    (UnknownLogError, 404),
    (ForbiddenError, 403),
    (BadRequestError, 400),
    (ConflictError, 409),
    (ForkError, 409),
    (InconsistentError, 422),
]

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def parse_request(body: bytes) -> tuple[int, list[bytes], bytes]:
    """Split an add-checkpoint request body into ``(old size, proof hashes, signed checkpoint)``.

    Raises :class:`~huhang.ledger.witness.BadRequestError` if the body is malformed.
    """
    first, newline, rest = body.partition(b"\n")
    match = _OLD_LINE.match(first)
    if not newline or match is None:
        raise BadRequestError("the body must start with the line 'old <size>' (decimal, no leading zeros)")
    old_size = int(match.group(1))
    proof: list[bytes] = []
    while True:
        line, newline, rest = rest.partition(b"\n")
        if not newline:
            raise BadRequestError("the proof lines must end with an empty line before the checkpoint")
        if not line:
            break
        if len(proof) == MAX_PROOF_LINES:
            raise BadRequestError(f"more than {MAX_PROOF_LINES} consistency proof lines")
        try:
            proof.append(base64.b64decode(line, validate=True))
        except (binascii.Error, ValueError):
            raise BadRequestError(f"proof line {len(proof) + 1} is not base64") from None
    if not rest:
        raise BadRequestError("the body holds no checkpoint after the proof")
    return old_size, proof, rest


def format_request(old_size: int, proof: Iterable[bytes], signed_checkpoint: str | bytes) -> bytes:
    """Return the add-checkpoint request body for ``signed_checkpoint`` with its proof from ``old_size``."""
    if isinstance(signed_checkpoint, str):
        signed_checkpoint = signed_checkpoint.encode()
    lines = [f"old {old_size}\n".encode(), *(base64.b64encode(h) + b"\n" for h in proof), b"\n"]
    return b"".join(lines) + bytes(signed_checkpoint)


class WitnessApp:
    """The WSGI application serving ``witness`` at ``<prefix>/add-checkpoint``."""

    def __init__(self, witness: Witness, *, prefix: str = "", max_body: int = MAX_BODY_BYTES) -> None:
        self.witness = witness
        self.path = prefix.rstrip("/") + "/add-checkpoint"
        self.max_body = max_body

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        """Answer one request."""
        if environ.get("PATH_INFO", "") != self.path:
            return _reply(start_response, 404, f"no such endpoint: POST {self.path} is the only one")
        if environ.get("REQUEST_METHOD") != "POST":
            return _reply(start_response, 405, "use POST", [("Allow", "POST")])
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return _reply(start_response, 411, "a Content-Length is required")
        if length < 0 or length > self.max_body:
            return _reply(start_response, 413, f"the body may hold at most {self.max_body} bytes")
        body = environ["wsgi.input"].read(length)
        try:
            old_size, proof, checkpoint = parse_request(body)
            lines = self.witness.add_checkpoint(old_size, proof, checkpoint)
        except ConflictError as error:
            return _reply(start_response, 409, f"{error.size}", content_type=SIZE_CONTENT_TYPE)
        except WitnessError as error:
            status = next((code for kind, code in _ERROR_STATUS if isinstance(error, kind)), 400)
            return _reply(start_response, status, str(error))
        except Exception:
            logger.exception("witness failed on a request")
            return _reply(start_response, 500, "internal error: see the witness's log")
        return _reply(start_response, 200, lines.rstrip("\n"))


def _reply(
    start_response: StartResponse,
    status: int,
    text: str,
    headers: list[tuple[str, str]] | None = None,
    *,
    content_type: str = _TEXT,
) -> list[bytes]:
    body = (text + "\n").encode()
    start_response(
        _STATUS[status],
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            *(headers or []),
        ],
    )
    return [body]
