"""The regulator pages, for CB administrators: the dashboard (deadline, unreported plans, changed
certificates), the month's and the plan period's sheets with every validation problem and a link
to fix it, the exports, the submission history and downloads, the regulator data of a record, the
import of past workbooks."""

import datetime
import zipfile

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audits.models import Audit, AuditProgramme
from certification.models import Certificate
from clients.models import Client
from core.access import CB_ADMIN, access
from core.dates import local_today
from core.downloads import private_file_response
from core.views import perform, report_refusal
from people.models import AuditorProfile

from . import auditor_list, importing, plans_import, rules, selectors, services
from .forms import (
    AuditorIdentityForm,
    AuditorListForm,
    AuditRegistrationForm,
    CertificateRegistrationForm,
    ClientRegistrationForm,
    ImportForm,
    MonthForm,
    PlansForm,
    PlanSheetForm,
    ProgrammeContractForm,
)
from .models import (
    AuditorIdentity,
    AuditRegistration,
    CertificateRegistration,
    ClientRegistration,
    ProgrammeContract,
    RegulatorSettings,
    Submission,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# kind → (the record's model, the regulator data's model, its link field, its form)
RECORD_KINDS = {
    "client": (Client, ClientRegistration, "client", ClientRegistrationForm),
    "auditor": (AuditorProfile, AuditorIdentity, "profile", AuditorIdentityForm),
    "audit": (Audit, AuditRegistration, "audit", AuditRegistrationForm),
    "certificate": (Certificate, CertificateRegistration, "certificate", CertificateRegistrationForm),
    "programme": (AuditProgramme, ProgrammeContract, "programme", ProgrammeContractForm),
}


def _month_of(request: HttpRequest, default: datetime.date) -> datetime.date:
    try:
        return rules.parse_month(request.GET.get("month", ""))
    except ValueError:
        return default


def _date(text: str, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return default


@access(CB_ADMIN)
def dashboard(request: HttpRequest) -> HttpResponse:
    board = selectors.dashboard()
    month = _month_of(request, board.month)
    today = local_today()
    start = _date(request.GET.get("from", ""), today)
    end = _date(request.GET.get("to", ""), today + datetime.timedelta(days=30))
    include_imported = request.GET.get("imported") == "1"
    month_preview = selectors.month_preview(month, include_imported=include_imported)
    plans_preview = selectors.plans_preview(start, end)
    return render(
        request,
        "regulator/dashboard.html",
        {
            "board": board,
            "month": month,
            "month_text": month.strftime("%Y-%m"),
            "month_deadline": rules.deadline(month, day=RegulatorSettings.objects.current().deadline_day),
            "start": start,
            "end": end,
            "month_preview": month_preview,
            "include_imported": include_imported,
            "plans_preview": plans_preview,
            "month_form": MonthForm(initial={"month": month.strftime("%Y-%m")}),
            "plans_form": PlansForm(initial={"start": start, "end": end}),
            "submissions": selectors.submissions(user=request.user)[:50],
        },
    )


@access(CB_ADMIN)
@require_POST
def export_month(request: HttpRequest) -> HttpResponse:
    form = MonthForm(request.POST)
    if not form.is_valid():
        report_refusal(request, ValidationError(_("Enter a month as YYYY-MM.")))
        return redirect("regulator:dashboard")
    month = form.cleaned_data["month"]
    perform(
        request,
        lambda: services.submission_export_month(
            month=month,
            by=request.user,
            draft=form.cleaned_data["draft"],
            include_imported=form.cleaned_data["include_imported"],
        ),
        success=_("The month's sheets are exported; download them from the submission history."),
    )
    imported = "&imported=1" if form.cleaned_data["include_imported"] else ""
    return redirect(f"{request.path.rsplit('export/', 1)[0]}?month={month:%Y-%m}{imported}")


@access(CB_ADMIN)
@require_POST
def export_plans(request: HttpRequest) -> HttpResponse:
    form = PlansForm(request.POST)
    if not form.is_valid():
        report_refusal(request, ValidationError(_("Enter the first and the last day.")))
        return redirect("regulator:dashboard")
    data = form.cleaned_data
    perform(
        request,
        lambda: services.submission_export_plans(
            start=data["start"], end=data["end"], by=request.user, draft=data["draft"]
        ),
        success=_("The plan sheet is exported; download it from the submission history."),
    )
    return redirect("regulator:dashboard")


@access(CB_ADMIN)
@require_POST
def export_certsearch(request: HttpRequest) -> HttpResponse:
    perform(
        request,
        lambda: services.submission_export_certsearch(by=request.user, draft=bool(request.POST.get("draft"))),
        success=_("The IAF CertSearch upload is exported."),
    )
    return redirect("regulator:dashboard")


@access(CB_ADMIN)
def submission_download(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(Submission.objects.restrict(request.user, "view"), pk=pk)
    return private_file_response(
        submission.file, filename=submission.download_name, content_type=XLSX, sha256=submission.sha256
    )


@access(CB_ADMIN)
def record_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in RECORD_KINDS:
        raise Http404
    parent_model, model, link, form_class = RECORD_KINDS[kind]
    parent = get_object_or_404(parent_model.objects.restrict(request.user, "view"), pk=pk)
    instance = model.objects.filter(**{link: parent}).first() or model(**{link: parent})
    form = form_class(request.POST or None, instance=instance)
    if (
        request.method == "POST"
        and form.is_valid()
        and perform(
            request,
            lambda: services.record_save(instance=form.instance, by=request.user),
            success=_("Saved."),
            form=form,
        )
    ):
        return redirect(request.GET.get("next") or request.path)
    return render(request, "regulator/record_edit.html", {"form": form, "parent": parent, "kind": kind})


@access(CB_ADMIN)
@require_POST
def plan_number(request: HttpRequest, pk: int) -> HttpResponse:
    audit = get_object_or_404(Audit.objects.restrict(request.user, "plan"), pk=pk)
    perform(request, lambda: services.plan_number_assign(audit=audit, by=request.user), success=_("Plan number given."))
    return redirect("regulator:edit", kind="audit", pk=audit.pk)


@access(CB_ADMIN)
def import_workbook(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["workbook"].read()
        name = form.cleaned_data["workbook"].name
        apply, month = form.cleaned_data["apply"], form.cleaned_data["month"]
        try:
            if apply:
                report = services.workbook_import(data=data, source=name, by=request.user, month=month)
            else:
                report = importing.plan_import(data=data, month=month)
        except ValidationError as exc:
            report_refusal(request, exc, form=form)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            # openpyxl's errors on a file that is not a workbook
            report_refusal(request, ValidationError(_("This file is not an .xlsx workbook.")), form=form)
    return render(request, "regulator/import.html", {"form": form, "report": report})


@access(CB_ADMIN)
def import_auditors(request: HttpRequest) -> HttpResponse:
    """A CB's plain list of auditors: a dry run, then the import (``services.auditor_list_import``)."""
    form = AuditorListForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["auditor_list"]
        data, name = upload.read(), upload.name
        try:
            if form.cleaned_data["apply"]:
                report = services.auditor_list_import(data=data, filename=name, by=request.user)
            else:
                report = auditor_list.plan_auditor_list(data=data, filename=name)
        except ValidationError as exc:
            report_refusal(request, exc, form=form)
    return render(request, "regulator/import_auditors.html", {"form": form, "report": report})


@access(CB_ADMIN)
def import_plans(request: HttpRequest) -> HttpResponse:
    """A CB's past plan sheets (102010): a dry run, then the import (``services.plan_sheet_import``)."""
    form = PlanSheetForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["plan_sheet"]
        data, name = upload.read(), upload.name
        try:
            if form.cleaned_data["apply"]:
                report = services.plan_sheet_import(data=data, source=name, by=request.user)
            else:
                report = plans_import.plan_plans(data=data)
        except ValidationError as exc:
            report_refusal(request, exc, form=form)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            # openpyxl's errors on a file that is not a workbook
            report_refusal(request, ValidationError(_("This file is not an .xlsx workbook.")), form=form)
    return render(request, "regulator/import_plans.html", {"form": form, "report": report})
