"""Numbers from a request, bounded before they reach the database.

A number the database cannot hold (``?standard=<25 digits>``, ``version=10**30``) makes the
database driver raise ``OverflowError`` (a 500) instead of finding nothing. Every id and every
number taken from a request goes through one of these:

- URL arguments: ``core.middleware.BoundedUrlNumbersMiddleware`` answers 404 for an ``<int:…>``
  argument above ``MAX_ID``;
- query-string ids: ``parse_ids`` / ``parse_id``;
- forms: ``BoundedIntegerField`` (counters, versions), ``BoundedModelMultipleChoiceMixin`` (lists of
  ids, which Django looks up with ``IN``, a lookup it does not guard as it guards ``=``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# Primary keys are BigAutoField: a signed 64-bit integer in SQLite and PostgreSQL.
MAX_ID = 2**63 - 1
# Counters and versions are IntegerField / PositiveIntegerField: 32-bit in PostgreSQL.
MAX_COUNTER = 2**31 - 1


def parse_id(value: Any) -> int | None:
    """A positive id from request text, or None when it is not one the database can hold."""
    text = str(value).strip()
    if not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: Iterable[Any]) -> list[int]:
    """Ids from repeated and/or comma-separated request values; anything else is left out."""
    ids = []
    for value in values:
        for part in str(value).split(","):
            number = parse_id(part)
            if number is not None:
                ids.append(number)
    return ids


def out_of_range(value: Any) -> bool:
    """An int (a URL argument) no primary key can have."""
    return isinstance(value, int) and not isinstance(value, bool) and not (-MAX_ID <= value <= MAX_ID)


class BoundedIntegerField(forms.IntegerField):
    """An integer form field that refuses, with a message, what the database column cannot hold."""

    def __init__(self, *, max_value: int | None = None, min_value: int | None = None, **kwargs: Any) -> None:
        super().__init__(
            max_value=MAX_COUNTER if max_value is None else max_value,
            min_value=-MAX_COUNTER if min_value is None else min_value,
            **kwargs,
        )


class BoundedModelMultipleChoiceMixin:
    """For ``ModelMultipleChoiceField``s: an id the database cannot hold is an invalid choice (a
    form error), not an ``IN`` query that overflows."""

    def _check_values(self, value: Any) -> Any:
        key = getattr(self, "to_field_name", None) or "pk"
        if key == "pk":
            for pk in value:
                if parse_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],  # type: ignore[attr-defined]
                        code="invalid_pk_value",
                        params={"pk": str(pk)[:30]},
                    )
        return super()._check_values(value)  # type: ignore[misc]


class BoundedModelMultipleChoiceField(BoundedModelMultipleChoiceMixin, forms.ModelMultipleChoiceField):
    pass
