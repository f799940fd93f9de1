from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Audits")

    def ready(self):
        from core.reference_data import ensure_after_migrate

        # The NC reminder job's schedule stays present after a flush.
        post_migrate.connect(
            ensure_after_migrate("audits.migrations.0004_nc_reminder_schedule"),
            sender=self,
            dispatch_uid="audits.reference_data",
            weak=False,
        )
