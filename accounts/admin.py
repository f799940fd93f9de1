from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


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


# --- Auditor profiles ---
from simple_history.admin import SimpleHistoryAdmin  # noqa: E402

from core.access import AUDITING_ROLES  # noqa: E402

from .models import AuditorProfile, ConflictOfInterest, Qualification  # noqa: E402
from .services import auditor_profile_check_user  # noqa: E402


class QualificationInline(admin.TabularInline):
    model = Qualification
    extra = 0


class ConflictOfInterestInline(admin.TabularInline):
    model = ConflictOfInterest
    extra = 0
    autocomplete_fields = ("client",)


@admin.register(AuditorProfile)
class AuditorProfileAdmin(SimpleHistoryAdmin):
    list_display = ("user", "registration_number", "gender", "active")
    list_filter = ("active", "gender", "qualifications__family", "qualifications__level")
    search_fields = ("user__username", "user__full_name", "registration_number")
    list_select_related = ("user",)
    filter_horizontal = ("technical_areas",)
    inlines = [QualificationInline, ConflictOfInterestInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(role__in=AUDITING_ROLES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        auditor_profile_check_user(user=obj.user)
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
