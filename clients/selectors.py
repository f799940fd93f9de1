"""Reads about clients, each at a fixed number of queries whatever the row count."""

from collections.abc import Iterable

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
