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

It then calls the same service (:func:`huhang.evidence.services.evidence_submit_hash`, in its two steps
:func:`~huhang.evidence.services.prepare_hash_evidence` and :func:`~huhang.evidence.services.submit_with_rows`)
and answers with the same receipt, rendered by DRF's renderer, with the headers Django's middleware and the
view would add (by their own ``process_response``). Anything else, at the first doubt and before anything
is written or counted, goes on to Django with its body intact, so every refusal is still worded by the one
API view. Answers after the rate was counted (429, the service refusing the input, the ledger unavailable)
are made here through the API's one exception handler, because passing the request on would count it twice.

The work is done in batches, by one thread of the process: the server's request threads hand it their
requests and wait. It takes every request waiting, checks them, submits their entries to the ledger in one
message, goes on with the next requests while the ledger writes, and answers each once its entry is
durable. A request costs a fraction of a message that way, and the process's threads hand over the
interpreter's lock twice a request instead of six times.

Tokens and holders are read for several requests at once (one query each for a batch) and kept for a few
seconds (``AUTH_TTL``, ``HOLDER_TTL``): a query right after the ledger's writer committed costs more than
the rest of a request, because the database must first re-read what changed. A revoked token is still
refused at once: each entry goes to the ledger with the requirement that its token is still usable and its
user unchanged (:func:`huhang.accounts.api_auth.still_authorised`), which the writer checks in the very
transaction that would append it; an entry refused so is passed on to Django, which reads the token afresh
and answers as it answers any request with it. A holder's name and identifier in a leaf are those read at
most ``HOLDER_TTL`` seconds before (a holder is renamed by an administrator's edit, not by a submission).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import queue
import threading
import time

from django.conf import settings
from django.core.exceptions import DisallowedHost, PermissionDenied, ValidationError
from django.core.handlers.exception import response_for_exception
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.db import close_old_connections, connections
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.urls import set_script_prefix
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from huhang.accounts.api_auth import authenticate_keys, still_authorised, token_key
from huhang.evidence import access, api, services
from huhang.ledger.errors import EntryRefused, LedgerError
from huhang.site.api_errors import exception_handler

logger = logging.getLogger(__name__)

PATH = "/api/v1/evidence/hashes/"
MAX_BODY = 64 * 1024
MAX_BATCH = 256  # requests the gateway's thread takes at once (no more wait than the server has threads)
AUTH_TTL = 10.0  # seconds a token that authenticated is used without reading it again (the writer re-checks it)
HOLDER_TTL = 2.0  # seconds a holder read is used without reading it again
KEEP_AT_MOST = 10_000  # tokens or holders kept; beyond, the expired ones are dropped
_JSON_TYPES = frozenset({"application/json", "application/json; charset=utf-8", "application/json;charset=utf-8"})
_ACCEPTED = frozenset({"", "*/*", "application/json"})
_ALLOW = "POST, OPTIONS"  # what the view answers in Allow
_STOP = object()
_CREATED = "201 Created"
_PER_ANSWER = frozenset({"Location", "Content-Length"})


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


class _Answer:
    """What the server sends back: status line, headers and body."""

    __slots__ = ("content", "headers", "status")

    def __init__(self, status: str, headers: list[tuple[str, str]], content: bytes):
        self.status, self.headers, self.content = status, headers, content

    @classmethod
    def of(cls, response) -> _Answer:
        return cls(f"{response.status_code} {response.reason_phrase}", list(response.items()), response.content)


class _Job:
    """A request on its way through the gateway's thread; its own thread waits in :meth:`wait`.

    It is finished with an answer, with None (pass it on to Django) or with an error (answered as Django
    answers an unexpected exception), and its thread released once the gateway's thread is done with the
    batch: a released thread takes the interpreter's lock from the gateway's thread at once, so releasing
    each job as it is answered would interrupt the batch once per job.
    """

    __slots__ = (
        "_done",
        "answer",
        "body",
        "environ",
        "error",
        "finished",
        "key",
        "language",
        "payload",
        "pending",
        "request",
    )

    def __init__(self, environ, body: bytes):
        self.environ, self.body = environ, body
        self.answer: _Answer | None = None
        self.error: Exception | None = None
        self.request: WSGIRequest | None = None
        self.key = self.payload = self.pending = None
        self.language = settings.LANGUAGE_CODE
        self.finished = False
        self._done = threading.Lock()
        self._done.acquire()

    def finish(self, answer: _Answer | None = None, *, error: Exception | None = None) -> None:
        """Keep the job's outcome (the first one given); :meth:`release` hands it to the waiting thread."""
        if not self.finished:
            self.answer, self.error, self.finished = answer, error, True

    def release(self) -> None:
        if self.finished and self._done.locked():
            self._done.release()

    def wait(self) -> None:
        self._done.acquire()


class _Recent:
    """What was read lately, kept ``ttl`` seconds (and while ``usable(value)``): of each lookup only its found
    values, not the refusals (None or an exception)."""

    def __init__(self, ttl: float, usable=lambda value: True):
        self.ttl = ttl
        self.usable = usable
        self._kept: dict[str, tuple[float, object]] = {}

    def read(self, keys: set[str], lookup) -> dict:
        """``{key: value}`` for ``keys``: those kept and not expired, the others from ``lookup(missing)``."""
        now = time.monotonic()
        found, missing = {}, set()
        for key in keys:
            kept = self._kept.get(key)
            if kept is not None and kept[0] > now and self.usable(kept[1]):
                found[key] = kept[1]
            else:
                missing.add(key)
        if missing:
            fresh = lookup(missing)
            found.update(fresh)
            if len(self._kept) > KEEP_AT_MOST:
                self._kept = {k: v for k, v in self._kept.items() if v[0] > now}
            for key, value in fresh.items():
                if value is None or isinstance(value, Exception):
                    self._kept.pop(key, None)
                else:
                    self._kept[key] = (now + self.ttl, value)
        return found

    def forget(self, key: str) -> None:
        self._kept.pop(key, None)


def _token_unexpired(authenticated: tuple) -> bool:
    """Whether the token of a kept ``(user, token)`` has not expired since it was read."""
    return authenticated[1].is_usable(timezone.now())


def _by_language(jobs: list[_Job]) -> list[tuple[str, list[_Job]]]:
    """The jobs by the language of their answers (switching languages costs more than a job's own work)."""
    groups: dict[str, list[_Job]] = {}
    for job in jobs:
        groups.setdefault(job.language, []).append(job)
    return list(groups.items())


class HashGateway:
    """WSGI middleware: answer plainly valid hash-only submissions; pass everything else to ``app``.

    The gateway's own work runs in batches in one thread of the process (see the module's doc).
    """

    def __init__(self, app):
        self.app = app
        self._renderer = JSONRenderer()
        self._security = SecurityMiddleware(lambda request: None)
        self._frames = XFrameOptionsMiddleware(lambda request: None)
        self._languages = {code for code, _name in settings.LANGUAGES}
        # The headers of a receipt's answer but Location and Content-Length, by language and HTTPS or not.
        self._created_headers: dict[tuple[str, bool], list[tuple[str, str]]] = {}
        self._authenticated = _Recent(AUTH_TTL, _token_unexpired)  # key -> (user, token)
        self._holders = _Recent(HOLDER_TTL)  # identifier as sent -> Entity
        self._inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._submitted = 0  # jobs whose entries went to the ledger and are not answered yet
        self._thread = threading.Thread(target=self._work, name="hash gateway", daemon=True)
        self._thread.start()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        body = self._body(environ)
        if body is None:
            return self.app(environ, start_response)
        job = _Job(environ, body)
        self._inbox.put(job)
        job.wait()
        answer = job.answer
        if job.error is not None:
            try:
                raise job.error
            except Exception as exc:  # what Django's handler would answer (500), logged as it logs it
                response = response_for_exception(WSGIRequest(environ), exc)
            answer = _Answer.of(response)
        if answer is None:
            environ["wsgi.input"] = io.BytesIO(body)  # Django reads the body again
            return self.app(environ, start_response)
        start_response(answer.status, answer.headers)
        return [answer.content]

    def close(self) -> None:
        """Stop the gateway's thread once it answered what it took, and close its database connections."""
        self._inbox.put(_STOP)
        self._thread.join()

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

    # --- The gateway's thread ----------------------------------------------------------------------------

    def _work(self) -> None:
        """Take the waiting jobs, settle those whose entries are written and begin the new ones; until stopped
        and every entry submitted is answered (requests that come after the stop are left to Django)."""
        stopping = False
        while not stopping or self._submitted:
            jobs = [self._inbox.get()]
            with contextlib.suppress(queue.Empty):
                while len(jobs) < MAX_BATCH:
                    jobs.append(self._inbox.get_nowait())
            stopping = stopping or _STOP in jobs
            jobs = [job for job in jobs if job is not _STOP]
            if stopping:
                for job in jobs:
                    if job.pending is None:
                        job.finish()
            self._handle([job for job in jobs if not job.finished])
            for job in jobs:
                job.release()
        connections.close_all()

    def _handle(self, jobs: list[_Job]) -> None:
        """Settle the jobs whose entries are written and begin the new ones, together (:meth:`_work` then
        releases those finished; the others wait for the ledger)."""
        try:
            close_old_connections()  # as Django does when a request starts
            self._settle([job for job in jobs if job.pending is not None])
            self._begin([job for job in jobs if job.pending is None])
        except Exception as exc:  # a failure of the batch (its queries): each request is answered with it
            for job in jobs:
                job.finish(error=exc)

    def _begin(self, jobs: list[_Job]) -> None:
        """Check new requests, those that pass together, and submit their evidence to the ledger in one message."""
        ready = []
        for job in jobs:
            try:
                if self._read(job):
                    ready.append(job)
            except Exception as exc:
                job.finish(error=exc)
        if not ready:
            return
        jobs = ready
        users = self._authenticated.read({job.key for job in jobs}, authenticate_keys)
        named = {job.payload.get("holder") for job in jobs if type(job.payload) is dict}
        holders = self._holders.read({text for text in named if isinstance(text, str) and text}, api.find_holders)
        admitted = []
        for language, group in _by_language(jobs):
            with translation.override(language):
                for job in group:
                    try:
                        evidence = self._admit(job, users[job.key], holders)
                    except Exception as exc:
                        job.finish(error=exc)
                        continue
                    if evidence is not None:
                        admitted.append((job, evidence))
        if not admitted:
            return
        needs = {job.key: still_authorised(users[job.key][1]) for job, _evidence in admitted}
        try:
            pending = services.submit_with_rows(
                [evidence for _job, evidence in admitted],
                prove=True,
                requirements=[needs[job.key] for job, _evidence in admitted],
            )
        except LedgerError as exc:
            for language, group in _by_language([job for job, _evidence in admitted]):
                with translation.override(language):
                    for job in group:
                        job.finish(self._answer(job, _refusal(exc)))
            return
        self._submitted += len(admitted)
        for (job, _evidence), each in zip(admitted, pending, strict=True):
            job.pending = each
            each.future.add_done_callback(lambda _done, job=job: self._inbox.put(job))

    def _read(self, job: _Job) -> bool:
        """Read what needs no query of ``job``: host, scheme, token key, JSON, language. False if it is passed on."""
        environ = job.environ
        set_script_prefix(get_script_name(environ))
        request = WSGIRequest(environ)
        try:
            request.get_host()
        except DisallowedHost:
            job.finish()
            return False
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            job.finish()
            return False
        try:
            key = token_key(environ["HTTP_AUTHORIZATION"].encode("iso-8859-1"))
            payload = json.loads(job.body.decode("utf-8"), parse_constant=_refuse_constant)
        except (exceptions.AuthenticationFailed, UnicodeError, ValueError):
            key = None
        if key is None:
            job.finish()
            return False
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        job.request, job.key, job.payload = request, key, payload
        job.language = chosen if chosen in self._languages else settings.LANGUAGE_CODE
        return True

    def _admit(self, job: _Job, authenticated, holders: dict):
        """The unsaved evidence of ``job``, ready to submit; or None once ``job`` is answered or passed on."""
        if isinstance(authenticated, exceptions.AuthenticationFailed):
            job.finish()
            return None
        user = authenticated[0]
        data = api.plain_hash_input(job.payload, holders)
        if data is None or data.get("holder") is None or not access.can_submit(user, data["holder"]):
            job.finish()
            return None
        refusal = self._throttled(user, job.environ)
        if refusal is not None:
            job.finish(self._answer(job, refusal))
            return None
        try:
            return services.prepare_hash_evidence(actor=user, holder=data["holder"], **api.hash_facts(data))
        except (ValidationError, PermissionDenied) as exc:
            job.finish(self._answer(job, _refusal(exc)))
            return None

    def _settle(self, jobs: list[_Job]) -> None:
        """Answer the jobs whose entries are durable (or failed) with the receipt, as the view gives it."""
        self._submitted -= len(jobs)
        for language, group in _by_language(jobs):
            with translation.override(language):
                for job in group:
                    set_script_prefix(get_script_name(job.environ))  # the receipt names the verification page
                    try:
                        try:
                            job.finish(self._created(job, job.pending.settle()))
                        except EntryRefused:  # its token or user changed since it was read: Django reads them again
                            self._authenticated.forget(job.key)
                            job.finish()
                        except (LedgerError, api.LedgerUnavailable) as exc:
                            job.finish(self._answer(job, _refusal(exc)))
                    except Exception as exc:
                        job.finish(error=exc)

    @staticmethod
    def _throttled(user, environ) -> Response | None:
        """Count the request with the view's throttles, as DRF does; the API's 429 answer if one refuses it."""
        view = api.EvidenceHashApi()
        caller = _Caller(user, environ)
        waits = [throttle.wait() for throttle in view.get_throttles() if not throttle.allow_request(caller, view)]
        if not waits:
            return None
        return _refusal(exceptions.Throttled(max((w for w in waits if w is not None), default=None)))

    def _created(self, job: _Job, evidence) -> _Answer:
        """The view's 201 answer with the receipt of ``evidence``.

        The first in each language (and scheme) is made in full, as any answer (:meth:`_answer`); the next
        ones repeat its headers, which depend on neither the receipt nor the evidence, with their own body,
        ``Location`` and ``Content-Length``.
        """
        key = (job.language, job.request.is_secure())
        shared = self._created_headers.get(key)
        if shared is None:
            answer = self._answer(job, api.created_response(evidence))
            self._created_headers[key] = [(k, v) for k, v in answer.headers if k not in _PER_ANSWER]
            return answer
        content = self._renderer.render(api.created_receipt(evidence), "application/json", {})
        location = api.receipt_location(evidence)
        return _Answer(_CREATED, [*shared, ("Location", location), ("Content-Length", str(len(content)))], content)

    def _answer(self, job: _Job, response: Response) -> _Answer:
        """Render ``response`` as the view would, with the headers the middleware would add."""
        request = job.request
        response.accepted_renderer = self._renderer
        response.accepted_media_type = "application/json"
        response.renderer_context = {}
        response["Allow"] = _ALLOW
        patch_vary_headers(response, ("Accept",))
        response.render()
        response = self._frames.process_response(request, self._security.process_response(request, response))
        response.headers.setdefault("Content-Language", job.language)
        response["Content-Length"] = str(len(response.content))
        return _Answer.of(response)
