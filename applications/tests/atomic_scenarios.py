"""The applications app's actions, each in a realistic case, for the all-or-nothing test
(``auditbody/tests/test_services_atomic.py``, machinery in ``core/tests/atomicity.py``)."""

from core.tests.atomicity import leaves_files, scenarios, single_write
from findings.tests.factories import pdf_file

from .. import services
from . import factories as f

READS: dict[str, str] = {
    "application_cycle": "the audit days of the cycle (a calculation, no write)",
    "code_coverage": "how many auditors cover each code (a read)",
    "prices_of": "the price list as plain data (a read)",
    "require_reviewer": "raises when the user may not review (a read)",
    "reviewer_refusal": "why a user may not review (a read)",
    "transfer_assess": "what MD 2's rules say of the facts recorded (a read)",
    "transfer_case": "the facts of a pre-transfer review as plain data (a read)",
    "limits": "the CB's transfer settings as plain data (a read)",
    "contract_milestones": "the agreement's amount per milestone (a calculation, no write)",
    "certificate_fee_hold": "why a grant's certificates are withheld (a read, certification's registry)",
    "normalised_credit_code": "a credit code without spaces, upper-cased (no write)",
    "confirmation_token": "a signed token (no write)",
    "confirmation_mail_send": "sends a mail after the commit (no row)",
}
NOT_ATOMIC: dict[str, str] = {}
ATOMIC_BLOCK: dict[str, str] = {}
HELPER_MODULES: dict[str, str] = {}


def scenario_application_save():
    admin = f.admin_user()
    f.iso9001()
    return lambda: f.draft(by=admin)


def scenario_application_move():
    admin = f.admin_user()
    application = f.draft(by=admin)
    return lambda: services.application_move(application=application, action="submit", by=admin)


@leaves_files("the file is stored before the attachment's row; nothing removes it when a later write fails")
def scenario_attachment_add():
    admin = f.admin_user()
    application = f.draft(by=admin)
    return lambda: services.attachment_add(
        application=application, title="营业执照", file=pdf_file("licence.pdf"), by=admin
    )


@single_write("the review row exists since the review started: saving the checklist updates it")
def scenario_review_save():
    application = f.under_review()
    rev = f.reviewer()
    return lambda: services.review_save(application=application, points=f.ALL_OK, by=rev)


def scenario_review_conclude():
    application = f.under_review()
    rev = f.reviewer()
    services.review_save(application=application, points=f.ALL_OK, by=rev)
    return lambda: services.review_conclude(application=application, result="accept", conditions="", by=rev)


def _accepted():
    admin = f.admin_user()
    f.price_list()
    return f.accepted(admin=admin), admin


def scenario_quotation_issue():
    application, admin = _accepted()
    return lambda: services.quotation_issue(application=application, by=admin)


def scenario_quotation_respond():
    application, admin = _accepted()
    quotation = services.quotation_issue(application=application, by=admin)
    return lambda: services.quotation_respond(quotation=quotation, accept=True, by=admin)


def _contract():
    application, admin = _accepted()
    quotation = services.quotation_issue(application=application, by=admin)
    services.quotation_respond(quotation=quotation, accept=True, by=admin)
    return application, admin


def scenario_contract_issue():
    application, admin = _contract()
    return lambda: services.contract_issue(application=application, by=admin)


def scenario_contract_client_accept():
    from accounts.tests.factories import UserFactory
    from clients.tests.factories import ClientFactory

    client = ClientFactory()
    user = UserFactory(role="client", client=client)
    admin = f.admin_user()
    f.price_list()
    application = f.accepted(f.draft(by=user), admin=admin)
    quotation = services.quotation_issue(application=application, by=admin)
    services.quotation_respond(quotation=quotation, accept=True, by=user)
    contract = services.contract_issue(application=application, by=admin)
    return lambda: services.contract_client_accept(contract=contract, by=user)


@leaves_files("the signed copy is stored before the row is saved; nothing removes it when a later write fails")
def scenario_contract_upload_signed():
    application, admin = _contract()
    contract = services.contract_issue(application=application, by=admin)
    return lambda: services.contract_upload_signed(contract=contract, file=pdf_file("signed.pdf"), by=admin)


def scenario_contract_sign():
    application, admin = _contract()
    contract = services.contract_issue(application=application, by=admin)
    contract = services.contract_upload_signed(contract=contract, file=pdf_file("signed.pdf"), by=admin)
    return lambda: services.contract_sign(contract=contract, by=admin)


def _transfer_reviewed(**facts):
    admin = f.admin_user()
    application = f.transfer_under_review(admin=admin)
    rev = f.reviewer()
    services.transfer_review_save(
        application=application, facts=f.transfer_facts(**facts), points=f.TRANSFER_OK, by=rev
    )
    return application, admin, rev


@single_write("the pre-transfer review row exists after the first save: saving again updates it")
def scenario_transfer_review_save():
    application, _admin, rev = _transfer_reviewed()
    return lambda: services.transfer_review_save(
        application=application, facts={"open_minor_ncs": 2}, points=f.TRANSFER_OK, by=rev
    )


def scenario_transfer_review_conclude():
    application, _admin, rev = _transfer_reviewed()
    return lambda: services.transfer_review_conclude(application=application, reasons="", by=rev)


def scenario_transfer_proceed():
    application, admin, rev = _transfer_reviewed()
    services.transfer_review_conclude(application=application, reasons="", by=rev)
    return lambda: services.transfer_proceed(application=application, by=admin)


def transfer_audited():
    """A transfer whose transfer audit waits for its decision (the audit's review passed)."""
    from audits.models import Audit, AuditStatus
    from certification.models import ReviewStatus
    from certification.tests.factories import TechnicalReviewFactory

    application, admin, rev = _transfer_reviewed(open_major_ncs=1)
    services.transfer_review_conclude(application=application, reasons="", by=rev)
    review = services.transfer_proceed(application=application, by=admin)
    Audit.objects.filter(pk=review.audit_id).update(status=AuditStatus.TECHNICAL_REVIEW)
    TechnicalReviewFactory(audit=review.audit, status=ReviewStatus.PASSED, conclusion_remark="符合")
    return application, admin


def scenario_transfer_decision_open():
    application, admin = transfer_audited()
    return lambda: services.transfer_decision_open(application=application, by=admin)


def _certified_change(kind="address", **fields):
    from certification.tests.factories import certified_client
    from clients.models import SiteKind
    from clients.tests.factories import SiteFactory

    certified = certified_client()
    SiteFactory(client=certified.client, kind=SiteKind.REGISTERED, address_zh="北京市海淀区旧路1号")
    admin = f.admin_user()
    change = services.change_report(
        client=certified.client, kind=kind, fields=fields or {"address_zh": "北京市朝阳区新路8号"}, by=admin
    )
    return change, admin


def scenario_change_report():
    from certification.tests.factories import certified_client

    certified = certified_client()
    admin = f.admin_user()
    return lambda: services.change_report(
        client=certified.client, kind="name", fields={"name_zh": "新名称有限公司"}, by=admin
    )


def scenario_change_approve():
    change, admin = _certified_change()
    return lambda: services.change_approve(change=change, by=admin)


def scenario_change_reject():
    change, admin = _certified_change()
    return lambda: services.change_reject(change=change, by=admin, note="材料不全")


def _signed():
    from .invoicing import signed_contract

    admin = f.admin_user()
    return signed_contract(admin=admin), admin


def scenario_invoice_issue():
    contract, admin = _signed()
    return lambda: services.invoice_issue(contract=contract, milestone="application", by=admin)


def scenario_invoice_mark_paid():
    contract, admin = _signed()
    invoice = services.invoice_issue(contract=contract, milestone="certificate", by=admin)
    return lambda: services.invoice_mark_paid(invoice=invoice, by=admin)


def scenario_invoice_cancel():
    contract, admin = _signed()
    invoice = services.invoice_issue(contract=contract, milestone="application", by=admin)
    return lambda: services.invoice_cancel(invoice=invoice, by=admin, reason="金额有误")


def _register_kwargs():
    from core.identifiers import credit_code_check_char

    return {
        "name_zh": "原子注册有限公司",
        "name_en": "",
        "credit_code": "91110108MA01A0001" + credit_code_check_char("91110108MA01A0001"),
        "contact_name": "原子",
        "email": "atomic@reg.example",
        "phone": "010-1",
        "password": "Atomic-2026-secure!",
    }


def scenario_organisation_register():
    return lambda: services.organisation_register(**_register_kwargs())


@single_write("confirming sets the confirmation time of one registration")
def scenario_registration_confirm():
    from ..services.registration import confirmation_token

    registration = services.organisation_register(**_register_kwargs())
    token = confirmation_token(registration)
    return lambda: services.registration_confirm(token=token)


SCENARIOS = scenarios(globals())
