from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import DocumentKind

from .uploads import CONTENT_TYPES


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices, initial=DocumentKind.MANUAL)
    title = forms.CharField(label=_("Document title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_("A .docx, .pdf (with text, not a scan) or .txt file."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(CONTENT_TYPES)}),
    )


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class ConcernForm(forms.Form):
    text = forms.CharField(label=_("Area of concern"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
