from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User
from core.access import AUDITING_ROLES

from .models import AuditorProfile, ConflictOfInterest, Qualification
from .services import auditor_profile_check_user


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
