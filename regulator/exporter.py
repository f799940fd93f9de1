"""Writing a layout's sheet with openpyxl: the header rows exactly as the layout file gives them,
then one row per record, each value formatted by the layout's rules (``rules.format_value``).

The workbook's bytes depend only on its content (fixed document dates, fixed zip entry times), so
exporting the same data twice gives the same file and the same SHA-256.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell

from . import rules
from .layouts import Layout

FIXED_TIME = datetime.datetime(2000, 1, 1)


def cells(layout: Layout, row: dict[str, Any]) -> list[Any]:
    """The cells of one data row, in the layout's column order."""
    out = []
    for item in layout.fields:
        value = row.get(item.value)
        if item.map and value not in (None, ""):
            value = item.map.get(str(value), value)
        out.append(rules.format_value(value, type_=item.type, date_format=layout.date_format, upper=item.upper))
    return out


def _header(layout: Layout) -> list[list[Any]]:
    return [[item.header_cell(name) for item in layout.fields] for name in layout.header]


def write_sheets(sheets: Sequence[tuple[Layout, Iterable[dict[str, Any]]]]) -> bytes:
    """One workbook with a sheet per (layout, rows), in that order."""
    book = Workbook()
    book.remove(book.active)
    for layout, rows in sheets:
        sheet = book.create_sheet(layout.sheet)
        for header_row in _header(layout):
            sheet.append(header_row)
        for row in rows:
            values = cells(layout, row)
            sheet.append(values)
            # Text stays text (a credit code or a date is never read back as a number or a date).
            for cell in sheet[sheet.max_row]:
                if isinstance(cell, Cell) and isinstance(cell.value, str):
                    cell.data_type = "s"
                    cell.number_format = "@"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    book.properties.creator = "auditbody"
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry dated FIXED_TIME (openpyxl stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time as the modification date whatever the properties say.
                content = re.sub(
                    rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>",
                    rb"<dcterms:modified\1>2000-01-01T00:00:00Z</dcterms:modified>",
                    content,
                )
            target.writestr(fixed, content)
    return out.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_rows(data: bytes, layout: Layout) -> list[dict[str, Any]]:
    """The data rows of ``layout``'s sheet in a workbook, as {field code: cell value}; the columns are
    found by the field-code row (row 1), so a workbook whose columns moved is still read right."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    if layout.sheet not in book.sheetnames:
        return []
    sheet = book[layout.sheet]
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        return []
    codes = [str(c).strip() if c is not None else "" for c in rows[0]]
    out = []
    for values in rows[layout.first_data_row - 1 :]:
        if all(v in (None, "") for v in values):
            continue
        out.append({code: ("" if value is None else value) for code, value in zip(codes, values, strict=False) if code})
    return out
