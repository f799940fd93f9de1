from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The lowest layer: roles and access rules, the lifecycle mechanism, the PDF engine and the
    page helpers every app uses. It imports no model of any other app."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import checks

        checks.register()
