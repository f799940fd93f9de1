from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from core.reference_data import ensure_after_migrate


class FindingsConfig(AppConfig):
    name = "findings"
    verbose_name = _("Findings and nonconformities")

    def ready(self):
        # The NC reminder job's schedule stays present after a flush. Its row was first shipped
        # by the audits app's migration, when the job was part of that app; it is not repeated.
        post_migrate.connect(
            ensure_after_migrate("audits.migrations.0004_nc_reminder_schedule"),
            sender=self,
            dispatch_uid="findings.reference_data",
            weak=False,
        )
