"""Forms of complaints and appeals. They only collect input; the rules are in ``complaints.services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from certification.models import ReasonKind, StatusReason

from .models import AppealOutcome, ComplaintOutcome, ComplaintSubject, MisuseAction

TEXT = {"rows": 4}


class PublicComplaintForm(forms.Form):
    complainant_name = forms.CharField(label=_("Your name"), max_length=100)
    complainant_organisation = forms.CharField(label=_("Your organisation"), max_length=200, required=False)
    complainant_email = forms.EmailField(label=_("Your e-mail"), required=False)
    complainant_phone = forms.CharField(label=_("Your phone"), max_length=40, required=False)
    subject = forms.ChoiceField(label=_("Your complaint is about"), choices=ComplaintSubject.choices)
    organisation_named = forms.CharField(label=_("Certified organisation concerned"), max_length=200, required=False)
    certificate_number_given = forms.CharField(label=_("Certificate number"), max_length=60, required=False)
    summary = forms.CharField(label=_("Summary"), max_length=200)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs=TEXT), max_length=20000)
    # A field people never see: a form that fills it is a robot's, refused as invalid.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("The form could not be sent."))
        if not data.get("complainant_email") and not (data.get("complainant_phone") or "").strip():
            self.add_error("complainant_email", _("Give an e-mail address or a phone number to answer you."))
        return data


class StaffComplaintForm(PublicComplaintForm):
    pass


class ClientComplaintForm(forms.Form):
    subject = forms.ChoiceField(
        label=_("Your complaint is about"),
        choices=[(ComplaintSubject.CB_ACTIVITY, ComplaintSubject.CB_ACTIVITY.label)],
    )
    summary = forms.CharField(label=_("Summary"), max_length=200)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs=TEXT), max_length=20000)


class AppealForm(forms.Form):
    grounds = forms.CharField(label=_("Grounds of the appeal"), widget=forms.Textarea(attrs=TEXT), max_length=20000)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000)


class ValidateForm(NoteForm):
    certificate_number = forms.CharField(
        label=_("Certificate concerned (number)"),
        max_length=60,
        required=False,
        help_text=_("For a complaint about a certified client: links its certificate and the client."),
    )


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("Handler"), queryset=None)

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers


class ComplaintDecideForm(forms.Form):
    findings = forms.CharField(label=_("Investigation findings"), widget=forms.Textarea(attrs=TEXT))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ComplaintOutcome.choices)
    decision_text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs=TEXT))
    misuse_action = forms.ChoiceField(
        label=_("Action on a misuse of certificates or marks"),
        choices=[("", "—"), *MisuseAction.choices],
        required=False,
    )
    misuse_action_note = forms.CharField(
        label=_("Misuse: action taken"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AnswerForm(forms.Form):
    answer_text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs=TEXT))


class AppealDecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AppealOutcome.choices)
    findings = forms.CharField(label=_("Review findings"), widget=forms.Textarea(attrs=TEXT))


class SpecialAuditForm(forms.Form):
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    on_site_days = forms.DecimalField(label=_("On-site days"), min_value=0, max_digits=5, decimal_places=1)
    man_days = forms.DecimalField(label=_("Man-days"), min_value=0, max_digits=5, decimal_places=1)


class SuspensionForm(forms.Form):
    decision_type = forms.ChoiceField(
        label=_("Decision"),
        choices=[("suspend", _("Suspend certification")), ("withdraw", _("Withdraw certification"))],
    )
    reason = forms.ModelChoiceField(label=_("Reason code"), queryset=StatusReason.objects.none())
    suspension_ends_on = forms.DateField(
        label=_("Suspension ends on"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = StatusReason.objects.filter(
            kind__in=[ReasonKind.SUSPENSION, ReasonKind.WITHDRAWAL], active=True
        ).order_by("kind", "code")


class NewDecisionForm(forms.Form):
    decision_type = forms.ChoiceField(label=_("New decision"), choices=())

    def __init__(self, *args, **kwargs):
        from certification.models import DecisionType

        super().__init__(*args, **kwargs)
        self.fields["decision_type"].choices = DecisionType.choices


# --- impartiality ------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"


class RiskForm(forms.Form):
    threat = forms.ChoiceField(label=_("Threat"), choices=())
    description = forms.CharField(label=_("Risk"), widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), choices=(), coerce=int)
    impact = forms.TypedChoiceField(label=_("Impact"), choices=(), coerce=int)
    control = forms.CharField(label=_("Control"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    next_review_on = forms.DateField(label=_("Next review on"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        from .models import Level, Threat

        super().__init__(*args, **kwargs)
        self.fields["threat"].choices = Threat.choices
        self.fields["likelihood"].choices = Level.choices
        self.fields["impact"].choices = Level.choices


class RiskReviewForm(forms.Form):
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), choices=(), coerce=int)
    impact = forms.TypedChoiceField(label=_("Impact"), choices=(), coerce=int)
    control = forms.CharField(label=_("Control"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    next_review_on = forms.DateField(label=_("Next review on"), widget=DateInput)
    active = forms.BooleanField(label=_("Still a risk"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        from .models import Level

        super().__init__(*args, **kwargs)
        self.fields["likelihood"].choices = Level.choices
        self.fields["impact"].choices = Level.choices


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    interest = forms.CharField(label=_("Interest represented"), max_length=200)
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    attendees = forms.ModelMultipleChoiceField(label=_("Attendees"), queryset=None, widget=forms.CheckboxSelectMultiple)
    minutes = forms.FileField(label=_("Minutes"), required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=2000)
    owner = forms.CharField(label=_("Owner"), max_length=100)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)
