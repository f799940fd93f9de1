from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy

from core.access import CB_STAFF, access
from core.bounds import parse_ids
from core.views import paginate

from . import selectors
from .models import Standard

PICKER_FORMATS = ("list", "options", "links", "json")


STANDARD_COLUMNS = [
    gettext_lazy("Standard"),
    gettext_lazy("National equivalent"),
    gettext_lazy("Standard title"),
    gettext_lazy("Family"),
    gettext_lazy("Clauses"),
]


@access(CB_STAFF)
def standard_list(request):
    return render(
        request,
        "standards/standard_list.html",
        {
            "page": paginate(request, selectors.standards_with_clause_counts(user=request.user)),
            "columns": STANDARD_COLUMNS,
        },
    )


@access(CB_STAFF)
def standard_detail(request, pk):
    standard = get_object_or_404(Standard.objects.restrict(request.user, "view"), pk=pk)
    return render(
        request,
        "standards/standard_detail.html",
        {"standard": standard, "clauses": selectors.standard_clauses(standard=standard)},
    )


@access(CB_STAFF)
def technical_area_list(request):
    return render(
        request,
        "standards/technical_area_list.html",
        {"sectors": selectors.technical_areas_by_sector(user=request.user)},
    )


@access(CB_STAFF)
def clause_picker(request):
    """Clauses matching ``q`` among the ``standard`` ids given (several allowed), for forms.

    ``format``: ``list`` (default) — a Bootstrap list group of buttons the clause-picker widget
    uses; ``options`` — ``<option>`` elements for a ``<select>``; ``links`` — links to the clause
    in its standard's tree; ``json``. One query whatever the match count; at most 30 results."""
    q = request.GET.get("q", "")
    fmt = request.GET.get("format", "list")
    if fmt not in PICKER_FORMATS:
        fmt = "list"
    clauses, more = selectors.clause_search(
        user=request.user, q=q, standard_ids=parse_ids(request.GET.getlist("standard"))
    )
    if fmt == "json":
        return JsonResponse(
            {
                "results": [
                    {
                        "id": c.pk,
                        "standard_id": c.standard_id,
                        "standard": str(c.standard),
                        "number": c.number,
                        "title_zh": c.title_zh,
                        "title_en": c.title_en,
                        "label": f"{c.standard} {c.number} {c.title}",
                    }
                    for c in clauses
                ],
                "more": more,
            }
        )
    return render(
        request,
        f"standards/picker/{fmt}.html",
        {"clauses": clauses, "more": more, "q": q.strip(), "limit": selectors.PICKER_LIMIT},
    )
