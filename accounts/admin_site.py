from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.access import Role, Rule


class _AdminSiteUsers(Rule):
    """Active CB administrators with staff status: who may use Django's admin."""

    label = "cb_admin with staff status"

    def allows(self, user) -> bool:
        return user.is_authenticated and user.is_active and user.is_staff and user.role == Role.CB_ADMIN


ADMIN_SITE_USERS = _AdminSiteUsers()


class CBAdminSite(admin.AdminSite):
    site_header = _("auditbody administration")
    site_title = _("auditbody")
    index_title = _("Reference data and users")
    # The admin's pages check it themselves (has_permission); the menu reads it (core.access.rule_of).
    access_rule = ADMIN_SITE_USERS

    def has_permission(self, request):
        return self.access_rule.allows(request.user)
