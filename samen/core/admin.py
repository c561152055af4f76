from django.contrib import admin

from samen.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only, and only for those given the audit log's own permission (``core.view_auditentry``)."""

    list_display = (
        "sequence",
        "occurred_at",
        "stream",
        "stream_sequence",
        "action",
        "outcome",
        "role",
        "organisation_name",
        "data_category",
    )
    list_filter = ("action", "outcome", "purpose")
    search_fields = ("=household_id", "=user_id", "=stream", "object_type")
    ordering = ("-sequence",)
    show_full_result_count = False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.has_perm("core.view_auditentry")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
