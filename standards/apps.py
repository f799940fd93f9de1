from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = _("Standards catalogue")

    def ready(self):
        from . import protection  # noqa: F401  # connects the refusal to delete reference data in use
        from .shipped import load_after_migrate

        # After every migrate and flush: the shipped catalogue is present and current (shipped.py).
        post_migrate.connect(load_after_migrate, sender=self, dispatch_uid="standards.load_shipped_catalogue")
