from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self):
        from core.reference_data import ensure_after_migrate

        # The reason codes and the daily job's schedule stay present after a flush.
        post_migrate.connect(
            ensure_after_migrate(
                "certification.migrations.0002_reason_codes", "certification.migrations.0003_daily_task"
            ),
            sender=self,
            dispatch_uid="certification.reference_data",
            weak=False,
        )

        # The audits app's programme schedule follows the certificates' state (audits.registry).
        from audits.registry import register_programme_certificate_state

        from .selectors import programme_certificate_annotations, programme_schedule_adjust

        register_programme_certificate_state(
            annotations=programme_certificate_annotations, adjust_schedule=programme_schedule_adjust
        )

        # The programme list's stored next due date follows the certificates (a suspension
        # calls for a special audit, a withdrawal for nothing): refreshed after each save.
        from django.db.models.signals import post_save

        from .models import Certificate

        post_save.connect(
            _certificate_saved, sender=Certificate, dispatch_uid="certification.programme_next_due", weak=False
        )

        register_report_facts()

        # A role change of a user on the team of an audit awaiting a decision warns that they stay
        # barred from it (accounts.role_changes; the rule is certification's independence).
        from accounts.role_changes import register_role_change_check

        from .services.independence import role_change_warnings

        register_role_change_check("certification.independence", role_change_warnings)


def _certificate_saved(sender, instance, raw=False, **kwargs):
    from audits.services import programme_next_due_refresh

    if not raw and instance.programme_id is not None:
        programme_next_due_refresh(programme_ids=[instance.programme_id])


def register_report_facts():
    """Parts 十六 and 十七 of the audit report print the certification decision (reports is a lower
    layer and asks its fact providers). No decision exists before the technical review."""
    from audits.models import AuditStatus
    from reports.facts import register_fact_provider

    from . import selectors

    register_fact_provider(
        "certification.decision",
        lambda audit: selectors.report_facts(audit=audit),  # looked up per call (tests replace it)
        audit_statuses=(AuditStatus.TECHNICAL_REVIEW, AuditStatus.DECIDED, AuditStatus.CLOSED),
    )
