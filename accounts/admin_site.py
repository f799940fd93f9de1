from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.access import Role


class CBAdminSite(admin.AdminSite):
    site_header = _("auditbody administration")
    site_title = _("auditbody")
    index_title = _("Reference data and users")

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_staff and user.role == Role.CB_ADMIN
