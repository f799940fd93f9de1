"""Builders for the invoice tests: a signed agreement through the services (the quotation of the
factories' price list: application 500, stage 1+2, certificate 800, surveillance 300, travel 1000)."""

import datetime

from clients.tests.factories import technical_area
from findings.tests.factories import pdf_file

from .. import services
from ..models import Contract, InvoiceSettings, PriceList
from . import factories as f


def signed_contract(*, client=None, admin=None, standards=None) -> Contract:
    admin = admin or f.admin_user()
    if client is not None:
        application = services.application_save(
            by=admin,
            client=client,
            fields={
                "kind": "additional",
                "headcount": 40,
                "language": "zh",
                "contact_name": "张三",
                "contact_phone": "010-1",
            },
            standards=[services.StandardRow(standard=f.iso9001(), scope_zh="软件开发", scope_en="Software")],
            sites=[
                services.SiteRow(kind="registered", address_zh="北京市海淀区测试路9号", is_central=True, headcount=40)
            ],
            technical_areas=[technical_area("33.02.01")],
        )
    else:
        application = f.draft(by=admin, standards=standards)
    application = f.accepted(application, admin=admin)
    if not PriceList.objects.exists():
        f.price_list()
    quotation = services.quotation_issue(application=application, by=admin)
    services.quotation_respond(quotation=quotation, accept=True, by=admin)
    contract = services.contract_issue(application=application, by=admin)
    contract = services.contract_upload_signed(contract=contract, file=pdf_file("signed.pdf"), by=admin)
    return services.contract_sign(contract=contract, by=admin, version=contract.version)


def invoice_settings(**values) -> InvoiceSettings:
    row = InvoiceSettings.objects.ensure()
    for key, value in values.items():
        setattr(row, key, value)
    row.save()
    return row


def days_ago(n: int) -> datetime.date:
    from core.dates import local_today

    return local_today() - datetime.timedelta(days=n)
