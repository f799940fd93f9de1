from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """What a client user sees of its own organisation. It sits on top of the apps whose records
    it shows (audits, nonconformities, reports) so none of them imports it."""

    name = "portal"
    verbose_name = _("Client portal")
