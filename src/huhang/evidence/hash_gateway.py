"""``POST /api/v1/evidence/hashes/`` answered ahead of Django's request handling when it is plainly in order.

Partner systems send hash-only evidence in bulk, and the ledger must answer 2,000 of them a second on two
cores. Django's middleware and DRF's dispatch cost about half a millisecond a request, more than the rest
of the work, so this WSGI middleware answers a submission itself when nothing about it needs them:

- a JSON body of at most ``MAX_BODY`` bytes that DRF's parser would read the same way, answered as JSON;
- a host Django allows, and no redirect to HTTPS due;
- an ``Authorization: Token``/``Bearer`` key that authenticates (:func:`huhang.accounts.api_auth.authenticate_key`);
- input the view would accept as it stands (:func:`huhang.evidence.api.plain_hash_input`), naming a holder
  the user may submit for (:func:`huhang.evidence.access.can_submit`);
- a user within the API's rate (the view's throttles, counting in the same histories).

It then calls the same service (:func:`huhang.evidence.services.evidence_submit_hash`) and answers with the
same receipt, rendered by DRF's renderer, with the headers Django's middleware and the view would add (by
their own ``process_response``). Anything else, at the first doubt and before anything is written or
counted, goes on to Django with its body intact, so every refusal is still worded by the one API view.
Answers after the rate was counted (429, the service refusing the input, the ledger unavailable) are made
here through the API's one exception handler, because passing the request on would count it twice.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import DisallowedHost, PermissionDenied, ValidationError
from django.core.handlers.exception import response_for_exception
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.db import close_old_connections, connections
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.urls import set_script_prefix
from django.utils import translation
from django.utils.cache import patch_vary_headers
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from huhang.accounts.api_auth import authenticate_key, token_key
from huhang.evidence import access, api, services
from huhang.ledger.errors import LedgerError
from huhang.site.api_errors import exception_handler

logger = logging.getLogger(__name__)

PATH = "/api/v1/evidence/hashes/"
MAX_BODY = 64 * 1024
_JSON_TYPES = frozenset({"application/json", "application/json; charset=utf-8", "application/json;charset=utf-8"})
_ACCEPTED = frozenset({"", "*/*", "application/json"})
_ALLOW = "POST, OPTIONS"  # what the view answers in Allow


class _Caller:
    """What a throttle reads of a request: its user and its WSGI environment."""

    __slots__ = ("META", "user")

    def __init__(self, user, environ):
        self.user = user
        self.META = environ


def _refusal(exc: Exception) -> Response:
    """The API's answer to ``exc``, as the view gives it (a ledger failure is 503, ``LedgerUnavailable``)."""
    if isinstance(exc, LedgerError):
        exc = api.LedgerUnavailable(str(exc))
    return exception_handler(exc, {})


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")  # as DRF's strict JSON parser


@dataclass(frozen=True)
class _Answer:
    status: str
    headers: list[tuple[str, str]]
    content: bytes


@dataclass(frozen=True)
class _Submission:
    """A submission handed to the ledger, with what its answer needs."""

    pending: services.Pending
    request: WSGIRequest
    language: str


class HashGateway:
    """WSGI middleware: answer plainly valid hash-only submissions; pass everything else to ``app``.

    The gateway's own work runs in one thread of the process (``self._worker``): the server's request
    threads only hand it the request and wait, for that work and for the ledger. Spread over the request
    threads, the same work cost twice the CPU in handing the interpreter's lock from thread to thread.
    """

    def __init__(self, app):
        self.app = app
        self._renderer = JSONRenderer()
        self._security = SecurityMiddleware(lambda request: None)
        self._frames = XFrameOptionsMiddleware(lambda request: None)
        self._languages = {code for code, _name in settings.LANGUAGES}
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hash gateway")

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        body = self._body(environ)
        if body is None:
            return self.app(environ, start_response)
        try:
            step = self._worker.submit(self._begin, environ, body).result()
            if isinstance(step, _Submission):
                with contextlib.suppress(Exception):  # a failed append is answered by _settle
                    step.pending.future.result()
                step = self._worker.submit(self._settle, step).result()
        except Exception as exc:  # what Django's handler would answer (500), logged as it logs it
            response = response_for_exception(WSGIRequest(environ), exc)
            step = _Answer(f"{response.status_code} {response.reason_phrase}", list(response.items()), response.content)
        if step is None:
            environ["wsgi.input"] = io.BytesIO(body)  # Django reads the body again
            return self.app(environ, start_response)
        start_response(step.status, step.headers)
        return [step.content]

    def close(self) -> None:
        """Close the worker thread's database connections and stop it (the process stays up otherwise)."""
        self._worker.submit(connections.close_all).result()
        self._worker.shutdown()

    @staticmethod
    def _body(environ) -> bytes | None:
        """The request's body when it is a small JSON document of a stated length; None otherwise (unread)."""
        if environ.get("CONTENT_TYPE", "").lower() not in _JSON_TYPES or "HTTP_TRANSFER_ENCODING" in environ:
            return None
        if environ.get("HTTP_ACCEPT", "") not in _ACCEPTED or "HTTP_AUTHORIZATION" not in environ:
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return None
        if not 0 < length <= MAX_BODY:
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        return body if len(body) == length else None

    def _begin(self, environ, body: bytes) -> _Submission | _Answer | None:
        """Check the request and submit its evidence; an answer already, or None to pass it on to Django."""
        set_script_prefix(get_script_name(environ))
        close_old_connections()  # as Django does when a request starts
        request = WSGIRequest(environ)
        try:
            request.get_host()
        except DisallowedHost:
            return None
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None
        try:
            key = token_key(environ["HTTP_AUTHORIZATION"].encode("iso-8859-1"))
            payload = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
        except (exceptions.AuthenticationFailed, UnicodeError, ValueError):
            return None
        if key is None:
            return None
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self._languages else settings.LANGUAGE_CODE
        with translation.override(language):
            try:
                user, _token = authenticate_key(key)
            except exceptions.AuthenticationFailed:
                return None
            data = api.plain_hash_input(payload)
            if data is None or data.get("holder") is None or not access.can_submit(user, data["holder"]):
                return None
            refusal = self._throttled(user, environ)
            if refusal is not None:
                return self._answer(request, refusal, language)
            try:
                pending = services.evidence_submit_hash_pending(
                    actor=user, holder=data["holder"], **api.hash_facts(data)
                )
            except (ValidationError, PermissionDenied, LedgerError) as exc:
                return self._answer(request, _refusal(exc), language)
        return _Submission(pending, request, language)

    def _settle(self, step: _Submission) -> _Answer:
        """The answer to a submission whose entry is durable (or failed): the receipt, as the view gives it."""
        try:
            with translation.override(step.language):
                try:
                    response = api.created_response(step.pending.settle())
                except (LedgerError, api.LedgerUnavailable) as exc:
                    response = _refusal(exc)
                return self._answer(step.request, response, step.language)
        finally:
            close_old_connections()  # as Django does when a request ends

    @staticmethod
    def _throttled(user, environ) -> Response | None:
        """Count the request with the view's throttles, as DRF does; the API's 429 answer if one refuses it."""
        view = api.EvidenceHashApi()
        caller = _Caller(user, environ)
        waits = [throttle.wait() for throttle in view.get_throttles() if not throttle.allow_request(caller, view)]
        if not waits:
            return None
        return _refusal(exceptions.Throttled(max((w for w in waits if w is not None), default=None)))

    def _answer(self, request, response: Response, language: str) -> _Answer:
        """Render ``response`` as the view would, with the headers the middleware would add."""
        response.accepted_renderer = self._renderer
        response.accepted_media_type = "application/json"
        response.renderer_context = {}
        response["Allow"] = _ALLOW
        patch_vary_headers(response, ("Accept",))
        response.render()
        response = self._frames.process_response(request, self._security.process_response(request, response))
        response.headers.setdefault("Content-Language", language)
        response["Content-Length"] = str(len(response.content))
        return _Answer(f"{response.status_code} {response.reason_phrase}", list(response.items()), response.content)
