"""The CB's figures page (every chart with its table), one CSV per figure, and each user's digest
preference (reached from the user menu)."""

import csv
import io

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.access import AUTHENTICATED, Role, access, roles
from core.dates import local_today
from core.views import perform
from findings.export import safe

from . import digest, figures
from .models import DigestPreference

# The CB's figures are for its administrators and the certification committee (both see every
# certificate and audit; ISO/IEC 17021-1 9.5 decisions and 8.6 management information).
FIGURE_READERS = roles(Role.CB_ADMIN, Role.COMMITTEE)


@access(FIGURE_READERS)
def figures_page(request):
    """Every figure as a chart, with its numbers as a table and a CSV link: seven queries."""
    return render(request, "dashboard/figures.html", {"figures": figures.figures(), "today": local_today()})


def as_csv(figure: figures.Figure) -> HttpResponse:
    """The figure's table as CSV (UTF-8 with BOM for Excel; text cells never run as formulas)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([safe(str(heading)) for heading in figure.headings])
    for row in figure.rows:
        writer.writerow([safe(str(cell)) for cell in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{figure.name}-{local_today():%Y%m%d}.csv"'
    return response


@access(FIGURE_READERS)
def figure_csv(request, name):
    figure = figures.figure(name)
    if figure is None:
        raise Http404
    return as_csv(figure)


class DigestPreferenceForm(forms.Form):
    weekly = forms.BooleanField(label=gettext_lazy("Send me the weekly digest by e-mail"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language of the digest"), choices=settings.LANGUAGES)


@access(AUTHENTICATED)
def digest_preference(request):
    """The user's own weekly digest choice: on or off, and its language."""
    preference = DigestPreference.objects.filter(user=request.user).first()
    initial = {
        "weekly": preference.weekly if preference else True,
        "language": preference.language if preference else (get_language() or settings.LANGUAGE_CODE),
    }
    form = DigestPreferenceForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and perform(
            request,
            lambda: digest.digest_preference_set(
                user=request.user, weekly=form.cleaned_data["weekly"], language=form.cleaned_data["language"]
            ),
            success=_("Your digest choice is saved."),
            form=form,
        )
    ):
        return redirect("figures:digest_preference")
    return render(
        request,
        "dashboard/digest_preference.html",
        {"form": form, "has_email": bool(request.user.email), "email": request.user.email},
    )
