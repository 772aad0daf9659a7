from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from huhang.accounts.models import ApiToken, Organisation, User
from huhang.accounts.services import api_token_revoke


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "is_demo"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "organisation", "entity", "is_active"]
    list_filter = ["role", "is_active", "organisation__kind"]
    search_fields = ["username", "display_name", "email"]
    raw_id_fields = ["entity"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Huhang role"), {"fields": ("display_name", "role", "organisation", "entity")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        # Keys are issued with `huhang api_token`, which prints the key once.
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("Tokens revoked."))
