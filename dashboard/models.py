"""The weekly e-mail digest's two tables: each user's choice (opt-out, language) and the digests
sent, one row per user and ISO week, so a digest goes out once a week however often the job runs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestPreference(models.Model):
    """A user's digest choice. No row: the digest is sent, in the site's default language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="digest_preference", verbose_name=_("user")
    )
    weekly = models.BooleanField(_("send me the weekly digest"), default=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")

    def __str__(self):
        return f"{self.user}: {'weekly' if self.weekly else 'none'} ({self.language})"


class DigestSent(models.Model):
    """One weekly digest sent to one user; ``week`` is the ISO week, e.g. "2026-W49". The unique
    constraint makes a second sending in the same week fail, even from a concurrent run."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="digests_sent", verbose_name=_("user")
    )
    week = models.CharField(_("ISO week"), max_length=8)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="digestsent_once_per_week")]

    def __str__(self):
        return f"{self.user} {self.week}"
