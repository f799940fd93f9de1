"""Forms of the committee's pages. They only collect input: every rule (independence, the
review's blockers, what each decision type needs, dates) is in ``certification.services``,
and its ValidationError is shown on the form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.bounds import BoundedIntegerField, BoundedModelMultipleChoiceField
from core.dates import local_today

from . import decision_types
from .models import (
    CHECKLIST,
    ApprovalConclusion,
    ChecklistAnswer,
    DecisionType,
    EvaluationConclusion,
    ReasonKind,
    StatusReason,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Decisions that give or keep a certification: the seed prints their conclusions as 同意注册 / 不同意注册.
REGISTRATION_TYPES = frozenset(decision_types.types_where(registration=True))
# Decision types by where the decision is opened from.
AUDIT_DECISION_TYPES = decision_types.opened_from(decision_types.FROM_REVIEW)
CERTIFICATE_DECISION_TYPES = decision_types.opened_from(decision_types.FROM_CERTIFICATE)
# Decisions whose approval issues certificates (the approval form asks for the issue date).
CERTIFICATE_ISSUING_TYPES = frozenset(decision_types.types_where(issues_certificates=True))


def _helper(*layout):
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout:
        helper.layout = Layout(*layout)
    return helper


class VersionMixin(forms.Form):
    """The version the user saw: a concurrent change is refused by the service."""

    version = BoundedIntegerField(widget=forms.HiddenInput, required=False)


# --- technical review -------------------------------------------------------------------------


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.get_username()})"


class ReviewerAssignForm(forms.Form):
    reviewer = UserChoiceField(
        label=_("Reviewer"),
        queryset=None,
        help_text=_(
            "Committee members competent for the client's technical codes. Members of the audit team are never offered."
        ),
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
        self.helper = _helper()


class ChecklistForm(forms.Form):
    """The five points of ISO/IEC 17021-1 9.5.2, each answered with a remark."""

    def __init__(self, *args, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        answers = answers or {}
        self.points = []
        for key, clause, text in CHECKLIST:
            existing = answers.get(key)
            self.fields[f"{key}__answer"] = forms.ChoiceField(
                label=text,
                choices=[("", "---------"), *ChecklistAnswer.choices],
                required=False,
                initial=existing.answer if existing else "",
            )
            self.fields[f"{key}__remark"] = forms.CharField(
                label=_("Remark"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=existing.remark if existing else "",
            )
            self.points.append((key, clause, text, existing))
        self.helper = _helper()

    def bound_points(self):
        """(key, clause, text, answer field, remark field, saved answer) per point, for the template."""
        return [
            (key, clause, text, self[f"{key}__answer"], self[f"{key}__remark"], existing)
            for key, clause, text, existing in self.points
        ]

    def clean(self):
        data = super().clean()
        for key, _clause, _text, _existing in self.points:
            answer, remark = data.get(f"{key}__answer"), (data.get(f"{key}__remark") or "").strip()
            if answer and not remark:
                self.add_error(f"{key}__remark", _("Every answer needs a remark."))
        return data

    def changed_answers(self):
        """(point, answer, remark) for the points answered and different from what is saved."""
        rows = []
        for key, _clause, _text, existing in self.points:
            answer = self.cleaned_data.get(f"{key}__answer")
            remark = (self.cleaned_data.get(f"{key}__remark") or "").strip()
            if not answer:
                continue
            if existing is not None and existing.answer == answer and existing.remark == remark:
                continue
            rows.append((key, answer, remark))
        return rows


class IssueRaiseForm(forms.Form):
    text = forms.CharField(
        label=_("Issue for the team leader"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A question or a missing piece the audit team must answer before the review can conclude."),
    )


class IssueRespondForm(forms.Form):
    response = forms.CharField(label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewConcludeForm(forms.Form):
    PASS, NOT_PASS = "pass", "not_pass"
    outcome = forms.ChoiceField(
        label=_("Conclusion of the technical review"),
        widget=forms.RadioSelect,
        choices=[(PASS, _("Passed: the audit can go to the certification decision")), (NOT_PASS, _("Not passed"))],
    )
    remark = forms.CharField(
        label=_("Reviewer's conclusion"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the review does not pass."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    @property
    def passed(self):
        return self.cleaned_data.get("outcome") == self.PASS


# --- decisions ----------------------------------------------------------------------------------


class ReasonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.title}"


class CertificateChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}{f' ({obj.reissue})' if obj.reissue else ''} · {obj.standard_label} · {obj.get_status_display()}"


class StandardChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


def reason_choices():
    """Active reason codes grouped by kind (suspension, withdrawal): the options of the form."""
    groups = []
    reasons = list(StatusReason.objects.filter(active=True).order_by("kind", "order", "code"))
    for kind, label in ReasonKind.choices:
        rows = [(r.pk, f"{r.code} {r.title}") for r in reasons if r.kind == kind]
        if rows:
            groups.append((label, rows))
    return [("", "---------"), *groups]


# Which decision types use which part of the form (the services validate; the page only hides
# the parts a type does not use, static/js/show-for.js).
FIELDS_BY_TYPE = {part: decision_types.using_part(part) for part in decision_types.FORM_PARTS}


def _shown_for(types, *fields, css_class=""):
    return Div(
        *fields, css_class=css_class, data_show_when="id_decision_type", data_show_for=" ".join(str(t) for t in types)
    )


class DecisionOpenForm(forms.Form):
    decision_type = forms.ChoiceField(label=_("Decision"), choices=DecisionType.choices)
    standards = StandardChoiceField(
        label=_("Standards certified"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Grant, renewal, scope extension: one certificate per standard."),
    )
    certificates = CertificateChoiceField(
        label=_("Certificates concerned"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.TypedChoiceField(
        label=_("Reason code"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "Suspension and withdrawal: the regulator's reason code (suspension codes for a suspension, withdrawal codes for a withdrawal)."
        ),
    )
    suspension_ends_on = forms.DateField(
        label=_("Suspension ends on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Suspension only: the date by which the client must have resolved the cause."),
    )

    def __init__(self, *args, types, standards, certificates, scope_standards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_type"].choices = [(t.value, t.label) for t in types]
        self.fields["standards"].queryset = standards
        self.fields["certificates"].queryset = certificates
        self.fields["reason"].choices = reason_choices()
        # One scope per standard (zh and en): each certificate prints its own standard's scope.
        self.scope_standards = list(scope_standards)
        scope_rows = []
        for standard in self.scope_standards:
            zh, en = f"scope_zh_{standard.pk}", f"scope_en_{standard.pk}"
            self.fields[zh] = forms.CharField(
                label=_("Scope of %(standard)s (Chinese)") % {"standard": standard},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[en] = forms.CharField(
                label=_("Scope of %(standard)s (English)") % {"standard": standard},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            scope_rows.append(
                Div(
                    Div(zh, css_class="col-md-6"),
                    Div(en, css_class="col-md-6"),
                    css_class="row g-3",
                    data_testid=f"scope-{standard.pk}",
                )
            )
        self.helper = _helper(
            "decision_type",
            _shown_for(FIELDS_BY_TYPE["standards"], "standards"),
            _shown_for(FIELDS_BY_TYPE["certificates"], "certificates"),
            _shown_for(FIELDS_BY_TYPE["scope"], *scope_rows),
            Div(
                _shown_for(FIELDS_BY_TYPE["reason"], "reason", css_class="col-md-8"),
                _shown_for(FIELDS_BY_TYPE["suspension_ends_on"], "suspension_ends_on", css_class="col-md-4"),
                css_class="row g-3",
            ),
        )

    def scopes(self):
        """{standard pk: (zh, en)} as entered, for the service."""
        return {
            standard.pk: (
                self.cleaned_data.get(f"scope_zh_{standard.pk}", ""),
                self.cleaned_data.get(f"scope_en_{standard.pk}", ""),
            )
            for standard in self.scope_standards
        }

    def clean_reason(self):
        pk = self.cleaned_data.get("reason")
        if pk is None:
            return None
        reason = StatusReason.objects.filter(active=True, pk=pk).first()
        if reason is None:
            raise forms.ValidationError(_("Choose a reason code from the list."))
        return reason


class EvaluationForm(VersionMixin):
    """Step 1 of part 十六: the committee's evaluation (评定结论), and part 十七."""

    conclusion = forms.ChoiceField(
        label=_("Evaluation conclusion"), widget=forms.RadioSelect, choices=EvaluationConclusion.choices
    )
    remarks = forms.CharField(
        label=_("Evaluation remarks"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evaluated_on = forms.DateField(label=_("Evaluation date"), widget=DATE_INPUT)
    closing_meeting_differences = forms.CharField(
        label=_("Differences from the closing-meeting conclusion"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Part 十七 of the report (committee)."),
    )
    other_remarks = forms.CharField(
        label=_("Other remarks"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", decision.version)
        self.initial.setdefault("evaluated_on", local_today())
        self.initial.setdefault("closing_meeting_differences", decision.closing_meeting_differences)
        self.initial.setdefault("other_remarks", decision.other_remarks)
        self.fields["conclusion"].choices = conclusion_choices(decision, EvaluationConclusion)
        self.helper = _helper()


class ApprovalForm(VersionMixin):
    """Step 2 of part 十六: the approval (批准结论) by the general manager or a delegate."""

    conclusion = forms.ChoiceField(
        label=_("Approval conclusion"), widget=forms.RadioSelect, choices=ApprovalConclusion.choices
    )
    remarks = forms.CharField(
        label=_("Approval remarks"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    approved_on = forms.DateField(label=_("Approval date"), widget=DATE_INPUT)
    issued_on = forms.DateField(
        label=_("Issue date of the certificates"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Empty: the approval date. Never before the decision."),
    )

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", decision.version)
        self.initial.setdefault("approved_on", local_today())
        self.fields["conclusion"].choices = conclusion_choices(decision, ApprovalConclusion)
        if decision.decision_type not in CERTIFICATE_ISSUING_TYPES:
            del self.fields["issued_on"]
        self.helper = _helper()


_REGISTRATION_LABELS = {
    "agree": pgettext_lazy("certification conclusion", "Approve certification"),
    "approve": pgettext_lazy("certification conclusion", "Approve certification"),
    "disagree": pgettext_lazy("certification conclusion", "Do not approve certification"),
    "not_approve": pgettext_lazy("certification conclusion", "Do not approve certification"),
}


def conclusion_choices(decision, choices_class):
    """同意注册 / 不同意注册 for decisions that certify (as the seed prints them), agree /
    disagree (approved / not approved) for the others."""
    if decision.decision_type in REGISTRATION_TYPES:
        return [(value, _REGISTRATION_LABELS[value]) for value, _label in choices_class.choices]
    return list(choices_class.choices)


class RemarksForm(VersionMixin):
    """Part 十七, written by the committee at any time before approval."""

    closing_meeting_differences = forms.CharField(
        label=_("Differences from the closing-meeting conclusion"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    other_remarks = forms.CharField(
        label=_("Other remarks"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, decision, **kwargs):
        kwargs.setdefault("auto_id", "id_remarks_%s")  # HTML ids distinct from the evaluation form's
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", decision.version)
        self.initial.setdefault("closing_meeting_differences", decision.closing_meeting_differences)
        self.initial.setdefault("other_remarks", decision.other_remarks)
        self.helper = _helper()


class FlagResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the committee decided about this matter, e.g. why no decision is needed."),
    )
