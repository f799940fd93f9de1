from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from core.reference_data import ensure_after_migrate


class DashboardConfig(AppConfig):
    """Each role's start page and the CB's figures at a glance (charts with their numbers), and the
    weekly e-mail digest. It sits on top of the other apps: it only reads them, through their
    selectors."""

    name = "dashboard"
    verbose_name = _("Start pages")

    def ready(self):
        # The weekly digest's beat schedule stays present after a flush (as the other beat jobs).
        post_migrate.connect(
            ensure_after_migrate("dashboard.migrations.0002_weekly_digest_schedule"),
            sender=self,
            dispatch_uid="dashboard.reference_data",
            weak=False,
        )
