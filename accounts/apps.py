from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Accounts and roles")


class CBAdminConfig(admin_apps.AdminConfig):
    """Django's admin, open to CB administrators only (not to every is_staff user)."""

    default = False
    default_site = "accounts.admin_site.CBAdminSite"
