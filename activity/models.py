"""What the activity log records itself: events no other table keeps (the status changes are
the lifecycle event rows of each app, read by ``activity.selectors``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOGOUT = "logout", _("logged out")
    DOWNLOAD = "download", _("downloaded")


class ActivityRecord(models.Model):
    """One login, failed login, logout or download. Append-only, like the event rows."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    kind = models.CharField(_("what"), max_length=20, choices=ActivityKind.choices)
    # A user who acted is deactivated, never deleted (PROTECT). Empty for a failed login.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username typed"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    # The record acted on (a download: the document version), as app_label.model and id.
    record_type = models.CharField(_("record type"), max_length=100, blank=True, db_index=True)
    record_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["record_type", "record_id"])]
        verbose_name = _("activity record")
        verbose_name_plural = _("activity records")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("An activity record cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("An activity record cannot be deleted.")
