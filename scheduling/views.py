"""Scheduling pages: who can go on an audit, the calendar (month/week, drag to move), absences and
the calendar feed, competence monitoring, load, and the client's feedback form."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audits import services as audit_services
from audits.models import Absence, Audit
from core.access import AUDITING_STAFF_AND_ADMIN, CB_ADMIN, CB_STAFF, CLIENT_USER, PUBLIC, access
from core.dates import local_today
from core.views import perform, refusal_messages
from people.models import AuditorProfile

from . import ical, selectors, services
from .forms import AbsenceForm, CalendarFilterForm, CpdForm, FeedbackForm, ReviewForm
from .models import CalendarFeed

# Colours of the calendar's events (Bootstrap's palette).
AUDIT_COLOUR = "#0d6efd"
ABSENCE_COLOURS = {"leave": "#dc3545", "unavailable": "#6c757d", "travel": "#fd7e14"}


def _audit_or_404(request, pk, action="view"):
    return get_object_or_404(Audit.objects.restrict(request.user, action).select_related("client", "programme"), pk=pk)


def _own_profile(user):
    return AuditorProfile.objects.filter(user=user).first()


# --- who can go ------------------------------------------------------------------------------------


@access(CB_ADMIN)
def who_can_go(request, pk):
    audit = _audit_or_404(request, pk, action="plan")
    candidates = selectors.who_can_go(audit=audit)
    if request.method == "POST":
        by_pk = {c.profile.pk: c.profile for c in candidates}
        leader = by_pk.get(int(request.POST["leader"])) if request.POST.get("leader", "").isdigit() else None
        members = [by_pk[int(v)] for v in request.POST.getlist("member") if v.isdigit() and int(v) in by_pk]
        result = {}

        def propose():
            result["proposal"] = services.team_propose(audit=audit, by=request.user, leader=leader, members=members)

        if perform(request, propose, success=_("Team proposed; the team rules checked each person.")):
            for warning in result["proposal"].warnings:
                messages.warning(request, warning)
            return redirect("audits:team", pk=audit.pk)
        candidates = selectors.who_can_go(audit=audit)
    return render(
        request,
        "scheduling/who_can_go.html",
        {"audit": audit, "candidates": candidates, "team": list(audit.team.select_related("profile__user"))},
    )


# --- calendar --------------------------------------------------------------------------------------


def _filters(request, start, end):
    form = CalendarFilterForm(request.GET or None, profiles=AuditorProfile.objects.filter(active=True))
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.CalendarFilter(
        start=start,
        end=end,
        profile_id=data["profile"].pk if data.get("profile") else None,
        standard_id=data["standard"].pk if data.get("standard") else None,
        code=(data.get("code") or "").strip(),
        region=(data.get("region") or "").strip(),
    )


@access(CB_STAFF)
def calendar(request):
    profiles = AuditorProfile.objects.filter(active=True).select_related("user")
    form = CalendarFilterForm(request.GET or None, profiles=profiles)
    form.is_valid()
    return render(
        request,
        "scheduling/calendar.html",
        {
            "form": form,
            "can_move": CB_ADMIN.allows(request.user),
            "events_url": reverse("scheduling:calendar_events"),
            "initial_date": request.GET.get("date", ""),
            "initial_view": "timeGridWeek" if request.GET.get("view") == "week" else "dayGridMonth",
        },
    )


def _window(request):
    today = local_today()
    start = parse_date((request.GET.get("start") or "")[:10]) or today.replace(day=1)
    end = parse_date((request.GET.get("end") or "")[:10]) or start + datetime.timedelta(days=42)
    if (end - start).days > 400:
        end = start + datetime.timedelta(days=400)
    return start, end


@access(CB_STAFF)
def calendar_events(request):
    """The window's audits and absences as FullCalendar events (JSON)."""
    filters = _filters(request, *_window(request))
    events = []
    for audit in selectors.calendar_audits(user=request.user, filters=filters):
        names = ", ".join(a.name for a in audit.team.all())
        events.append(
            {
                "id": f"audit-{audit.pk}",
                "title": f"{audit.client} · {audit.get_audit_type_display()}" + (f" ({names})" if names else ""),
                "start": audit.start_date.isoformat(),
                "end": (audit.end_date + datetime.timedelta(days=1)).isoformat(),
                "allDay": True,
                "url": reverse("audits:detail", args=[audit.pk]),
                "color": AUDIT_COLOUR,
                "extendedProps": {"kind": "audit", "pk": audit.pk, "version": audit.version},
            }
        )
    for absence in selectors.calendar_absences(user=request.user, filters=filters):
        events.append(
            {
                "id": f"absence-{absence.pk}",
                "title": f"{absence.profile.user} · {absence.get_kind_display()}",
                "start": absence.start_date.isoformat(),
                "end": (absence.end_date + datetime.timedelta(days=1)).isoformat(),
                "allDay": True,
                "color": ABSENCE_COLOURS.get(absence.kind, "#6c757d"),
                "editable": False,
                "extendedProps": {"kind": "absence"},
            }
        )
    return JsonResponse(events, safe=False)


@access(CB_ADMIN)
@require_POST
def calendar_move(request):
    """An audit dragged to another start day (htmx): moved through the audits rules, or refused
    with who clashes; the answer is the message to show (and HX-Trigger ``moveRefused``)."""
    pk = request.POST.get("audit", "")
    audit = Audit.objects.restrict(request.user, "plan").filter(pk=int(pk) if pk.isdigit() else 0).first()
    start = parse_date(request.POST.get("start", "")[:10])
    version = request.POST.get("version", "")
    refused: list[str] = []
    if audit is None:
        refused = [_("This audit does not exist or you may not move it.")]
    elif start is None:
        refused = [_("Choose the new first day.")]
    else:
        try:
            audit_services.audit_reschedule(
                audit=audit, by=request.user, start_date=start, version=int(version) if version.isdigit() else None
            )
        except (PermissionDenied, ValidationError) as exc:
            refused = refusal_messages(exc)
    response = render(
        request,
        "scheduling/_move_result.html",
        {"audit": audit, "refused": refused, "start": start},
    )
    if refused:
        response["HX-Trigger"] = "moveRefused"
    else:
        response["HX-Trigger"] = "moveDone"
    return response


# --- absences and the calendar feed ------------------------------------------------------------------


@access(AUDITING_STAFF_AND_ADMIN)
def absences(request):
    admin = CB_ADMIN.allows(request.user)
    own = _own_profile(request.user)
    profiles = AuditorProfile.objects.filter(active=True).select_related("user") if admin else None
    form = AbsenceForm(request.POST or None, profiles=profiles)
    if request.method == "POST" and form.is_valid():
        profile = form.cleaned_data["profile"] if admin else own
        data = {k: v for k, v in form.cleaned_data.items() if k != "profile"}
        if profile is None:
            messages.error(request, _("You have no auditor profile."))
        elif perform(
            request,
            lambda: audit_services.absence_add(profile=profile, by=request.user, **data),
            success=_("Absence recorded."),
            form=form,
        ):
            return redirect("scheduling:absences")
    rows = Absence.objects.restrict(request.user, "view").select_related("profile__user").order_by("-start_date")
    if not admin:
        rows = rows.filter(profile=own) if own else rows.none()
    feed = CalendarFeed.objects.filter(profile=own, revoked_at__isnull=True).first() if own else None
    return render(
        request,
        "scheduling/absences.html",
        {
            "form": form,
            "absences": list(rows[:200]),
            "feed": feed,
            "feed_url": request.build_absolute_uri(reverse("scheduling:feed", args=[feed.token])) if feed else "",
            "has_profile": own is not None,
        },
    )


@access(AUDITING_STAFF_AND_ADMIN)
@require_POST
def absence_delete(request, pk):
    absence = get_object_or_404(Absence.objects.restrict(request.user, "change"), pk=pk)
    perform(request, lambda: audit_services.absence_remove(absence=absence, by=request.user), success=_("Removed."))
    return redirect("scheduling:absences")


@access(AUDITING_STAFF_AND_ADMIN)
@require_POST
def feed_manage(request):
    """Create (or replace) the user's own feed address, or revoke it."""
    own = _own_profile(request.user)
    if own is None:
        messages.error(request, _("You have no auditor profile."))
        return redirect("scheduling:absences")
    if request.POST.get("action") == "revoke":
        for feed in CalendarFeed.objects.filter(profile=own, revoked_at__isnull=True):
            perform(request, lambda feed=feed: services.calendar_feed_revoke(feed=feed, by=request.user))
        messages.success(request, _("The calendar address no longer works."))
    else:
        perform(
            request,
            lambda: services.calendar_feed_create(profile=own, by=request.user),
            success=_("New calendar address made; any earlier one no longer works."),
        )
    return redirect("scheduling:absences")


@access(PUBLIC)
def feed(request, token):
    """An auditor's private calendar (iCalendar): their own audits and absences, nobody else's.
    A revoked or unknown address answers 404."""
    row = CalendarFeed.objects.filter(token=token, revoked_at__isnull=True).select_related("profile__user").first()
    if row is None or not row.profile.user.is_active:
        raise Http404
    since = local_today() - datetime.timedelta(days=90)
    body = ical.assignments_ics(
        name=str(row.profile.user),
        assignments=selectors.feed_assignments(profile=row.profile, since=since),
        absences=Absence.objects.filter(profile=row.profile, end_date__gte=since),
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- monitoring and load ------------------------------------------------------------------------------


@access(CB_ADMIN)
def monitoring(request):
    profiles = AuditorProfile.objects.filter(active=True).select_related("user")
    review_form = ReviewForm(request.POST if request.POST.get("form") == "review" else None, profiles=profiles)
    cpd_form = CpdForm(request.POST if request.POST.get("form") == "cpd" else None, profiles=profiles)
    if request.method == "POST":
        if review_form.is_bound and review_form.is_valid():
            data = dict(review_form.cleaned_data)
            if perform(
                request,
                lambda: services.performance_review_record(by=request.user, **data),
                success=_("Review recorded."),
                form=review_form,
            ):
                return redirect("scheduling:monitoring")
        if cpd_form.is_bound and cpd_form.is_valid():
            data = dict(cpd_form.cleaned_data)
            if perform(
                request,
                lambda: services.cpd_record_add(by=request.user, **data),
                success=_("CPD recorded."),
                form=cpd_form,
            ):
                return redirect("scheduling:monitoring")
    return render(
        request,
        "scheduling/monitoring.html",
        {
            "rows": selectors.competence_monitoring(today=local_today()),
            "review_form": review_form,
            "cpd_form": cpd_form,
            "today": local_today(),
        },
    )


@access(CB_ADMIN)
def load(request):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else local_today().year
    return render(
        request,
        "scheduling/load.html",
        {"year": year, "rows": selectors.auditor_load(year=year), "months": range(1, 13)},
    )


# --- the client's feedback (portal) ---------------------------------------------------------------------


@access(CLIENT_USER)
def feedback(request, pk):
    audit = _audit_or_404(request, pk)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if perform(
            request,
            lambda: services.client_feedback_submit(audit=audit, by=request.user, **data),
            success=_("Thank you for your feedback."),
            form=form,
        ):
            return redirect("clients:portal_audit", pk=audit.pk)
    return render(
        request,
        "scheduling/feedback.html",
        {"audit": audit, "form": form, "open": services.feedback_open(audit=audit, user=request.user)},
    )
