from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = _("Scheduling and competence monitoring")

    def ready(self):
        from audits.registry import register_team_assignment_listener

        from .notifications import assignment_added

        register_team_assignment_listener(assignment_added)
