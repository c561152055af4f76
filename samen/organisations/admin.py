"""The support admin for organisations: every save goes through the audited services."""

from django.contrib import admin

from samen.core import policy
from samen.organisations import services
from samen.organisations.models import Membership, Network, Organisation


class PolicyGatedAdmin(admin.ModelAdmin):
    """Support-admin access decided by THE policy (``organisations.manage``), never by model permissions."""

    def _may_manage(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and policy.can(request.actor, services.MANAGE)

    def has_module_permission(self, request):
        return self._may_manage(request)

    def has_view_permission(self, request, obj=None):
        return self._may_manage(request)

    def has_add_permission(self, request):
        return self._may_manage(request)

    def has_change_permission(self, request, obj=None):
        return self._may_manage(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(PolicyGatedAdmin):
    list_display = ("name", "type", "city", "is_active")
    list_filter = ("type", "is_active")
    search_fields = ("name",)
    fields = ("name", "type", "city", "is_active")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.organisation_update(
                actor=request.actor,
                organisation=obj,
                name=data["name"],
                type=data["type"],
                city=data["city"],
                is_active=data["is_active"],
            )
        else:
            created = services.organisation_create(
                actor=request.actor, name=data["name"], type=data["type"], city=data["city"]
            )
            obj.pk = created.pk


@admin.register(Membership)
class MembershipAdmin(PolicyGatedAdmin):
    list_display = ("user", "organisation", "role", "is_active")
    list_filter = ("role", "is_active", "organisation__type")
    search_fields = ("user__email", "organisation__name")
    autocomplete_fields = ("organisation",)
    raw_id_fields = ("user",)
    list_select_related = ("user", "organisation")

    def get_fields(self, request, obj=None):
        return ("user", "organisation", "role", "job_title") if obj is None else ("is_active",)

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.membership_create(
                actor=request.actor,
                user=form.cleaned_data["user"],
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                job_title=form.cleaned_data["job_title"],
            )
            obj.pk = created.pk
        elif not form.cleaned_data["is_active"] and "is_active" in form.changed_data:
            services.membership_end(actor=request.actor, membership=obj)


@admin.register(Network)
class NetworkAdmin(PolicyGatedAdmin):
    """Read-only here; networks are set up through ``services.network_create``."""

    list_display = ("name",)
    search_fields = ("name",)
    filter_horizontal = ("organisations", "facilitators")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
