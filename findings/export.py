"""The NC register as a spreadsheet (openpyxl) or CSV: the rows the register shows, filtered the
same way, with the flags (overdue, grounds for suspension, new stage 2 required)."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.dates import local_today

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _d(value):
    return date_format(value, "Y-m-d") if value else ""


def _dt(value):
    return date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


def _yes(value):
    return _("yes") if value else ""


def columns():
    return [
        (_("Client organisation"), lambda nc: nc.audit.client.name_zh),
        (_("Audit"), lambda nc: nc.audit.get_audit_type_display()),
        (_("Audit dates"), lambda nc: f"{_d(nc.audit.start_date)} – {_d(nc.audit.end_date)}"),
        (_("No."), lambda nc: f"NC-{nc.number}"),
        (_("Grade"), lambda nc: nc.get_grade_display()),
        (_("System"), lambda nc: nc.family),
        (_("Clause"), lambda nc: nc.clause.number if nc.clause_id else ""),
        (_("Department"), lambda nc: nc.department.name if nc.department_id else ""),
        (_("Statement of nonconformity"), lambda nc: nc.statement),
        (_("Status"), lambda nc: nc.get_status_display()),
        (_("Due date"), lambda nc: _d(nc.due_date)),
        (_("Overdue"), lambda nc: _yes(nc.is_overdue)),
        (_("Days overdue"), lambda nc: nc.days_overdue or ""),
        (_("Grounds for suspension"), lambda nc: _yes(nc.suspension_grounds)),
        (_("Stage 2 six-month limit"), lambda nc: _d(nc.stage2_limit)),
        (_("New stage 2 required"), lambda nc: _yes(nc.new_stage2_required)),
        (_("Response rounds"), lambda nc: nc.round_count),
        (_("Last response"), lambda nc: _dt(nc.last_response_at)),
    ]


def safe(value):
    """User-typed text that a spreadsheet would run as a formula (=, +, -, @) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def rows(ncs):
    cols = columns()
    yield [label for label, _get in cols]
    for nc in ncs:
        yield [safe(get(nc)) for _label, get in cols]


def _filename(ext):
    return f"nonconformities-{local_today():%Y%m%d}.{ext}"


def as_csv(ncs):
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that Excel opens UTF-8 Chinese correctly
    writer = csv.writer(buffer)
    for row in rows(ncs):
        writer.writerow(row)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def as_xlsx(ncs):
    # openpyxl is loaded by the export only, not by every process that loads the URLs.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Nonconformities")[:31]
    for index, row in enumerate(rows(ncs)):
        sheet.append(row)
        if index == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [24, 14, 24, 8, 14, 8, 8, 14, 50, 18, 12, 8, 8, 10, 14, 10, 8, 16]
    for column, width in zip(sheet.columns, widths, strict=False):
        sheet.column_dimensions[column[0].column_letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
