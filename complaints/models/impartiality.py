"""Safeguarding impartiality (ISO/IEC 17021-1 5.2): the risk register, the committee that
safeguards impartiality (5.2.2, 5.2.3 mechanism), and personnel's signed impartiality and
confidentiality declarations (5.2.12 / 8.4), renewed yearly (a CB setting)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import RestrictedQuerySet, Role


class AdminOnlyQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        if user is not None and user.is_authenticated and user.is_active and user.role == Role.CB_ADMIN:
            return self.all()
        return self.none()


class Threat(models.TextChoices):
    """17021-1 5.2.3 and its notes: the threats to impartiality."""

    SELF_INTEREST = "self_interest", _("Self-interest")
    SELF_REVIEW = "self_review", _("Self-review")
    FAMILIARITY = "familiarity", _("Familiarity (trust)")
    INTIMIDATION = "intimidation", _("Intimidation")
    CONSULTANCY = "consultancy", _("Consultancy (5.2.5–5.2.10)")
    RELATED_BODY = "related_body", _("Related body (5.2.4)")


class Level(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class ImpartialityRisk(models.Model):
    threat = models.CharField(_("threat"), max_length=16, choices=Threat.choices)
    description = models.TextField(_("risk"))
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("Activity, relationship or person."))
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), choices=Level.choices, default=Level.MEDIUM)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level.choices, default=Level.MEDIUM)
    control = models.TextField(_("control"), blank=True)
    reviewed_on = models.DateField(_("last reviewed on"))
    next_review_on = models.DateField(_("next review on"))
    conflict = models.OneToOneField(
        "people.ConflictOfInterest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="impartiality_risk",
        verbose_name=_("declared conflict of interest"),
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AdminOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("impartiality risk")
        verbose_name_plural = _("impartiality risks")
        ordering = ["next_review_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_threat_display()} · {self.description[:40]}"

    @property
    def score(self) -> int:
        return int(self.likelihood) * int(self.impact)


class CommitteeMember(models.Model):
    """A member of the committee safeguarding impartiality, and the interest they represent."""

    name = models.CharField(_("name"), max_length=100)
    interest = models.CharField(
        _("interest represented"), max_length=200, help_text=_("e.g. certified clients, industry, government.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = AdminOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("impartiality committee member")
        verbose_name_plural = _("impartiality committee members")
        ordering = ["left_on", "name"]

    def __str__(self) -> str:
        return self.name


class CommitteeMeeting(models.Model):
    held_on = models.DateField(_("held on"))
    summary = models.TextField(_("summary"))
    attendees = models.ManyToManyField(CommitteeMember, related_name="meetings", verbose_name=_("attendees"))
    minutes = models.FileField(_("minutes"), upload_to="impartiality/minutes/%Y/", blank=True)
    minutes_name = models.CharField(max_length=255, blank=True)
    minutes_type = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AdminOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("impartiality committee meeting")
        verbose_name_plural = _("impartiality committee meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on}"


class MeetingAction(models.Model):
    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(_("action"))
    owner = models.CharField(_("owner"), max_length=100)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee action")
        ordering = ["done_on", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Declaration(models.Model):
    """A person's signed impartiality and confidentiality declaration (5.2.12, 8.4.1)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declarations")
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"))
    statement = models.TextField(_("statement signed"))
    signed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("impartiality and confidentiality declaration")
        verbose_name_plural = _("impartiality and confidentiality declarations")
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.signed_on}"
