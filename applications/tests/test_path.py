"""The core path end to end through the services: draft → submitted → review → quotation →
contract → programme and stage 1 audit carrying the application's data."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audits.models import AuditType
from clients.tests.factories import ClientFactory, ClientScopeFactory, SiteFactory
from audits import services as audit_services

from .. import services
from ..models import ApplicationEvent, ApplicationStatus, ContractStatus, QuotationStatus
from . import factories as f

pytestmark = pytest.mark.django_db


def test_draft_saves_incomplete_and_submit_says_what_is_missing():
    admin = f.admin_user()
    application = f.draft(by=admin, complete=False)
    assert application.status == ApplicationStatus.DRAFT
    assert application.reference.startswith("SQ")
    with pytest.raises(ValidationError) as exc:
        services.application_move(application=application, action="submit", by=admin)
    message = " ".join(exc.value.messages)
    assert "headcount" in message and "standard" in message and "site" in message
    assert exc.value.code == "incomplete"


def test_full_path_creates_client_programme_and_stage_1():
    admin = f.admin_user()
    f.price_list()
    application = f.draft(
        by=admin,
        standards=[(f.iso9001(), ""), (f.iso14001(), "medium")],
        preferred_from=datetime.date(2027, 3, 1),
        integrated=True,
    )
    application = f.accepted(application, admin=admin)
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.review.cycle["days"]["stage_1"]
    quotation = services.quotation_issue(application=application, by=admin)
    assert quotation.total > 0 and quotation.lines
    applicant = application.created_by
    client_user = f.UserFactory(role="client")
    with pytest.raises(PermissionDenied):  # another organisation's user
        services.quotation_respond(quotation=quotation, accept=True, by=client_user)
    # The application is a new organisation's (no client yet): the CB's administrator entered it,
    # so the CB records the acceptance by uploading the signed copy.
    assert applicant == admin
    quotation.status = QuotationStatus.ACCEPTED  # accepted on paper, as the demo does through its own path
    quotation.save()
    contract = services.contract_issue(application=application, by=admin)
    assert contract.number.startswith("HT")
    with pytest.raises(ValidationError) as exc:
        services.contract_sign(contract=contract, by=admin)
    assert exc.value.code == "not_accepted"
    from clients.tests.factories import _pdf_bytes
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.contract_upload_signed(
        contract=contract, file=SimpleUploadedFile("signed.pdf", _pdf_bytes(), "application/pdf"), by=admin
    )
    contract.refresh_from_db()
    contract = services.contract_sign(contract=contract, by=admin, version=contract.version)
    assert contract.status == ContractStatus.SIGNED
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONTRACTED
    client = application.client
    assert client.name_zh == "申请测试有限公司" and client.headcount == 40
    assert {s.standard.code for s in client.scopes.all()} == {"ISO 9001", "ISO 14001"}
    assert list(client.technical_areas.values_list("code", flat=True)) == ["33.02.01"]
    programme = contract.programme
    assert {s.code for s in programme.standards.all()} == {"ISO 9001", "ISO 14001"}
    audit = contract.stage_1_audit
    assert audit.audit_type == AuditType.STAGE_1 and audit.programme == programme
    assert audit.start_date == datetime.date(2027, 3, 1)
    assert {s.standard.code: s.complexity for s in audit.audit_standards.all()} == {"ISO 9001": "", "ISO 14001": "medium"}
    assert audit.planned_man_days == Decimal(application.review.cycle["days"]["stage_1"])
    assert ApplicationEvent.objects.filter(application=application).count() == 6
