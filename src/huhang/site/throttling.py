"""API rate limits counted in memory, at a cost that does not grow with the rate.

DRF's throttle keeps, per user, the time of every request in the window, newest first, and stores that
history in a cache after each request. Django's in-memory cache pickles what it stores: at the API's rate
of thousands of requests a minute that is a copy of the whole history twice a request, and a list's
``insert(0, …)`` moves every element. Here the history is a ``deque`` (the same methods, each O(1)) kept in
:class:`InProcessCache`, which keeps objects as they are. The count is the throttle's own, request for
request; it is per process: with N server processes a user may make up to N times HUHANG_API_RATE.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from rest_framework.throttling import UserRateThrottle

# The entries of each LOCATION and the lock that guards them: (key -> (value, expiry)), lock.
_STORES: dict[str, tuple[dict[str, tuple[object, float | None]], threading.Lock]] = {}
_STORES_LOCK = threading.Lock()


class InProcessCache(BaseCache):
    """A cache in the process's memory that keeps each value itself, neither pickled nor copied.

    Meant for values only this process uses and may change in place (the throttle's histories): what
    ``get`` returns is the stored object. As with Django's in-memory cache, every instance with the same
    ``LOCATION`` (Django makes one per thread) shares the entries. Expired entries are dropped as they are
    met and, once the cache holds more than ``SWEEP_AT`` entries, all at once.
    """

    SWEEP_AT = 10_000

    def __init__(self, location, params):
        super().__init__(params)
        with _STORES_LOCK:
            self._entries, self._lock = _STORES.setdefault(location, ({}, threading.Lock()))

    def _expiry(self, timeout) -> float | None:
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        return None if timeout is None else time.monotonic() + timeout  # 0: expired at once, as Django's caches

    def _live(self, key: str):
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[1] is not None and entry[1] <= time.monotonic():
            self._entries.pop(key, None)
            return None
        return entry

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_key(key, version)
        with self._lock:
            if self._live(key) is not None:
                return False
            self._entries[key] = (value, self._expiry(timeout))
            return True

    def get(self, key, default=None, version=None):
        with self._lock:
            entry = self._live(self.make_key(key, version))
        return default if entry is None else entry[0]

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        key = self.make_key(key, version)
        with self._lock:
            self._entries[key] = (value, self._expiry(timeout))
            if len(self._entries) > self.SWEEP_AT:
                now = time.monotonic()
                for expired in [k for k, e in self._entries.items() if e[1] is not None and e[1] <= now]:
                    del self._entries[expired]

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_key(key, version)
        with self._lock:
            entry = self._live(key)
            if entry is None:
                return False
            self._entries[key] = (entry[0], self._expiry(timeout))
            return True

    def delete(self, key, version=None) -> bool:
        with self._lock:
            return self._entries.pop(self.make_key(key, version), None) is not None

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class _Histories:
    """The throttle cache's view of a history: a ``deque``, created empty for a user not seen in the window."""

    def __init__(self, cache):
        self._cache = cache

    def get(self, key, default=None):
        history = self._cache.get(key)
        return deque(default or ()) if history is None else history

    def set(self, key, value, timeout=None):
        self._cache.set(key, value, timeout)


class ApiUserRateThrottle(UserRateThrottle):
    """The API's per-user rate (``HUHANG_API_RATE``), counted as DRF's ``UserRateThrottle`` counts it.

    A history is changed in place, so one request at a time reads and changes the histories of a process.
    """

    cache = _Histories(caches["throttle"])  # any thread's instance: they share their entries
    _lock = threading.Lock()

    def allow_request(self, request, view) -> bool:
        with self._lock:
            return super().allow_request(request, view)
