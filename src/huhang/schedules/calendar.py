"""The platform's calendar: the ``chinesecalendar`` package's years plus every loaded schedule."""

from __future__ import annotations

import threading

from django.db.models import Count, Max

from huhang.workdays import Calendar, default_calendar

_lock = threading.Lock()
_cached: tuple[tuple, Calendar] | None = None


def platform_calendar() -> Calendar:
    """Return :func:`default_calendar` with every :class:`LoadedSchedule` added; a loaded year overrides.

    Built once and rebuilt when the loaded schedules change (one cheap query per call checks that).
    """
    global _cached
    from huhang.schedules.models import LoadedSchedule

    key = tuple(LoadedSchedule.objects.aggregate(n=Count("id"), last=Max("loaded_at"), top=Max("id")).values())
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    calendar = default_calendar()
    for row in LoadedSchedule.objects.order_by("year"):
        calendar = calendar.with_schedule(row.year_schedule(), replace=True)
    with _lock:
        _cached = (key, calendar)
    return calendar


def invalidate() -> None:
    """Forget the cached calendar (called when a schedule is loaded)."""
    global _cached
    with _lock:
        _cached = None
