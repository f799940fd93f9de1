"""Who may open the application pages (collected by auditbody/tests/access_table.py). A client
user gets an application of its own organisation; the object-level rules (another
organisation's application is 404) are tested in test_views.py."""

from core.access import Role
from core.testing import PUBLIC, STAFF, Page

ADMIN = frozenset({Role.CB_ADMIN})
CLIENT = frozenset({Role.CLIENT})
ADMIN_OR_CLIENT = frozenset({Role.CB_ADMIN, Role.CLIENT})
STAFF_OR_CLIENT = STAFF | CLIENT


def _application(user):
    from . import factories as f

    by = user if user is not None and user.role == Role.CLIENT else None
    return f.draft(by=by) if by else f.draft()


def _pk(user):
    return {"pk": _application(user).pk}


def _quotation(user):
    from .. import services
    from . import factories as f

    admin = f.admin_user()
    application = f.accepted(_application(user), admin=admin)
    f.price_list()
    return services.quotation_issue(application=application, by=admin)


def _contract(user):
    from .. import services
    from . import factories as f

    quotation = _quotation(user)
    admin = f.admin_user()
    services.quotation_respond(quotation=quotation, accept=True, by=admin)
    from findings.tests.factories import pdf_file

    contract = services.contract_issue(application=quotation.application, by=admin)
    return services.contract_upload_signed(contract=contract, file=pdf_file("signed.pdf"), by=admin)


def _transfer_pk(user):
    from . import factories as f

    return {"pk": f.transfer_under_review().pk}


def _change(user):
    from certification.tests.factories import certified_client

    from .. import services
    from . import factories as f

    client = user.client if user is not None and user.role == Role.CLIENT and user.client_id else None
    certified = certified_client(client=client) if client is not None else certified_client()
    return services.change_report(
        client=certified.client, kind="name", fields={"name_zh": "更名后有限公司"}, by=f.admin_user()
    )


def _signed(user):
    from .invoicing import signed_contract

    client = user.client if user is not None and user.role == Role.CLIENT else None
    return signed_contract(client=client)


def _invoice(user):
    from .. import services
    from . import factories as f

    contract = _signed(user)
    return services.invoice_issue(contract=contract, milestone="application", by=f.admin_user())


PAGES = [
    Page("applications:list", STAFF),
    Page("applications:new", ADMIN_OR_CLIENT),
    Page("applications:portal_index", CLIENT),
    Page("applications:detail", STAFF_OR_CLIENT, kwargs=_pk),
    Page("applications:edit", ADMIN_OR_CLIENT, kwargs=_pk),
    Page("applications:act", ADMIN_OR_CLIENT, kwargs=_pk, method="post", ok_status=302),
    Page("applications:attach", ADMIN_OR_CLIENT, kwargs=_pk, method="post", ok_status=302),
    Page("applications:review", STAFF, kwargs=_pk),
    Page("applications:quote", ADMIN, kwargs=_pk, method="post", ok_status=302),
    Page("applications:contract_issue", ADMIN, kwargs=_pk, method="post", ok_status=302),
    Page(
        "applications:quotation_respond",
        ADMIN_OR_CLIENT,
        kwargs=lambda user: {"pk": _quotation(user).pk},
        method="post",
        ok_status=302,
    ),
    Page("applications:quotation_pdf", STAFF_OR_CLIENT, kwargs=lambda user: {"pk": _quotation(user).pk}),
    Page(
        "applications:contract_act",
        ADMIN_OR_CLIENT,
        kwargs=lambda user: {"pk": _contract(user).pk},
        method="post",
        ok_status=302,
    ),
    Page("applications:contract_copy_download", STAFF_OR_CLIENT, kwargs=lambda user: {"pk": _contract(user).pk}),
    Page("applications:transfer_review", STAFF, kwargs=_transfer_pk),
    Page("applications:transfer_proceed", ADMIN, kwargs=_transfer_pk, method="post", ok_status=302),
    Page("applications:transfer_decision", ADMIN, kwargs=_transfer_pk, method="post", ok_status=302),
    Page("applications:change_list", STAFF),
    Page("applications:change_portal", CLIENT),
    Page("applications:change_new", ADMIN_OR_CLIENT),
    Page("applications:change_detail", STAFF_OR_CLIENT, kwargs=lambda user: {"pk": _change(user).pk}),
    Page(
        "applications:change_act",
        ADMIN,
        kwargs=lambda user: {"pk": _change(user).pk},
        method="post",
        ok_status=302,
    ),
    Page("applications:contract_invoices", STAFF_OR_CLIENT, kwargs=lambda user: {"pk": _signed(user).pk}),
    Page(
        "applications:invoice_issue",
        ADMIN,
        kwargs=lambda user: {"pk": _signed(user).pk},
        method="post",
        ok_status=302,
    ),
    Page("applications:invoice_list", STAFF),
    Page("applications:portal_invoices", CLIENT),
    Page(
        "applications:invoice_act",
        ADMIN,
        kwargs=lambda user: {"pk": _invoice(user).pk},
        method="post",
        ok_status=302,
    ),
    Page("applications:register", PUBLIC),
    # A made-up token: the page says the link is not valid.
    Page("applications:registration_confirm", PUBLIC, kwargs=lambda user: {"token": "not-a-token"}),
]
