"""Test data of the regulator reporting: a certified client with every field the sheets need."""

import datetime
from decimal import Decimal

from certification.tests.factories import certified_client
from clients.models import SiteKind
from clients.tests.factories import SiteFactory
from regulator.fields import digest
from regulator.models import (
    AuditorIdentity,
    AuditRegistration,
    CertificateRegistration,
    ClientRegistration,
    ProgrammeContract,
    RegulatorSettings,
)

VALID_CREDIT_CODE = "91350100M000100Y43"  # GB 32100 example with a correct check character


def cb_settings():
    settings = RegulatorSettings.objects.current()
    settings.approval_number = "CNCA-R-2002-069"
    settings.branch_code = "00"
    settings.save()
    return settings


def complete_client(client, *, credit_code=VALID_CREDIT_CODE):
    client.legal_representative = client.legal_representative or "张三"
    client.postal_code = "100029"
    client.phone = "010-51095332"
    client.contact_name = client.contact_name or "王五"
    client.contact_phone = client.contact_phone or "13800000000"
    client.save()
    if not client.sites.filter(kind=SiteKind.REGISTERED).exists():
        SiteFactory(client=client, kind=SiteKind.REGISTERED, address_zh="北京市海淀区测试路1号")
    ClientRegistration.objects.update_or_create(
        client=client,
        defaults={
            "credit_code": credit_code,
            "industry_code": "65",
            "division_code": "110108",
            "organisation_type": "04",
            "registered_capital": Decimal("500"),
            "total_staff": 15,
            "covered_staff": 15,
        },
    )
    return client


def identify(profile, number="110101199003071234"):
    return AuditorIdentity.objects.update_or_create(
        profile=profile, defaults={"id_type": "01", "id_number": number, "id_digest": digest(number)}
    )[0]


def reportable(*, issued_on, credit_code=VALID_CREDIT_CODE, **kwargs):
    """A certified client (certification.tests.factories.certified_client) with its regulator data."""
    cb_settings()
    cast = certified_client(issued_on=issued_on, **kwargs)
    complete_client(cast.client, credit_code=credit_code)
    for n, assignment in enumerate(cast.audit.team.all()):
        identify(assignment.profile, f"11010119900307{1000 + n}")
    AuditRegistration.objects.update_or_create(
        audit=cast.audit, defaults={"plan_number": f"R006900{cast.audit.pk:05d}", "actual_days": Decimal("2")}
    )
    for certificate in cast.client.certificates.all():
        CertificateRegistration.objects.update_or_create(
            certificate=certificate,
            defaults={"item_code": "A01", "cnas_codes": "33.02.01", "accreditation_mark": "01", "risk_level": "03"},
        )
    ProgrammeContract.objects.update_or_create(
        programme=cast.programme, defaults={"number": "HT-2026-001", "amount": Decimal("12000")}
    )
    return cast


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)
