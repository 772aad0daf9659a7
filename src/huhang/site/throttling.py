"""API rate limits counted in memory: a file-based cache would cost a file write per request.

The count is per process: with N server processes a user may make up to N times HUHANG_API_RATE.
"""

from array import array

from django.core.cache import caches
from rest_framework.throttling import UserRateThrottle


class CompactHistories:
    """A cache handing each throttle history out as an array of floats.

    DRF's throttle keeps, per user, the time of every request in the window, and the in-memory cache pickles
    that list on every request: one float at a time, about 0.1 ms per thousand requests in the window. An
    ``array('d')`` has the same methods the throttle uses and pickles as one block.
    """

    def __init__(self, cache):
        self._cache = cache

    def get(self, key, default=None):
        history = self._cache.get(key, default)
        return array("d", history) if isinstance(history, list) else history

    def set(self, key, value, timeout=None):
        self._cache.set(key, value, timeout)


class ApiUserRateThrottle(UserRateThrottle):
    """The API's per-user rate (``HUHANG_API_RATE``), counted as DRF's ``UserRateThrottle`` counts it."""

    cache = CompactHistories(caches["throttle"])
