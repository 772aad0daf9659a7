"""The API's rate limit: DRF's count, request for request, kept as deques in the process's memory."""

import threading
from collections import deque
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from rest_framework.throttling import UserRateThrottle

from huhang.site.throttling import ApiUserRateThrottle, InProcessCache


@pytest.fixture
def cache():
    cache = InProcessCache("tests-throttling", {})
    yield cache
    cache.clear()


def test_values_are_kept_as_they_are_not_copied(cache):
    history = deque([1.0, 2.0])
    cache.set("k", history, 60)
    assert cache.get("k") is history
    history.appendleft(3.0)
    assert list(cache.get("k")) == [3.0, 1.0, 2.0]


def test_every_threads_instance_shares_the_entries(cache):
    cache.set("k", "v", 60)
    seen = []
    thread = threading.Thread(target=lambda: seen.append(InProcessCache("tests-throttling", {}).get("k")))
    thread.start()
    thread.join()
    assert seen == ["v"] and InProcessCache("another location", {}).get("k") is None
    assert caches["throttle"].get("k") is None


def test_entries_expire_and_are_swept(cache, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("huhang.site.throttling.time.monotonic", lambda: now[0])
    cache.set("short", 1, 5)
    cache.set("forever", 2, None)
    assert cache.add("short", 3) is False and cache.touch("short", 5) is True
    now[0] += 6
    assert cache.get("short", "gone") == "gone" and cache.get("forever") == 2
    assert cache.add("short", 4, 5) is True and cache.get("short") == 4
    monkeypatch.setattr(InProcessCache, "SWEEP_AT", 3)
    for i in range(3):
        cache.set(f"n{i}", i, 1)
    now[0] += 10
    cache.set("fresh", 5, 60)
    assert set(cache._entries) == {cache.make_key("forever"), cache.make_key("fresh")}
    assert cache.delete("fresh") is True and cache.delete("fresh") is False


def _requests(throttle_class, rate: str, times: list[float], monkeypatch) -> list[bool]:
    """Whether each request at ``times`` of one user is let through by a fresh throttle of ``throttle_class``."""
    monkeypatch.setattr(throttle_class, "THROTTLE_RATES", {"user": rate})
    clock = iter(times)
    request = SimpleNamespace(user=SimpleNamespace(is_authenticated=True, pk=7), META={})
    answers = []
    for _ in times:
        throttle = throttle_class()
        throttle.timer = lambda: next(clock)
        answers.append(throttle.allow_request(request, None))
    return answers


def test_the_count_is_drfs_own(monkeypatch):
    caches["throttle"].clear()
    times = [0, 1, 2, 3, 30, 59.5, 60.5, 61, 61.5, 62, 120, 121]

    class Reference(UserRateThrottle):  # DRF's throttle with Django's in-memory cache
        cache = caches["default"]

    caches["default"].clear()
    expected = _requests(Reference, "3/minute", times, monkeypatch)
    assert expected[:6] == [True, True, True, False, False, False] and expected[6:].count(False) >= 2
    assert _requests(ApiUserRateThrottle, "3/minute", times, monkeypatch) == expected
    caches["default"].clear()


def test_threads_counting_at_once_let_through_exactly_the_rate(monkeypatch):
    caches["throttle"].clear()
    monkeypatch.setattr(ApiUserRateThrottle, "THROTTLE_RATES", {"user": "500/hour"})
    request = SimpleNamespace(user=SimpleNamespace(is_authenticated=True, pk=8), META={})
    allowed, errors = [], []

    def hammer():
        for _ in range(100):
            try:
                allowed.append(ApiUserRateThrottle().allow_request(request, None))
            except Exception as exc:  # e.g. popping an emptied history
                errors.append(exc)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and allowed.count(True) == 500 and len(allowed) == 800
