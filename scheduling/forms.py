from django import forms
from django.utils.translation import gettext_lazy as _

from audits.models import Absence
from people.models import AuditorProfile
from standards.models import Standard

from .models import ClientFeedback, CpdRecord, PerformanceReview


class DateInput(forms.DateInput):
    input_type = "date"


class AbsenceForm(forms.ModelForm):
    """An absence; a CB administrator chooses the auditor, an auditor records their own."""

    profile = forms.ModelChoiceField(queryset=AuditorProfile.objects.none(), label=_("Auditor"))

    class Meta:
        model = Absence
        fields = ["profile", "kind", "start_date", "start_half", "end_date", "end_half", "note"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, profiles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if profiles is None:
            del self.fields["profile"]
        else:
            self.fields["profile"].queryset = profiles


class ReviewForm(forms.ModelForm):
    profile = forms.ModelChoiceField(queryset=AuditorProfile.objects.none(), label=_("Auditor"))

    class Meta:
        model = PerformanceReview
        fields = ["profile", "reviewed_on", "outcome", "summary"]
        widgets = {"reviewed_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, profiles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = profiles


class CpdForm(forms.ModelForm):
    profile = forms.ModelChoiceField(queryset=AuditorProfile.objects.none(), label=_("Auditor"))

    class Meta:
        model = CpdRecord
        fields = ["profile", "completed_on", "hours", "title"]
        widgets = {"completed_on": DateInput()}

    def __init__(self, *args, profiles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = profiles


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = ClientFeedback
        fields = ["competence", "conduct", "communication", "comment"]
        widgets = {
            "competence": forms.RadioSelect,
            "conduct": forms.RadioSelect,
            "communication": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 3}),
        }


class CalendarFilterForm(forms.Form):
    profile = forms.ModelChoiceField(queryset=AuditorProfile.objects.none(), required=False, label=_("Auditor"))
    standard = forms.ModelChoiceField(queryset=Standard.objects.all(), required=False, label=_("Standard"))
    code = forms.CharField(required=False, label=_("Technical-area code"), max_length=20)
    region = forms.CharField(required=False, label=_("Region"), max_length=50)

    def __init__(self, *args, profiles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = profiles
