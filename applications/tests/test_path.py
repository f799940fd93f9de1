"""The core path end to end through the services: draft → submitted → review → quotation →
contract → programme and stage 1 audit carrying the application's data."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from audits.models import AuditType
from clients.tests.factories import ClientFactory, ClientScopeFactory, SiteFactory
from clients.tests.factories import technical_area as _ta

from .. import services
from ..models import ApplicationEvent, ApplicationStatus, ContractStatus
from . import factories as f

pytestmark = pytest.mark.django_db


def test_draft_saves_incomplete_and_submit_says_what_is_missing():
    admin = f.admin_user()
    application = f.draft(by=admin, complete=False)
    assert application.status == ApplicationStatus.DRAFT
    assert application.reference.startswith("SQ")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
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
    services.quotation_respond(quotation=quotation, accept=True, by=admin, note="客户书面确认")  # answered on paper
    contract = services.contract_issue(application=application, by=admin)
    assert contract.number.startswith("HT")
    with pytest.raises(ValidationError) as exc:
        services.contract_sign(contract=contract, by=admin)
    assert exc.value.code == "not_accepted"
    from django.core.files.uploadedfile import SimpleUploadedFile

    from clients.tests.factories import _pdf_bytes

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
    assert {s.standard.code: s.complexity for s in audit.audit_standards.all()} == {
        "ISO 9001": "",
        "ISO 14001": "medium",
    }
    assert audit.planned_man_days == Decimal(application.review.cycle["days"]["stage_1"])
    assert ApplicationEvent.objects.filter(application=application).count() == 5


def test_existing_client_applies_in_the_portal_and_accepts_there():
    """An existing client applies for another standard: its data is prefilled, it accepts the
    quotation and the agreement in the portal, and signing joins its programme or creates one."""
    admin = f.admin_user()
    f.price_list()
    client = ClientFactory(name_zh="既有客户有限公司", headcount=25, contact_name="李四", contact_phone="010-1")
    SiteFactory(client=client, kind="registered", is_central=True)
    ClientScopeFactory(client=client, standard=f.iso9001())
    user = f.UserFactory(role="client", client=client)
    application = services.application_save(
        by=user,
        fields={"kind": "additional", "address_zh": "北京"},
        standards=[services.StandardRow(standard=f.iso14001(), scope_zh="软件开发", complexity="low")],
        sites=[services.SiteRow(kind="registered", address_zh="北京", is_central=True, headcount=25)],
        technical_areas=[_ta("33.02.01")],
    )
    assert application.client == client and application.name_zh == "既有客户有限公司" and application.headcount == 25
    other = f.UserFactory(role="client")
    with pytest.raises(PermissionDenied):
        services.application_move(application=application, action="submit", by=other)
    application = f.accepted(application, admin=admin)
    quotation = services.quotation_issue(application=application, by=admin)
    services.quotation_respond(quotation=quotation, accept=True, by=user)
    contract = services.contract_issue(application=application, by=admin)
    with pytest.raises(PermissionDenied):
        services.contract_client_accept(contract=contract, by=admin)  # the client's own act
    services.contract_client_accept(contract=contract, by=user)
    contract = services.contract_sign(contract=contract, by=admin)
    assert contract.client_accepted_by == user
    assert contract.programme.client == client
    assert set(client.scopes.values_list("standard__code", flat=True)) == {"ISO 9001", "ISO 14001"}
    assert contract.stage_1_audit.client == client


def test_staff_without_the_competence_cannot_conclude():
    admin = f.admin_user()
    application = f.under_review(admin=admin)
    no_permission = f.reviewer(permission=False)
    wrong_codes = f.reviewer(code="29")
    for user in (no_permission, wrong_codes, admin):
        with pytest.raises(PermissionDenied):
            services.review_save(application=application, points=f.ALL_OK, by=user)
        with pytest.raises(PermissionDenied):
            services.review_conclude(application=application, result="accept", conditions="", by=user)
    competent = f.reviewer(code="33")
    with pytest.raises(ValidationError):  # the checklist is not answered yet
        services.review_conclude(application=application, result="accept", conditions="", by=competent)
    services.review_save(application=application, points=f.ALL_OK, by=competent)
    review = services.review_conclude(
        application=application, result="decline", conditions="超出认可范围", by=competent
    )
    assert review.result == "decline" and review.reviewer == competent
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED


def test_attachments_are_checked_and_only_drafts_change():
    from findings.tests.factories import exe_file, pdf_file

    admin = f.admin_user()
    application = f.draft(by=admin)
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(application=application, title="执照", file=exe_file("licence.pdf"), by=admin)
    assert exc.value.code == "content_mismatch"
    attachment = services.attachment_add(application=application, title="执照", file=pdf_file("licence.pdf"), by=admin)
    assert attachment.content_type == "application/pdf"
    services.application_move(application=application, action="submit", by=admin)
    with pytest.raises(ValidationError) as exc:
        services.application_save(by=admin, application=application, fields={"notes": "改"})
    assert exc.value.code == "wrong_status"
    with pytest.raises(ValidationError):
        services.attachment_add(application=application, title="x", file=pdf_file("x.pdf"), by=admin)


def test_contract_numbers_follow_the_cb_pattern():
    from ..models import ContractSettings

    row = ContractSettings.objects.ensure()
    row.number_pattern = "RZHT-{yy}-{serial:03d}"
    row.save()
    admin = f.admin_user()
    f.price_list()
    numbers = []
    for _ in range(2):
        application = f.accepted(admin=admin)
        quotation = services.quotation_issue(application=application, by=admin)
        services.quotation_respond(quotation=quotation, accept=True, by=admin)
        numbers.append(services.contract_issue(application=application, by=admin).number)
    year = f"{datetime.date.today().year % 100:02d}"
    assert numbers == [f"RZHT-{year}-001", f"RZHT-{year}-002"]
    with pytest.raises(ValidationError):  # one agreement per application
        services.contract_issue(application=application, by=admin)
