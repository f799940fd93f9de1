from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from core.reference_data import ensure_after_migrate


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints and appeals")

    def ready(self):
        # The reminder job's beat schedule stays present after a flush (as the other daily jobs).
        post_migrate.connect(
            ensure_after_migrate("complaints.migrations.0002_reminder_schedule"),
            sender=self,
            dispatch_uid="complaints.reference_data",
            weak=False,
        )
