from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import STAFF_ROLES, Role


class AuditbodyUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.CB_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    # Chinese names are one string (朱晓丽); first/last name stay for the admin but are unused.
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Required for client users, empty for CB staff."),
    )

    objects = AuditbodyUserManager()
    # Who changed a user's role, organisation (which grants access to its records at once) or active
    # flag, old and new values. Not the password hash; logins update last_login without a history
    # row (accounts/apps.py).
    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_role_valid",
                condition=Q(role__in=Role.values),
            ),
            # A client user belongs to exactly one client organisation; staff to none.
            models.CheckConstraint(
                name="user_client_iff_client_role",
                condition=(Q(role=Role.CLIENT) & Q(client__isnull=False))
                | (~Q(role=Role.CLIENT) & Q(client__isnull=True)),
            ),
        ]

    def __str__(self):
        return self.full_name or self.get_username()

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.get_username()

    def clean(self):
        super().clean()
        if self.role == Role.CLIENT and not self.client_id:
            raise ValidationError({"client": _("A client user must belong to a client organisation.")})
        if self.role != Role.CLIENT and self.client_id:
            raise ValidationError({"client": _("Only client users belong to a client organisation.")})

    def has_role(self, *roles):
        return self.is_authenticated and self.is_active and self.role in roles

    @property
    def is_cb_staff(self):
        return self.has_role(*STAFF_ROLES)

    @property
    def is_client_user(self):
        return self.has_role(Role.CLIENT)


class UserDeletionRefused(models.ProtectedError):
    """Users are deactivated, never deleted: who did what is evidence (ISO/IEC 17021-1 9.9, records)."""


@receiver(pre_delete, sender=User, dispatch_uid="accounts.user_never_deleted")
def refuse_user_deletion(sender, instance, **kwargs):
    # Every actor foreign key is PROTECT; this also covers the history rows' ``history_user`` (which
    # simple-history declares SET_NULL) and the admin log, so no record of an act loses its actor.
    raise UserDeletionRefused(
        _("Users are deactivated, never deleted: untick “active” instead."),
        {instance},
    )
