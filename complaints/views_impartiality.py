"""The impartiality pages (ISO/IEC 17021-1 5.2): the risk register fed by declared conflicts of
interest, the committee with its meetings (minutes) and actions, the declarations due; and the
page where a member of staff signs their yearly declaration."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import CB_ADMIN, CB_STAFF, access
from core.downloads import private_file_response
from core.views import perform, report_refusal

from . import services
from .forms import ActionForm, MeetingForm, MemberForm, RiskForm, RiskReviewForm
from .models import CommitteeMeeting, CommitteeMember, Declaration, ImpartialityRisk, MeetingAction
from .services.impartiality import STATEMENT


def _members():
    return CommitteeMember.objects.filter(left_on__isnull=True).order_by("name")


@access(CB_ADMIN)
def impartiality(request):
    user = request.user
    return render(
        request,
        "complaints/impartiality.html",
        {
            "risks": ImpartialityRisk.objects.restrict(user)
            .select_related("conflict")
            .order_by("-active", "next_review_on", "pk"),
            "members": CommitteeMember.objects.restrict(user),
            "meetings": CommitteeMeeting.objects.restrict(user).prefetch_related("attendees", "actions"),
            "due": services.declarations_due(),
            "risk_form": RiskForm(),
            "review_form": RiskReviewForm(),
            "member_form": MemberForm(),
            "meeting_form": MeetingForm(members=_members()),
            "action_form": ActionForm(),
        },
    )


def _refuse(request, form):
    report_refusal(request, ValidationError(_("Fill in the form: %(errors)s") % {"errors": form.errors.as_text()}))


@access(CB_ADMIN)
@require_POST
def impartiality_act(request):
    action, by = request.POST.get("action", ""), request.user
    if action == "from_conflicts":
        perform(request, lambda: services.risks_from_conflicts(by=by), success=_("The register is up to date."))
    elif action == "risk_new":
        form = RiskForm(request.POST)
        if form.is_valid():
            perform(request, lambda: services.risk_record(by=by, **form.cleaned_data), success=_("Risk recorded."))
        else:
            _refuse(request, form)
    elif action == "risk_review":
        risk = get_object_or_404(ImpartialityRisk.objects.restrict(by), pk=request.POST.get("risk") or 0)
        form = RiskReviewForm(request.POST)
        if form.is_valid():
            perform(
                request, lambda: services.risk_review(risk=risk, by=by, **form.cleaned_data), success=_("Reviewed.")
            )
        else:
            _refuse(request, form)
    elif action == "member_new":
        form = MemberForm(request.POST)
        if form.is_valid():
            perform(request, lambda: services.committee_member_add(by=by, **form.cleaned_data), success=_("Added."))
        else:
            _refuse(request, form)
    elif action == "meeting_new":
        form = MeetingForm(request.POST, request.FILES, members=_members())
        if form.is_valid():
            perform(
                request, lambda: services.meeting_record(by=by, **form.cleaned_data), success=_("Meeting recorded.")
            )
        else:
            _refuse(request, form)
    elif action == "action_new":
        meeting = get_object_or_404(CommitteeMeeting.objects.restrict(by), pk=request.POST.get("meeting") or 0)
        form = ActionForm(request.POST)
        if form.is_valid():
            perform(
                request,
                lambda: services.meeting_action_add(meeting=meeting, by=by, **form.cleaned_data),
                success=_("Action added."),
            )
        else:
            _refuse(request, form)
    elif action == "action_done":
        item = get_object_or_404(MeetingAction, pk=request.POST.get("item") or 0)
        perform(request, lambda: services.meeting_action_done(action=item, by=by), success=_("Done."))
    else:
        report_refusal(request, ValidationError(_("Unknown action.")))
    return redirect("complaints:impartiality")


@access(CB_ADMIN)
def minutes_download(request, pk):
    meeting = get_object_or_404(CommitteeMeeting.objects.restrict(request.user), pk=pk)
    if not meeting.minutes:
        raise Http404
    return private_file_response(meeting.minutes, filename=meeting.minutes_name, content_type=meeting.minutes_type)


@access(CB_STAFF)
def declaration(request):
    if request.method == "POST":
        perform(request, lambda: services.declaration_sign(by=request.user), success=_("Declaration signed."))
        return redirect("complaints:declaration")
    return render(
        request,
        "complaints/declaration.html",
        {
            "statement": STATEMENT,
            "mine": Declaration.objects.filter(user=request.user).order_by("-signed_on")[:5],
        },
    )
