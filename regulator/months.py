"""Which events a month reports (103010, one row per certificate and event):

* a certificate issued in the month: report type 01 (new), 02 when it replaces another (reissue);
* a surveillance decision (maintain) approved in the month: 03, for each certificate it names;
* a status change (suspend, restore, withdraw, cancel, expire) effective in the month: 05;
* a certificate already reported whose row has changed since, with no other event: 04.

An event before the month that no earlier submission reported is included with the late marker.
Events before ``RegulatorSettings.reporting_since`` (reported before the CB used the product) and
imported records are never reported again. The results (103011): the team of the audit behind each
01/02/03 row (and the stage 1 audit of an initial certification), one row per person and stage.

With ``include_imported``, the rows a past workbook of the month reported and the import read back
(``ImportedReportRow``) follow, in the workbook's order: each built from the records the import
wrote (client, certificate, registration, contract, the person's identity) and the cells it kept,
so that importing a month's workbook and exporting that month gives the same cells.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from certification.models import CertificateStatusChange, Decision, DecisionStatus, DecisionType

from . import collect, rules
from .importing import MODELLED_CERT_COLUMNS, MODELLED_RESULT_COLUMNS
from .layouts import layout
from .models import ImportedReportRow, RegulatorSettings, Submission, SubmissionItem


@dataclass
class MonthData:
    month: datetime.date
    certificates: list[collect.Row] = field(default_factory=list)
    results: list[collect.Row] = field(default_factory=list)


def reported_keys(sheet: str, *, before: datetime.date) -> dict[str, str]:
    """Keys a final (not draft) submission of an earlier period reported, with their fingerprints
    (the latest)."""
    items = (
        SubmissionItem.objects.filter(sheet=sheet, submission__draft=False, submission__period_start__lt=before)
        .order_by("submission__created_at", "pk")
        .values_list("key", "fingerprint")
    )
    return dict(items)


def _since(month: datetime.date) -> datetime.date:
    cb = RegulatorSettings.objects.current()
    if cb.reporting_since:
        return min(cb.reporting_since, month)
    first = (
        Submission.objects.filter(draft=False, kind="monthly")
        .order_by("period_start")
        .values_list("period_start", flat=True)
    ).first()
    return min(first, month) if first else month


def month_data(month: datetime.date, *, include_imported: bool = False) -> MonthData:
    first, last = rules.month_bounds(month)
    since = _since(first)
    done = reported_keys(collect.CERT_SHEET, before=first)
    data = MonthData(month=first)
    ctx = collect.Context()
    # (event day, key, certificate, the event's decision, the status change, the report type)
    found: list[tuple[datetime.date, str, Any, Any, Any, str]] = []

    for certificate in collect.rows_queryset().filter(imported=False, issued_on__gte=since, issued_on__lte=last):
        kind = "02" if certificate.replaces_id or certificate.previous_cb else "01"  # a transfer is a reissue (0103)
        found.append(
            (certificate.issued_on, f"cert:{certificate.pk}:issue", certificate, certificate.decision, None, kind)
        )
    maintains = Decision.objects.filter(
        decision_type=DecisionType.MAINTAIN,
        status=DecisionStatus.APPROVED,
        approved_on__gte=since,
        approved_on__lte=last,
        imported=False,
    ).select_related("audit", "evaluated_by", "approved_by")
    maintains = maintains.prefetch_related(
        Prefetch("certificates", queryset=collect.rows_queryset(), to_attr="regulator_certificates")
    )
    for decision in maintains:
        assert decision.approved_on is not None  # filtered on it
        for certificate in decision.regulator_certificates:
            key = f"cert:{certificate.pk}:decision:{decision.pk}"
            found.append((decision.approved_on, key, certificate, decision, None, "03"))
    changes = CertificateStatusChange.objects.filter(
        action__in=collect.STATUS_ACTIONS, effective_on__gte=since, effective_on__lte=last, certificate__imported=False
    ).prefetch_related(Prefetch("certificate", queryset=collect.rows_queryset()))
    for change in changes:
        key = f"cert:{change.certificate_id}:status:{change.pk}"
        found.append((change.effective_on, key, change.certificate, None, change, "05"))

    # Information changes: a certificate reported before whose row differs from what was reported.
    last_print: dict[int, str] = {}
    for key, print_ in done.items():
        if ":imported:" in key:
            continue  # a row read back from a past workbook, not a row of the record as it stood
        last_print[int(key.split(":")[1])] = print_
    seen = {f[2].pk for f in found if not (f[0] < first and f[1] in done)}
    changed = list(collect.rows_queryset().filter(pk__in=list(last_print)).exclude(pk__in=seen))

    # What the rows read of the audits behind them, for all of them at once.
    decisions = [f[3] or f[2].decision for f in found] + [c.decision for c in changed]
    ctx.load([d.audit for d in decisions if d is not None and d.audit_id is not None])

    events: list[tuple[datetime.date, str, collect.Row, Any]] = []
    for day, key, certificate, decision, change, kind in found:
        row = collect.certificate_row(certificate, decision=decision, status_change=change, ctx=ctx)
        row["report_type"] = kind
        events.append((day, key, row, decision if kind != "05" else None))
        events[-1][2]["_certificate"] = certificate

    events.sort(key=lambda e: (e[0], e[1]))
    for day, key, row, decision in events:
        certificate = row.pop("_certificate")
        if day < first and key in done:
            continue
        row["late"] = rules.is_late(day, month=first)
        row["_key"] = key
        row["_event_day"] = day
        data.certificates.append(row)
        if decision is not None and row["report_type"] in ("01", "02", "03"):
            data.results.extend(collect.result_rows(row, decision, certificate=certificate, ctx=ctx))

    for certificate in changed:
        row = collect.certificate_row(certificate, ctx=ctx)
        row["report_type"] = "04"
        print_ = collect.fingerprint(row)
        if print_ == last_print[certificate.pk]:
            continue
        row["late"] = False
        row["change_date"] = last
        row["_key"] = f"cert:{certificate.pk}:change:{print_[:16]}"
        row["_event_day"] = last
        data.certificates.append(row)
    if include_imported:
        _imported(data, ctx=ctx)
    return data


def _overlay(row: collect.Row, cells: dict[str, Any], *, sheet: str, modelled: frozenset[str]) -> None:
    """The kept cells in place of the values of the columns no record models."""
    for item in layout(sheet).fields:
        if item.code not in modelled:
            row[item.value] = cells.get(item.code, "")


def _imported(data: MonthData, *, ctx: collect.Context) -> None:
    rows = list(
        ImportedReportRow.objects.filter(sheet=collect.CERT_SHEET, month=data.month)
        .prefetch_related(Prefetch("certificate", queryset=collect.rows_queryset()))
        .order_by("position", "pk")
    )
    results: dict[int, list[Any]] = {}
    children = (
        ImportedReportRow.objects.filter(parent__in=rows, sheet=collect.RESULT_SHEET)
        .select_related("profile__user", "profile__regulator_identity", "certificate")
        .order_by("position", "pk")
    )
    for child in children:
        if child.parent_id is not None:
            results.setdefault(child.parent_id, []).append(child)
    ctx.load(
        [r.certificate.decision.audit for r in rows if r.certificate.decision_id and r.certificate.decision.audit_id]
    )
    for imported in rows:
        row = collect.certificate_row(imported.certificate, ctx=ctx)
        modelled = frozenset() if imported.complete else MODELLED_CERT_COLUMNS
        _overlay(row, imported.cells, sheet=collect.CERT_SHEET, modelled=modelled)
        row["_key"] = f"cert:{imported.certificate_id}:imported:{imported.pk}"
        row["_event_day"] = data.month
        data.certificates.append(row)
        for child in results.get(imported.pk, []):
            person = collect.imported_person_values(child.profile)
            person.update(
                {
                    "approval_number": row["approval_number"],
                    "cert_number": imported.certificate.number,
                    "_cert_id": imported.certificate_id,
                    "_key": f"result:{imported.certificate_id}:imported:{child.pk}",
                }
            )
            _overlay(person, child.cells, sheet=collect.RESULT_SHEET, modelled=MODELLED_RESULT_COLUMNS)
            data.results.append(person)
