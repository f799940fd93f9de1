"""The committee's dashboard and the daily job's flags."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import (
    CB_ADMIN,
    COMMITTEE_ADMIN_OR_APPROVER,
    COMMITTEE_AND_ADMIN,
    DECISION_APPROVER,
    access,
)
from core.dates import local_today
from core.views import perform

from .. import dashboard, selectors, services
from ..forms import FlagResolveForm
from ..models import DecisionStatus

# The columns of the dashboard's lists (each rendered by includes/list_table.html).
AWAITING_REVIEW_COLUMNS = [gettext_lazy("Audit"), gettext_lazy("Dates"), gettext_lazy("Team leader"), ""]
OPEN_REVIEW_COLUMNS = [gettext_lazy("Audit"), gettext_lazy("Reviewers")]
TO_DECIDE_COLUMNS = [gettext_lazy("Audit"), gettext_lazy("Technical review"), ""]
DECISION_COLUMNS = [gettext_lazy("Decision"), gettext_lazy("Status"), gettext_lazy("Details")]
FLAG_COLUMNS = [gettext_lazy("Matter"), gettext_lazy("Certificate"), gettext_lazy("Raised on"), ""]
EXPIRING_COLUMNS = [
    gettext_lazy("Certificate number"),
    gettext_lazy("Holder"),
    gettext_lazy("Standard"),
    gettext_lazy("Status"),
    gettext_lazy("Expiry date"),
]


@access(COMMITTEE_ADMIN_OR_APPROVER)
def committee_dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    is_admin = CB_ADMIN.allows(user)
    is_committee = COMMITTEE_AND_ADMIN.allows(user)
    can_approve = DECISION_APPROVER.allows(user)
    context = {
        "is_admin": is_admin,
        "is_committee": is_committee,
        "can_approve": can_approve,
        "awaiting_review": dashboard.audits_awaiting_review(user=user) if is_committee else [],
        "open_reviews": dashboard.open_reviews(user=user) if is_committee else [],
        "reviews_awaiting_decision": dashboard.reviews_awaiting_decision(user=user) if is_committee else [],
        "awaiting_evaluation": dashboard.decisions_with_status(user=user, status=DecisionStatus.AWAITING_EVALUATION)
        if is_committee
        else [],
        "awaiting_approval": dashboard.decisions_with_status(user=user, status=DecisionStatus.AWAITING_APPROVAL)
        if (can_approve or is_committee)
        else [],
        "flags": list(selectors.open_flags(user=user)) if is_committee else [],
        "expiring": dashboard.expiring_certificates(user=user) if is_committee else [],
        "recent": dashboard.recent_decisions(user=user) if is_committee else [],
        "flag_form": FlagResolveForm(),
        "today": local_today(),
        "awaiting_review_columns": AWAITING_REVIEW_COLUMNS,
        "open_review_columns": OPEN_REVIEW_COLUMNS,
        "to_decide_columns": TO_DECIDE_COLUMNS,
        "decision_columns": DECISION_COLUMNS,
        "flag_columns": FLAG_COLUMNS,
        "expiring_columns": EXPIRING_COLUMNS,
    }
    return render(request, "certification/dashboard.html", context)


@access(COMMITTEE_AND_ADMIN)
@require_POST
def flag_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(selectors.open_flags(user=request.user), pk=pk)
    form = FlagResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how the matter was resolved."))
        return redirect("certification:dashboard")
    perform(
        request,
        lambda: services.flag_resolve(flag=flag, by=request.user, resolution=form.cleaned_data["resolution"]),
        success=_("The matter is resolved."),
    )
    return redirect("certification:dashboard")
