from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.access import RestrictedQuerySet
from accounts.models import Role


class ClientQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.role == Role.CLIENT:
            # A client user sees its own organisation and never changes it here.
            return self.filter(pk=user.client_id) if action == "view" else self.none()
        if user.role == Role.CB_ADMIN:
            return self
        if action == "view" and user.is_cb_staff:
            return self
        return self.none()


class Client(models.Model):
    """An organisation the CB audits (受审核方)."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client organisation")
        verbose_name_plural = _("client organisations")
        ordering = ["name_zh"]

    def __str__(self):
        return self.name_zh
