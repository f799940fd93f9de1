from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditbodyConfig(AppConfig):
    """The project on top of every app: settings, URLs, Celery and the commands that span the
    apps (seed_demo). Installed as an app for its management commands; it has no models."""

    name = "auditbody"
    verbose_name = _("auditbody")
