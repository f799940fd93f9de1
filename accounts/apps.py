from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        # A login records last_login with an UPDATE of that column only, so the user's history
        # (simple-history, on every save) holds changes people made, not every login.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(_record_last_login, dispatch_uid="accounts.record_last_login")


def _record_last_login(sender, user, **kwargs):
    from django.utils import timezone

    now = timezone.now()
    type(user)._default_manager.filter(pk=user.pk).update(last_login=now)
    user.last_login = now


class CBAdminConfig(admin_apps.AdminConfig):
    """Django's admin, open to CB administrators only (not to every is_staff user)."""

    default = False
    default_site = "accounts.admin_site.CBAdminSite"
