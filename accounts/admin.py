from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User
from .role_changes import role_change_warnings


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "role", "client", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "email")
    list_select_related = ("client",)
    autocomplete_fields = ("client",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email")}),
        (_("Role"), {"fields": ("role", "client")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "role", "client", "password1", "password2")}),
    )

    def save_model(self, request, obj, form, change):
        old_role = form.initial.get("role", "") if change else ""
        super().save_model(request, obj, form, change)
        if change and "role" in form.changed_data:
            for warning in role_change_warnings(user=obj, old_role=old_role, new_role=obj.role):
                messages.warning(request, warning)

    def has_delete_permission(self, request, obj=None):
        # Users are deactivated, never deleted (accounts.models.refuse_user_deletion).
        return False
