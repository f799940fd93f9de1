"""The activity log as CSV or a spreadsheet: the filtered rows, user text kept as text (a cell
starting with =, +, -, @ is never run as a formula: findings.export.safe)."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.dates import local_today
from findings.export import XLSX_TYPE, safe

# An export is one response: more rows than this are refused by the view (narrow the filter).
MAX_EXPORT_ROWS = 50_000


def _header():
    return [_("When"), _("User"), _("What"), _("Record"), _("Record id"), _("From"), _("To"), _("Note")]


def _cells(row):
    who = row.user.get_username() if row.user else (row.from_status if row.kind == "login_failed" else "")
    return [
        date_format(timezone.localtime(row.at), "Y-m-d H:i:s"),
        who,
        row.action,
        str(row.record) if row.record is not None else row.record_type_label,
        row.record_id or "",
        "" if row.kind == "login_failed" else row.from_status,
        row.to_status,
        row.note,
    ]


def table(rows):
    yield _header()
    for row in rows:
        yield [safe(cell) for cell in _cells(row)]


def _filename(ext):
    return f"activity-{local_today():%Y%m%d}.{ext}"


def as_csv(rows):
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that Excel opens UTF-8 Chinese correctly
    writer = csv.writer(buffer)
    for line in table(rows):
        writer.writerow(line)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def as_xlsx(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Activity log")[:31]
    for line in table(rows):
        sheet.append(line)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
