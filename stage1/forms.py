from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import DocumentKind
from core.bounds import parse_id

from .models import AreaOfConcern, DocumentVersion
from .uploads import CONTENT_TYPES

# A client's answer to an area of concern: a few paragraphs, bounded so a pasted book is refused.
ANSWER_MAX_LENGTH = 5000


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices, initial=DocumentKind.MANUAL)
    title = forms.CharField(label=_("Document title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_("A .docx, .pdf (with text, not a scan) or .txt file."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(CONTENT_TYPES)}),
    )


# Texts typed on the stage 1 pages, bounded so a pasted book is refused with a message.
TEXT_MAX_LENGTH = 2000
EVIDENCE_MAX_LENGTH = 5000


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class ConfirmForm(forms.Form):
    text = forms.CharField(label=_("Area of concern"), max_length=TEXT_MAX_LENGTH, required=False)


class ConcernForm(forms.Form):
    text = forms.CharField(
        label=_("Area of concern"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.CharField(
        label=_("Evidence"), max_length=EVIDENCE_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A model choice whose id is refused (an invalid choice) before the lookup when it is not an
    id the database can hold: "abc", "1.5", 10**30 never reach the query."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if parse_id(value) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class AnswerForm(forms.Form):
    """The client's answer to one area of concern; ``version`` is a corrected document of the
    concern's own audit."""

    answer = forms.CharField(
        label=_("Your answer"), max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = BoundedModelChoiceField(
        label=_("Corrected document"),
        queryset=DocumentVersion.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("That document belongs to another audit.")},
    )

    def __init__(self, *args, concern: AreaOfConcern, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = DocumentVersion.objects.filter(document__audit_id=concern.audit_id)
