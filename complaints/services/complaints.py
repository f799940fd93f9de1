"""The complaint's actions (ISO/IEC 17021-1 9.8). Every write is one transaction; status changes
go through ``COMPLAINT_MACHINE``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from certification.models import Certificate, CertificateStatus
from clients.models import Client

from ..lifecycle import COMPLAINT_MACHINE
from ..models import (
    Complaint,
    ComplaintAction,
    ComplaintOutcome,
    ComplaintPolicy,
    ComplaintSource,
    ComplaintStatus,
    ComplaintSubject,
    MisuseAction,
)
from ..rules import due
from .common import invalid, new_ack_number, next_reference, require_admin, text, today
from .independence import handler_check

# Certificates a complaint about a certified client may name (the public register shows these).
LINKABLE = (CertificateStatus.VALID, CertificateStatus.SUSPENDED)


def find_certificate(number: str) -> Certificate | None:
    """The current certificate of a number the complainant gave (never told back to them)."""
    number = (number or "").strip()
    if not number:
        return None
    return (
        Certificate.objects.filter(number=number, status__in=LINKABLE).select_related("client").order_by("-pk").first()
    )


@transaction.atomic
def complaint_submit(
    *,
    source: str,
    subject: str,
    complainant_name: str,
    summary: str,
    description: str,
    by: Any = None,
    complainant_organisation: str = "",
    complainant_email: str = "",
    complainant_phone: str = "",
    organisation_named: str = "",
    certificate_number_given: str = "",
    client: Client | None = None,
    certificate: Certificate | None = None,
) -> Complaint:
    """Record a complaint received (public form: ``by`` None; the client portal: a client user;
    staff: a CB administrator entering one received by mail or phone). Returns it with its
    acknowledgement number, the only thing told back to the complainant."""
    if source not in ComplaintSource.values:
        raise invalid({"source": _("Unknown source.")}, code="invalid")
    if subject not in ComplaintSubject.values:
        raise invalid({"subject": _("Choose what the complaint is about.")}, code="invalid")
    if source == ComplaintSource.STAFF:
        require_admin(by)
    elif source == ComplaintSource.CLIENT:
        if by is None or not getattr(by, "client_id", None):
            raise invalid(_("Only a client user may complain through the portal."), code="not_client")
    else:
        by = None
    if email := (complainant_email or "").strip():
        complainant_email = email
    elif not (complainant_phone or "").strip() and source == ComplaintSource.PUBLIC:
        raise invalid({"complainant_email": _("Give an e-mail address or a phone number to answer you.")}, "required")
    if certificate is None and certificate_number_given:
        certificate = find_certificate(certificate_number_given)
    if certificate is not None and client is None:
        client = certificate.client
    ComplaintPolicy.objects.ensure()
    rules = ComplaintPolicy.objects.select_for_update().get(key=1)  # serialises the references
    received = today()
    complaint = Complaint(
        reference=next_reference(Complaint, "CP", received.year),
        ack_number=new_ack_number(),
        source=source,
        subject=subject,
        complainant_name=text(complainant_name, "complainant_name", _("Give your name.")),
        complainant_organisation=complainant_organisation.strip(),
        complainant_email=complainant_email,
        complainant_phone=(complainant_phone or "").strip(),
        submitted_by=by if source == ComplaintSource.CLIENT else None,
        organisation_named=organisation_named.strip(),
        certificate_number_given=(certificate_number_given or "").strip(),
        client=client,
        certificate=certificate,
        summary=text(summary, "summary", _("Summarise the complaint.")),
        description=text(description, "description", _("Describe the complaint.")),
        received_on=received,
        acknowledge_due_on=due(received, rules.acknowledge_days),
        answer_due_on=due(received, rules.complaint_days),
        created_by=by,
    )
    complaint.save()
    COMPLAINT_MACHINE.record_creation(complaint, by=by)
    return complaint


def _move(
    complaint: Complaint, action: str, by: Any, note: str = "", on_locked: Any = None, **changes: Any
) -> Complaint:
    locked, _event = COMPLAINT_MACHINE.move(complaint, action, by=by, note=note, changes=changes, on_locked=on_locked)
    return locked


@transaction.atomic
def complaint_acknowledge(*, complaint: Complaint, by: Any, note: str = "") -> Complaint:
    return _move(complaint, ComplaintAction.ACKNOWLEDGE, by, note)


@transaction.atomic
def complaint_validate(
    *,
    complaint: Complaint,
    by: Any,
    note: str,
    client: Client | None = None,
    certificate: Certificate | None = None,
) -> Complaint:
    """It is a complaint about our certification activity or a certified client (9.8.1): the
    administrator may confirm the client and certificate concerned."""
    note = text(note, "note", _("Say why the complaint is valid."))
    certificate = certificate or complaint.certificate
    client = client or (certificate.client if certificate is not None else complaint.client)
    if certificate is not None and client is not None and certificate.client_id != client.pk:
        raise invalid({"certificate": _("The certificate is of another client.")}, code="wrong_client")
    return _move(
        complaint,
        ComplaintAction.VALIDATE,
        by,
        note,
        validation_note=note,
        client=client,
        certificate=certificate,
    )


@transaction.atomic
def complaint_reject(*, complaint: Complaint, by: Any, note: str) -> Complaint:
    note = text(note, "note", _("Say why it is not a complaint about our certification activity."))
    return _move(complaint, ComplaintAction.REJECT, by, note, validation_note=note)


@transaction.atomic
def complaint_assign(*, complaint: Complaint, investigator: Any, by: Any) -> Complaint:
    """Assign the investigator: a member of staff not involved in the subject (independence)."""
    require_admin(by)
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.status not in (ComplaintStatus.ACKNOWLEDGED, ComplaintStatus.VALIDATED, ComplaintStatus.INVESTIGATION):
        raise invalid(
            _("An investigator is assigned once the complaint is acknowledged and before it is decided."),
            code="wrong_status",
        )
    if investigator is None or getattr(investigator, "client_id", None) or not investigator.is_active:
        raise invalid({"investigator": _("Choose an active member of the CB's staff.")}, code="invalid")
    handler_check(record=locked, user=investigator)
    locked.investigator = investigator
    locked.version += 1
    locked.save(update_fields=["investigator", "version"])
    complaint.refresh_from_db()
    return locked


@transaction.atomic
def complaint_investigate(*, complaint: Complaint, by: Any) -> Complaint:
    return _move(complaint, ComplaintAction.INVESTIGATE, by)


@transaction.atomic
def complaint_decide(
    *,
    complaint: Complaint,
    by: Any,
    findings: str,
    outcome: str,
    decision_text: str,
    misuse_action: str = "",
    misuse_action_note: str = "",
) -> Complaint:
    """The investigator's findings and decision (9.8.4); independence is checked again."""
    findings = text(findings, "findings", _("Record the investigation's findings."))
    decision_text = text(decision_text, "decision_text", _("Record the decision."))
    if outcome not in ComplaintOutcome.values:
        raise invalid({"outcome": _("Choose the outcome.")}, code="invalid")
    if misuse_action and misuse_action not in MisuseAction.values:
        raise invalid({"misuse_action": _("Unknown action.")}, code="invalid")

    def independent(locked: Complaint) -> None:
        handler_check(record=locked, user=by)

    return _move(
        complaint,
        ComplaintAction.DECIDE,
        by,
        decision_text,
        on_locked=independent,
        findings=findings,
        outcome=outcome,
        decision_text=decision_text,
        misuse_action=misuse_action,
        misuse_action_note=misuse_action_note.strip(),
    )


@transaction.atomic
def complaint_answer(*, complaint: Complaint, by: Any, answer_text: str) -> Complaint:
    """The complainant is told the outcome (9.8.6, 9.8.7)."""
    answer_text = text(answer_text, "answer_text", _("Write the answer sent to the complainant."))
    return _move(complaint, ComplaintAction.ANSWER, by, answer_text, answer_text=answer_text, answered_on=today())


@transaction.atomic
def complaint_close(*, complaint: Complaint, by: Any, note: str = "") -> Complaint:
    return _move(complaint, ComplaintAction.CLOSE, by, note, closed_on=today())
