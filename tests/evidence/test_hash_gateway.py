"""The hash gateway answers plainly valid submissions itself, as Django would, and passes on everything else.

Each test sends the same WSGI request to Django's handler alone and to the gateway in front of it, and
compares what comes back: the gateway may only ever be faster.
"""

import hashlib
import json
import sys
import threading
import time
from concurrent.futures import Future

import pytest
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from huhang.accounts.services import api_token_create, api_token_revoke
from huhang.evidence import api as evidence_api
from huhang.evidence import ledger_service
from huhang.evidence.hash_gateway import MAX_BODY, PATH, HashGateway
from huhang.evidence.models import Evidence
from huhang.ledger.receipt import verify_receipt
from huhang.site.throttling import ApiUserRateThrottle

pytestmark = pytest.mark.django_db(transaction=True)

# Headers whose values differ between two answers to two submissions.
PER_ANSWER = {"Location", "Content-Length"}


class Django:
    """Django's WSGI handler, counting the requests that reach it."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.reached = 0

    def __call__(self, environ, start_response):
        self.reached += 1
        return self.handler(environ, start_response)


def call(app, environ) -> tuple[int, dict, bytes]:
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    chunks = app(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return answer["status"], answer["headers"], body


def environ(body: bytes | dict, *, key: str | None = None, content_type: str = "application/json", **extra) -> dict:
    if isinstance(body, dict):
        body = json.dumps(body).encode()
    if key is not None:
        extra.setdefault("HTTP_AUTHORIZATION", f"Token {key}")
    request = RequestFactory().generic("POST", PATH, data=body, content_type=content_type, **extra)
    return request.environ


@pytest.fixture
def django_app():
    return Django()


@pytest.fixture
def gateway(django_app):
    gateway = HashGateway(django_app)
    yield gateway
    gateway.close()


@pytest.fixture
def key(clerk, admin_user):
    caches["throttle"].clear()
    return api_token_create(actor=admin_user, user=clerk, name="partner system")[1]


def _body(holder, **fields) -> dict:
    return {"holder": holder.uscc, "kind": "document", "title": "图纸", "sha256": "ab" * 32, **fields}


def test_a_plain_submission_is_answered_without_django_as_django_answers_it(
    gateway, django_app, ledger, key, holder, clerk
):
    digest = hashlib.sha256(b"secret").hexdigest()
    fast = call(gateway, environ(_body(holder, sha256=digest, size=6), key=key))
    assert django_app.reached == 0
    slow = call(django_app, environ(_body(holder, sha256=digest, size=6), key=key))
    assert django_app.reached == 1
    assert fast[0] == slow[0] == 201
    assert {k: v for k, v in fast[1].items() if k not in PER_ANSWER} == {
        k: v for k, v in slow[1].items() if k not in PER_ANSWER
    }
    assert int(fast[1]["Content-Length"]) == len(fast[2])
    first = Evidence.objects.order_by("ledger_index").first()
    assert fast[1]["Location"] == f"/api/v1/evidence/{first.pk}/receipt/"
    receipt = json.loads(fast[2])
    assert receipt["index"] == first.ledger_index and first.submitted_by == clerk and first.size == 6
    verify_receipt(receipt, verifier_key=ledger.record.verifier_key, file_bytes=b"secret")
    assert set(receipt) == set(json.loads(slow[2])), "the same receipt members"
    assert fast[2].startswith(b'{"') and b"\n" not in fast[2], "rendered by DRF's JSON renderer, compact"


def test_the_language_cookie_sets_the_answers_language(gateway, django_app, ledger, key, holder):
    english = {"HTTP_COOKIE": "huhang_language=en"}
    status, headers, _ = call(gateway, environ(_body(holder), key=key, **english))
    assert (status, headers["Content-Language"], django_app.reached) == (201, "en", 0)
    status, headers, _ = call(gateway, environ(_body(holder, sha256="cd" * 32), key=key))
    assert headers["Content-Language"] == "zh-hans"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"sha256": "xyz"}, id="not-a-hash"),  # refused by the service, after the rate counted it
        pytest.param({"sha256": "AB" * 32}, id="upper-case-hash"),
        pytest.param({"holder": "91420100MA4KXXXXXX"}, id="unknown-holder"),
        pytest.param({"holder": None}, id="no-holder"),
        pytest.param({"kind": "poem"}, id="unknown-kind"),
        pytest.param({"title": ""}, id="blank-title"),
        pytest.param({"size": "12"}, id="size-as-text"),
        pytest.param({"size": 0}, id="size-zero"),
    ],
)
def test_input_not_plainly_valid_is_answered_as_the_view_answers_it(gateway, django_app, ledger, key, holder, change):
    fast = call(gateway, environ({**_body(holder), **change}, key=key))
    slow = call(django_app, environ({**_body(holder), **change}, key=key))
    assert fast[0] == slow[0] and fast[0] in (201, 400)
    assert fast[0] == 201 or fast[2] == slow[2]
    assert Evidence.objects.count() == (2 if fast[0] == 201 else 0)


@pytest.mark.parametrize(
    ("body", "extra", "status"),
    [
        pytest.param(b'{"kind": NaN}', {}, 400, id="nan"),
        pytest.param(b"\xff\xfe{}", {}, 400, id="not-utf8"),
        pytest.param(b"[1, 2]", {}, 400, id="not-an-object"),
        pytest.param(b"x" * (MAX_BODY + 1), {}, 400, id="too-long"),
        pytest.param(None, {"HTTP_AUTHORIZATION": "Token"}, 401, id="token-without-key"),
        pytest.param(None, {"HTTP_AUTHORIZATION": "Token nonsense"}, 401, id="unknown-token"),
        pytest.param(None, {"HTTP_AUTHORIZATION": "Basic eDp5"}, 401, id="other-scheme"),
        pytest.param(None, {"HTTP_HOST": "evil.example"}, 400, id="disallowed-host"),
        pytest.param(None, {"HTTP_ACCEPT": "text/html"}, 201, id="asks-for-html"),
    ],
)
def test_requests_the_gateway_does_not_answer_reach_django_intact(
    gateway, django_app, ledger, key, holder, body, extra, status
):
    payload = body if body is not None else json.dumps(_body(holder)).encode()
    extra.setdefault("HTTP_AUTHORIZATION", f"Token {key}")
    answer = call(gateway, environ(payload, **extra))
    assert django_app.reached == 1
    assert answer[0] == status, answer[2][:300]


def test_a_form_post_goes_to_django(gateway, django_app, ledger, key, holder):
    body = "&".join(f"{k}={v}" for k, v in _body(holder).items()).encode()
    status, _, _ = call(gateway, environ(body, key=key, content_type="application/x-www-form-urlencoded"))
    assert (status, django_app.reached) == (201, 1)


def test_a_revoked_token_or_a_deactivated_user_is_refused_at_once(
    gateway, django_app, ledger, clerk, admin_user, holder
):
    """The gateway keeps a token it read, but the ledger's writer re-checks it in the transaction that would
    append the entry: a token revoked (or a user deactivated) a moment after it was read is refused."""
    token, key = api_token_create(actor=admin_user, user=clerk, name="partner")
    assert call(gateway, environ(_body(holder), key=key))[0] == 201
    size = ledger_service.open_log().size
    api_token_revoke(actor=admin_user, token=token)
    status, headers, _ = call(gateway, environ(_body(holder, sha256="cd" * 32), key=key))
    assert (status, headers.get("WWW-Authenticate"), django_app.reached) == (401, "Token", 1)
    assert call(gateway, environ(_body(holder, sha256="cd" * 32), key=key))[0] == 401
    key = api_token_create(actor=admin_user, user=clerk, name="partner 2")[1]
    assert call(gateway, environ(_body(holder, sha256="ef" * 32), key=key))[0] == 201
    clerk.is_active = False
    clerk.save()
    assert call(gateway, environ(_body(holder, sha256="01" * 32), key=key))[0] == 401
    assert Evidence.objects.count() == 2 and ledger_service.open_log().size == size + 1


def test_a_role_taken_away_after_the_token_was_read_is_seen_by_the_writer(
    gateway, django_app, ledger, key, holder, clerk
):
    assert call(gateway, environ(_body(holder), key=key))[0] == 201
    type(clerk).objects.filter(pk=clerk.pk).update(role="partner")  # no signal: only the database knows
    status, _, body = call(gateway, environ(_body(holder, sha256="cd" * 32), key=key))
    assert (status, django_app.reached, Evidence.objects.count()) == (403, 1, 1)
    assert json.loads(body)["message"]


def test_a_holder_the_user_may_not_submit_for_is_refused_by_the_view(
    gateway, django_app, ledger, stranger, admin_user, holder
):
    key = api_token_create(actor=admin_user, user=stranger, name="theirs")[1]
    status, _, body = call(gateway, environ(_body(holder), key=key))
    assert (status, django_app.reached, Evidence.objects.count()) == (403, 1, 0)
    assert json.loads(body)["message"]


def test_the_rate_is_counted_once_and_shared_with_the_view(gateway, django_app, ledger, key, holder, monkeypatch):
    monkeypatch.setattr(evidence_api.EvidenceHashApi, "throttle_classes", [ApiUserRateThrottle])
    monkeypatch.setattr(ApiUserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    assert call(gateway, environ(_body(holder, sha256="01" * 32), key=key))[0] == 201
    assert call(django_app, environ(_body(holder, sha256="02" * 32), key=key))[0] == 201
    assert call(gateway, environ(_body(holder, title="\x01"), key=key))[0] == 400  # counted here, answered here
    status, headers, body = call(gateway, environ(_body(holder, sha256="03" * 32), key=key))
    assert status == 429 and int(headers["Retry-After"]) > 0 and json.loads(body)["message"]
    assert django_app.reached == 1 and Evidence.objects.count() == 2


def test_a_refusal_of_the_service_after_counting_is_answered_in_the_apis_shape(
    gateway, django_app, ledger, key, holder
):
    fast = call(gateway, environ(_body(holder, title="标题\x07"), key=key))
    slow = call(django_app, environ(_body(holder, title="标题\x07"), key=key))
    assert fast[0] == slow[0] == 400 and django_app.reached == 1
    assert json.loads(fast[2]) == json.loads(slow[2]) and "title" in json.loads(fast[2])["errors"]
    assert {k: v for k, v in fast[1].items() if k != "Content-Length"} == {
        k: v for k, v in slow[1].items() if k != "Content-Length"
    }


def test_without_a_ledger_the_answer_is_503_and_nothing_is_kept(gateway, django_app, key, holder, monkeypatch):
    def no_log(origin=None):
        raise ledger_service.LedgerNotInitialised("no ledger yet: run `huhang ledger init --origin ORIGIN`")

    ledger_service.ledger_reset_for_tests()
    monkeypatch.setattr(ledger_service, "open_log", no_log)
    status, _, body = call(gateway, environ(_body(holder), key=key))
    assert (status, django_app.reached, Evidence.objects.count()) == (503, 0, 0)
    assert "ledger init" in json.loads(body)["message"]


def test_an_unexpected_failure_is_answered_as_django_answers_it(gateway, django_app, ledger, key, holder, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("huhang.evidence.services.prepare_hash_evidence", broken)
    status, _, body = call(gateway, environ(_body(holder), key=key))
    assert status == 500 and django_app.reached == 0 and b"disk on fire" not in body
    assert sys.exc_info() == (None, None, None)


def test_other_paths_and_methods_go_to_django(gateway, django_app, ledger, key, holder):
    request = RequestFactory().get(PATH, HTTP_AUTHORIZATION=f"Token {key}")
    assert call(gateway, request.environ)[0] == 405
    request = RequestFactory().get("/api/v1/evidence/hashes", HTTP_AUTHORIZATION=f"Token {key}")
    call(gateway, request.environ)
    assert django_app.reached == 2


def test_requests_waiting_together_are_checked_and_submitted_as_one_batch(
    gateway, django_app, ledger, key, holder, stranger, admin_user, clerk, monkeypatch
):
    """Held while it answers a first request, the gateway takes the next ones together: one token query and
    one ledger message for all, and each still answered as it would be alone."""
    from huhang.accounts import api_auth

    held, batches, token_queries, messages = threading.Event(), [], [], []
    handle, get_many, submit_many = (
        HashGateway._handle,
        api_auth._TOKEN_LOOKUP.get_many,
        ledger_service.ledger_submit_many,
    )

    def holding(self, jobs):
        batches.append(sum(job.pending is None for job in jobs))
        held.wait(10)
        handle(self, jobs)

    monkeypatch.setattr(HashGateway, "_handle", holding)
    monkeypatch.setattr(api_auth._TOKEN_LOOKUP, "get_many", lambda values: token_queries.append(1) or get_many(values))
    monkeypatch.setattr(
        ledger_service, "ledger_submit_many", lambda entries: messages.append(len(entries)) or submit_many(entries)
    )
    revoked_token, revoked_key = api_token_create(actor=admin_user, user=clerk, name="old")
    api_token_revoke(actor=admin_user, token=revoked_token)
    theirs = api_token_create(actor=admin_user, user=stranger, name="theirs")[1]
    requests = [
        environ(_body(holder, sha256="10" * 32), key=key),  # the first, taken alone
        environ(_body(holder, sha256="11" * 32), key=key),
        environ(_body(holder, sha256="12" * 32), key=revoked_key),  # 401, by Django
        environ(_body(holder, sha256="13" * 32), key=theirs),  # 403, by Django
        environ(_body(holder, sha256="14" * 32, title="\x01"), key=key),  # 400, refused by the service here
        environ(_body(holder, sha256="15" * 32), key=key),
    ]
    answers: dict[int, tuple] = {}
    threads = [threading.Thread(target=lambda i=i: answers.update({i: call(gateway, requests[i])})) for i in range(6)]
    threads[0].start()
    while not batches:
        time.sleep(0.01)
    for thread in threads[1:]:
        thread.start()
    while gateway._inbox.qsize() < 5:
        time.sleep(0.01)
    held.set()
    for thread in threads:
        thread.join(30)
    assert [answers[i][0] for i in range(6)] == [201, 201, 401, 403, 400, 201]
    assert batches[:2] == [1, 5] and token_queries == [1, 1] and messages == [1, 2]
    assert django_app.reached == 2
    rows = Evidence.objects.order_by("ledger_index")
    assert [row.sha256 for row in rows] == ["10" * 32, "11" * 32, "15" * 32]
    for i, digest in ((0, "10"), (1, "11"), (5, "15")):
        receipt = json.loads(answers[i][2])
        assert receipt["index"] == rows.get(sha256=digest * 32).ledger_index
        verify_receipt(receipt, verifier_key=ledger.record.verifier_key)


@pytest.mark.parametrize("cookie", [{}, {"HTTP_COOKIE": "huhang_language=en"}], ids=["chinese", "english"])
def test_every_answer_has_the_headers_django_gives_not_only_the_first(gateway, django_app, ledger, key, holder, cookie):
    for i in range(3):
        digest = hashlib.sha256(f"drawing {i}".encode()).hexdigest()
        fast = call(gateway, environ(_body(holder, sha256=digest), key=key, **cookie))
        slow = call(django_app, environ(_body(holder, sha256=digest[::-1]), key=key, **cookie))
        assert fast[0] == slow[0] == 201
        assert {k: v for k, v in fast[1].items() if k not in PER_ANSWER} == {
            k: v for k, v in slow[1].items() if k not in PER_ANSWER
        }
        receipt = json.loads(fast[2])
        row = Evidence.objects.get(sha256=digest)
        assert fast[1]["Location"] == f"/api/v1/evidence/{row.pk}/receipt/" and receipt["index"] == row.ledger_index
        assert int(fast[1]["Content-Length"]) == len(fast[2])
        assert set(receipt) == set(json.loads(slow[2]))
        verify_receipt(receipt, verifier_key=ledger.record.verifier_key)
    assert django_app.reached == 3


def test_closing_the_gateway_still_answers_what_went_to_the_ledger(gateway, ledger, key, holder, monkeypatch):
    submit_many, submitted = ledger_service.ledger_submit_many, threading.Event()

    def slow_ledger(entries):
        futures, delayed = submit_many(entries), [Future() for _ in entries]

        def later():
            time.sleep(0.5)
            for future, late in zip(futures, delayed, strict=True):
                late.set_result(future.result())

        threading.Thread(target=later).start()
        submitted.set()
        return delayed

    monkeypatch.setattr(ledger_service, "ledger_submit_many", slow_ledger)
    answers = []
    request = threading.Thread(target=lambda: answers.append(call(gateway, environ(_body(holder), key=key))))
    request.start()
    assert submitted.wait(10)
    gateway.close()
    request.join(10)
    assert [answer[0] for answer in answers] == [201] and Evidence.objects.count() == 1


def test_what_the_gateway_keeps_expires_and_refusals_are_never_kept(monkeypatch):
    from huhang.evidence import hash_gateway

    now = [100.0]
    monkeypatch.setattr(hash_gateway.time, "monotonic", lambda: now[0])
    asked: list[set] = []

    def lookup(keys):
        asked.append(set(keys))
        answers = {"unknown": None, "refused": ValueError("refused")}
        return {key: answers.get(key, key.upper()) for key in keys}

    kept = hash_gateway._Recent(2.0, usable=lambda value: value != "STALE")
    assert kept.read({"a", "unknown", "refused", "stale"}, lookup)["a"] == "A"
    assert kept.read({"a", "unknown", "refused", "stale"}, lookup)["unknown"] is None
    assert asked[1] == {"unknown", "refused", "stale"}, "found values are kept; refusals and unusable ones are not"
    now[0] += 2.5
    kept.read({"a"}, lookup)
    assert asked[2] == {"a"}, "read again once expired"
    kept.forget("a")
    kept.read({"a"}, lookup)
    assert asked[3] == {"a"}
    monkeypatch.setattr(hash_gateway, "KEEP_AT_MOST", 3)
    kept.read({f"k{i}" for i in range(4)}, lookup)
    now[0] += 5
    kept.read({"fresh"}, lookup)
    assert set(kept._kept) == {"fresh"}, "expired values swept once more than KEEP_AT_MOST are kept"
