"""Changes to the standards catalogue. Views, the admin, commands and the demo call these."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from .importer import (
    DataFileError,
    ImportResult,
    Problem,
    apply_standard,
    apply_technical_areas,
    file_kind,
    parse_standard,
    parse_technical_areas,
)
from .models import CatalogueImport, TechnicalArea
from .shipped import load_shipped_catalogue


def _who(by: User | str | None) -> str:
    if by is None:
        return ""
    if isinstance(by, str):
        return by
    return by.get_username()


@transaction.atomic
def standard_import(
    *,
    files: Iterable[tuple[str, bytes | str]],
    source: str = CatalogueImport.Source.COMMAND,
    by: User | str | None = None,
) -> list[ImportResult]:
    """Import standard files, given as ``[(file name, bytes or text), ...]``.

    Every file is validated first; if any has a problem, DataFileError lists them all (file,
    line, reason) and nothing is written. Then all are applied in one transaction: a standard is
    updated in place by (code, edition), clauses by number; a clause the file no longer has is
    deleted unless a record refers to it (ImportRefused, and nothing is changed)."""
    parsed, problems = [], []
    for name, raw in files:
        try:
            if file_kind(raw, name) == "technical_areas":
                problems.append(
                    Problem(1, _("this is a technical-areas file: import it as technical areas"), "wrong_kind", name)
                )
                continue
            parsed.append((name, parse_standard(raw, name)))
        except DataFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataFileError(problems)
    return [apply_standard(data, source=source, file_name=name, by=_who(by)) for name, data in parsed]


@transaction.atomic
def technical_areas_import(
    *, name: str, raw: bytes | str, source: str = CatalogueImport.Source.COMMAND, by: User | str | None = None
) -> ImportResult:
    """Import a technical-areas file: sectors and codes are created or updated by code; codes not
    in the file are kept. A code's parent must be earlier in the file or already exist."""
    known = set(TechnicalArea.objects.values_list("code", flat=True))
    data = parse_technical_areas(raw, name, known_codes=known)
    return apply_technical_areas(data, source=source, file_name=name, by=_who(by))


@transaction.atomic
def catalogue_load_shipped(*, by: User | str | None = None, force: bool = False) -> list[ImportResult]:
    """Load the shipped standards and technical areas where missing or changed (idempotent)."""
    return load_shipped_catalogue(by=_who(by), force=force)
