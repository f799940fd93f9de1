"""Admin: the CB edits its certification policy (number pattern, size bands, validity,
suspension limit), the suspension/withdrawal reason codes, its committee members' competence
and the serial counters (forward only). Reviews, decisions, certificates, status changes, PDF
versions and flags are read-only here: they change only through certification.services, so no
rule (independence, approval, effects) is bypassed."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audits.selectors import cb_code_notice
from core.access import Role

from . import rules
from .models import (
    Certificate,
    CertificateSerial,
    CertificateStatusChange,
    CertificationPolicy,
    CommitteeFlag,
    CommitteeProfile,
    Decision,
    DecisionEvent,
    DecisionScope,
    ReviewAnswer,
    ReviewerAssignment,
    ReviewIssue,
    StatusReason,
    TechnicalReview,
    TechnicalReviewEvent,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Read-only, with the model's history."""


class ReadOnlyRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read-only, for append-only records without history (their rows are the history)."""


# The marks of a historical record (core.imported), shown on every record that can carry them.
IMPORT_MARKS = ("imported", "imported_by", "imported_at", "import_source")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- what the CB edits ----------------------------------------------------------------------


class CertificationPolicyForm(forms.ModelForm):
    class Meta:
        model = CertificationPolicy
        fields = "__all__"

    def clean_number_pattern(self):
        return rules.validate_pattern(self.cleaned_data["number_pattern"])

    def clean_standard_codes(self):
        codes = self.cleaned_data["standard_codes"]
        if not isinstance(codes, dict) or not codes:
            raise ValidationError(_('Enter the codes as an object, e.g. {"QMS": "Q1", "EMS": "E1", "OHSMS": "S1"}.'))
        for family, code in codes.items():
            if not isinstance(code, str) or not code.strip() or len(code) > 4:
                raise ValidationError(
                    _("The code of %(family)s must be text of one to four characters.") % {"family": family}
                )
        if len(set(codes.values())) != len(codes):
            raise ValidationError(_("Two families share a code: their serials would collide."))
        return codes

    def clean(self):
        cleaned = super().clean()
        small, medium = cleaned.get("small_max_headcount"), cleaned.get("medium_max_headcount")
        if small and medium and medium <= small:
            self.add_error("medium_max_headcount", _("Size band M must end above size band S."))
        return cleaned


def _warn_cb_code_missing(request):
    """Numbers are configured here: a CB without its code is told, rather than numbered "000"."""
    notice = cb_code_notice()
    if notice and request.method == "GET":
        messages.warning(request, notice)


@admin.register(CertificationPolicy)
class CertificationPolicyAdmin(SimpleHistoryAdmin):
    form = CertificationPolicyForm
    list_display = ("__str__", "number_pattern", "sample", "validity_months", "max_suspension_months")
    readonly_fields = ("sample",)
    fieldsets = (
        (_("Certificate numbers"), {"fields": ("number_pattern", "sample", "standard_codes")}),
        (_("Size bands"), {"fields": ("small_max_headcount", "medium_max_headcount")}),
        (_("Validity and suspension"), {"fields": ("validity_months", "max_suspension_months")}),
    )

    @admin.display(description=_("example number"))
    def sample(self, obj):
        try:
            return rules.sample_number(obj.number_pattern)
        except ValidationError as exc:
            return "; ".join(exc.messages)

    def changelist_view(self, request, extra_context=None):
        _warn_cb_code_missing(request)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        _warn_cb_code_missing(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not CertificationPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StatusReason)
class StatusReasonAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "code", "title_zh", "title_en", "order", "active")
    list_filter = ("kind", "active")
    list_editable = ("order", "active")
    search_fields = ("code", "title_zh", "title_en")
    ordering = ("kind", "order", "code")

    def get_readonly_fields(self, request, obj=None):
        # Recorded status changes cite the code: it is fixed once saved (deactivate instead).
        return ("kind", "code") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False


class CommitteeProfileForm(forms.ModelForm):
    class Meta:
        model = CommitteeProfile
        fields = ("user", "technical_areas", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].queryset = self.fields["user"].queryset.filter(role=Role.COMMITTEE)


@admin.register(CommitteeProfile)
class CommitteeProfileAdmin(SimpleHistoryAdmin):
    form = CommitteeProfileForm
    list_display = ("user", "codes", "active")
    list_filter = ("active",)
    list_select_related = ("user",)
    search_fields = ("user__full_name", "user__username")
    filter_horizontal = ("technical_areas",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("technical_areas")

    @admin.display(description=_("competence codes"))
    def codes(self, obj):
        return ", ".join(a.code for a in obj.technical_areas.all())


class CertificateSerialForm(forms.ModelForm):
    class Meta:
        model = CertificateSerial
        fields = ("year", "standard_code", "last")

    def clean_last(self):
        last = self.cleaned_data["last"]
        if self.instance.pk and last < self.instance.last:
            raise ValidationError(_("A serial counter only moves forward: a used serial is never given again."))
        return last


@admin.register(CertificateSerial)
class CertificateSerialAdmin(admin.ModelAdmin):
    """Counters may be set forward (e.g. to continue a previous system's numbering)."""

    form = CertificateSerialForm
    list_display = ("year", "standard_code", "last")
    ordering = ("-year", "standard_code")

    def get_readonly_fields(self, request, obj=None):
        return ("year", "standard_code") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False


# --- records, read-only ---------------------------------------------------------------------


class ReviewerInline(ReadOnlyInline):
    model = ReviewerAssignment
    fields = ("reviewer", "assigned_by", "assigned_at")
    readonly_fields = fields


class AnswerInline(ReadOnlyInline):
    model = ReviewAnswer
    fields = ("point", "answer", "remark", "answered_by", "answered_at")
    readonly_fields = fields


class IssueInline(ReadOnlyInline):
    model = ReviewIssue
    fields = ("text", "raised_by", "response", "responded_by", "resolved", "resolved_by")
    readonly_fields = fields


class ReviewEventInline(ReadOnlyInline):
    model = TechnicalReviewEvent
    fields = ("at", "action", "from_status", "to_status", "by", "note")
    readonly_fields = fields


@admin.register(TechnicalReview)
class TechnicalReviewAdmin(ReadOnlyAdmin):
    list_display = ("audit", "status", "concluded_by", "reviewer_name", "concluded_at", "imported")
    list_filter = ("status", "imported")
    readonly_fields = IMPORT_MARKS
    list_select_related = ("audit__client", "concluded_by")
    inlines = [ReviewerInline, AnswerInline, IssueInline, ReviewEventInline]


class DecisionEventInline(ReadOnlyInline):
    model = DecisionEvent
    fields = ("at", "action", "from_status", "to_status", "by", "note")
    readonly_fields = fields


class DecisionScopeInline(ReadOnlyInline):
    model = DecisionScope
    fields = ("standard", "scope_zh", "scope_en")
    readonly_fields = fields


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = (
        "decision_type",
        "client",
        "status",
        "evaluated_by",
        "evaluated_on",
        "approved_by",
        "approved_on",
        "imported",
    )
    list_filter = ("decision_type", "status", "imported")
    readonly_fields = IMPORT_MARKS
    list_select_related = ("client", "evaluated_by", "approved_by")
    search_fields = ("client__name_zh", "client__name_en")
    inlines = [DecisionScopeInline, DecisionEventInline]


class StatusChangeInline(ReadOnlyInline):
    model = CertificateStatusChange
    fields = (
        "effective_on",
        "from_status",
        "to_status",
        "reason",
        "suspension_ends_on",
        "by",
        "decision",
        "action",
        "note",
    )
    readonly_fields = fields


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyRecordAdmin):
    list_display = ("number", "reissue", "holder_name_zh", "standard", "issued_on", "expires_on", "status", "imported")
    list_filter = ("status", "standard", "size_band", "imported")
    readonly_fields = IMPORT_MARKS
    list_select_related = ("standard",)
    search_fields = ("number", "holder_name_zh", "holder_name_en")
    inlines = [StatusChangeInline]


@admin.register(CertificateStatusChange)
class CertificateStatusChangeAdmin(ReadOnlyRecordAdmin):
    list_display = (
        "certificate",
        "effective_on",
        "from_status",
        "to_status",
        "reason",
        "by",
        "suspension_ends_on",
    )
    list_filter = ("to_status",)
    list_select_related = ("certificate", "reason", "by")
    search_fields = ("certificate__number",)


@admin.register(CommitteeFlag)
class CommitteeFlagAdmin(ReadOnlyRecordAdmin):
    list_display = ("kind", "certificate", "programme", "basis_date", "raised_on", "resolved_at")
    list_filter = ("kind",)
    list_select_related = ("certificate", "programme__client")


from .certificate_pdfs import admin as _certificate_pdfs_admin  # noqa: E402,F401  (certificate PDFs)
