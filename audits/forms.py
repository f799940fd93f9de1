"""Forms of the planning pages. They collect input; the rules are in services.py (a form's
clean() calls the service's checks where a field-level message helps)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core.bounds import BoundedIntegerField, BoundedModelMultipleChoiceField
from people.selectors import auditor_profiles_for_team
from standards.models import Clause, Standard

from . import services
from .calculation import AdjustmentInput, StandardInput
from .models import AuditProgramme, HalfDay, PlanItem, TeamAssignment, TeamRole
from .models.audit import Audit, AuditPurpose, Complexity
from .models.team import WitnessRole
from .services import NonApplicableInput, PlanItemInput

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
COMPLEXITY_CHOICES = [("", "—")] + list(Complexity.choices)


class ClientChoiceForm(forms.Form):
    """First step of planning: whose audit."""

    client = forms.ModelChoiceField(label=_("Client organisation"), queryset=Client.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.restrict(user, "view").order_by("name_zh")


class StandardLabelMixin:
    @staticmethod
    def standard_label(standard):
        national = f" ({standard.national_equivalent})" if standard.national_equivalent else ""
        return f"{standard}{national} · {standard.title}"


class AuditForm(StandardLabelMixin, forms.ModelForm):
    """The audit's plan: type, purpose, method, criteria, dates, sites, audit time."""

    standards = BoundedModelMultipleChoiceField(
        label=_("Standards (audit criteria)"),
        queryset=Standard.objects.order_by("retired", "family", "code", "edition"),
        widget=forms.CheckboxSelectMultiple,
    )
    ems_complexity = forms.ChoiceField(
        label=_("EMS complexity category (IAF MD 5 Annex B)"), choices=COMPLEXITY_CHOICES, required=False
    )
    ohsms_complexity = forms.ChoiceField(
        label=_("OH&S complexity category (IAF MD 5 Annex C)"),
        choices=[c for c in COMPLEXITY_CHOICES if c[0] != Complexity.LIMITED],
        required=False,
    )
    programme = forms.ModelChoiceField(
        label=_("Audit programme"),
        queryset=AuditProgramme.objects.none(),
        required=False,
        empty_label=_("The client's programme covering these standards (created if none)"),
    )
    effective_personnel = BoundedIntegerField(label=_("Effective number of personnel"), min_value=1, required=False)
    planned_man_days = forms.DecimalField(
        label=_("Planned man-days"),
        max_digits=5,
        decimal_places=1,
        min_value=0.5,
        required=False,
        help_text=_("Empty: the calculated man-days."),
    )
    version = BoundedIntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Audit
        fields = [
            "audit_type",
            "purpose",
            "method",
            "integrated",
            "integration_reduction_percent",
            "integration_reduction_reason",
            "effective_personnel_reason",
            "criteria_client_documents",
            "criteria_legislation",
            "criteria_other",
            "start_date",
            "start_half",
            "end_date",
            "end_half",
            "on_site_days",
            "sites",
            "man_days_deviation_reason",
            "notes",
        ]
        field_classes = {"sites": BoundedModelMultipleChoiceField}  # core/bounds.py
        widgets = {
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "sites": forms.CheckboxSelectMultiple,
            "integration_reduction_reason": forms.Textarea(attrs={"rows": 2}),
            "effective_personnel_reason": forms.Textarea(attrs={"rows": 2}),
            "man_days_deviation_reason": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["purpose"].required = False
        self.fields["purpose"].help_text = _("Empty: the purpose of the audit type (part 二 of the report).")
        self.fields["purpose"].choices = [("", "—")] + list(AuditPurpose.choices)
        self.fields["standards"].label_from_instance = self.standard_label
        self.fields["programme"].queryset = client.programmes.filter(active=True).prefetch_related("standards")
        self.fields["sites"].queryset = client.sites.all()
        self.fields["sites"].required = False
        # Whole days unless said otherwise (audits.availability counts half days).
        self.fields["start_half"].required = False
        self.fields["end_half"].required = False
        audit = self.instance
        if audit.pk:
            rows = list(audit.audit_standards.select_related("standard"))
            self.initial["standards"] = [row.standard for row in rows]
            for row in rows:
                if row.standard.family == "EMS":
                    self.initial["ems_complexity"] = row.complexity
                if row.standard.family == "OHSMS":
                    self.initial["ohsms_complexity"] = row.complexity
            self.initial["programme"] = audit.programme_id
            self.initial["effective_personnel"] = audit.effective_personnel
            self.initial["planned_man_days"] = audit.planned_man_days
            self.initial["version"] = audit.version
        else:
            # A new programme starts with the client's requested standards (the unsaved instance's
            # empty many-to-many is already in ``initial``, so setdefault would keep it empty).
            if not self.initial.get("standards"):
                self.initial["standards"] = [scope.standard for scope in client.scopes.select_related("standard")]
            self.initial.setdefault("effective_personnel", client.headcount)
            self.initial.setdefault("integrated", client.integrated_audit)
            self.initial.setdefault("sites", list(client.sites.filter(is_central=True)))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        row = "row g-3"
        self.helper.layout = Layout(
            Fieldset(
                _("Audit"),
                Div(
                    Div("audit_type", css_class="col-md-4"),
                    Div("purpose", css_class="col-md-4"),
                    Div("method", css_class="col-md-4"),
                    css_class=row,
                ),
                "programme",
            ),
            Fieldset(
                _("Audit criteria"),
                "standards",
                Div(
                    Div("criteria_client_documents", css_class="col-md-4"),
                    Div("criteria_legislation", css_class="col-md-4"),
                    Div("criteria_other", css_class="col-md-4"),
                    css_class=row,
                ),
            ),
            Fieldset(
                _("Dates and sites"),
                Div(
                    Div("start_date", css_class="col-md-3"),
                    Div("start_half", css_class="col-md-2"),
                    Div("end_date", css_class="col-md-3"),
                    Div("end_half", css_class="col-md-2"),
                    Div("on_site_days", css_class="col-md-2"),
                    css_class=row,
                ),
                "sites",
            ),
            Fieldset(
                _("Audit time"),
                Div(
                    Div("effective_personnel", css_class="col-md-4"),
                    Div("ems_complexity", css_class="col-md-4"),
                    Div("ohsms_complexity", css_class="col-md-4"),
                    css_class=row,
                ),
                "effective_personnel_reason",
                Div(
                    Div("integrated", css_class="col-md-4"),
                    Div("integration_reduction_percent", css_class="col-md-4"),
                    css_class=row,
                ),
                "integration_reduction_reason",
            ),
        )
        self.man_days_helper = FormHelper()
        self.man_days_helper.form_tag = False
        self.man_days_helper.disable_csrf = True
        self.man_days_helper.layout = Layout("planned_man_days", "man_days_deviation_reason", "notes", "version")

    def standard_inputs(self):
        complexity = {
            "EMS": self.cleaned_data.get("ems_complexity", ""),
            "OHSMS": self.cleaned_data.get("ohsms_complexity", ""),
        }
        return [StandardInput(s, complexity.get(s.family, "")) for s in self.cleaned_data.get("standards", [])]

    def plan_kwargs(self):
        """The keyword arguments of services.audit_plan / audit_update this form supplies."""
        data = self.cleaned_data
        kwargs = {name: data.get(name) for name in self.Meta.fields if name != "sites"}
        kwargs["effective_personnel"] = data.get("effective_personnel")
        kwargs["planned_man_days"] = data.get("planned_man_days")
        kwargs["integration_reduction_percent"] = data.get("integration_reduction_percent") or 0
        kwargs["start_half"] = data.get("start_half") or HalfDay.MORNING
        kwargs["end_half"] = data.get("end_half") or HalfDay.AFTERNOON
        return kwargs


class AdjustmentForm(StandardLabelMixin, forms.Form):
    standard = forms.ModelChoiceField(label=_("Standard"), queryset=Standard.objects.all())
    percent = forms.DecimalField(
        label=_("Percent"), max_digits=5, decimal_places=1, help_text=_("+ increases, − reduces the table time")
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].label_from_instance = str


class NonApplicableForm(forms.Form):
    clause = forms.ModelChoiceField(label=_("Clause"), queryset=Clause.objects.none())
    justification = forms.CharField(label=_("Justification"), max_length=500)

    def __init__(self, *args, standard_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].queryset = (
            Clause.objects.filter(standard_id__in=standard_ids)
            .select_related("standard")
            .order_by("standard__code", "sort_key")
        )
        self.fields["clause"].label_from_instance = lambda c: f"{c.standard.code} {c.number} {c.title}"


AdjustmentFormSet = forms.formset_factory(AdjustmentForm, extra=1, can_delete=True)
NonApplicableFormSet = forms.formset_factory(NonApplicableForm, extra=1, can_delete=True)


def _kept(formset):
    """Cleaned rows of a formset that are filled in and not marked for deletion."""
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def adjustment_inputs(formset):
    return [AdjustmentInput(d["standard"], d["percent"], d["reason"]) for d in _kept(formset)]


def non_applicable_inputs(formset):
    return [NonApplicableInput(d["clause"], d["justification"]) for d in _kept(formset)]


def selected_standard_ids(form):
    """Standards chosen in the (bound or initial) audit form: the clause choices of the
    non-applicable formset."""
    if form.is_bound:
        return [v for v in form.data.getlist(form.add_prefix("standards")) if str(v).isdigit()]
    return [getattr(s, "pk", s) for s in form.initial.get("standards", [])]


class TeamAddForm(forms.Form):
    profile = forms.ModelChoiceField(label=_("Auditor"), queryset=None)
    role = forms.ChoiceField(label=_("Role in the team"), choices=TeamRole.choices)
    days = forms.DecimalField(
        label=_("Days on this audit"),
        max_digits=4,
        decimal_places=1,
        min_value=0.5,
        required=False,
        help_text=_("Empty: the audit's days on site."),
    )

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = auditor_profiles_for_team().exclude(team_assignments__audit=audit)
        self.fields["profile"].label_from_instance = self.profile_label

    @staticmethod
    def profile_label(profile):
        quals = ", ".join(f"{q.family} {q.get_level_display()}" for q in profile.qualifications.all())
        codes = ", ".join(ta.code for ta in profile.technical_areas.all())
        return f"{profile.user} · {profile.registration_number} · {quals or '—'} · {codes or '—'}"


class WitnessRoleForm(forms.Form):
    """One team member's on-site evaluation role (17021-1 7.2.10), set on the team page."""

    assignment = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    witness_role = forms.ChoiceField(label=_("On-site evaluation"), choices=WitnessRole.choices, required=False)

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = TeamAssignment.objects.filter(audit=audit)


class AccompanyingPersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", "—"), ("female", _("Female")), ("male", _("Male"))]
    )
    role = forms.CharField(label=_("Role"), max_length=100, help_text=_("e.g. observer, interpreter, guide"))
    employer = forms.CharField(label=_("Employer"), max_length=200, required=False)
    remarks = forms.CharField(label=_("Remarks"), max_length=300, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}))


# --- itinerary -----------------------------------------------------------------------------


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["day", "start_time", "end_time", "kind", "department", "process", "clauses", "auditor"]
        # Ids the database cannot hold are a form error, not an overflowing IN query (core/bounds.py).
        field_classes = {"clauses": BoundedModelMultipleChoiceField}
        widgets = {
            "day": DATE_INPUT,
            "start_time": TIME_INPUT,
            "end_time": TIME_INPUT,
            "clauses": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, audit, clause_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.audit = audit
        self.fields["department"].queryset = audit.client.departments.all()
        self.fields["auditor"].queryset = audit.team.all()
        self.fields["clauses"].queryset = clause_choices
        # A line without a kind audits a department or process (forms and scripts that predate
        # the meetings' kind post none).
        self.fields["kind"].required = False
        self.fields["clauses"].label_from_instance = lambda c: f"{c.tagged_number} {c.title} ({c.standard})"
        if not self.instance.pk:
            self.initial.setdefault("day", audit.start_date)

    def as_input(self, order):
        data = self.cleaned_data
        return PlanItemInput(
            day=data.get("day"),
            start_time=data.get("start_time"),
            end_time=data.get("end_time"),
            department=data.get("department"),
            process=data.get("process") or "",
            kind=data.get("kind") or PlanItem._meta.get_field("kind").default,
            clauses=tuple(data.get("clauses") or ()),
            auditor=data.get("auditor"),
            order=order,
            item=self.instance if self.instance.pk else None,
        )

    def clean(self):
        data = super().clean()
        if self.errors or data.get("DELETE") or not self.has_changed():
            return data
        for field, message in services.itinerary_check_row(audit=self.audit, row=self.as_input(0)).items():
            self.add_error(field if field in self.fields else None, message)
        return data


class BasePlanItemFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, audit, **kwargs):
        self.audit = audit
        allowed = services.itinerary_allowed_clause_ids(audit=audit)
        self.clause_choices = (
            Clause.objects.filter(pk__in=allowed).select_related("standard").order_by("standard__code", "sort_key")
        )
        super().__init__(
            *args, queryset=PlanItem.objects.filter(audit=audit).order_by("day", "order", "start_time", "pk"), **kwargs
        )

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs.update(audit=self.audit, clause_choices=self.clause_choices)
        return kwargs

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            audit=self.audit,
            clause_choices=self.clause_choices,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


PlanItemFormSet = forms.modelformset_factory(
    PlanItem, form=PlanItemForm, formset=BasePlanItemFormSet, extra=1, can_delete=True
)


# --- programmes ----------------------------------------------------------------------------


class ProgrammeForm(StandardLabelMixin, forms.ModelForm):
    version = BoundedIntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AuditProgramme
        fields = [
            "standards",
            "rule_set",
            "cycle",
            "starts_with_initial_audit",
            "decision_on",
            "certificate_issued_on",
            "expires_on",
            "active",
            "notes",
        ]
        field_classes = {"standards": BoundedModelMultipleChoiceField}  # core/bounds.py
        widgets = {
            "standards": forms.CheckboxSelectMultiple,
            "decision_on": DATE_INPUT,
            "certificate_issued_on": DATE_INPUT,
            "expires_on": DATE_INPUT,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standards"].label_from_instance = self.standard_label
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        else:
            # A new programme starts with the client's requested standards (the unsaved instance's
            # empty many-to-many is already in ``initial``, so setdefault would keep it empty).
            if not self.initial.get("standards"):
                self.initial["standards"] = [scope.standard for scope in client.scopes.select_related("standard")]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
