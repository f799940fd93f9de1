"""Forms of the NC lifecycle. They only collect input; the rules are in ``findings.services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from audits.models import AuditType
from clients.uploads import ALLOWED_LABELS, MAX_DOCUMENT_SIZE
from core.bounds import BoundedIntegerField

from .models import NonconformityGrade, VerificationMethod

MAX_MB = MAX_DOCUMENT_SIZE // (1024 * 1024)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ResponseForm(forms.Form):
    version = BoundedIntegerField(widget=forms.HiddenInput, required=False)
    correction = forms.CharField(
        label=_("Correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        help_text=_("What was done to eliminate the nonconformity found."),
    )
    root_cause = forms.CharField(
        label=_("Root-cause analysis"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        help_text=_("Why it happened."),
    )
    corrective_action = forms.CharField(
        label=_("Corrective action"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        help_text=_("What is done (or planned, with dates) so that it does not happen again."),
    )
    files = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("%(types)s, at most %(mb)s MB each, up to 10 files.") % {"types": ALLOWED_LABELS, "mb": MAX_MB},
    )


class VerifyForm(forms.Form):
    ACCEPT, REJECT = "accept", "reject"
    version = BoundedIntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(
        label=_("Verification"),
        widget=forms.RadioSelect,
        choices=[(ACCEPT, _("Accept the response")), (REJECT, _("Reject it and send it back to the client"))],
    )
    method = forms.ChoiceField(
        label=_("Method of verification"),
        required=False,
        choices=[("", "---------"), *VerificationMethod.choices],
        help_text=_("Needed to accept."),
    )
    note = forms.CharField(
        label=_("Comment (the client reads it)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
        help_text=_("Needed to reject: say what is missing."),
    )


class ClosureForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"
    version = BoundedIntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(
        label=_("Closure"),
        widget=forms.RadioSelect,
        choices=[(APPROVE, _("Approve the closure")), (REJECT, _("Reject the closure and send it back to the client"))],
    )
    note = forms.CharField(
        label=_("Comment (the client reads it)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
        help_text=_("Needed to reject."),
    )


class DueRuleForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("Grade"),
        choices=[
            (NonconformityGrade.MINOR, NonconformityGrade.MINOR.label),
            (NonconformityGrade.MAJOR, NonconformityGrade.MAJOR.label),
        ],
    )
    audit_type = forms.ChoiceField(
        label=_("Audit type"),
        required=False,
        choices=[("", _("Every audit type")), *AuditType.choices],
    )
    days = forms.IntegerField(label=_("Days after the audit's last day"), min_value=1, max_value=3650)
    source = forms.CharField(label=_("Source or reason"), required=False, max_length=300)
