"""Audit pages. CB administrators plan audits, staff them and write the itinerary; the team
sees the audits it is on; the committee reads; a client user reads its own organisation's
audits and plans. Objects are fetched only through ``restrict()``: another id is 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from clients.models import Client
from core.access import AUDITING_STAFF_AND_ADMIN, AUTHENTICATED, CB_ADMIN, CB_STAFF, COMMITTEE, Role, access, roles
from core.autocomplete import choices_response
from core.panels import page_panels
from core.views import filtered_list, paginate, perform, refusal_messages, report_refusal

from . import registry, rules, selectors, services
from .filters import AuditFilter
from .forms import (
    AccompanyingPersonForm,
    AdjustmentFormSet,
    AuditForm,
    CancelForm,
    ClientChoiceForm,
    NonApplicableFormSet,
    PlanItemFormSet,
    ProgrammeForm,
    TeamAddForm,
    WitnessRoleForm,
    adjustment_inputs,
    non_applicable_inputs,
    selected_standard_ids,
)
from .models import AccompanyingPerson, Audit, AuditProgramme, AuditStatus, AuditType, TeamAssignment
from .models.team import WitnessRole
from .selectors import STATUS_CSS

PROGRAMME_READERS = roles(Role.CB_ADMIN, Role.COMMITTEE)
AUDIT_COLUMNS = [
    gettext_lazy("Client"),
    gettext_lazy("Audit type"),
    gettext_lazy("Standards"),
    gettext_lazy("Dates"),
    gettext_lazy("Team leader"),
    gettext_lazy("Man-days"),
    gettext_lazy("Status"),
]
PROGRAMME_COLUMNS = [
    gettext_lazy("Client"),
    gettext_lazy("Standards"),
    gettext_lazy("Rules"),
    gettext_lazy("Next expected audit"),
    gettext_lazy("Due by"),
    gettext_lazy("Status"),
]


def _audit_or_404(request, pk, action="view"):
    try:
        return selectors.audit_detail(user=request.user, pk=pk, action=action)
    except Audit.DoesNotExist:
        raise Http404 from None


def _can_start(user, audit):
    if audit.status != AuditStatus.PLANNED:
        return False
    return CB_ADMIN.allows(user) or Audit.objects.restrict(user, "lead").filter(pk=audit.pk).exists()


def _stage_1_context(audit):
    """The stage 1 a stage 2 follows (or a stage 1's own conclusion), and why a planned stage 2
    may not start yet (``audits.rules``)."""
    if audit.audit_type == AuditType.STAGE_1:
        return {"stage_1": audit}
    if not rules.needs_stage_1(audit):
        return {}
    return {
        "stage_1": rules.latest_stage_1(programme=audit.programme, exclude=audit),
        "stage_1_refusals": rules.stage_2_refusals(audit) if audit.status == AuditStatus.PLANNED else [],
        "follows_stage_1": True,
    }


# --- list and detail ------------------------------------------------------------------------


@access(AUTHENTICATED)
def audit_list(request):
    return filtered_list(
        request,
        queryset=selectors.audit_list(user=request.user),
        filterset_class=AuditFilter,
        filterset_kwargs={"request": request},
        template_name="audits/audit_list.html",
        context={"columns": AUDIT_COLUMNS, "can_plan": CB_ADMIN.allows(request.user)},
    )


@access(AUTHENTICATED)
def audit_list_choices(request, field):
    """The audit list filter's search-as-you-type choices (JSON)."""
    return choices_response(request, AuditFilter(request=request, queryset=Audit.objects.none()), field)


@access(AUTHENTICATED)
def audit_detail(request, pk):
    audit = _audit_or_404(request, pk)
    can_plan = CB_ADMIN.allows(request.user)
    stage_1_context = _stage_1_context(audit)
    return render(
        request,
        "audits/audit_detail.html",
        {
            "audit": audit,
            "calc": audit.calculation,
            "team": list(audit.team.all()),
            "items": selectors.plan_items(audit=audit),
            "gaps": selectors.itinerary_matrix_gaps(audit=audit) if request.user.is_cb_staff else [],
            "can_plan": can_plan and audit.status in services.PLAN_EDITABLE_STATUSES,
            "can_cancel": can_plan and audit.status == AuditStatus.PLANNED,
            "can_start": _can_start(request.user, audit),
            **stage_1_context,
            # Panels of the apps above (stage 1's documents and open areas of concern).
            "panels": registry.audit_panels(request=request, audit=audit, stage_1=stage_1_context.get("stage_1")),
            "check": services.team_check(audit=audit) if request.user.is_cb_staff else None,
            "cancel_form": CancelForm(),
            "is_staff_user": request.user.is_cb_staff,
        },
    )


# --- planning --------------------------------------------------------------------------------


def _plan_page(request, *, client, audit=None):
    creating = audit is None
    instance = audit or Audit(client=client)
    calculation = audit.calculation if audit else None
    if request.method == "POST":
        form = AuditForm(request.POST, instance=instance, client=client)
        adjustments = AdjustmentFormSet(request.POST, prefix="adj")
        standard_ids = selected_standard_ids(form)
        non_applicable = NonApplicableFormSet(request.POST, prefix="na", form_kwargs={"standard_ids": standard_ids})
        valid = form.is_valid() & adjustments.is_valid() & non_applicable.is_valid()
        if valid:
            kwargs = form.plan_kwargs()
            calculation = services.audit_calculation(
                client=client,
                audit_type=kwargs["audit_type"],
                standards=form.standard_inputs(),
                adjustments=adjustment_inputs(adjustments),
                integrated=kwargs["integrated"],
                integration_reduction_percent=kwargs["integration_reduction_percent"],
                effective_personnel=kwargs["effective_personnel"],
                programme=form.cleaned_data.get("programme") or (audit.programme if audit else None),
                audit=audit,
            )
            if "calculate" not in request.POST:
                common = dict(
                    by=request.user,
                    standards=form.standard_inputs(),
                    adjustments=adjustment_inputs(adjustments),
                    non_applicable=non_applicable_inputs(non_applicable),
                    sites=list(form.cleaned_data.get("sites") or []),
                    programme=form.cleaned_data.get("programme"),
                    **kwargs,
                )
                try:
                    if creating:
                        saved = services.audit_plan(client=client, **common)
                    else:
                        saved = services.audit_update(audit=audit, version=form.cleaned_data.get("version"), **common)
                except (PermissionDenied, ValidationError) as exc:
                    rest = _onto_formsets(exc, adjustments=adjustments, non_applicable=non_applicable)
                    report_refusal(request, rest, form=form)
                else:
                    messages.success(request, _("Audit plan saved."))
                    return redirect("audits:detail", pk=saved.pk)
    else:
        form = AuditForm(instance=instance, client=client)
        initial_adj = (
            [{"standard": a.standard, "percent": a.percent, "reason": a.reason} for a in audit.time_adjustments.all()]
            if audit
            else []
        )
        initial_na = (
            [{"clause": row.clause, "justification": row.justification} for row in audit.non_applicable_rows.all()]
            if audit
            else []
        )
        adjustments = AdjustmentFormSet(prefix="adj", initial=initial_adj)
        non_applicable = NonApplicableFormSet(
            prefix="na", initial=initial_na, form_kwargs={"standard_ids": selected_standard_ids(form)}
        )
    return render(
        request,
        "audits/audit_form.html",
        {
            "form": form,
            "adjustments": adjustments,
            "non_applicable": non_applicable,
            "client": client,
            "audit": audit,
            "creating": creating,
            "calc": calculation,
        },
    )


def _onto_formsets(exc, **formsets):
    """Put the errors the service keys by a formset's name ("adjustments", "non_applicable") above
    that formset; the rest is left for ``report_refusal``."""
    if not hasattr(exc, "error_dict"):
        return exc
    rest = {}
    for key, errors in exc.message_dict.items():
        if key in formsets:
            formsets[key]._non_form_errors = formsets[key].error_class(errors)
        else:
            rest[key] = errors
    return ValidationError(rest)


@access(CB_ADMIN)
def audit_create(request):
    client_pk = request.GET.get("client")
    if not client_pk:
        return render(request, "audits/choose_client.html", {"form": ClientChoiceForm(user=request.user)})
    client = get_object_or_404(
        Client.objects.restrict(request.user, "view"), pk=client_pk if client_pk.isdigit() else 0
    )
    return _plan_page(request, client=client)


@access(CB_ADMIN)
def audit_edit(request, pk):
    audit = _audit_or_404(request, pk, action="plan")
    if audit.status not in services.PLAN_EDITABLE_STATUSES:
        messages.error(
            request,
            _("This audit is %(status)s: its plan can no longer be changed.") % {"status": audit.get_status_display()},
        )
        return redirect("audits:detail", pk=audit.pk)
    return _plan_page(request, client=audit.client, audit=audit)


@access(AUDITING_STAFF_AND_ADMIN)
@require_POST
def audit_start(request, pk):
    # Only the audits the user leads (all, for a CB administrator): another id is 404.
    audit = _audit_or_404(request, pk, action="lead")
    perform(request, lambda: services.audit_start(audit=audit, by=request.user), success=_("The audit is in progress."))
    return redirect("audits:detail", pk=audit.pk)


@access(CB_ADMIN)
@require_POST
def audit_cancel(request, pk):
    audit = _audit_or_404(request, pk, action="plan")
    reason = CancelForm(request.POST).data.get("reason", "")
    perform(
        request,
        lambda: services.audit_cancel(audit=audit, by=request.user, reason=reason),
        success=_("The audit was cancelled."),
    )
    return redirect("audits:detail", pk=audit.pk)


# --- team ----------------------------------------------------------------------------------


@access(CB_ADMIN)
def audit_team(request, pk):
    audit = _audit_or_404(request, pk, action="plan")
    form = TeamAddForm(audit=audit)
    person_form = AccompanyingPersonForm()
    if request.method == "POST":
        if "set_witness" in request.POST:
            # 17021-1 7.2.10: the on-site evaluation, recorded during or after the audit.
            witness_form = WitnessRoleForm(request.POST, audit=audit)
            if witness_form.is_valid():
                perform(
                    request,
                    lambda: services.team_witness_role_set(
                        assignment=witness_form.cleaned_data["assignment"],
                        witness_role=witness_form.cleaned_data["witness_role"],
                        by=request.user,
                    ),
                    success=_("On-site evaluation recorded."),
                )
            else:
                messages.error(request, _("Choose a team member and an on-site evaluation role."))
            return redirect("audits:team", pk=audit.pk)
        if "add_person" in request.POST:
            person_form = AccompanyingPersonForm(request.POST)
            if person_form.is_valid() and perform(
                request,
                lambda: services.accompanying_person_add(audit=audit, by=request.user, **person_form.cleaned_data),
                success=_("Accompanying person added."),
                form=person_form,
            ):
                return redirect("audits:team", pk=audit.pk)
        else:
            form = TeamAddForm(request.POST, audit=audit)
            if form.is_valid():
                try:
                    assignment, warnings = services.team_assignment_add(
                        audit=audit,
                        profile=form.cleaned_data["profile"],
                        role=form.cleaned_data["role"],
                        days=form.cleaned_data.get("days"),
                        by=request.user,
                    )
                except (PermissionDenied, ValidationError) as exc:
                    report_refusal(request, exc, form=form)
                else:
                    messages.success(
                        request,
                        _("%(name)s added as %(role)s.")
                        % {"name": assignment.name, "role": assignment.get_role_display()},
                    )
                    for warning in warnings:
                        messages.warning(request, warning)
                    return redirect("audits:team", pk=audit.pk)
    return render(
        request,
        "audits/audit_team.html",
        {
            "audit": audit,
            "team": list(selectors.team_queryset().filter(audit=audit)),
            "persons": list(audit.accompanying_persons.all()),
            "form": form,
            "person_form": person_form,
            "check": services.team_check(audit=audit),
            "editable": audit.status in services.PLAN_EDITABLE_STATUSES,
            "witness_choices": WitnessRole.choices,
            "witness_editable": audit.status != AuditStatus.CANCELLED,
        },
    )


@access(CB_ADMIN)
@require_POST
def team_remove(request, pk, assignment_pk):
    audit = _audit_or_404(request, pk, action="plan")
    assignment = get_object_or_404(
        TeamAssignment.objects.restrict(request.user, "plan").filter(audit=audit), pk=assignment_pk
    )
    perform(
        request,
        lambda: services.team_assignment_remove(assignment=assignment, by=request.user),
        success=_("%(name)s removed from the team.") % {"name": assignment.name},
    )
    return redirect("audits:team", pk=audit.pk)


@access(CB_ADMIN)
@require_POST
def person_remove(request, pk, person_pk):
    audit = _audit_or_404(request, pk, action="plan")
    person = get_object_or_404(
        AccompanyingPerson.objects.restrict(request.user, "plan").filter(audit=audit), pk=person_pk
    )
    perform(request, lambda: services.accompanying_person_remove(person=person, by=request.user))
    return redirect("audits:team", pk=audit.pk)


# --- itinerary -----------------------------------------------------------------------------


@access(CB_ADMIN)
def itinerary_edit(request, pk):
    audit = _audit_or_404(request, pk, action="plan")
    editable = audit.status in services.PLAN_EDITABLE_STATUSES
    if request.method == "POST" and editable:
        formset = PlanItemFormSet(request.POST, audit=audit, prefix="items")
        if formset.is_valid():
            rows, delete = [], []
            order = 0
            for form in formset.forms:
                if form.cleaned_data.get("DELETE"):
                    if form.instance.pk:
                        delete.append(form.instance)
                    continue
                if not form.instance.pk and not form.has_changed():
                    continue
                order += 10
                rows.append(form.as_input(order))
            try:
                plan_version = int(request.POST.get("plan_version", ""))
            except ValueError:
                plan_version = None
            try:
                services.itinerary_save(
                    audit=audit, rows=rows, delete=delete, by=request.user, plan_version=plan_version
                )
            except (PermissionDenied, ValidationError) as exc:
                formset._non_form_errors = formset.error_class(refusal_messages(exc))
            else:
                messages.success(request, _("Itinerary saved."))
                return redirect("audits:itinerary", pk=audit.pk)
    else:
        formset = PlanItemFormSet(audit=audit, prefix="items")
    return render(
        request,
        "audits/itinerary_form.html",
        {
            "audit": audit,
            "formset": formset,
            "editable": editable,
            "has_items": audit.plan_items.exists(),
            "gaps": selectors.itinerary_matrix_gaps(audit=audit),
        },
    )


@access(CB_ADMIN)
@require_POST
def itinerary_prefill(request, pk):
    audit = _audit_or_404(request, pk, action="plan")
    created = []
    replace = bool(request.POST.get("replace"))
    if perform(
        request,
        lambda: created.extend(services.itinerary_prefill_from_matrix(audit=audit, by=request.user, replace=replace)),
    ):
        if created:
            messages.success(request, _("%(n)s lines pre-filled from the responsibility matrix.") % {"n": len(created)})
        else:
            messages.warning(
                request,
                _("The client's responsibility matrix assigns no clause of this audit's standards to a department."),
            )
    return redirect("audits:itinerary", pk=audit.pk)


@access(AUTHENTICATED)
def plan_print(request, pk):
    """The audit plan as the client receives it (attachment 1 of the report), printable."""
    audit = _audit_or_404(request, pk)
    return render(
        request,
        "audits/plan_print.html",
        {
            "audit": audit,
            "cb": selectors.certification_body(),
            "team": list(audit.team.all()),
            "items": selectors.plan_items(audit=audit),
            "gaps": selectors.itinerary_matrix_gaps(audit=audit) if request.user.is_cb_staff else [],
        },
    )


# --- programmes ----------------------------------------------------------------------------


@access(PROGRAMME_READERS)
def programme_list(request):
    """Active programmes with their next expected audit; due and overdue first. The database
    orders and cuts the page; only the page's schedules are computed."""
    cb = selectors.certification_body()
    page = paginate(request, selectors.programme_list(user=request.user))
    page.object_list = selectors.programme_list_rows(page.object_list, cb=cb)
    return render(
        request,
        "audits/programme_list.html",
        {"page": page, "columns": PROGRAMME_COLUMNS, "cb": cb},
    )


@access(CB_STAFF)
def client_programme(request, client_pk):
    client = get_object_or_404(Client.objects.restrict(request.user, "view"), pk=client_pk)
    programmes = selectors.client_programmes(user=request.user, client=client)
    if not programmes and not CB_ADMIN.allows(request.user) and not COMMITTEE.allows(request.user):
        raise Http404
    cb = selectors.certification_body()
    blocks = [
        {
            "programme": p,
            "schedule": selectors.programme_schedule(programme=p, cb=cb),
            "others": selectors.programme_other_audits(programme=p),
            # Panels of higher apps (applications: the programme's invoices), core.panels.
            "panels": page_panels("audits.programme", request=request, obj=p),
        }
        for p in programmes
    ]
    return render(
        request,
        "audits/programme_detail.html",
        {"client": client, "blocks": blocks, "css": STATUS_CSS, "cb": cb, "can_plan": CB_ADMIN.allows(request.user)},
    )


def _programme_form_page(request, *, client, programme=None):
    form = ProgrammeForm(request.POST or None, instance=programme or AuditProgramme(client=client), client=client)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("standards", "version")}
        standards = form.cleaned_data["standards"]

        def save():
            if programme is None:
                return services.programme_create(client=client, by=request.user, standards=standards, **data)
            return services.programme_update(
                programme=programme,
                by=request.user,
                standards=standards,
                version=form.cleaned_data.get("version"),
                **data,
            )

        if perform(request, save, success=_("Audit programme saved."), form=form):
            return redirect("audits:programme", client_pk=client.pk)
    return render(request, "audits/programme_form.html", {"form": form, "client": client, "programme": programme})


@access(CB_ADMIN)
def programme_create(request, client_pk):
    client = get_object_or_404(Client.objects.restrict(request.user, "change"), pk=client_pk)
    return _programme_form_page(request, client=client)


@access(CB_ADMIN)
def programme_edit(request, pk):
    programme = get_object_or_404(
        AuditProgramme.objects.restrict(request.user, "change").select_related("client"), pk=pk
    )
    return _programme_form_page(request, client=programme.client, programme=programme)
