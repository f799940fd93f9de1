"""The activity log page (CB administrators) and its export."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import CB_ADMIN, access
from core.views import paginate

from . import export, selectors
from .filters import ActivityFilter


def _filtered(request):
    filterset = ActivityFilter(request.GET or None, queryset=selectors.ActivityRecord.objects.none())
    cleaned = filterset.form.cleaned_data if filterset.is_bound and filterset.form.is_valid() else {}
    return filterset, selectors.activity_log(cleaned)


@access(CB_ADMIN)
def activity_log(request):
    """Who did what to which record when, newest first, filterable by user, record and date."""
    filterset, log = _filtered(request)
    page = paginate(request, log)
    page.object_list = selectors.rows(page.object_list)
    return render(request, "activity/log.html", {"filter": filterset, "page": page})


@access(CB_ADMIN)
def activity_export(request, fmt):
    _filterset, log = _filtered(request)
    values = list(log[: export.MAX_EXPORT_ROWS + 1])
    if len(values) > export.MAX_EXPORT_ROWS:
        messages.error(
            request, _("More than %(n)s rows: narrow the filter before exporting.") % {"n": export.MAX_EXPORT_ROWS}
        )
        return redirect(f"{reverse('activity:log')}?{request.GET.urlencode()}")
    rows = selectors.rows(values)
    return export.as_xlsx(rows) if fmt == "xlsx" else export.as_csv(rows)
