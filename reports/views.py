"""Report pages: the editor (parts in order, topic cards with autosave), the choices form,
completion, the leader's actions, the HTML preview, findings and nonconformities.

Views are thin: they fetch through ``restrict`` (another audit's id is 404), call the services
through ``core.views.perform``, which turns a refused action into a message or a form error.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audits.models import Audit, AuditType, Stage1Conclusion, TeamAssignment, TeamRole
from core.access import AUDITING_STAFF, AUDITING_STAFF_AND_ADMIN, CB_STAFF, Role, access, roles
from core.downloads import private_file_response
from core.views import paginate, perform, refusal_messages, report_refusal
from findings.models import Finding, FindingEvidence

from . import rules, selectors, services
from .finding_views import finding_form, nonconformity_form
from .forms import ReopenForm, ReportValuesForm, ReturnForm, Stage1ConclusionForm, TopicSaveForm
from .lifecycle import REPORT_MACHINE
from .models import Report, ReportStatus, TopicContent

EVERY_ROLE = roles(*Role.values)

REPORT_COLUMNS = [gettext_lazy("Client organisation"), gettext_lazy("Audit"), gettext_lazy("Status"), ""]


def _team_context(report, user):
    audit = report.audit
    team = getattr(audit, "_team_cache", None)
    if team is None:  # the report querysets prefetch the team with its users
        audit._team_cache = team = list(audit.team.all())
    me = rules.team_assignment_of(audit=audit, user=user)
    return {
        "team": team,
        "me": me,
        "is_leader": me is not None and me.role == TeamRole.LEADER,
        "is_member": me is not None,
    }


# --- entry and editor ----------------------------------------------------------------------------


@access(AUDITING_STAFF_AND_ADMIN)
def for_audit(request, audit_pk):
    """The audit's report: its editor once started; until then a page where a member of the team
    starts it with a button. Starting moves the audit to "report drafted", so it is a POST: opening
    the page (a GET, a link preview, a crawler) changes nothing."""
    audit = get_object_or_404(Audit.objects.restrict(request.user, "view"), pk=audit_pk)
    report = Report.objects.restrict(request.user, "view").filter(audit=audit).first()
    if report is not None:
        return redirect("reports:editor", pk=report.pk)
    on_team = rules.team_assignment_of(audit=audit, user=request.user) is not None
    if request.method == "POST":
        if not on_team:
            raise PermissionDenied
        started: list[Report] = []
        if perform(request, lambda: started.append(services.report_start(audit=audit, by=request.user))):
            return redirect("reports:editor", pk=started[0].pk)
        return redirect("reports:for_audit", audit_pk=audit.pk)
    return render(request, "reports/not_started.html", {"audit": audit, "can_start": on_team})


@access(AUDITING_STAFF_AND_ADMIN)
def editor(request, pk):
    report = selectors.get_report(user=request.user, pk=pk)
    ctx = _team_context(report, request.user)
    data = selectors.report_data(report)
    completion = selectors.report_completion(report=report, data=data)
    findings = selectors.findings_of(audit=report.audit)
    editable = report.is_editable and ctx["is_member"]
    # The reopen button only where the machine allows it (not once the audit went past approval).
    can_reopen = report.status == ReportStatus.APPROVED and REPORT_MACHINE.may(request.user, report, "reopen")
    refusal = REPORT_MACHINE.guard_refusal(report, "reopen") if report.status == ReportStatus.APPROVED else None
    for doc in data.document:
        for block in doc.blocks:
            for topic_doc in block.topics:
                content = topic_doc.content
                topic_doc.can_write = (
                    editable
                    and content is not None
                    and rules.can_write_topic(content=content, user=request.user, audit=report.audit)
                )
    return render(
        request,
        "reports/editor.html",
        {
            **ctx,
            "report": report,
            "audit": report.audit,
            "data": data,
            "document": data.document,
            "completion": completion,
            "findings": findings,
            "nonconformities": list(report.audit.nonconformities.all()),
            "nc_by_department": data.facts.get("nonconformities.by_department", []),
            "events": selectors.report_events(report=report),
            "editable": editable,
            "can_reopen": can_reopen,
            "reopen_refusal": " ".join(refusal.messages) if refusal else "",
            **_stage_1_context(report),
            "editable_parts": selectors.parts_with_typed_values(data.parts),
            # The findings and NC lists sit in the seed's parts 六 and 七 (at the end for a
            # template without them).
            "findings_part": "audit_findings" if any(p.key == "audit_findings" for p in data.parts) else "",
            "nc_part": "nonconformities" if any(p.key == "nonconformities" for p in data.parts) else "",
        },
    )


def _topic_context(request, content, report, **extra):
    topic_doc = selectors.topic_doc(report=report, content=content)
    ctx = _team_context(report, request.user)
    can_write = report.is_editable and rules.can_write_topic(content=content, user=request.user, audit=report.audit)
    return {
        **ctx,
        "report": report,
        "t": topic_doc,
        "card": {"can_write": can_write},
        "editable": report.is_editable,
        **extra,
    }


@access(AUDITING_STAFF)
@require_POST
def topic_save(request, pk):
    """Autosave (htmx, every pause in typing) and the plain "Save" button of a topic card."""
    content = get_object_or_404(
        TopicContent.objects.restrict(request.user, "change").select_related("report__audit", "topic"), pk=pk
    )
    report = content.report
    form = TopicSaveForm(request.POST)
    merging = request.POST.get("merge") == "1"
    if not form.is_valid():
        if request.htmx:
            return HttpResponse(_("The topic could not be saved: reload the page."), status=400)
        messages.error(request, _("The topic could not be saved: reload the page."))
        return redirect(reverse("reports:editor", kwargs={"pk": report.pk}) + f"#topic-{content.topic_id}")
    left_blank = form.cleaned_data["left_blank"] if "left_blank_present" in request.POST else None
    try:
        saved = services.topic_save(
            content=content,
            text=form.cleaned_data["text"],
            version=form.cleaned_data["version"],
            by=request.user,
            left_blank=left_blank,
        )
    except (ValidationError, PermissionDenied) as exc:
        # Not perform(): under htmx the card itself answers (the conflict with both texts, or
        # the refusal), with a status the editor's script reads.
        if not request.htmx:
            report_refusal(request, exc)
            return redirect(reverse("reports:editor", kwargs={"pk": report.pk}) + f"#topic-{content.topic_id}")
        message = " ".join(refusal_messages(exc))
        if isinstance(exc, services.TopicConflictError):
            context = {"content": exc.content, "conflict": exc.conflict, "message": message, "report": report}
            return render(request, "reports/_topic_conflict.html", context, status=409)
        return render(
            request,
            "reports/_topic_refused.html",
            {"message": message, "content": content},
            status=403 if isinstance(exc, PermissionDenied) else 409,
        )
    if request.htmx:
        if merging:
            return render(request, "reports/_topic_card.html", _topic_context(request, saved, report, just_saved=True))
        return render(request, "reports/_topic_status.html", {"content": saved})
    messages.success(request, _("Saved."))
    return redirect(reverse("reports:editor", kwargs={"pk": report.pk}) + f"#topic-{content.topic_id}")


@access(AUDITING_STAFF)
@require_POST
def topic_assign(request, pk):
    content = get_object_or_404(
        TopicContent.objects.restrict(request.user, "lead").select_related("report__audit"), pk=pk
    )
    report = content.report
    assignee = None
    if request.POST.get("assignee"):
        if not request.POST["assignee"].isdigit():
            raise Http404
        assignee = get_object_or_404(
            TeamAssignment.objects.restrict(request.user, "view").filter(audit=report.audit),
            pk=request.POST["assignee"],
        )
    perform(
        request,
        lambda: services.topic_assign(content=content, assignee=assignee, by=request.user),
        success=_("Topic assigned."),
    )
    return redirect(reverse("reports:editor", kwargs={"pk": report.pk}) + f"#topic-{content.topic_id}")


# --- choices ---------------------------------------------------------------------------------------


@access(AUDITING_STAFF)
def choices(request, pk):
    """The report's choices (☑/☐ rows), texts, dates and tables typed by the team."""
    report = selectors.get_report(user=request.user, pk=pk, action="change")
    data = selectors.report_data(report)
    fields = list(services.editable_fields(report.template))
    locked = not report.is_editable
    form = ReportValuesForm(
        request.POST or None,
        fields=fields,
        values=data.values,
        facts=data.facts,
        disabled=locked,
        initial={"version": report.choices_version},
        language=report.language,
    )
    if request.method == "POST" and not locked and form.is_valid():
        values, details = form.typed_values()
        if perform(
            request,
            lambda: services.report_values_save(
                report=report,
                values=values,
                details=details,
                version=form.cleaned_data["version"],
                by=request.user,
                language=form.cleaned_data.get("report_language") or None,
            ),
            success=_("The report's choices were saved."),
            form=form,
        ):
            return redirect(reverse("reports:editor", kwargs={"pk": report.pk}) + request.POST.get("next_anchor", ""))
    groups = selectors.choice_groups(
        [f for f in fields if f.pk not in form.table_layout or form.table_layout[f.pk]["typed"]],
        data.families,
        purpose=report.audit.purpose,
    )
    return render(
        request,
        "reports/choices.html",
        {
            "report": report,
            "audit": report.audit,
            "form": form,
            "groups": _bound_groups(form, groups),
            "locked": locked,
        },
    )


def _bound_groups(form, groups):
    """The form's bound fields laid out per part/topic (templates cannot look names up)."""
    result = []
    for group in groups:
        rows = []
        for fld in group.fields:
            name = f"f{fld.pk}"
            row = {"field": fld, "bound": form[name] if name in form.fields else None, "details": [], "table": None}
            if fld.option_detail:
                row["details"] = [
                    (o, form[f"{name}__{o.key}"]) for o in fld.options.all() if f"{name}__{o.key}" in form.fields
                ]
            layout = form.table_layout.get(fld.pk)
            if layout:
                row["table"] = {
                    "columns": layout["columns"],
                    "rows": [
                        [(kind, form[value] if kind == "input" else value) for kind, value in cells]
                        for _key, cells in layout["rows"]
                    ],
                }
            rows.append(row)
        result.append({"part": group.part, "topic": group.topic, "rows": rows})
    return result


# --- completion and lifecycle ------------------------------------------------------------------------


def _stage_1_context(report):
    """A stage 1 report is approved with its readiness conclusion: the form, and the conclusion."""
    if report.audit.audit_type != AuditType.STAGE_1:
        return {}
    conclusion = Stage1Conclusion.objects.filter(audit=report.audit).select_related("concluded_by").first()
    return {"stage_1_form": Stage1ConclusionForm(), "stage_1_conclusion": conclusion}


@access(AUDITING_STAFF_AND_ADMIN)
def completion(request, pk):
    report = selectors.get_report(user=request.user, pk=pk)
    ctx = _team_context(report, request.user)
    return render(
        request,
        "reports/completion.html",
        {**ctx, "report": report, "audit": report.audit, "completion": selectors.report_completion(report=report)},
    )


@access(AUDITING_STAFF)
@require_POST
def submit(request, pk):
    report = selectors.get_report(user=request.user, pk=pk, action="change")
    if perform(
        request,
        lambda: services.report_submit(report=report, by=request.user),
        success=_("The report was submitted to the team leader."),
    ):
        return redirect("reports:editor", pk=pk)
    return redirect("reports:completion", pk=pk)


@access(AUDITING_STAFF)
@require_POST
def approve(request, pk):
    report = selectors.get_report(user=request.user, pk=pk, action="lead")
    form = Stage1ConclusionForm(request.POST)
    conclusion = form.cleaned_data if form.is_valid() else {}
    perform(
        request,
        lambda: services.report_approve(
            report=report,
            by=request.user,
            stage_1_outcome=conclusion.get("stage_1_outcome", ""),
            stage_1_remark=conclusion.get("stage_1_remark", ""),
        ),
        success=_("The report is approved; its content is now locked."),
    )
    return redirect("reports:editor", pk=pk)


@access(AUDITING_STAFF)
def return_report(request, pk):
    report = selectors.get_report(user=request.user, pk=pk, action="lead")
    data = selectors.report_data(report)
    topics = [
        (
            topic_doc.content,
            f"{doc.part.short_number} {topic_doc.number}. {topic_doc.title}"
            if topic_doc.number
            else f"{doc.part.short_number} {topic_doc.title}",
        )
        for doc in data.document
        for block in doc.blocks
        for topic_doc in block.topics
        if topic_doc.content is not None and topic_doc.applicable
    ]
    form = ReturnForm(request.POST or None, topics=topics)
    if (
        request.method == "POST"
        and form.is_valid()
        and perform(
            request,
            lambda: services.report_return(
                report=report, by=request.user, comments=form.comments(), comment=form.cleaned_data["comment"]
            ),
            success=_("The report was returned to the team with your comments."),
            form=form,
        )
    ):
        return redirect("reports:editor", pk=report.pk)
    texts = {
        topic_doc.content.pk: topic_doc
        for doc in data.document
        for block in doc.blocks
        for topic_doc in block.topics
        if topic_doc.content is not None
    }
    rows = [(form[name], texts.get(content.pk)) for content, name in form.topic_fields]
    return render(request, "reports/return.html", {"report": report, "audit": report.audit, "form": form, "rows": rows})


@access(AUDITING_STAFF)
def reopen(request, pk):
    report = selectors.get_report(user=request.user, pk=pk, action="lead")
    refusal = REPORT_MACHINE.guard_refusal(report, "reopen") if report.status == ReportStatus.APPROVED else None
    if refusal is not None and request.method != "POST":
        messages.error(request, " ".join(refusal.messages))
        return redirect("reports:editor", pk=report.pk)
    form = ReopenForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and perform(
            request,
            lambda: services.report_reopen(report=report, by=request.user, reason=form.cleaned_data["reason"]),
            success=_("The report was reopened; the reason is recorded."),
            form=form,
        )
    ):
        return redirect("reports:editor", pk=report.pk)
    return render(request, "reports/reopen.html", {"report": report, "audit": report.audit, "form": form})


# --- preview and list ------------------------------------------------------------------------------


@access(EVERY_ROLE)
def preview(request, pk):
    """The whole report, part for part in the seed's order. A draft is 404 to the client and
    the committee (see ReportQuerySet)."""
    report = selectors.get_report(user=request.user, pk=pk)
    data = selectors.report_data(report)
    return render(
        request,
        "reports/preview.html",
        {
            "report": report,
            "audit": report.audit,
            "data": data,
            "document": data.document,
            "cover": selectors.cover(data),
            "is_draft": report.status != ReportStatus.APPROVED,
        },
    )


@access(CB_STAFF)
def report_list(request):
    page = paginate(request, selectors.report_list(user=request.user))
    return render(request, "reports/report_list.html", {"page": page, "columns": REPORT_COLUMNS})


# --- findings and nonconformities ----------------------------------------------------------------


@access(AUDITING_STAFF)
def finding_add(request, pk):
    report = selectors.get_report(user=request.user, pk=pk, action="change")
    return finding_form(request, report=report, finding=None)


@access(AUDITING_STAFF)
def finding_edit(request, pk, finding_pk):
    report = selectors.get_report(user=request.user, pk=pk, action="change")
    finding = get_object_or_404(Finding.objects.restrict(request.user, "change"), pk=finding_pk, audit=report.audit)
    return finding_form(request, report=report, finding=finding)


@access(AUDITING_STAFF)
def nc_raise(request, pk, finding_pk):
    report = selectors.get_report(user=request.user, pk=pk, action="change")
    finding = get_object_or_404(Finding.objects.restrict(request.user, "change"), pk=finding_pk, audit=report.audit)
    return nonconformity_form(request, report=report, finding=finding)


@access(CB_STAFF)
def evidence_download(request, pk):
    evidence = get_object_or_404(FindingEvidence.objects.restrict(request.user, "view"), pk=pk)
    return private_file_response(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)
