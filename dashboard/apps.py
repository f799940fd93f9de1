from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """Each role's start page and the CB's figures at a glance (charts with their numbers), and the
    weekly e-mail digest. It sits on top of the other apps: it only reads them, through their
    selectors."""

    name = "dashboard"
    verbose_name = _("Start pages")
