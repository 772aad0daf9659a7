"""Official holiday schedules an administrator loads for years the ``chinesecalendar`` package does not cover.

:func:`huhang.schedules.calendar.platform_calendar` is the calendar the rest of the platform computes
deadlines with: :func:`huhang.workdays.default_calendar` plus every :class:`LoadedSchedule`.
"""
