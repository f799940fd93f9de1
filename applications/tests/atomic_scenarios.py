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
