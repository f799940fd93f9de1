"""Forms and page logic for findings (with evidence files) and nonconformities raised from them.
The rules are in ``findings.services`` (``finding_create``, ``finding_update``,
``finding_evidence_add``, ``nonconformity_raise``)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Department
from core.views import perform
from findings import services as finding_services
from findings.models import NonconformityGrade
from standards.forms import ClauseChoiceField


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


def _department_field(audit, **kwargs):
    return forms.ModelChoiceField(
        queryset=Department.objects.filter(client_id=audit.client_id).order_by("order", "pk"),
        required=False,
        label=gettext_lazy("Department"),
        **kwargs,
    )


class FindingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(
        label=gettext_lazy("Finding"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        help_text=gettext_lazy("What was found, conforming or not."),
    )
    evidence = forms.CharField(
        label=gettext_lazy("Audit evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20000,
        help_text=gettext_lazy("Records seen, people interviewed, observations."),
    )
    files = MultipleFileField(
        label=gettext_lazy("Evidence files"),
        required=False,
        help_text=gettext_lazy("PDF, DOC, DOCX, XLS, XLSX, PNG or JPG, at most 20 MB each."),
    )

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"] = ClauseChoiceField(standards=audit.standards.all(), label=_("Clause"))
        self.fields["department"] = _department_field(audit)
        self.order_fields(["clause", "department", "description", "evidence", "files", "version"])


class NonconformityForm(forms.Form):
    grade = forms.ChoiceField(label=gettext_lazy("Grade"), widget=forms.RadioSelect)
    requirement = forms.CharField(
        label=gettext_lazy("Requirement"), widget=forms.Textarea(attrs={"rows": 2}), max_length=20000
    )
    statement = forms.CharField(
        label=gettext_lazy("Statement of nonconformity"), widget=forms.Textarea(attrs={"rows": 2}), max_length=20000
    )
    evidence = forms.CharField(
        label=gettext_lazy("Objective evidence"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = NonconformityGrade.choices
        self.fields["clause"] = ClauseChoiceField(standards=audit.standards.all(), label=_("Clause"))
        self.fields["department"] = _department_field(audit)
        self.order_fields(["grade", "clause", "department", "requirement", "statement", "evidence"])


def _back(report, anchor="findings"):
    return redirect(reverse("reports:editor", kwargs={"pk": report.pk}) + f"#{anchor}")


def finding_form(request, *, report, finding):
    audit = report.audit
    initial = {}
    if finding is not None:
        initial = {
            "clause": finding.clause_id,
            "department": finding.department_id,
            "description": finding.description,
            "evidence": finding.evidence,
            "version": finding.version,
        }
    form = FindingForm(request.POST or None, request.FILES or None, audit=audit, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "clause": data["clause"],
            "department": data["department"],
            "description": data["description"],
            "evidence": data["evidence"],
        }

        def save():
            nonlocal finding
            if not report.is_editable:
                raise ValidationError(_("The report is locked: findings cannot be changed now."), code="wrong_status")
            if finding is None:
                finding = finding_services.finding_create(audit=audit, by=request.user, files=data["files"], **fields)
            else:
                finding_services.finding_update(
                    finding=finding, by=request.user, version=data["version"], files=data["files"], **fields
                )

        if perform(request, save, success=_("Finding saved."), form=form):
            return _back(report, f"finding-{finding.pk}")
    return render(
        request, "reports/finding_form.html", {"report": report, "audit": audit, "form": form, "finding": finding}
    )


def nonconformity_form(request, *, report, finding):
    audit = report.audit
    form = NonconformityForm(
        request.POST or None,
        audit=audit,
        initial={
            "clause": finding.clause_id,
            "department": finding.department_id,
            "evidence": finding.evidence,
            "statement": finding.description,
            "grade": "minor",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        raised = []

        def raise_nc():
            if not report.is_editable:
                raise ValidationError(
                    _("The report is locked: nonconformities cannot be raised now."), code="wrong_status"
                )
            raised.append(
                finding_services.nonconformity_raise(
                    finding=finding,
                    by=request.user,
                    grade=data["grade"],
                    clause=data["clause"],
                    department=data["department"],
                    requirement=data["requirement"],
                    statement=data["statement"],
                    evidence=data["evidence"],
                )
            )

        if perform(request, raise_nc, form=form):
            messages.success(request, _("Nonconformity %(number)s raised.") % {"number": raised[0].number})
            return _back(report, "nonconformities")
    return render(request, "reports/nc_form.html", {"report": report, "audit": audit, "form": form, "finding": finding})
