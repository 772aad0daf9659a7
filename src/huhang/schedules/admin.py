from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from huhang.schedules.models import LoadedSchedule


@admin.register(LoadedSchedule)
class LoadedScheduleAdmin(SimpleHistoryAdmin):
    """Read-only: schedules are loaded with ``huhang schedules load`` so each load is validated and audited."""

    list_display = ["year", "source", "published", "loaded_by", "loaded_at"]
    readonly_fields = ["year", "schedule", "source", "published", "loaded_by", "loaded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
