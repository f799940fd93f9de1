"""One audit's report: its status, the typed values of the template's fields, the narrative
topics written by the team, return comments, conflict copies and the transition log.

Facts (CB, team, client, criteria, dates, sites, NC counts) are not stored here: they are read
from the audit, the client and the nonconformities when the report is shown
(``reports.facts``). Every rule (who may write what, when) is in ``reports.services``; the
lifecycle is declared in ``reports.lifecycle``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audits.models.scope import audit_scoped
from core.access import RestrictedQuerySet, Role
from core.lifecycle import LifecycleEvent


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the team leader")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    REOPENED = "reopened", _("Reopened")


EDITABLE_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.REOPENED})


class ReportQuerySet(RestrictedQuerySet):
    """Who sees and writes a report.

    * ``view``: the audit's team and CB administrators (any status); the certification committee
      and the audited client's users only once the report is approved (a draft is 404 to them).
    * ``change``: the audit's team (auditors and the leader): write topics and choices.
    * ``lead``: the audit's team leader: assign topics, submit, return, approve, reopen.
    """

    def restrict(self, user, action="view"):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if action == "view":
            if user.role == Role.CB_ADMIN:
                return self
            if user.role in (Role.AUDITOR, Role.TEAM_LEADER):
                return audit_scoped(self, user, "view")
            if user.role == Role.COMMITTEE:
                return self.filter(status=ReportStatus.APPROVED)
            if user.role == Role.CLIENT:
                return self.filter(status=ReportStatus.APPROVED, audit__client_id=user.client_id)
            return self.none()
        if user.role not in (Role.AUDITOR, Role.TEAM_LEADER):
            return self.none()  # CB administrators read reports; the team writes them
        if action == "change":
            return audit_scoped(self, user, "change")
        if action == "lead":
            return audit_scoped(self, user, "lead")
        return self.none()


class Report(models.Model):
    audit = models.OneToOneField(
        "audits.Audit", on_delete=models.PROTECT, related_name="report", verbose_name=_("audit")
    )
    template = models.ForeignKey(
        "reports.ReportTemplate", on_delete=models.PROTECT, related_name="reports", verbose_name=_("report template")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT, editable=False
    )
    language = models.CharField(
        _("report language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="zh-hans",
        help_text=_(
            "The language the report is written and issued in: its PDFs are rendered in it unless a "
            "render asks for another."
        ),
    )
    choices_version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped by every save of the choices form: detects concurrent edits."
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("approved by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReportQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("audit report")
        verbose_name_plural = _("audit reports")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(name="report_status_valid", condition=Q(status__in=ReportStatus.values))]

    def __str__(self):
        return str(self.audit)

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    @property
    def is_locked(self):
        return not self.is_editable


class ByReportQuerySet(RestrictedQuerySet):
    """Rows of a report are visible/changeable exactly when their report is."""

    report_path = "report"

    def restrict(self, user, action="view"):
        return self.filter(**{f"{self.report_path}__in": Report.objects.restrict(user, action).values("pk")})


class ByContentQuerySet(ByReportQuerySet):
    report_path = "content__report"


class FieldValue(models.Model):
    """The typed value of one template field in one report: a choice's option key, the list of a
    multiple choice's keys, a text, a date (ISO string) or a table's rows. ``detail`` holds the
    text printed next to each chosen option (e.g. 八 具体说明)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values", verbose_name=_("report"))
    field = models.ForeignKey(
        "reports.TemplateField", on_delete=models.PROTECT, related_name="+", verbose_name=_("field")
    )
    value = models.JSONField(_("value"), null=True, blank=True)
    detail = models.JSONField(_("details per option"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = ByReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report value")
        verbose_name_plural = _("report values")
        ordering = ["report", "field_id"]
        constraints = [models.UniqueConstraint(fields=["report", "field"], name="fieldvalue_one_per_field")]

    def __str__(self):
        return f"{self.field_id}={self.value!r}"


class TopicContent(models.Model):
    """One narrative topic of one report, written by its assignee (or the team leader).

    ``version`` counts saves: an editor sends the version it started from, and a save from a
    stale version is refused (its text kept as a ``TopicConflict``), never silently applied.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="topics", verbose_name=_("report"))
    topic = models.ForeignKey(
        "reports.TemplateTopic", on_delete=models.PROTECT, related_name="contents", verbose_name=_("topic")
    )
    assignee = models.ForeignKey(
        "audits.TeamAssignment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_topics",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("text"), blank=True)
    left_blank = models.BooleanField(
        _("nothing to report"),
        default=False,
        help_text=_("Deliberately left blank: the topic counts as complete and prints blank."),
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("saved by"),
    )
    saved_at = models.DateTimeField(_("saved at"), null=True, blank=True, editable=False)

    objects = ByReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report topic")
        verbose_name_plural = _("report topics")
        ordering = ["report", "topic__part__order", "topic__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "topic"], name="topiccontent_one_per_topic")]

    def __str__(self):
        return f"{self.report_id}/{self.topic_id}"


class TopicConflict(models.Model):
    """A save refused because somebody else saved the topic first: the refused text is kept
    here so the two texts can be merged. Resolved when its author saves the topic again."""

    content = models.ForeignKey(
        TopicContent, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("topic")
    )
    text = models.TextField(_("refused text"))
    base_version = models.PositiveIntegerField(_("edited from version"))
    current_version = models.PositiveIntegerField(_("version saved meanwhile"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    objects = ByContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("edit conflict")
        verbose_name_plural = _("edit conflicts")
        ordering = ["content", "-at"]

    def __str__(self):
        return f"{self.content_id} v{self.base_version}"


class ReportEventAction(models.TextChoices):
    """The moves of ``reports.lifecycle.REPORT_MACHINE`` (and the report's creation)."""

    CREATE = "create", _("Report started")
    SUBMIT = "submit", _("Submitted to the team leader")
    RETURN = "return", _("Returned with comments")
    APPROVE = "approve", _("Approved")
    REOPEN = "reopen", _("Reopened")


class ReportEvent(LifecycleEvent):
    """Every lifecycle step of a report (``reports.lifecycle``): who, when, which action,
    from → to, and the note (the reason for reopening, the leader's comment on a return)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events", verbose_name=_("report"))
    action = models.CharField(_("action"), max_length=30, choices=ReportEventAction.choices)
    from_status = models.CharField(_("from"), max_length=30, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=30, choices=ReportStatus.choices)

    objects = ByReportQuerySet.as_manager()

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self):
        return f"{self.report_id}: {self.action}"


class TopicComment(models.Model):
    """The team leader's comment on one topic when returning the report. Addressed when the
    topic is saved again after it."""

    content = models.ForeignKey(
        TopicContent, on_delete=models.CASCADE, related_name="comments", verbose_name=_("topic")
    )
    event = models.ForeignKey(ReportEvent, on_delete=models.CASCADE, related_name="comments", verbose_name=_("return"))
    text = models.TextField(_("comment"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    addressed_at = models.DateTimeField(_("addressed at"), null=True, blank=True)

    objects = ByContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic comment")
        verbose_name_plural = _("topic comments")
        ordering = ["content", "at", "pk"]

    def __str__(self):
        return self.text[:60]
