from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Stage1Config(AppConfig):
    name = "stage1"
    verbose_name = _("Stage 1 document review")

    def ready(self):
        from audits.registry import register_audit_panel
        from reports.facts import register_fact_provider

        from . import tasks  # noqa: F401 (a worker registers the review task)
        from .panels import audit_panel
        from .report_facts import stage1_report_facts

        # The stage 1 report prints the document review and the areas of concern (reports is a
        # lower layer and asks its fact providers).
        register_fact_provider("stage1.review", stage1_report_facts)
        # The audit page shows the stage 1 documents and, at stage 2 planning, the open areas of
        # concern (audits is a lower layer and renders its registered panels).
        register_audit_panel(audit_panel)
