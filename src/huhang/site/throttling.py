"""API rate limits counted in memory: a file-based cache would cost a file write per request.

The count is per process: with N server processes a user may make up to N times HUHANG_API_RATE.
"""

from django.core.cache import caches
from rest_framework.throttling import UserRateThrottle


class ApiUserRateThrottle(UserRateThrottle):
    cache = caches["throttle"]
