"""The client portal: what a client user sees of its own organisation — its audits with their
plans, its nonconformities (which it answers here) and its issued reports.

Every page is for client users only (``CLIENT_USER``) and every object is fetched through
``restrict(user, ...)``, which limits a client user to its own organisation: another
organisation's id in a URL is 404. The lifecycle rules are in ``findings.services``.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits import selectors as audit_selectors
from audits.models import Audit, AuditType
from core.access import CLIENT_USER, access
from core.views import filtered_list, paginate, perform
from findings import selectors as nc_selectors
from findings import services as nc_services
from findings.forms import ResponseForm
from findings.models import Nonconformity, NonconformityAction, NonconformityStatus
from scheduling.services import feedback_open
from stage1 import selectors as stage1_selectors
from stage1 import services as stage1_services
from stage1.forms import AnswerForm

from . import selectors
from .filters import PortalNonconformityFilter

AUDIT_COLUMNS = [
    gettext_lazy("Audit"),
    gettext_lazy("Standards"),
    gettext_lazy("Dates"),
    gettext_lazy("Status"),
    gettext_lazy("Nonconformities"),
]
NC_COLUMNS = [
    gettext_lazy("No."),
    gettext_lazy("Audit"),
    gettext_lazy("Grade"),
    gettext_lazy("Clause"),
    gettext_lazy("Statement of nonconformity"),
    gettext_lazy("Status"),
    gettext_lazy("Due date"),
]
REPORT_COLUMNS = [gettext_lazy("Audit"), gettext_lazy("Approved on"), gettext_lazy("Documents")]


@access(CLIENT_USER)
def portal_home(request):
    user = request.user
    return render(
        request,
        "portal/home.html",
        {
            "organisation": user.client,
            "to_answer": nc_selectors.to_answer(user=user),
            "audits": list(selectors.portal_audits(user=user)[:5]),
            "reports": list(selectors.portal_reports(user=user)[:5]),
        },
    )


@access(CLIENT_USER)
def portal_audits(request):
    return render(
        request,
        "portal/audits.html",
        {"page": paginate(request, selectors.portal_audits(user=request.user)), "columns": AUDIT_COLUMNS},
    )


@access(CLIENT_USER)
def portal_audit(request, pk):
    audit = get_object_or_404(
        Audit.objects.restrict(request.user, "view").select_related("client").prefetch_related("standards"), pk=pk
    )
    ncs = nc_selectors.with_flags(
        list(
            Nonconformity.objects.restrict(request.user, "view")
            .filter(audit=audit)
            .select_related("audit__client", "clause", "department")
            .order_by("number")
        )
    )
    report = selectors.portal_reports(user=request.user).filter(audit=audit).first()
    return render(
        request,
        "portal/audit.html",
        {
            "audit": audit,
            "team": list(audit.team.order_by("pk")),
            "items": audit_selectors.plan_items(audit=audit),
            "ncs": ncs,
            "nc_columns": NC_COLUMNS,
            "report": report,
            "report_list": [report] if report else [],
            "report_columns": REPORT_COLUMNS,
            "feedback_open": feedback_open(audit=audit, user=request.user),
            "open_concerns": (
                stage1_selectors.client_concerns(request.user).filter(audit=audit, answer="").count()
                if audit.audit_type == AuditType.STAGE_1
                else 0
            ),
        },
    )


def _overdue_first(ncs):
    """The organisation's NCs with their date flags, overdue first. A client has few NCs: they are
    loaded at once (one query) and the page is cut from the list."""
    ncs = nc_selectors.with_flags(list(ncs))
    ncs.sort(key=lambda nc: not nc.is_overdue)
    return ncs


@access(CLIENT_USER)
def portal_ncs(request):
    return filtered_list(
        request,
        queryset=Nonconformity.objects.restrict(request.user, "view")
        .select_related("audit__client", "clause", "department")
        .order_by("-audit__end_date", "audit_id", "number"),
        filterset_class=PortalNonconformityFilter,
        template_name="portal/ncs.html",
        context={"columns": NC_COLUMNS},
        rows=_overdue_first,
    )


@access(CLIENT_USER)
def portal_nc(request, pk):
    """One NC: what was found, every round and decision, and the answer form when it is the
    client's turn."""
    try:
        nc = nc_selectors.nc_detail(user=request.user, pk=pk)
    except Nonconformity.DoesNotExist:
        raise Http404 from None
    can_answer = NonconformityAction.RESPOND in nc_services.allowed_actions(request.user, nc)
    form = None
    if can_answer or request.method == "POST":
        form = ResponseForm(request.POST or None, request.FILES or None, initial={"version": nc.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if perform(
            request,
            lambda: nc_services.nonconformity_respond(
                nc=nc,
                by=request.user,
                correction=data["correction"],
                root_cause=data["root_cause"],
                corrective_action=data["corrective_action"],
                files=data["files"],
                version=data["version"],
            ),
            success=_("Your response was submitted. The audit team will verify it."),
            form=form,
        ):
            return redirect("clients:portal_nc", pk=nc.pk)
    latest = nc.responses.all()
    returned = latest[len(latest) - 1] if nc.status == NonconformityStatus.RETURNED and latest else None
    return render(
        request,
        "portal/nc.html",
        {
            "nc": nc,
            "audit": nc.audit,
            "responses": list(nc.responses.all()),
            "transitions": list(nc.transitions.all()),
            "reminders": list(nc.reminders.all()),
            "form": form,
            "can_answer": can_answer,
            "returned": returned,
        },
    )


@access(CLIENT_USER)
def portal_reports(request):
    return render(
        request,
        "portal/reports.html",
        {"page": paginate(request, selectors.portal_reports(user=request.user)), "columns": REPORT_COLUMNS},
    )


@access(CLIENT_USER)
def portal_concerns(request):
    """The organisation's stage 1 areas of concern (ISO/IEC 17021-1 9.3.1.2.3), open ones first."""
    concerns = list(stage1_selectors.client_concerns(request.user))
    return render(
        request,
        "portal/concerns.html",
        {"concerns": concerns, "open_count": sum(1 for c in concerns if c.is_open)},
    )


@access(CLIENT_USER)
def portal_concern(request, pk):
    """One area of concern and, while it is open, the answer (with, if any, the corrected document
    uploaded for the audit). Another organisation's concern is 404."""
    concern = get_object_or_404(stage1_selectors.client_concerns(request.user), pk=pk)
    form = None
    if concern.is_open:
        form = AnswerForm(request.POST or None, concern=concern)
        if (
            request.method == "POST"
            and form.is_valid()
            and perform(
                request,
                lambda: stage1_services.stage1_concern_answer(
                    concern=concern,
                    by=request.user,
                    answer=form.cleaned_data["answer"],
                    version=form.cleaned_data["version"],
                ),
                success=_("Answer sent."),
                form=form,
            )
        ):
            return redirect("clients:portal_concerns")
    elif request.method == "POST":
        messages.info(request, _("This area of concern has already been answered."))
        return redirect("clients:portal_concern", pk=concern.pk)
    return render(
        request,
        "portal/concern.html",
        {"concern": concern, "form": form},
        status=400 if form is not None and form.errors else 200,
    )
