"""Reads about clients, each at a fixed number of queries whatever the row count."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, QuerySet

from accounts.models import User
from standards.models import Clause, Standard

from .models import Client, ClientDocument, ClientScope, Responsibility

# Clauses 1-3 (scope, normative references, terms) carry no requirement to assign.
NON_REQUIREMENT_CLAUSES = ("1", "2", "3")


def client_list(*, user: User | AnonymousUser) -> QuerySet[Client]:
    """Clients the user may see, with what the list shows: scopes and their standards, codes,
    number of sites."""
    return (
        Client.objects.restrict(user, "view")
        .annotate(site_count=Count("sites", distinct=True))
        .prefetch_related(
            Prefetch("scopes", queryset=ClientScope.objects.select_related("standard")),
            "technical_areas",
        )
        .order_by("name_zh")
    )


def client_detail(*, user: User | AnonymousUser, pk: int) -> Client:
    """One client with everything part 四 of the report prints, or Client.DoesNotExist."""
    return (
        Client.objects.restrict(user, "view")
        .prefetch_related(
            Prefetch("scopes", queryset=ClientScope.objects.select_related("standard")),
            "technical_areas",
            "sites",
            "departments",
            Prefetch("documents", queryset=ClientDocument.objects.select_related("uploaded_by")),
            Prefetch("users", queryset=User.objects.order_by("username")),
        )
        .get(pk=pk)
    )


def matrix_standards(*, client: Client) -> list[Standard]:
    """The standards of the client's requested scope, the matrix's tabs."""
    return [
        scope.standard
        for scope in client.scopes.select_related("standard").order_by("standard__family", "standard__code")
    ]


def matrix_rows(*, standard: Standard) -> list[Clause]:
    """The clauses that are rows of the matrix for ``standard``: 4 onwards, in document order."""
    return list(
        Clause.objects.filter(standard=standard)
        .exclude(number__in=NON_REQUIREMENT_CLAUSES)
        .exclude(parent__number__in=NON_REQUIREMENT_CLAUSES)
        .order_by("sort_key")
    )


def matrix_cells(*, client: Client, clauses: Iterable[Clause]) -> dict[tuple[int, int], str]:
    """{(clause_id, department_id): role} for the given rows."""
    return {
        (r.clause_id, r.department_id): r.role
        for r in Responsibility.objects.filter(department__client=client, clause__in=[c.pk for c in clauses]).only(
            "clause_id", "department_id", "role"
        )
    }


@dataclass(frozen=True)
class MatrixGap:
    """A standard whose matrix leaves clauses without a department: ``unassigned`` of the
    ``total`` requirement clauses it has."""

    standard: Standard
    unassigned: list[Clause]
    total: int

    @property
    def count(self) -> int:
        return len(self.unassigned)


def matrix_gaps(
    *, client: Client, standards: Iterable[Standard], excluded_clause_ids: Collection[int] = ()
) -> list[MatrixGap]:
    """The standards (of those given) whose requirement clauses are not all assigned to a
    department of the client. A clause counts as assigned when it, or a clause above it, has a
    department (a department given 8.5 answers for 8.5.1 …); a clause with sub-clauses is
    assigned through them, so only the lowest clauses are counted. ``excluded_clause_ids``: the
    audit's non-applicable clauses (with those below them), which need no department.
    Two queries whatever the number of standards."""
    wanted = {s.pk: s for s in standards}
    if not wanted:
        return []
    rows = list(
        Clause.objects.filter(standard_id__in=wanted)
        .exclude(number__in=NON_REQUIREMENT_CLAUSES)
        .exclude(parent__number__in=NON_REQUIREMENT_CLAUSES)
        .only("pk", "number", "standard_id", "parent_id", "sort_key")
        .order_by("sort_key")
    )
    assigned = set(
        Responsibility.objects.filter(department__client=client, clause__standard_id__in=wanted).values_list(
            "clause_id", flat=True
        )
    )
    parents = {c.parent_id for c in rows if c.parent_id is not None}
    by_id = {c.pk: c for c in rows}

    def covered(clause: Clause) -> bool:
        current: Clause | None = clause
        while current is not None:
            if current.pk in assigned:
                return True
            current = by_id.get(current.parent_id) if current.parent_id is not None else None
        return False

    gaps = []
    for standard_id, standard in wanted.items():
        leaves = [
            c for c in rows if c.standard_id == standard_id and c.pk not in parents and c.pk not in excluded_clause_ids
        ]
        unassigned = [c for c in leaves if not covered(c)]
        if unassigned:
            gaps.append(MatrixGap(standard=standard, unassigned=unassigned, total=len(leaves)))
    return sorted(gaps, key=lambda g: (g.standard.family, g.standard.code))
