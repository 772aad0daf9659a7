"""The Django admin shows the supervision rows read-only: every change goes through the services (pages)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from huhang.supervision import models as m


class NoChanges:
    """Nothing is added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoChanges, SimpleHistoryAdmin):
    """Versioned rows, with their history."""


class InsertOnlyAdmin(NoChanges, admin.ModelAdmin):
    """Insert-only rows (no history: they never change)."""


@admin.register(m.Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["code", "title_zh", "period_start", "period_end", "stated_item_count"]


@admin.register(m.WorkItem)
class WorkItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "title_zh", "area", "due_on"]
    list_filter = ["area__programme"]
    search_fields = ["code", "title_zh"]


@admin.register(m.Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "is_demo"]


@admin.register(m.Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["item", "title", "due_on", "done_on"]


@admin.register(m.ProgressReport)
class ProgressReportAdmin(InsertOnlyAdmin):
    list_display = ["item", "status", "percent", "department", "reported_by", "reported_at"]
    search_fields = ["item__code", "text"]


@admin.register(m.SupervisionNote)
class SupervisionNoteAdmin(InsertOnlyAdmin):
    list_display = ["item", "kind", "department", "reply_due_on", "issued_by", "issued_at"]
    search_fields = ["item__code", "text"]
