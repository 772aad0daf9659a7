from django.contrib import admin

from huhang.evidence.models import Evidence, LedgerEvent


class InsertOnlyAdmin(admin.ModelAdmin):
    """Evidence and events are written by their services only: the admin reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(InsertOnlyAdmin):
    list_display = ["title", "holder", "kind", "mode", "ledger_index", "submitted_at"]
    list_filter = ["kind", "mode"]
    search_fields = ["title", "sha256"]
    exclude = ["leaf"]


@admin.register(LedgerEvent)
class LedgerEventAdmin(InsertOnlyAdmin):
    list_display = ["kind", "subject", "actor", "ledger_index", "occurred_at"]
    list_filter = ["kind"]
    search_fields = ["subject"]
    exclude = ["leaf"]
