"""The clause picker other apps' forms drop in."""

import pytest
from django import forms
from django.urls import reverse

from standards.forms import ClauseChoiceField, ClauseMultipleChoiceField, ClausePickerWidget
from standards.models import Clause, Standard

pytestmark = pytest.mark.django_db


def clause(code, number):
    return Clause.objects.get(standard__code=code, number=number)


class FindingForm(forms.Form):
    def __init__(self, *args, standards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clauses"] = ClauseMultipleChoiceField(standards=standards)
        self.fields["main_clause"] = ClauseChoiceField(standards=standards, required=False)


def test_multiple_field_accepts_clauses_of_the_audits_standards_only():
    standards = Standard.objects.filter(code__in=["ISO 9001", "ISO 14001"])
    ok = [clause("ISO 9001", "8.5.1").pk, clause("ISO 14001", "6.1.2").pk]
    form = FindingForm({"clauses": ok}, standards=standards)
    assert form.is_valid(), form.errors
    assert {c.number for c in form.cleaned_data["clauses"]} == {"8.5.1", "6.1.2"}

    form = FindingForm({"clauses": [clause("ISO 45001", "8.1.4.2").pk]}, standards=standards)
    assert not form.is_valid() and "clauses" in form.errors


def test_single_field_takes_one_clause():
    standards = Standard.objects.filter(code="ISO 9001")
    form = FindingForm(
        {"clauses": [clause("ISO 9001", "7.2").pk], "main_clause": clause("ISO 9001", "7.2").pk}, standards=standards
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["main_clause"].number == "7.2"


def test_widget_renders_the_chosen_clauses_and_a_search_box_bound_to_the_standards():
    standards = list(Standard.objects.filter(code__in=["ISO 9001", "ISO 45001"]))
    chosen = clause("ISO 9001", "8.4.3")
    form = FindingForm(initial={"clauses": [chosen.pk]}, standards=standards)
    html = str(form["clauses"])
    assert f'name="clauses" value="{chosen.pk}"' in html and "checked" in html
    assert "8.4.3" in html and "ISO 9001:2015" in html
    assert reverse("standards:clause_picker") in html
    for standard in standards:
        assert f"standard={standard.pk}" in html
    assert "hx-get" in html and 'name="q"' in html and "clause_picker.js" in html
    # Only what is chosen is rendered, never all 94 + 59 options.
    assert "8.5.1" not in html and "<option" not in html


def test_single_widget_renders_radio_buttons():
    chosen = clause("ISO 9001", "7.2")
    html = str(FindingForm(initial={"main_clause": chosen.pk}, standards=Standard.objects.all())["main_clause"])
    assert 'type="radio"' in html and f'value="{chosen.pk}"' in html


def test_widget_reads_nothing_checked_as_an_empty_choice():
    widget = ClausePickerWidget()
    assert widget.value_omitted_from_data({}, {}, "clauses") is False
    from django.http import QueryDict

    assert widget.value_from_datadict(QueryDict("clauses=1&clauses=2"), {}, "clauses") == ["1", "2"]
    single = ClausePickerWidget(multiple=False)
    assert single.value_from_datadict(QueryDict("c=5"), {}, "c") == "5"


def test_field_labels_name_standard_number_and_title():
    field = ClauseMultipleChoiceField(standards=Standard.objects.filter(code="ISO 45001"))
    assert field.label_from_instance(clause("ISO 45001", "8.1.4.2")) in (
        "ISO 45001:2018 8.1.4.2 承包方",
        "ISO 45001:2018 8.1.4.2 Contractors",
    )
