"""The audit report as a PDF: the attachments, the data snapshot, the render.

This module

* builds the whole print document (``build_print_document``): the parts laid out for print
  (``reports.versions.layout``) and the attachments of part 十九: 附件1 the audit plan's
  itinerary, 附件2 one nonconformity report per NC and the NC list;
* builds the JSON-able snapshot of everything printed (``snapshot``) — stored with every
  version, hashed (``data_sha256``, ``core.issued.data_hash``), and attached to issued PDFs as
  ``report.json``;
* renders ``reports/pdf/report.html`` with the PDF engine (``render_report``).

Nothing here writes to the database; ``reports.versions.services`` stores versions.
"""

import datetime
import json
import time
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import translation

from audits.models import PlanItem
from core import pdf as pdf_engine  # the engine's functions are looked up when called (tests replace them)
from core.dates import local_date
from core.i18n import is_chinese
from core.issued import ISSUED_PDF_VARIANT, canonical_json, data_hash
from findings.models import Nonconformity, NonconformityResponse, VerificationDecision

from .. import selectors
from ..document import OptionRow, format_value
from .layout import ATTACHMENTS_PART, PrintDocument, PrintLayout, attachment_titles

PDF_TEMPLATE = "reports/pdf/report.html"


# --- attachments: audit plan, nonconformities --------------------------------------------------


def plan_rows(audit, language):
    """The itinerary as the plan holds it, line by line: day, time, what is audited (the
    meetings by their name in the report's language), the clauses, the auditor."""
    rows = []
    items = (
        PlanItem.objects.filter(audit=audit)
        .select_related("department", "auditor")
        .prefetch_related("clauses__standard")
        .order_by("day", "order", "start_time", "pk")
    )
    with translation.override(language):
        for item in items:
            time_range = ""
            if item.start_time or item.end_time:
                start = item.start_time.strftime("%H:%M") if item.start_time else ""
                end = item.end_time.strftime("%H:%M") if item.end_time else ""
                time_range = f"{start}–{end}"
            rows.append(
                {
                    "day": format_value(item.day, language),
                    "time": time_range,
                    "department": item.label,
                    "clauses": item.clause_list,
                    "auditor": item.auditor.name if item.auditor else "",
                }
            )
    return rows


def nonconformity_rows(audit, language):
    """One row per NC with every field of its record, the client's last response (root cause,
    correction, corrective action, when) and its verification (who, when, method, result)."""
    rows = []
    ncs = (
        Nonconformity.objects.filter(audit=audit)
        .select_related("clause__standard", "department")
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=NonconformityResponse.objects.select_related("submitted_by", "verified_by").order_by("round"),
            )
        )
        .order_by("number")
    )
    for nc in ncs:
        clause = ""
        if nc.clause is not None:
            clause = (
                f"{nc.clause.standard.code}:{nc.clause.standard.edition} {nc.clause.number} {nc.clause.title}".strip()
            )
        responses = list(nc.responses.all())
        last = responses[-1] if responses else None
        rows.append(
            {
                "number": nc.number,
                "label": f"NC-{nc.number}",
                "grade": nc.get_grade_display(),
                "family": nc.family,
                "department": nc.department.name if nc.department else "",
                "clause": clause,
                "clause_number": nc.clause.number if nc.clause else "",
                "requirement": nc.requirement,
                "statement": nc.statement,
                "evidence": nc.evidence,
                "due_date": format_value(nc.due_date, language),
                "status": nc.get_status_display(),
                "response": _response_row(last, language) if last is not None else None,
            }
        )
    return rows


def _response_row(response, language):
    """The client's answer and the auditor's verification of one round, as printed."""
    verified = response.verification != VerificationDecision.PENDING
    return {
        "round": response.round,
        "root_cause": response.root_cause,
        "correction": response.correction,
        "corrective_action": response.corrective_action,
        "submitted_by": _person(response.submitted_by),
        "submitted_on": format_value(_local_date(response.submitted_at), language),
        "verified_by": _person(response.verified_by) if verified else "",
        "verified_on": format_value(_local_date(response.verified_at), language) if verified else "",
        "method": response.get_verification_method_display() if response.verification_method else "",
        "result": response.get_verification_display() if verified else "",
        "note": response.verification_note,
    }


def _person(user):
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _local_date(moment):
    return local_date(moment)


# --- snapshot ------------------------------------------------------------------------------------


def _box_json(box):
    return {"label": str(box.label), "ticked": bool(box.ticked)}


def _block_json(block):
    data = {"kind": block.kind, "key": block.key, "number": block.number, "label": str(block.label)}
    if block.kind == "fact":
        data["value"] = block.value
    elif block.kind in ("text", "sentence", "fixed"):
        data["text"] = block.text
        if block.mark:
            data["ticked"] = bool(block.ticked)
    elif block.kind == "choice":
        data["options"] = [
            {
                "key": row.key,
                "label": str(row.label),
                "ticked": row.ticked,
                **({"boxes": [_box_json(b) for b in row.boxes]} if row.boxes else {}),
                **({"boxes_after": [_box_json(b) for b in row.boxes_after]} if row.boxes_after else {}),
                **({"details": [[str(label), text] for label, text in row.details if text]} if row.details else {}),
            }
            for row in block.rows
        ]
    elif block.kind == "table":
        data["columns"] = [str(c) for c in block.columns]
        data["rows"] = [
            {"key": key, **({"label": label} if label else {}), "cells": list(cells)}
            for key, label, cells in block.rows
        ]
    elif block.kind == "family_lines":
        data["lines"] = [
            {
                "ticked": row["ticked"],
                "text": row["text"],
                "after": row["after"],
                "boxes": [_box_json(b) for b in row["boxes"]],
            }
            for row in block.rows
        ]
    elif block.kind == "topics":
        data["title"] = str(block.title)
        data["topics"] = [
            {
                "key": t.key,
                "number": t.number,
                "title": str(t.title),
                "applicable": t.applicable,
                "text": t.printed_text,
                "blocks": [_block_json(b) for b in t.blocks],
                **({"title_boxes": [_box_json(b) for b in t.family_boxes]} if t.family_boxes else {}),
            }
            for t in block.topics
        ]
    return data


def build_snapshot(*, report, number, language, document, cover, plan, nonconformities):
    """Plain JSON (dates as ISO strings): what is stored, hashed and attached is the same."""
    return json.loads(
        canonical_json(
            _snapshot(
                report=report,
                number=number,
                language=language,
                document=document,
                cover=cover,
                plan=plan,
                nonconformities=nonconformities,
            )
        )
    )


def _snapshot(*, report, number, language, document, cover, plan, nonconformities):
    audit = report.audit
    return {
        "format": "auditbody.report/1",
        "report_number": number,
        "language": language,
        "template": {
            "key": report.template.key,
            "version": report.template.version,
            "title": str(report.template.title),
        },
        "audit": {
            "id": audit.pk,
            "type": audit.audit_type,
            "purpose": audit.purpose,
            "start_date": audit.start_date,
            "end_date": audit.end_date,
            "client": {"id": audit.client_id, "name": audit.client.name_zh, "name_en": audit.client.name_en},
        },
        "cover": {key: _block_json(block) for key, block in cover.items()},
        "parts": [
            {
                "number": doc.number,
                "key": doc.part.key,
                "title": str(doc.title),
                "blocks": [_block_json(b) for b in doc.blocks],
            }
            for doc in document
            if doc.number
        ],
        "attachments": {"audit_plan": plan, "nonconformities": nonconformities},
    }


# --- building and rendering ------------------------------------------------------------------------


def build_print_document(*, report, language, number):
    """Everything the PDF prints, in ``language``, and its snapshot. Reads the database."""
    with translation.override(language):
        data = selectors.report_data(report)
        layout = PrintLayout(data, language)
        parts = [layout.part(doc) for doc in data.document if doc.number]
        cover = selectors.cover(data)
        plan = plan_rows(report.audit, language)
        ncs = nonconformity_rows(report.audit, language)
        titles = []
        for doc in data.document:
            if doc.part.key == ATTACHMENTS_PART:
                titles = attachment_titles(doc, language)
        snapshot = build_snapshot(
            report=report,
            number=number,
            language=language,
            document=data.document,
            cover=cover,
            plan=plan,
            nonconformities=ncs,
        )
    return PrintDocument(
        cover=cover, parts=parts, plan=plan, nonconformities=ncs, attachment_titles=titles, snapshot=snapshot
    )


@dataclass
class ReportRender:
    result: pdf_engine.RenderResult
    snapshot: dict
    data_sha256: str
    data_seconds: float

    @property
    def total_seconds(self):
        return self.data_seconds + self.result.html_seconds + self.result.render_seconds


def load_report(pk):
    """The report with everything the PDF reads prefetched."""
    return selectors.report_queryset().get(pk=pk)


def render_report(
    *,
    report,
    language,
    number,
    draft,
    issue=None,
    replaces=None,
    version_label="",
    issued_at=None,
    issued_by="",
    strict_glyphs=False,
    document=None,
    data_seconds=0.0,
) -> ReportRender:
    """Render the report to PDF. ``draft`` prints the DRAFT mark; otherwise the PDF is PDF/A-3b
    with the snapshot attached as ``report.json``. ``document``: a ``build_print_document``
    result to reuse (its build time in ``data_seconds``)."""
    if document is None:
        started = time.perf_counter()
        document = build_print_document(report=report, language=language, number=number)
        data_seconds = time.perf_counter() - started
    started = time.perf_counter()
    digest = data_hash(document.snapshot)
    data_seconds += time.perf_counter() - started
    with translation.override(language):
        cb_name = document.cover.get("cb_name").value if document.cover.get("cb_name") else ""
        context = {
            "cb_name": cb_name,
            "document_number": number,
            "document_title": str(report.template.title),
            "report": report,
            "doc": document,
            "cover": document.cover,
            "parts": document.parts,
            "plan": document.plan,
            "nonconformities": document.nonconformities,
            "attachment_titles": dict(document.attachment_titles),
            "is_draft": draft,
            "issue": issue,
            "replaces": replaces,
            "version_label": version_label,
            "data_sha256": digest,
            "language": language,
            "is_zh": is_chinese(language),
            "colon": "：" if is_chinese(language) else ": ",
        }
    attachments = None
    if not draft:
        attachments = [
            pdf_engine.json_attachment(
                {
                    "report_number": number,
                    "issue": issue,
                    "replaces": replaces,
                    "issued_at": issued_at or datetime.datetime.now(datetime.UTC),
                    "issued_by": issued_by,
                    "data_sha256": digest,
                    "data": document.snapshot,
                },
                description="Audit report data",
            )
        ]
    result = pdf_engine.render_pdf(
        template_name=PDF_TEMPLATE,
        context=context,
        language=language,
        draft=draft,
        pdf_variant=None if draft else ISSUED_PDF_VARIANT,
        attachments=attachments,
        strict_glyphs=strict_glyphs,
    )
    return ReportRender(result=result, snapshot=document.snapshot, data_sha256=digest, data_seconds=data_seconds)


__all__ = [
    "ISSUED_PDF_VARIANT",
    "PDF_TEMPLATE",
    "OptionRow",
    "PrintDocument",
    "ReportRender",
    "build_print_document",
    "data_hash",
    "load_report",
    "render_report",
]
