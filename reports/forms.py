from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from audits.models import Stage1Outcome
from core.bounds import BoundedIntegerField
from core.i18n import pick

from .document import form_label
from .models import FieldType

EXTRA_TABLE_ROWS = 2


class ReportValuesForm(forms.Form):
    """The team's typed values (choices, texts, dates, tables) of one report, built from the
    template: one form field per template field, named ``f<id>``; option details
    ``f<id>__<option>``; table cells ``f<id>__<row>__<column>``."""

    version = BoundedIntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, fields, values, facts, disabled=False, language=None, **kwargs):
        super().__init__(*args, **kwargs)
        if language is not None:
            # The report's language: its PDFs are rendered in it unless a render asks for another.
            self.fields["report_language"] = forms.ChoiceField(
                label=_("Language of the report"),
                choices=settings.LANGUAGES,
                initial=language,
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
                help_text=_(
                    "The issued PDF and the drafts are produced in this language unless you choose another "
                    "when you generate them."
                ),
            )
        self.template_fields = list(fields)
        self.table_layout = {}
        for fld in self.template_fields:
            stored = values.get(fld.pk)
            value = stored.value if stored is not None else None
            detail = (stored.detail or {}) if stored is not None else {}
            name = f"f{fld.pk}"
            options = [(o.key, form_label(o.label)) for o in fld.options.all()]
            if fld.type == FieldType.CHOICE:
                self.fields[name] = forms.ChoiceField(
                    label=form_label(fld.label),
                    choices=options,
                    required=False,
                    widget=forms.RadioSelect,
                    initial=value,
                )
            elif fld.type == FieldType.MULTICHOICE:
                self.fields[name] = forms.MultipleChoiceField(
                    label=form_label(fld.label),
                    choices=options,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    initial=value or [],
                )
                if fld.option_detail:
                    detail_label = pick(fld.option_detail.get("label_zh"), fld.option_detail.get("label_en"))
                    for key, label in options:
                        self.fields[f"{name}__{key}"] = forms.CharField(
                            label=f"{label} · {detail_label}",
                            required=False,
                            initial=detail.get(key, ""),
                            max_length=2000,
                        )
            elif fld.type == FieldType.DATE:
                self.fields[name] = forms.DateField(
                    label=form_label(fld.label),
                    required=False,
                    initial=value,
                    widget=forms.DateInput(attrs={"type": "date"}),
                )
            elif fld.type == FieldType.TABLE:
                self._table(fld, value, facts)
            else:
                initial = value if value is not None else (fld.default or "")
                self.fields[name] = forms.CharField(
                    label=form_label(fld.label),
                    required=False,
                    initial=initial,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        if disabled:
            for form_field in self.fields.values():
                form_field.disabled = True

    def _table(self, fld, value, facts):
        """A table: rows from the audit's records (only their missing/text columns are typed) or,
        without a source, typed rows plus a few blank ones."""
        columns = [(c["key"], pick(c.get("label_zh"), c.get("label_en")), c.get("type", "fact")) for c in fld.columns]
        name = f"f{fld.pk}"
        rows = []
        if fld.source:
            typed = value if isinstance(value, dict) else {}
            for index, row in enumerate(facts.get(fld.source) or [], start=1):
                row_key = str(row.get("_key") or index)
                cells = []
                for key, label, kind in columns:
                    fact = row.get(key)
                    # Only text columns the records do not hold are typed (e.g. the functions
                    # audited per department); every other cell is a fact.
                    if kind == "text" and key not in row:
                        field_name = f"{name}__{row_key}__{key}"
                        self.fields[field_name] = forms.CharField(
                            label=label,
                            required=False,
                            max_length=5000,
                            initial=(typed.get(row_key) or {}).get(key, ""),
                            widget=forms.Textarea(attrs={"rows": 1}),
                        )
                        cells.append(("input", field_name))
                    else:
                        cells.append(("fact", fact))
                rows.append((row_key, cells))
        else:
            typed = value if isinstance(value, list) else []
            for index in range(len(typed) + EXTRA_TABLE_ROWS):
                row = typed[index] if index < len(typed) else {}
                cells = []
                for key, label, _kind in columns:
                    field_name = f"{name}__{index}__{key}"
                    self.fields[field_name] = forms.CharField(
                        label=label, required=False, max_length=2000, initial=row.get(key, "")
                    )
                    cells.append(("input", field_name))
                rows.append((str(index), cells))
        has_inputs = any(kind == "input" for _key, cells in rows for kind, _value in cells)
        self.table_layout[fld.pk] = {"columns": [label for _k, label, _t in columns], "rows": rows, "typed": has_inputs}

    def typed_values(self):
        """``({field id: value}, {field id: {option: detail}})`` from the cleaned data."""
        data = self.cleaned_data
        values, details = {}, {}
        for fld in self.template_fields:
            name = f"f{fld.pk}"
            if fld.type == FieldType.TABLE:
                values[fld.pk] = self._table_value(fld, data)
                continue
            value = data.get(name)
            if fld.type == FieldType.DATE and value:
                value = value.isoformat()
            values[fld.pk] = value
            if fld.type == FieldType.MULTICHOICE and fld.option_detail:
                details[fld.pk] = {o.key: data.get(f"{name}__{o.key}", "") for o in fld.options.all()}
        return values, details

    def _table_value(self, fld, data):
        name = f"f{fld.pk}"
        layout = self.table_layout[fld.pk]
        columns = [c["key"] for c in fld.columns]
        if fld.source:
            result = {}
            for row_key, cells in layout["rows"]:
                typed = {}
                for (kind, field_name), key in zip(cells, columns, strict=False):
                    if kind == "input" and (data.get(field_name) or "").strip():
                        typed[key] = data[field_name].strip()
                if typed:
                    result[row_key] = typed
            return result or None
        rows = []
        for row_key, _cells in layout["rows"]:
            row = {key: (data.get(f"{name}__{row_key}__{key}") or "").strip() for key in columns}
            if any(row.values()):
                rows.append(row)
        return rows or None


class TopicSaveForm(forms.Form):
    text = forms.CharField(required=False, widget=forms.Textarea)
    version = BoundedIntegerField(min_value=0)
    left_blank = forms.BooleanField(required=False)


class ReturnForm(forms.Form):
    """One comment box per topic of the report, plus a general comment."""

    comment = forms.CharField(label=_("General comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic_fields = []
        for content, label in topics:
            name = f"c{content.pk}"
            self.fields[name] = forms.CharField(
                label=label, required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 1})
            )
            self.topic_fields.append((content, name))

    def comments(self):
        return {content: self.cleaned_data.get(name, "") for content, name in self.topic_fields}


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why must the approved report be changed?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class Stage1ConclusionForm(forms.Form):
    """The conclusion a stage 1 report is approved with (ISO/IEC 17021-1 9.3.1.2)."""

    stage_1_outcome = forms.ChoiceField(
        label=_("Conclusion of stage 1"), choices=Stage1Outcome.choices, widget=forms.RadioSelect, required=False
    )
    stage_1_remark = forms.CharField(
        label=_("Remark (why not ready, what stage 2 must look at)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
