from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    """The CB-wide activity log: who did what to which record when. It reads the lifecycle event
    rows every app already writes and records, in its own table, what nothing else records (logins,
    failed logins, logouts, downloads of issued documents)."""

    name = "activity"
    verbose_name = _("Activity log")

    def ready(self) -> None:
        from . import signals

        signals.connect()
