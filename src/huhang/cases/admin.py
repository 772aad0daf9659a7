from django.contrib import admin

from huhang.cases import models as m


@admin.register(m.Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "procedure", "state", "next_due", "is_open", "organisation"]
    list_filter = ["procedure", "is_open", "track", "category"]
    search_fields = ["number", "title"]
    readonly_fields = [f.name for f in m.Case._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ["case", "seq", "action_name_zh", "at", "actor_role", "actor", "recorded_at"]
    search_fields = ["case__number", "action"]
    readonly_fields = [f.name for f in m.CaseEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
