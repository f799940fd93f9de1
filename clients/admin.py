from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Client, ClientDocument, ClientScope, Department, Responsibility, Site


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0


class ClientScopeInline(admin.TabularInline):
    model = ClientScope
    extra = 0


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


class ClientDocumentInline(admin.TabularInline):
    """Read-only here: uploads go through the client page, which checks size and type."""

    model = ClientDocument
    extra = 0
    fields = ("kind", "title", "original_name", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Client)
class ClientAdmin(SimpleHistoryAdmin):
    list_display = ("name_zh", "name_en", "headcount", "ms_contact", "version")
    search_fields = ("name_zh", "name_en")
    filter_horizontal = ("technical_areas",)
    readonly_fields = ("version", "updated_at")
    inlines = [ClientScopeInline, SiteInline, DepartmentInline, ClientDocumentInline]

    def save_model(self, request, obj, form, change):
        # Through the service, so the version moves on and open edit pages see the change.
        services.client_save(client=obj, by=request.user)


@admin.register(Responsibility)
class ResponsibilityAdmin(admin.ModelAdmin):
    list_display = ("department", "clause", "role")
    list_filter = ("role", "clause__standard")
    search_fields = ("department__name_zh", "department__client__name_zh", "clause__number")
    list_select_related = ("department__client", "clause__standard")
    autocomplete_fields = ("department",)
    raw_id_fields = ("clause",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name_zh", "name_en", "client", "order")
    search_fields = ("name_zh", "name_en", "client__name_zh")
    list_select_related = ("client",)
