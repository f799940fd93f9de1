from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from core.reference_data import ensure_after_migrate


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints and appeals")

    def ready(self):
        from scheduling.registry import register_complaint_counter

        from .selectors import complaints_per_auditor

        # 17021-1 7.2.10: competence monitoring counts the complaints about each auditor's audits.
        register_complaint_counter(complaints_per_auditor)
        # The reminder job's beat schedule stays present after a flush (as the other daily jobs).
        post_migrate.connect(
            ensure_after_migrate("complaints.migrations.0002_reminder_schedule"),
            sender=self,
            dispatch_uid="complaints.reference_data",
            weak=False,
        )
