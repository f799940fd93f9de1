from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Stage1Config(AppConfig):
    name = "stage1"
    verbose_name = _("Stage 1 document review")

    def ready(self):
        from . import tasks  # noqa: F401 (a worker registers the review task)
