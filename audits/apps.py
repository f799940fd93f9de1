from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Audits")

    def ready(self):
        # The programme list's stored next due dates follow programmes and audits.
        from . import signals

        signals.connect()
