"""The report template: parts, fields, options, topic groups and topics, edited in the admin.

The shipped default (the seed report's 19 parts) is loaded from
``auditbody/seed_data/report_template.yaml`` by ``reports.template_loader``.

The three kinds of content of DESIGN.md map onto ``TemplateField.type`` and ``TemplateTopic``:

* facts — ``FieldType.FACT`` / ``TABLE`` / ``DATE`` fields with a ``source`` (a dotted path
  into the audit's data): rendered from the database, never typed into the report;
* choices — ``CHOICE`` / ``MULTICHOICE`` fields with fixed ``TemplateOption``s, printed ☑/☐;
* narrative — ``TemplateTopic``s (plus short ``TEXT`` fields): written per audit by the team
  member the topic is assigned to; a topic whose ``families`` are all outside the audit's
  criteria prints ``not_applicable_zh`` / ``_en`` (不适用 / N/A).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import RestrictedQuerySet, Role
from core.i18n import BilingualTitleMixin, is_chinese, pick

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 19 → 十九, 20 → 二十, 99 → 九十九 (the report's part numbers)."""
    if n <= 0:
        return ""
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, units = divmod(n, 10)
        return (_DIGITS[tens] if tens > 1 else "") + "十" + (_DIGITS[units] if units else "")
    return str(n)


class TemplateQuerySet(RestrictedQuerySet):
    """Reference data: CB staff read templates (the report editor shows them); CB
    administrators change them, in the admin."""

    def restrict(self, user, action="view"):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.role == Role.CB_ADMIN:
            return self
        if action == "view" and user.is_cb_staff:
            return self
        return self.none()


def _validate_family_list(value):
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ValidationError(_('Give a list of management-system families, e.g. ["QMS", "EMS"].'))


def _validate_key_list(value):
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValidationError(_('Give a list of keys, e.g. ["stage2", "recertification"].'))


class ReportTemplate(BilingualTitleMixin, models.Model):
    """A report layout a CB uses. Exactly one is the default for new reports."""

    key = models.SlugField(_("key"), max_length=60, help_text=_("e.g. cnca_ms_audit_report"))
    version = models.PositiveIntegerField(_("template version"), default=1)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    is_default = models.BooleanField(
        _("default template"), default=False, help_text=_("New audit reports use the default template.")
    )
    audit_types = models.JSONField(
        _("for audit types"),
        default=list,
        blank=True,
        validators=[_validate_key_list],
        help_text=_(
            'Reports of these audit types use this template instead of the default, e.g. ["stage_1"]; '
            "empty: only as the default."
        ),
    )
    selected_mark = models.CharField(_("mark for a ticked box"), max_length=4, default="☑")
    unselected_mark = models.CharField(_("mark for an empty box"), max_length=4, default="☐")
    not_applicable_zh = models.CharField(_("not applicable (Chinese)"), max_length=40, default="不适用")
    not_applicable_en = models.CharField(_("not applicable (English)"), max_length=40, default="N/A")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TemplateQuerySet.as_manager()
    # Who changed which title when; an approved report prints the titles as they were then.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="report_template_key_version_unique"),
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="report_template_one_default"
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def not_applicable(self):
        return pick(self.not_applicable_zh, self.not_applicable_en)

    def mark(self, ticked: bool) -> str:
        return self.selected_mark if ticked else self.unselected_mark


class TemplateFamily(BilingualTitleMixin, models.Model):
    """A management-system family the template knows (QMS, EMS, OHSMS) and the standard
    whose clauses its topics link to (ISO 9001:2015 …)."""

    template = models.ForeignKey(
        ReportTemplate, on_delete=models.CASCADE, related_name="families", verbose_name=_("report template")
    )
    code = models.CharField(_("family"), max_length=16, help_text=_("QMS, EMS, OHSMS …"))
    title_zh = models.CharField(_("title (Chinese)"), max_length=100)
    title_en = models.CharField(_("title (English)"), max_length=100)
    standard = models.ForeignKey(
        "standards.Standard",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_families",
        verbose_name=_("standard"),
        help_text=_("The standard whose clauses this family's topics link to."),
    )
    national_standard = models.CharField(_("national standard"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("template family")
        verbose_name_plural = _("template families")
        ordering = ["template_id", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="template_family_unique")]

    def __str__(self):
        return self.code


class PartKind(models.TextChoices):
    FACTS = "facts", _("Facts from the database")
    CHOICES = "choices", _("Choices")
    NARRATIVE = "narrative", _("Narrative")
    MIXED = "mixed", _("Mixed")


class PartStage(models.TextChoices):
    """When a part is filled: with the report (the audit team, before submission), after the
    nonconformities are verified (the team leader), or by the certification committee."""

    REPORT = "report", _("With the report (audit team)")
    VERIFICATION = "verification", _("After verification of corrective actions")
    COMMITTEE = "committee", _("By the certification committee")


class TemplatePart(BilingualTitleMixin, models.Model):
    """One numbered part of the report (一 … 十九). ``number`` 0 is the cover page."""

    template = models.ForeignKey(
        ReportTemplate, on_delete=models.CASCADE, related_name="parts", verbose_name=_("report template")
    )
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("1 prints as 一, 19 as 十九; 0 is the cover."))
    key = models.SlugField(_("key"), max_length=60)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    kind = models.CharField(_("kind of content"), max_length=12, choices=PartKind.choices, default=PartKind.MIXED)
    heading_as_printed = models.CharField(
        _("heading as printed in the source"),
        max_length=200,
        blank=True,
        help_text=_("Kept verbatim for reference; the report prints the number and the title."),
    )
    print_zh = models.TextField(
        _("printed sentence (Chinese)"), blank=True, help_text=_("A fixed sentence with {field_key} slots.")
    )
    print_en = models.TextField(_("printed sentence (English)"), blank=True)
    text_zh = models.TextField(_("fixed text (Chinese)"), blank=True, help_text=_("Boilerplate printed as is."))
    text_en = models.TextField(_("fixed text (English)"), blank=True)
    filled_by_zh = models.CharField(_("filled in by (Chinese)"), max_length=100, blank=True)
    filled_by_en = models.CharField(_("filled in by (English)"), max_length=100, blank=True)
    stage = models.CharField(
        _("filled"),
        max_length=12,
        choices=PartStage.choices,
        default=PartStage.REPORT,
        help_text=_("Only parts filled with the report must be complete before the report is submitted."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TemplateQuerySet.as_manager()
    # Who changed which title when; an approved report prints the titles as they were then.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("template part")
        verbose_name_plural = _("template parts")
        ordering = ["template_id", "order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="template_part_key_unique"),
            models.UniqueConstraint(fields=["template", "number"], name="template_part_number_unique"),
            models.CheckConstraint(name="template_part_kind_valid", condition=Q(kind__in=PartKind.values)),
            models.CheckConstraint(name="template_part_stage_valid", condition=Q(stage__in=PartStage.values)),
        ]

    def __str__(self):
        return self.heading

    @property
    def heading(self):
        """一、审核方基本信息 (zh) / 1. Certification body information (en); the cover has no number."""
        if not self.number:
            return self.title
        return f"{self.numeral}、{self.title}" if is_chinese() else f"{self.number}. {self.title}"

    @property
    def numeral(self):
        return chinese_numeral(self.number)

    @property
    def short_number(self):
        """六 (zh) / 6 (en): to prefix topic labels."""
        return self.numeral if is_chinese() else str(self.number)

    @property
    def is_cover(self):
        return self.number == 0

    @property
    def print_text(self):
        return pick(self.print_zh, self.print_en)

    @property
    def fixed_text(self):
        return pick(self.text_zh, self.text_en)

    @property
    def filled_by(self):
        return pick(self.filled_by_zh, self.filled_by_en)


class TopicGroup(BilingualTitleMixin, models.Model):
    """A heading that groups topics inside a part, e.g. 六 (一)策划的充分与合理性."""

    part = models.ForeignKey(TemplatePart, on_delete=models.CASCADE, related_name="groups", verbose_name=_("part"))
    key = models.CharField(_("key"), max_length=20, help_text=_("e.g. 一 for (一)"))
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TemplateQuerySet.as_manager()
    # Who changed which title when; an approved report prints the titles as they were then.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("topic group")
        verbose_name_plural = _("topic groups")
        ordering = ["part_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["part", "key"], name="topic_group_key_unique")]

    def __str__(self):
        return self.title


class TemplateTopic(BilingualTitleMixin, models.Model):
    """A narrative topic (e.g. 六 (一)1 组织及其环境的识别情况), tied to the families it applies
    to and to the clauses it covers. Written per audit by the team member it is assigned to."""

    part = models.ForeignKey(TemplatePart, on_delete=models.CASCADE, related_name="topics", verbose_name=_("part"))
    group = models.ForeignKey(
        TopicGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="topics", verbose_name=_("group")
    )
    key = models.SlugField(_("key"), max_length=60)
    number = models.CharField(_("number as printed"), max_length=10, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_continuing_zh = models.CharField(
        _("title for surveillance/recertification (Chinese)"), max_length=300, blank=True
    )
    title_continuing_en = models.CharField(
        _("title for surveillance/recertification (English)"), max_length=300, blank=True
    )
    hint_zh = models.TextField(_("hint (Chinese)"), blank=True, help_text=_("Printed in brackets under the title."))
    hint_en = models.TextField(_("hint (English)"), blank=True)
    families = models.JSONField(
        _("management-system families"),
        default=list,
        validators=[_validate_family_list],
        help_text=_("The topic prints N/A when none of these is in the audit's criteria."),
    )
    family_labels = models.JSONField(
        _("family labels in the title"),
        default=dict,
        blank=True,
        help_text=_('Ticked per the audit\'s families, e.g. {"QMS": "质量", "EMS": "环境"}.'),
    )
    family_labels_en = models.JSONField(
        _("family labels in the English title"),
        default=dict,
        blank=True,
        help_text=_('The same boxes in the English title, e.g. {"QMS": "Quality", "EMS": "environmental"}.'),
    )
    audit_types = models.JSONField(
        _("only for audit types"),
        default=list,
        blank=True,
        validators=[_validate_key_list],
        help_text=_('Empty: every audit. E.g. ["stage2"] or ["recertification"].'),
    )
    clauses = models.ManyToManyField(
        "standards.Clause", verbose_name=_("clauses covered"), blank=True, related_name="report_topics"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TemplateQuerySet.as_manager()
    # Who changed which title when; an approved report prints the titles as they were then.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("narrative topic")
        verbose_name_plural = _("narrative topics")
        ordering = ["part_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["part", "key"], name="template_topic_key_unique")]

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def hint(self):
        return pick(self.hint_zh, self.hint_en)

    @property
    def title_continuing(self):
        return pick(self.title_continuing_zh, self.title_continuing_en)

    def applies_to(self, audit_families) -> bool:
        """False when every family of the topic is outside the audit's criteria (prints N/A)."""
        return bool(set(self.families) & set(audit_families))

    def applies_to_audit_type(self, audit_type) -> bool:
        return not self.audit_types or audit_type in self.audit_types

    def clean(self):
        super().clean()
        if self.group_id and self.part_id and self.group.part_id != self.part_id:
            raise ValidationError({"group": _("The group must belong to the topic's part.")})


class FieldType(models.TextChoices):
    FACT = "fact", _("Fact (from the database)")
    CHOICE = "choice", _("Single choice")
    MULTICHOICE = "multichoice", _("Multiple choice")
    TEXT = "text", _("Short text")
    DATE = "date", _("Date")
    TABLE = "table", _("Table")


CHOICE_TYPES = (FieldType.CHOICE, FieldType.MULTICHOICE)


def _validate_columns(value):
    if not isinstance(value, list):
        raise ValidationError(_("Columns are a list of {key, label_zh, label_en, type}."))
    for column in value:
        if (
            not isinstance(column, dict)
            or not column.get("key")
            or not (column.get("label_zh") or column.get("label_en"))
        ):
            raise ValidationError(_("Each column needs a key and a label."))


class TemplateField(models.Model):
    """A value printed in a part (or inside a topic): a fact, a choice, a text, a date, a table."""

    part = models.ForeignKey(TemplatePart, on_delete=models.CASCADE, related_name="fields", verbose_name=_("part"))
    topic = models.ForeignKey(
        TemplateTopic,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fields",
        verbose_name=_("topic"),
        help_text=_("Set for blanks and boxes printed inside a topic."),
    )
    key = models.SlugField(_("key"), max_length=60)
    number = models.CharField(_("number as printed"), max_length=10, blank=True)
    label_zh = models.CharField(_("label (Chinese)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300)
    type = models.CharField(_("type"), max_length=12, choices=FieldType.choices)
    source = models.CharField(
        _("source"),
        max_length=120,
        blank=True,
        help_text=_("Where a fact comes from, e.g. client.name or audit.families; empty for typed values."),
    )
    columns = models.JSONField(_("table columns"), default=list, blank=True, validators=[_validate_columns])
    applies_to_options = models.JSONField(
        _("only with options"),
        default=list,
        blank=True,
        validators=[_validate_key_list],
        help_text=_("Printed with these options of the part's choice (e.g. a reason for 'not achieved')."),
    )
    printed_with = models.CharField(
        _("printed with field"),
        max_length=60,
        blank=True,
        help_text=_("Key of the choice whose options print these boxes after them."),
    )
    checkbox = models.BooleanField(_("printed with a box"), default=False, help_text=_("Ticked when filled."))
    option_detail = models.JSONField(
        _("detail per option"),
        default=dict,
        blank=True,
        help_text=_('A text column printed next to each option, e.g. {"key": "explanation", "label_zh": "具体说明"}.'),
    )
    audit_types = models.JSONField(
        _("only for audit types"),
        default=list,
        blank=True,
        validators=[_validate_key_list],
    )
    default_zh = models.TextField(_("default text (Chinese)"), blank=True)
    default_en = models.TextField(_("default text (English)"), blank=True)
    row_label_zh = models.CharField(_("row label (Chinese)"), max_length=100, blank=True)
    row_label_en = models.CharField(_("row label (English)"), max_length=100, blank=True)
    group_zh = models.CharField(_("group heading (Chinese)"), max_length=100, blank=True)
    group_en = models.CharField(_("group heading (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("template field")
        verbose_name_plural = _("template fields")
        ordering = ["part_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["part", "key"], condition=Q(topic__isnull=True), name="template_field_key_unique_in_part"
            ),
            models.UniqueConstraint(
                fields=["topic", "key"], condition=Q(topic__isnull=False), name="template_field_key_unique_in_topic"
            ),
            models.CheckConstraint(name="template_field_type_valid", condition=Q(type__in=FieldType.values)),
        ]

    def __str__(self):
        return f"{self.key} — {self.label}"

    @property
    def label(self):
        return pick(self.label_zh, self.label_en)

    @property
    def default(self):
        return pick(self.default_zh, self.default_en)

    @property
    def is_choice(self):
        return self.type in CHOICE_TYPES

    @property
    def is_fact(self):
        """Rendered from the database, never typed into the report."""
        return bool(self.source) or self.type == FieldType.FACT

    def clean(self):
        super().clean()
        if self.topic_id and self.part_id and self.topic.part_id != self.part_id:
            raise ValidationError({"topic": _("The topic must belong to the field's part.")})
        if self.type == FieldType.TABLE and not self.columns:
            raise ValidationError({"columns": _("A table needs at least one column.")})


class TemplateOption(models.Model):
    """One fixed option of a choice field, printed ☑ when chosen and ☐ otherwise."""

    field = models.ForeignKey(TemplateField, on_delete=models.CASCADE, related_name="options", verbose_name=_("field"))
    key = models.SlugField(_("key"), max_length=60)
    label_zh = models.CharField(_("label (Chinese)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    families = models.JSONField(
        _("management-system families"),
        default=list,
        blank=True,
        validators=[_validate_family_list],
        help_text=_("For criteria rows: the families the option stands for."),
    )
    retired = models.BooleanField(_("retired"), default=False, help_text=_("e.g. a withdrawn standard, still printed"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["field_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["field", "key"], name="template_option_key_unique")]

    def __str__(self):
        return f"{self.key} — {self.label}"

    @property
    def label(self):
        return pick(self.label_zh, self.label_en)

    @property
    def description(self):
        return pick(self.description_zh, self.description_en)
