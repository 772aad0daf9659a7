"""Loading an official holiday schedule: administrators only, validated whole, versioned and audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huhang.accounts.roles import Role
from huhang.audit.services import audit_record
from huhang.schedules import calendar
from huhang.schedules.models import LoadedSchedule
from huhang.workdays import ScheduleError, YearSchedule, default_calendar


def may_load_schedules(user) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


def parse_schedule(text_or_dict: str | bytes | Mapping[str, Any]) -> YearSchedule:
    """Return the schedule in ``text_or_dict`` (JSON text or its parsed object).

    Raises ValidationError with one message per problem the workdays core found.
    """
    try:
        if isinstance(text_or_dict, str | bytes):
            return YearSchedule.from_json(text_or_dict)
        return YearSchedule.from_dict(text_or_dict)
    except ScheduleError as error:
        raise ValidationError(
            [
                ValidationError(_("Invalid holiday schedule: %(problem)s"), code="invalid", params={"problem": p})
                for p in error.problems
            ]
        ) from error


@transaction.atomic
def schedule_load(
    *, actor, text_or_dict: str | bytes | Mapping[str, Any], replace: bool = False, reason: str = ""
) -> LoadedSchedule:
    """Validate and store the official schedule of one year on behalf of ``actor``.

    A year the ``chinesecalendar`` package or an earlier load already covers is refused unless ``replace``
    is true, and a replacement needs a ``reason`` (kept as the history version's change reason). Raises
    PermissionDenied unless ``actor`` is an administrator, ValidationError if the schedule is malformed;
    nothing is stored in either case.
    """
    if not may_load_schedules(actor):
        raise PermissionDenied(_("Only administrators load holiday schedules."))
    schedule = parse_schedule(text_or_dict)
    year = schedule.year
    row = LoadedSchedule.objects.select_for_update().filter(year=year).first()
    covered = row is not None or default_calendar().covers(year)
    reason = reason.strip()
    if covered and not replace:
        raise ValidationError(
            _("The holiday schedule of %(year)s is already covered; replace it only to correct it, with a reason."),
            code="covered",
            params={"year": year},
        )
    if covered and not reason:
        raise ValidationError(_("Give the reason for replacing a loaded holiday schedule."), code="reason")
    row = row or LoadedSchedule(year=year)
    row.schedule = schedule.to_dict()
    row.source = schedule.source[:300]
    row.published = schedule.published
    row.loaded_by = actor
    row.loaded_at = timezone.now()
    row._history_user = actor
    row._change_reason = (reason or f"load {year} schedule")[:100]
    row.save()
    audit_record(
        actor=actor,
        action="schedule.replace" if covered else "schedule.load",
        target=str(year),
        details={"source": schedule.source, "reason": reason},
    )
    transaction.on_commit(calendar.invalidate)
    return row


def schedule_sources() -> list[tuple[int, str, str]]:
    """Return ``(year, origin, source)`` for every year the platform calendar covers, oldest first.

    ``origin`` is ``"loaded"`` for a year an administrator loaded (it overrides the package) and
    ``"package"`` for a year from ``chinesecalendar``.
    """
    loaded = {row.year: row.source for row in LoadedSchedule.objects.all()}
    package = default_calendar()
    rows = [(year, "loaded", source) for year, source in loaded.items()]
    rows += [(year, "package", package.schedule(year).source) for year in package.years if year not in loaded]
    return sorted(rows)
