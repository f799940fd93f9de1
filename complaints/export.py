"""The complaint and appeal registers as CSV or a spreadsheet (openpyxl): the rows the register
shows, filtered the same way. The complainant's identity is never exported (17021-1 9.8.3)."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.dates import local_today

from .selectors import is_overdue

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _d(value):
    return value.isoformat() if value else ""


def complaint_columns():
    return [
        (_("Reference"), lambda c: c.reference),
        (_("Received on"), lambda c: _d(c.received_on)),
        (_("Received through"), lambda c: c.get_source_display()),
        (_("About"), lambda c: c.get_subject_display()),
        (_("Client organisation"), lambda c: c.client.name_zh if c.client_id else c.organisation_named),
        (_("Summary"), lambda c: c.summary),
        (_("Status"), lambda c: c.get_status_display()),
        (_("Investigator"), lambda c: c.investigator.get_full_name() if c.investigator_id else ""),
        (_("Outcome"), lambda c: c.get_outcome_display()),
        (_("Action on the misuse"), lambda c: c.get_misuse_action_display()),
        (_("Answer by"), lambda c: _d(c.answer_due_on)),
        (_("Answered on"), lambda c: _d(c.answered_on)),
        (_("Closed on"), lambda c: _d(c.closed_on)),
        (_("Past its deadline"), lambda c: _("yes") if is_overdue(c) else ""),
    ]


def appeal_columns():
    return [
        (_("Reference"), lambda a: a.reference),
        (_("Received on"), lambda a: _d(a.received_on)),
        (_("Client organisation"), lambda a: a.client.name_zh),
        (_("Decision appealed"), lambda a: str(a.decision.get_decision_type_display())),
        (_("Status"), lambda a: a.get_status_display()),
        (_("Reviewer"), lambda a: a.reviewer.get_full_name() if a.reviewer_id else ""),
        (_("Outcome"), lambda a: a.get_outcome_display()),
        (_("Answer by"), lambda a: _d(a.answer_due_on)),
        (_("Answered on"), lambda a: _d(a.answered_on)),
        (_("Closed on"), lambda a: _d(a.closed_on)),
        (_("Past its deadline"), lambda a: _("yes") if is_overdue(a) else ""),
    ]


def safe(value):
    """Text a spreadsheet would run as a formula (=, +, -, @) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _rows(records, columns):
    yield [label for label, _get in columns]
    for record in records:
        yield [safe(get(record)) for _label, get in columns]


def respond(records, columns, *, name, fmt):
    filename = f"{name}-{local_today():%Y%m%d}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        for row in _rows(records, columns):
            writer.writerow(row)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = name[:31]
        for row in _rows(records, columns):
            sheet.append(row)
        sheet.freeze_panes = "A2"
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
