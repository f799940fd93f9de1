"""Staff pages of nonconformities: the register (filter, export), one NC with its full history
and the auditor's and leader's decisions, evidence downloads, and the CB's due-date rules.
Client users answer their NCs in the client portal. Objects are fetched only through
``restrict()``: another id is 404; the rules are in ``findings.services``."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audits.models import AuditType
from core.access import AUDITING_STAFF, AUTHENTICATED, CB_ADMIN, CB_STAFF, access
from core.autocomplete import choices_response
from core.downloads import private_file_response
from core.views import filtered_list, perform

from . import export, rules, selectors, services
from .filters import NonconformityFilter
from .forms import ClosureForm, DueRuleForm, VerifyForm
from .models import (
    Nonconformity,
    NonconformityAction,
    NonconformityDueRule,
    NonconformityEvidence,
    NonconformityGrade,
)

REGISTER_COLUMNS = [
    gettext_lazy("Client organisation"),
    gettext_lazy("Audit"),
    gettext_lazy("No."),
    gettext_lazy("Grade"),
    gettext_lazy("Clause"),
    gettext_lazy("Department"),
    gettext_lazy("Statement of nonconformity"),
    gettext_lazy("Status"),
    gettext_lazy("Due date"),
    gettext_lazy("Rounds"),
]


def nc_or_404(request, pk):
    try:
        return selectors.nc_detail(user=request.user, pk=pk)
    except Nonconformity.DoesNotExist:
        raise Http404 from None


# --- the register ---------------------------------------------------------------------------


@access(CB_STAFF)
def nc_register(request):
    """The register page, or with ``export=csv|xlsx`` every row the filters select."""
    queryset = selectors.nc_list(user=request.user)
    wanted = request.GET.get("export")
    if wanted in ("csv", "xlsx"):
        nc_filter = NonconformityFilter(request.GET, queryset=queryset, request=request)
        if nc_filter.is_valid():
            ncs = selectors.with_flags(list(nc_filter.qs))
            return export.as_csv(ncs) if wanted == "csv" else export.as_xlsx(ncs)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return filtered_list(
        request,
        queryset=queryset,
        filterset_class=NonconformityFilter,
        filterset_kwargs={"request": request},
        template_name="findings/register.html",
        context={"columns": REGISTER_COLUMNS, "query": query.urlencode()},
    )


@access(CB_STAFF)
def nc_register_choices(request, field):
    """The register filter's search-as-you-type choices (JSON), from the same restricted lists."""
    return choices_response(request, NonconformityFilter(request=request, queryset=Nonconformity.objects.none()), field)


# --- one NC -----------------------------------------------------------------------------------


def _detail_context(request, nc):
    allowed = services.allowed_actions(request.user, nc)
    return {
        "nc": nc,
        "audit": nc.audit,
        "responses": list(nc.responses.all()),
        "transitions": list(nc.transitions.all()),
        "reminders": list(nc.reminders.all()),
        "changes": selectors.history_of(nc),
        "can_verify": bool(allowed & {NonconformityAction.ACCEPT, NonconformityAction.REJECT}),
        "can_close": bool(allowed & {NonconformityAction.CLOSE, NonconformityAction.REJECT_CLOSURE}),
        "verify_form": VerifyForm(initial={"version": nc.version}),
        "closure_form": ClosureForm(initial={"version": nc.version}),
    }


@access(CB_STAFF)
def nc_detail(request, pk):
    nc = nc_or_404(request, pk)
    return render(request, "findings/detail.html", _detail_context(request, nc))


@access(AUDITING_STAFF)
@require_POST
def nc_verify(request, pk):
    """The auditor accepts or rejects the client's current response."""
    nc = get_object_or_404(Nonconformity.objects.restrict(request.user, "view"), pk=pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if data["decision"] == VerifyForm.ACCEPT:
            perform(
                request,
                lambda: services.nonconformity_accept(
                    nc=nc, by=request.user, method=data["method"], note=data["note"], version=data["version"]
                ),
                success=_("Response accepted. The team leader is asked to approve the closure."),
            )
        else:
            perform(
                request,
                lambda: services.nonconformity_reject(
                    nc=nc, by=request.user, reason=data["note"], version=data["version"]
                ),
                success=_("Response rejected and sent back to the client."),
            )
    else:
        messages.error(request, _("Choose whether to accept or reject the response."))
    return redirect("findings:nc_detail", pk=nc.pk)


@access(AUDITING_STAFF)
@require_POST
def nc_closure(request, pk):
    """The team leader approves or rejects the closure."""
    nc = get_object_or_404(Nonconformity.objects.restrict(request.user, "view"), pk=pk)
    form = ClosureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if data["decision"] == ClosureForm.APPROVE:
            perform(
                request,
                lambda: services.nonconformity_close(
                    nc=nc, by=request.user, note=data["note"], version=data["version"]
                ),
                success=_("Closure approved: the nonconformity is closed."),
            )
        else:
            perform(
                request,
                lambda: services.nonconformity_reject_closure(
                    nc=nc, by=request.user, reason=data["note"], version=data["version"]
                ),
                success=_("Closure rejected and sent back to the client."),
            )
    else:
        messages.error(request, _("Choose whether to approve or reject the closure."))
    return redirect("findings:nc_detail", pk=nc.pk)


@access(AUTHENTICATED)
def nc_evidence_download(request, pk):
    """An evidence file of a response, for whoever may see its NC (client users: their own)."""
    evidence = get_object_or_404(NonconformityEvidence.objects.restrict(request.user, "view"), pk=pk)
    return private_file_response(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


# --- the CB's due-date rules --------------------------------------------------------------------


def _rule_table(cb_rules):
    """What applies for each grade × audit type, and from where (rule or default)."""
    specific = {(r.grade, r.audit_type): r for r in cb_rules}
    table = []
    for audit_type, label in AuditType.choices:
        row = {"audit_type": label, "cells": []}
        for grade in (NonconformityGrade.MINOR, NonconformityGrade.MAJOR):
            rule = specific.get((grade, audit_type)) or specific.get((grade, ""))
            days = rule.days if rule else rules.DEFAULT_DUE_DAYS[grade]
            capped = rules.has_stage2_limit(grade=grade, audit_type=audit_type)
            row["cells"].append({"days": days, "rule": rule, "capped": capped})
        table.append(row)
    return table


@access(CB_ADMIN)
def nc_due_rules(request):
    cb_rules = list(NonconformityDueRule.objects.restrict(request.user, "change"))
    form = DueRuleForm(request.POST or None)
    if request.method == "POST":
        if "delete" in request.POST:
            rule = get_object_or_404(
                NonconformityDueRule.objects.restrict(request.user, "change"), pk=request.POST["delete"]
            )
            perform(
                request,
                lambda: services.nc_due_rule_delete(by=request.user, rule=rule),
                success=_("Rule deleted; the default applies again."),
            )
            return redirect("findings:nc_due_rules")
        if form.is_valid():
            data = form.cleaned_data
            existing = next(
                (r for r in cb_rules if r.grade == data["grade"] and r.audit_type == (data["audit_type"] or "")), None
            )
            if perform(
                request,
                lambda: services.nc_due_rule_save(by=request.user, rule=existing, **data),
                success=_("Rule saved. Nonconformities raised from now on get the new due date."),
                form=form,
            ):
                return redirect("findings:nc_due_rules")
    return render(
        request,
        "findings/due_rules.html",
        {"form": form, "rules": cb_rules, "table": _rule_table(cb_rules), "defaults": rules.DEFAULT_DUE_DAYS},
    )
