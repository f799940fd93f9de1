"""Reads for the stage-1 pages and jobs."""

from __future__ import annotations

from typing import Any

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


def audit_documents(audit: Any) -> list[Any]:
    """The audit's documents with their versions and each version's reviews: three queries."""
    from django.db.models import Prefetch

    from .models import DocumentReview, DocumentVersion, Stage1Document

    reviews = DocumentReview.objects.select_related("requested_by").prefetch_related("standards")
    versions = DocumentVersion.objects.select_related("uploaded_by").prefetch_related(
        Prefetch("reviews", queryset=reviews)
    )
    return list(Stage1Document.objects.filter(audit=audit).prefetch_related(Prefetch("versions", queryset=versions)))


def audit_concerns(audit: Any) -> list[Any]:
    from .models import AreaOfConcern

    return list(
        AreaOfConcern.objects.filter(audit=audit).select_related(
            "clause__standard", "created_by", "answered_by", "answer_version__document", "proposal"
        )
    )


def open_concerns(audit_ids: list[int]) -> list[Any]:
    """Unanswered areas of concern of the given stage 1 audits (for stage 2 planning)."""
    from .models import AreaOfConcern

    return list(
        AreaOfConcern.objects.filter(audit_id__in=audit_ids, answer="").select_related("clause__standard", "audit")
    )


def clause_tree(standards: Any) -> list[dict[str, Any]]:
    """The audited standards' clauses in order, for the outline's side."""
    from standards.models import Clause

    return [
        {
            "standard": str(c.standard),
            "number": c.number,
            "title": c.title,
            "depth": c.depth,
            # the Bootstrap padding step (ps-0 … ps-5) that indents the clause by its depth
            "indent": min(c.depth, 5),
        }
        for c in Clause.objects.filter(standard__in=standards)
        .select_related("standard")
        .order_by("standard", "sort_key")
    ]


def client_concerns(user: Any) -> Any:
    """The areas of concern of the user's organisation's audits (client portal): the audits the
    user may see (``restrict``), open ones first, then by audit and date. One query."""
    from django.db.models import Case, IntegerField, Value, When

    from audits.models import Audit

    from .models import AreaOfConcern

    return (
        AreaOfConcern.objects.filter(audit__in=Audit.objects.restrict(user, "view"))
        .select_related("audit", "clause__standard", "answer_version__document", "answered_by")
        .annotate(answered=Case(When(answer="", then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("answered", "-audit__start_date", "created_at", "pk")
    )
