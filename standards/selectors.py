"""Reads of the standards catalogue, each in a fixed number of queries."""

import re
from collections.abc import Collection

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from accounts.models import User

from .models import Clause, Standard, TechnicalArea

PICKER_LIMIT = 30
# Standards in their catalogue order (Standard.Meta.ordering), then clauses in document order.
CLAUSE_ORDER = ("standard__retired", "standard__family", "standard__code", "standard__edition", "sort_key")
_NUMBER_PREFIX = re.compile(r"^(?:\d+|[A-Za-z])(?:\.\d+)*$")


def standards_with_clause_counts(*, user: User | AnonymousUser) -> QuerySet[Standard]:
    """Standards the user may see, each with ``clause_count``: one query."""
    return (
        Standard.objects.restrict(user, "view")
        .annotate(clause_count=Count("clauses"))
        .order_by(*(Standard._meta.ordering or ()))  # the stubs allow None; Standard declares one
    )


def standard_clauses(*, standard: Standard) -> list[Clause]:
    """The clause tree of a standard in document order (``depth`` gives the indentation): one query."""
    return list(Clause.objects.filter(standard=standard).order_by("sort_key"))


def technical_areas_by_sector(*, user: User | AnonymousUser) -> list[tuple[TechnicalArea, list[TechnicalArea]]]:
    """[(sector, [codes below it, in order])] in one query."""
    groups: list[tuple[TechnicalArea, list[TechnicalArea]]] = []
    index: dict[str, tuple[TechnicalArea, list[TechnicalArea]]] = {}
    for area in TechnicalArea.objects.restrict(user, "view").order_by("sort_key"):
        if area.parent_id is None:
            index[area.sector_code] = (area, [])
            groups.append(index[area.sector_code])
        elif area.sector_code in index:
            index[area.sector_code][1].append(area)
    return groups


def clause_search(
    *, user: User | AnonymousUser, q: str | None, standard_ids: Collection[int] = (), limit: int = PICKER_LIMIT
) -> tuple[list[Clause], bool]:
    """Clauses matching ``q`` — a number prefix ("8.5" gives 8.5, 8.5.1 …) or words of the title in
    Chinese or English ("设计", "design") — of the given standards (all when none), ordered by
    standard then document order. Returns (clauses, more_exist). One query."""
    q = " ".join((q or "").split())
    if not q:
        return [], False
    condition = Q(title_zh__icontains=q) | Q(title_en__icontains=q)
    number = q.rstrip(".")
    if _NUMBER_PREFIX.match(number):
        number = number.upper() if number[:1].isalpha() else number
        condition |= Q(number=number) | Q(number__startswith=number + ".")
    clauses = Clause.objects.restrict(user, "view").filter(condition).select_related("standard")
    if standard_ids:
        clauses = clauses.filter(standard_id__in=standard_ids)
    rows = list(clauses.order_by(*CLAUSE_ORDER)[: limit + 1])
    return rows[:limit], len(rows) > limit
