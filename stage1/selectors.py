"""Reads for the stage-1 pages and jobs."""

from __future__ import annotations

from django.db import DatabaseError

from standards.models import Standard

from .analysis.catalogue import Catalogue, make_standard, shipped_catalogue


def catalogue_from_db() -> Catalogue:
    """The CB's standards (shipped or imported) as the analyser's catalogue: two queries.

    Falls back to the shipped files where the database has no standards (not migrated yet)."""
    try:
        standards = list(Standard.objects.prefetch_related("clauses").order_by("code", "edition"))
    except DatabaseError:
        standards = []
    if not standards:
        return shipped_catalogue()
    refs = []
    for standard in standards:
        clauses = sorted(standard.clauses.all(), key=lambda c: c.sort_key)
        refs.append(
            make_standard(
                standard.code,
                standard.edition,
                [(c.number, c.title_zh, c.title_en) for c in clauses],
                national_equivalent=standard.national_equivalent or "",
                retired=standard.retired,
            )
        )
    return Catalogue(refs)
