"""Staff and client-portal pages of complaints and appeals. Objects are fetched only through
``restrict()`` (another id is 404); every rule is in ``complaints.services``; the public form is
in ``public_views``."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import CB_ADMIN, CB_STAFF, CLIENT_USER, access
from core.views import filtered_list, perform, report_refusal

from . import export, selectors, services
from .filters import AppealFilter, ComplaintFilter
from .forms import (
    AnswerForm,
    AppealDecideForm,
    AppealForm,
    AssignForm,
    ClientComplaintForm,
    ComplaintDecideForm,
    NewDecisionForm,
    NoteForm,
    SpecialAuditForm,
    StaffComplaintForm,
    SuspensionForm,
    ValidateForm,
)
from .lifecycle import APPEAL_MACHINE, COMPLAINT_MACHINE
from .models import Appeal, Complaint, ComplaintSource, ComplaintSubject

COMPLAINT_COLUMNS = [
    gettext_lazy("Reference"),
    gettext_lazy("Received on"),
    gettext_lazy("About"),
    gettext_lazy("Client organisation"),
    gettext_lazy("Summary"),
    gettext_lazy("Status"),
    gettext_lazy("Investigator"),
    gettext_lazy("Answer by"),
]
APPEAL_COLUMNS = [
    gettext_lazy("Reference"),
    gettext_lazy("Received on"),
    gettext_lazy("Client organisation"),
    gettext_lazy("Decision appealed"),
    gettext_lazy("Status"),
    gettext_lazy("Reviewer"),
    gettext_lazy("Outcome"),
    gettext_lazy("Answer by"),
]


def _query(request):
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return query.urlencode()


# --- complaints ---------------------------------------------------------------------------------


@access(CB_STAFF)
def complaint_register(request):
    queryset = selectors.complaint_list(user=request.user)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        flt = ComplaintFilter(request.GET, queryset=queryset)
        if flt.is_valid():
            return export.respond(list(flt.qs), export.complaint_columns(), name="complaints", fmt=fmt)
    return filtered_list(
        request,
        queryset=queryset,
        filterset_class=ComplaintFilter,
        template_name="complaints/complaint_register.html",
        context={"columns": COMPLAINT_COLUMNS, "query": _query(request)},
    )


@access(CB_ADMIN)
def complaint_new(request):
    form = StaffComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        created = []
        if perform(
            request,
            lambda: created.append(services.complaint_submit(source=ComplaintSource.STAFF, by=request.user, **data)),
            success=_("Complaint recorded."),
            form=form,
        ):
            return redirect("complaints:complaint_detail", created[0].pk)
    return render(request, "complaints/complaint_new.html", {"form": form})


def _complaint_or_404(request, pk):
    try:
        return selectors.complaint_detail(user=request.user, pk=pk)
    except Complaint.DoesNotExist:
        raise Http404 from None


@access(CB_STAFF)
def complaint_detail(request, pk):
    complaint = _complaint_or_404(request, pk)
    allowed = COMPLAINT_MACHINE.allowed(request.user, complaint)
    admin = CB_ADMIN.allows(request.user)
    context = {
        "complaint": complaint,
        "allowed": allowed,
        "identity": selectors.may_see_identity(user=request.user, complaint=complaint),
        "overdue": selectors.is_overdue(complaint),
        "note_form": NoteForm(),
        "validate_form": ValidateForm(),
        "decide_form": ComplaintDecideForm(),
        "answer_form": AnswerForm(),
        "may_assign": admin and complaint.status in ("acknowledged", "validated", "investigation"),
        "assign_form": AssignForm(handlers=services.eligible_handlers(record=complaint)) if admin else None,
        "may_link": admin
        and complaint.status in ("validated", "investigation", "decided")
        and complaint.certificate_id,
        "audit_form": SpecialAuditForm(),
        "suspension_form": SuspensionForm(),
    }
    return render(request, "complaints/complaint_detail.html", context)


def _validate(complaint, user, data):
    number = data.get("certificate_number", "").strip()
    certificate = services.find_certificate(number) if number else None
    if number and certificate is None:
        raise _validation(_("No valid or suspended certificate has the number %(number)s.") % {"number": number})
    return services.complaint_validate(complaint=complaint, by=user, note=data["note"], certificate=certificate)


COMPLAINT_ACTIONS = {
    "acknowledge": (NoteForm, lambda c, u, d: services.complaint_acknowledge(complaint=c, by=u, note=d["note"])),
    "validate": (ValidateForm, _validate),
    "reject": (NoteForm, lambda c, u, d: services.complaint_reject(complaint=c, by=u, note=d["note"])),
    "investigate": (NoteForm, lambda c, u, d: services.complaint_investigate(complaint=c, by=u)),
    "decide": (ComplaintDecideForm, lambda c, u, d: services.complaint_decide(complaint=c, by=u, **d)),
    "answer": (AnswerForm, lambda c, u, d: services.complaint_answer(complaint=c, by=u, **d)),
    "close": (NoteForm, lambda c, u, d: services.complaint_close(complaint=c, by=u, note=d["note"])),
}


def _act(request, record, *, actions, assign, detail):
    """One POST action on a complaint or an appeal: *assign* (the handler, from the eligible list
    only: the service checks again, whoever is posted), or a move of *actions* with its form."""
    action = request.POST.get("action", "")
    if action == "assign":
        form = AssignForm(request.POST, handlers=services.eligible_handlers(record=record))
        user = form.cleaned_data["handler"] if form.is_valid() else None
        missing, call, success = assign
        if user is None:
            report_refusal(request, _validation(missing))
        else:
            perform(request, lambda: call(record, user, request.user), success=success)
    elif action not in actions:
        report_refusal(request, _validation(_("Unknown action.")))
    else:
        form_class, call = actions[action]
        form = form_class(request.POST)
        if form.is_valid():
            perform(request, lambda: call(record, request.user, form.cleaned_data), success=_("Done."))
        else:
            report_refusal(request, _validation(_("Fill in the form: %(errors)s") % {"errors": form.errors.as_text()}))
    return redirect(detail, record.pk)


@access(CB_STAFF)
@require_POST
def complaint_act(request, pk):
    return _act(
        request,
        _complaint_or_404(request, pk),
        actions=COMPLAINT_ACTIONS,
        assign=(
            _("Choose the investigator."),
            lambda c, handler, by: services.complaint_assign(complaint=c, investigator=handler, by=by),
            _("Investigator assigned."),
        ),
        detail="complaints:complaint_detail",
    )


def _validation(message):
    from django.core.exceptions import ValidationError

    return ValidationError(message)


@access(CB_ADMIN)
@require_POST
def complaint_link(request, pk, kind):
    """A special audit or a suspension decision, opened through the audits and certification paths."""
    complaint = _complaint_or_404(request, pk)
    if kind == "special_audit":
        form = SpecialAuditForm(request.POST)
        if form.is_valid():
            perform(
                request,
                lambda: services.complaint_open_special_audit(
                    complaint=complaint, by=request.user, **form.cleaned_data
                ),
                success=_("Special audit planned."),
            )
        else:
            report_refusal(request, _validation(form.errors.as_text()))
    elif kind == "suspension":
        form = SuspensionForm(request.POST)
        if form.is_valid():
            perform(
                request,
                lambda: services.complaint_open_suspension(complaint=complaint, by=request.user, **form.cleaned_data),
                success=_("Suspension decision opened for the committee."),
            )
        else:
            report_refusal(request, _validation(form.errors.as_text()))
    else:
        raise Http404
    return redirect("complaints:complaint_detail", complaint.pk)


# --- appeals ------------------------------------------------------------------------------------


@access(CB_STAFF)
def appeal_register(request):
    queryset = selectors.appeal_list(user=request.user)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        flt = AppealFilter(request.GET, queryset=queryset)
        if flt.is_valid():
            return export.respond(list(flt.qs), export.appeal_columns(), name="appeals", fmt=fmt)
    return filtered_list(
        request,
        queryset=queryset,
        filterset_class=AppealFilter,
        template_name="complaints/appeal_register.html",
        context={"columns": APPEAL_COLUMNS, "query": _query(request)},
    )


def _appeal_or_404(request, pk):
    try:
        return selectors.appeal_detail(user=request.user, pk=pk)
    except Appeal.DoesNotExist:
        raise Http404 from None


@access(CB_STAFF)
def appeal_detail(request, pk):
    appeal = _appeal_or_404(request, pk)
    admin = CB_ADMIN.allows(request.user)
    context = {
        "appeal": appeal,
        "allowed": APPEAL_MACHINE.allowed(request.user, appeal),
        "overdue": selectors.is_overdue(appeal),
        "note_form": NoteForm(),
        "decide_form": AppealDecideForm(),
        "answer_form": AnswerForm(),
        "may_assign": admin and appeal.status in ("received", "review"),
        "assign_form": AssignForm(handlers=services.eligible_handlers(record=appeal)) if admin else None,
        "may_open_decision": admin
        and appeal.status == "decided"
        and appeal.outcome == "changed"
        and not appeal.new_decision_id,
        "decision_form": NewDecisionForm(),
    }
    return render(request, "complaints/appeal_detail.html", context)


APPEAL_ACTIONS = {
    "review": (NoteForm, lambda a, u, d: services.appeal_review(appeal=a, by=u)),
    "decide": (AppealDecideForm, lambda a, u, d: services.appeal_decide(appeal=a, by=u, **d)),
    "answer": (AnswerForm, lambda a, u, d: services.appeal_answer(appeal=a, by=u, **d)),
    "close": (NoteForm, lambda a, u, d: services.appeal_close(appeal=a, by=u, note=d["note"])),
}


@access(CB_STAFF)
@require_POST
def appeal_act(request, pk):
    appeal = _appeal_or_404(request, pk)
    if request.POST.get("action") == "new_decision":
        form = NewDecisionForm(request.POST)
        if form.is_valid():
            perform(
                request,
                lambda: services.appeal_open_decision(
                    appeal=appeal, by=request.user, decision_type=form.cleaned_data["decision_type"]
                ),
                success=_("The new decision is opened for the committee."),
            )
        else:
            report_refusal(request, _validation(form.errors.as_text()))
        return redirect("complaints:appeal_detail", appeal.pk)
    return _act(
        request,
        appeal,
        actions=APPEAL_ACTIONS,
        assign=(
            _("Choose the reviewer."),
            lambda a, handler, by: services.appeal_assign(appeal=a, reviewer=handler, by=by),
            _("Reviewer assigned."),
        ),
        detail="complaints:appeal_detail",
    )


@access(CB_ADMIN)
def figures(request):
    """The assessor's view: counts by type and outcome, time to close, open items past deadline."""
    return render(request, "complaints/figures.html", {"f": selectors.figures(user=request.user)})


# --- the client portal ------------------------------------------------------------------------


@access(CLIENT_USER)
def portal_index(request):
    return render(
        request,
        "complaints/portal_index.html",
        {
            "complaints": selectors.complaint_list(user=request.user),
            "appeals": selectors.appeal_list(user=request.user),
            "decisions": selectors.appealable_decisions(user=request.user),
        },
    )


@access(CLIENT_USER)
def portal_complaint_new(request):
    form = ClientComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        if perform(
            request,
            lambda: services.complaint_submit(
                source=ComplaintSource.CLIENT,
                subject=form.cleaned_data["subject"] or ComplaintSubject.CB_ACTIVITY,
                complainant_name=user.get_full_name() or user.get_username(),
                complainant_email=user.email,
                complainant_organisation=user.client.name_zh,
                summary=form.cleaned_data["summary"],
                description=form.cleaned_data["description"],
                by=user,
            ),
            success=_("Your complaint is received. We acknowledge it and tell you the outcome."),
            form=form,
        ):
            return redirect("complaints:portal_index")
    return render(request, "complaints/portal_complaint.html", {"form": form})


@access(CLIENT_USER)
def portal_appeal_new(request, decision_pk):
    decision = get_object_or_404(selectors.appealable_decisions(user=request.user), pk=decision_pk)
    form = AppealForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and perform(
            request,
            lambda: services.appeal_submit(decision=decision, grounds=form.cleaned_data["grounds"], by=request.user),
            success=_("Your appeal is received. People not involved in the decision will review it."),
            form=form,
        )
    ):
        return redirect("complaints:portal_index")
    return render(request, "complaints/portal_appeal.html", {"form": form, "decision": decision})
