"""Background work of cases: recomputing clocks once a holiday schedule is loaded, with progress the
worklist shows (kept in the cache, like page imports)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django_tasks import task

from huhang.schedules.models import LoadedSchedule

PROGRESS_KEY = "cases:recompute"
PROGRESS_EVERY_SECONDS = 1.0


def recompute_progress() -> dict | None:
    """``{"year", "done", "total"}`` while a recomputation runs, else None."""
    return cache.get(PROGRESS_KEY)


@task()
def recompute_year(year: int) -> int:
    """Recompute the clocks of every case whose dates touch ``year``; return how many."""
    from huhang.cases import clocks
    from huhang.schedules.calendar import invalidate

    invalidate()
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY_SECONDS or done == total:
            cache.set(PROGRESS_KEY, {"year": year, "done": done, "total": total}, timeout=24 * 3600)
            last = now

    cache.set(PROGRESS_KEY, {"year": year, "done": 0, "total": 0}, timeout=24 * 3600)
    try:
        return clocks.recompute(clocks.affected_by_year(year), progress=progress)
    finally:
        cache.delete(PROGRESS_KEY)


@receiver(post_save, sender=LoadedSchedule)
def _schedule_loaded(sender, instance: LoadedSchedule, **kwargs) -> None:
    year = instance.year
    transaction.on_commit(lambda: recompute_year.enqueue(year))
