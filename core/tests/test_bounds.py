"""Numbers from a request are bounded before the database (core/bounds.py)."""

import pytest
from django import forms

from core.bounds import MAX_COUNTER, MAX_ID, BoundedIntegerField, BoundedModelMultipleChoiceField, parse_id, parse_ids


@pytest.mark.parametrize(
    "value,expected",
    [
        ("7", 7),
        (" 12 ", 12),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("1" * 25, None),
        ("0", None),
        ("-3", None),
        ("x", None),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected


def test_parse_ids_keeps_only_ids_the_database_can_hold():
    assert parse_ids(["1,2", "9" * 25, "3", "a,4"]) == [1, 2, 3, 4]


def test_an_integer_field_refuses_what_the_column_cannot_hold():
    class Form(forms.Form):
        version = BoundedIntegerField(min_value=0)

    assert Form({"version": str(MAX_COUNTER)}).is_valid()
    form = Form({"version": str(10**30)})
    assert not form.is_valid() and "version" in form.errors


@pytest.mark.django_db
def test_a_list_of_ids_with_a_huge_one_is_a_form_error_not_an_overflow():
    from django.contrib.auth.models import Group

    field = BoundedModelMultipleChoiceField(queryset=Group.objects.all())
    with pytest.raises(forms.ValidationError):
        field.clean([str(10**25)])
