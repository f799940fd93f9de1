"""An organisation that registered itself in the portal (17021-1 9.1.1: the applicant provides
its legal status): its unified social credit code, the user who registered it and whether the
e-mail address was confirmed. The client record it created is ``prospective`` until its first
agreement is signed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import RestrictedQuerySet, Role


class RegistrationQuerySet(RestrictedQuerySet):
    """CB staff see every registration; a client user its own organisation's."""

    def restrict(self, user, action="view"):
        if not (user is not None and user.is_authenticated and user.is_active):
            return self.none()
        if user.role == Role.CLIENT:
            return self.filter(client_id=user.client_id) if action == "view" else self.none()
        if user.is_cb_staff and action == "view":
            return self.all()
        return self.none()


class Registration(models.Model):
    client = models.OneToOneField(
        "clients.Client", on_delete=models.PROTECT, related_name="registration", verbose_name=_("client")
    )
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-registered_at"]

    def __str__(self) -> str:
        return f"{self.client} ({self.credit_code})"
