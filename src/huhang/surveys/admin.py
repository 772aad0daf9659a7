from django.contrib import admin

from huhang.surveys import models as m


class ReadOnly(admin.ModelAdmin):
    """Survey records change only through the services (publish, answer, mark as not counted)."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.Questionnaire)
class QuestionnaireAdmin(ReadOnly):
    list_display = ["code", "version", "title_zh", "indicator", "on_portal", "for_cases", "published_at"]
    list_filter = ["code", "indicator"]


@admin.register(m.Answer)
class AnswerAdmin(ReadOnly):
    list_display = ["id", "code", "channel", "respondent_type", "district", "submitted_at", "score", "flag", "is_demo"]
    list_filter = ["channel", "flag", "respondent_type", "is_demo"]
    date_hierarchy = "submitted_at"


@admin.register(m.Invitation)
class InvitationAdmin(ReadOnly):
    list_display = ["id", "case", "party", "created_at", "expires_at", "answered_at"]
    search_fields = ["case__number"]
