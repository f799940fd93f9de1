"""Forms of the standards app: the clause picker other apps' forms use, and the admin imports.

Using the clause picker in a form (findings, nonconformities, plan items …)::

    from standards.forms import ClauseChoiceField, ClauseMultipleChoiceField

    class PlanItemForm(forms.ModelForm):
        def __init__(self, *args, audit, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["clauses"] = ClauseMultipleChoiceField(standards=audit.standards.all(), required=False)

Only clauses of the given standards validate; the widget searches them as the user types
(htmx, ``standards:clause_picker``) and adds the chosen ones as checkboxes (radio buttons for
``ClauseChoiceField``). The page must load htmx (base.html does).
"""

from urllib.parse import urlencode

from django import forms
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.bounds import BoundedModelMultipleChoiceField

from .models import Clause
from .selectors import CLAUSE_ORDER

MAX_IMPORT_BYTES = 1024 * 1024
IMPORT_EXTENSIONS = ["yaml", "yml", "json"]


def _standard_ids(standards):
    if standards is None:
        return None
    return [getattr(s, "pk", s) for s in standards]


class ClausePickerWidget(forms.SelectMultiple):
    """Search-as-you-type clause chooser; renders only the chosen clauses, never the whole list."""

    template_name = "standards/widgets/clause_picker.html"

    def __init__(self, attrs=None, standards=None, multiple=True):
        super().__init__(attrs)
        self.standard_ids = _standard_ids(standards)
        self.multiple = multiple

    @property
    def allow_multiple_selected(self):
        return self.multiple

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            return super().value_from_datadict(data, files, name)
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an unchecked box sends nothing: that means "none", not "omitted"

    def picker_url(self):
        params = [("standard", pk) for pk in self.standard_ids or ()] + [("format", "list")]
        return f"{reverse('standards:clause_picker')}?{urlencode(params)}"

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)  # not Select's: no full option list
        ids = [int(v) for v in context["widget"]["value"] if str(v).isdigit()]
        selected = Clause.objects.filter(pk__in=ids).select_related("standard").order_by(*CLAUSE_ORDER) if ids else []
        context["widget"].update(selected=list(selected), multiple=self.multiple, picker_url=self.picker_url())
        return context


class _ClauseFieldMixin:
    def _setup(self, standards, multiple, kwargs):
        queryset = Clause.objects.select_related("standard").order_by(*CLAUSE_ORDER)
        if standards is not None:
            queryset = queryset.filter(standard__in=_standard_ids(standards))
        kwargs.setdefault("widget", ClausePickerWidget(standards=standards, multiple=multiple))
        kwargs.setdefault("label", _("Clauses") if multiple else _("Clause"))
        return queryset

    def label_from_instance(self, obj):
        return f"{obj.standard} {obj.number} {obj.title}"


class ClauseMultipleChoiceField(_ClauseFieldMixin, BoundedModelMultipleChoiceField):
    """Several clauses of the given standards (all standards when ``standards`` is None)."""

    def __init__(self, *, standards=None, **kwargs):
        super().__init__(queryset=self._setup(standards, True, kwargs), **kwargs)


class ClauseChoiceField(_ClauseFieldMixin, forms.ModelChoiceField):
    """One clause of the given standards (all standards when ``standards`` is None)."""

    def __init__(self, *, standards=None, **kwargs):
        super().__init__(queryset=self._setup(standards, False, kwargs), **kwargs)


def validate_import_size(upload):
    if upload.size > MAX_IMPORT_BYTES:
        raise forms.ValidationError(
            _("The file is %(size)s; at most %(max)s is accepted."),
            code="too_big",
            params={"size": filesizeformat(upload.size), "max": filesizeformat(MAX_IMPORT_BYTES)},
        )


class CatalogueImportForm(forms.Form):
    """Upload of one data file (a standard, or the technical areas) in the admin."""

    file = forms.FileField(
        label=_("Data file"),
        help_text=_("YAML or JSON in the catalogue's schema (see the README), at most 1 MB."),
        validators=[FileExtensionValidator(IMPORT_EXTENSIONS), validate_import_size],
    )

    def read(self):
        upload = self.cleaned_data["file"]
        upload.seek(0)
        return upload.name, upload.read()
