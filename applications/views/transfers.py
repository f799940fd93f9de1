"""The pre-transfer review (IAF MD 2) of a transfer application and proceeding with it. Objects are
fetched only through ``restrict()``; the rules are in ``applications.services.transfers``."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import CB_ADMIN, CB_STAFF, access
from core.views import perform

from .. import rules, selectors, services
from ..forms import TransferConcludeForm, TransferFactsForm, TransferPointsForm, TransferProceedForm
from ..models import Application, ApplicationKind, TransferReview


def _transfer(queryset, pk):
    return get_object_or_404(queryset.filter(kind=ApplicationKind.TRANSFER), pk=pk)


@access(CB_STAFF)
def transfer_review(request, pk):
    application = _transfer(selectors.application_detail(user=request.user), pk)
    current = TransferReview.objects.filter(application=application).first() or TransferReview(
        application=application, transfer_reason=application.notes
    )
    post = request.POST if request.method == "POST" else None
    facts_form = TransferFactsForm(post, instance=current)
    points_form = TransferPointsForm(post, points=current.points)
    conclude_form = TransferConcludeForm(post)
    refusal = services.reviewer_refusal(user=request.user, application=application)
    if post is not None and refusal:
        raise PermissionDenied(refusal)
    if post is not None and facts_form.is_valid() and points_form.is_valid() and conclude_form.is_valid():
        ok = perform(
            request,
            lambda: services.transfer_review_save(
                application=application, facts=facts_form.facts(), points=points_form.points(), by=request.user
            ),
            success=_("Pre-transfer review saved."),
            form=facts_form,
        )
        if ok and request.POST.get("conclude"):
            ok = perform(
                request,
                lambda: services.transfer_review_conclude(
                    application=application, reasons=conclude_form.cleaned_data["reasons"], by=request.user
                ),
                success=_("Pre-transfer review concluded."),
                form=conclude_form,
            )
            if ok:
                return redirect("applications:detail", pk)
        elif ok:
            return redirect("applications:transfer_review", pk)
    assessment = services.transfer_assess(application=application, review=current) if current.pk is not None else None
    return render(
        request,
        "applications/transfer_review.html",
        {
            "application": application,
            "facts_form": facts_form,
            "points_form": points_form,
            "conclude_form": conclude_form,
            "assessment": assessment,
            "refusal": refusal,
            "points": rules.TRANSFER_POINTS,
        },
    )


@require_POST
@access(CB_ADMIN)
def transfer_proceed(request, pk):
    application = _transfer(Application.objects.restrict(request.user, "manage"), pk)
    form = TransferProceedForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: services.transfer_proceed(
                application=application, by=request.user, audit_start=form.cleaned_data["audit_start"]
            ),
            success=_("Transfer under way: the programme continues the previous cycle."),
            form=form,
        )
    return redirect("applications:detail", pk)


@require_POST
@access(CB_ADMIN)
def transfer_decision(request, pk):
    application = _transfer(Application.objects.restrict(request.user, "manage"), pk)
    perform(
        request,
        lambda: services.transfer_decision_open(application=application, by=request.user),
        success=_("The transfer decision is open for the committee."),
    )
    return redirect("applications:detail", pk)
