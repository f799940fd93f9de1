from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_default_template(sender, using="default", apps=None, **kwargs):
    """Keep the shipped templates (the default and the stage 1 report's) present after ``migrate`` and ``flush`` (browser tests
    empty the database): creates what is missing, never overwrites the CB's edits."""
    if using != "default" or apps is None:
        return
    try:
        apps.get_model("reports", "TemplateOption")
        apps.get_model("standards", "Clause")
    except LookupError:  # migrated back below the template models
        return
    from .template_loader import SHIPPED_TEMPLATE_PATHS, load_report_template

    for path in SHIPPED_TEMPLATE_PATHS:
        load_report_template(path, apps=apps)


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        post_migrate.connect(_load_default_template, sender=self, dispatch_uid="reports_default_template")
        # Celery's autodiscovery looks for ``reports.tasks``; the render task lives with the PDFs.
        from .versions import tasks  # noqa: F401
