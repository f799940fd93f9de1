"""A complaint (ISO/IEC 17021-1 9.8): from a member of the public, a client or entered by staff;
about the CB's activities or about a certified client."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.lifecycle import LifecycleEvent

from .access import ComplaintQuerySet


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Not a complaint about our certification activity")
    INVESTIGATION = "investigation", _("Under investigation")
    DECIDED = "decided", _("Decided")
    ANSWERED = "answered", _("Answered (complainant told)")
    CLOSED = "closed", _("Closed")


OPEN_COMPLAINT_STATUSES = (
    ComplaintStatus.RECEIVED,
    ComplaintStatus.ACKNOWLEDGED,
    ComplaintStatus.VALIDATED,
    ComplaintStatus.REJECTED,
    ComplaintStatus.INVESTIGATION,
    ComplaintStatus.DECIDED,
)


class ComplaintAction(models.TextChoices):
    CREATE = "create", _("Received")
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    VALIDATE = "validate", _("Validate")
    REJECT = "reject", _("Not validated")
    INVESTIGATE = "investigate", _("Start the investigation")
    DECIDE = "decide", _("Decide")
    ANSWER = "answer", _("Answer the complainant")
    CLOSE = "close", _("Close")


class ComplaintSource(models.TextChoices):
    PUBLIC = "public", _("Public form")
    CLIENT = "client", _("Client portal")
    STAFF = "staff", _("Entered by staff")


class ComplaintSubject(models.TextChoices):
    CB_ACTIVITY = "cb_activity", _("The CB's certification activities")
    CERTIFIED_CLIENT = "certified_client", _("A certified client")
    MISUSE = "misuse", _("Misuse of certificates or marks")


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY = "partly", _("Partly upheld")
    NOT_UPHELD = "not_upheld", _("Not upheld")


class MisuseAction(models.TextChoices):
    """What the CB did about a misuse of its certificates or marks (17021-1 8.3.3, 8.3.4)."""

    REQUEST = "request", _("Request to correct")
    SUSPENSION = "suspension", _("Suspension")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    LEGAL = "legal", _("Legal action")


class Complaint(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    # Given to the complainant; unguessable (secrets), so it proves nothing about other complaints.
    ack_number = models.CharField(_("acknowledgement number"), max_length=32, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED, editable=False
    )
    source = models.CharField(_("received through"), max_length=10, choices=ComplaintSource.choices)
    subject = models.CharField(_("about"), max_length=20, choices=ComplaintSubject.choices)
    # The complainant (confidential: 17021-1 9.8.3 and 8.4).
    complainant_name = models.CharField(_("complainant's name"), max_length=100)
    complainant_organisation = models.CharField(_("complainant's organisation"), max_length=200, blank=True)
    complainant_email = models.EmailField(_("complainant's e-mail"), blank=True)
    complainant_phone = models.CharField(_("complainant's phone"), max_length=40, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by (user)"),
    )
    # What it is about.
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("certified client concerned"),
    )
    certificate = models.ForeignKey(
        "certification.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("certificate concerned"),
    )
    organisation_named = models.CharField(_("organisation named by the complainant"), max_length=200, blank=True)
    certificate_number_given = models.CharField(_("certificate number given"), max_length=60, blank=True)
    summary = models.CharField(_("summary"), max_length=200)
    description = models.TextField(_("description"))
    received_on = models.DateField(_("received on"))
    acknowledge_due_on = models.DateField(_("acknowledge by"))
    answer_due_on = models.DateField(_("answer by"))
    # Handling.
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_investigated",
        verbose_name=_("investigator"),
    )
    validation_note = models.TextField(_("validation"), blank=True)
    findings = models.TextField(_("investigation findings"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=ComplaintOutcome.choices, blank=True)
    decision_text = models.TextField(_("decision"), blank=True)
    answer_text = models.TextField(_("answer to the complainant"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    misuse_action = models.CharField(_("action on the misuse"), max_length=16, choices=MisuseAction.choices, blank=True)
    misuse_action_note = models.TextField(_("misuse: action taken"), blank=True)
    # What it led to, through the audits and certification paths.
    special_audit = models.ForeignKey(
        "audits.Audit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("special audit"),
    )
    suspension_decision = models.ForeignKey(
        "certification.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("certification decision"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference} · {self.summary}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_COMPLAINT_STATUSES


class ComplaintEvent(LifecycleEvent):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=30, choices=ComplaintAction.choices)

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("complaint event")
