"""Demo data of the regulator reporting: the CB's approval number, the registration facts of every
demo client with certificates (中食互联 and the integrated client: credit codes with a correct
GB 32100 check character, industry class, division, organisation type, staff), the ID documents
of the demo auditors (illustrative numbers, encrypted at rest), the certificates' item codes and
the programmes' contracts. The dashboard then shows the month due and what it would report.

Idempotent: each row is brought to these values, saved only when something differs.
"""

from decimal import Decimal

from audits.models import Audit
from certification.models import Certificate
from clients.demo import SEED_CLIENT, sync
from clients.models import Client

from . import rules
from .fields import digest
from .models import (
    AuditorIdentity,
    AuditRegistration,
    CertificateRegistration,
    ClientRegistration,
    ProgrammeContract,
    RegulatorSettings,
)

APPROVAL_NUMBER = "CNCA-R-2002-069"  # illustrative
ITEM_CODES = {"QMS": "A01", "EMS": "A02", "OHSMS": "A03"}


def _credit_code(first17: str) -> str:
    return first17 + rules.credit_code_check_char(first17)


def seed(stdout):
    settings = RegulatorSettings.objects.current()
    if settings.approval_number != APPROVAL_NUMBER:
        settings.approval_number = APPROVAL_NUMBER
        settings.save()
    clients = list(Client.objects.filter(certificates__isnull=False).distinct().order_by("pk"))
    for n, client in enumerate(clients):
        seed_client = client.name_zh == SEED_CLIENT["name_zh"]
        sync(
            ClientRegistration,
            {"client": client},
            {
                "credit_code": _credit_code("91110108MA01C" + f"{n:04d}"),
                "industry_code": "65" if seed_client else "34",
                "division_code": "110108" if seed_client else "110105",
                "organisation_type": "04",
                "registered_capital": Decimal("500.00"),
                "total_staff": client.headcount,
                "covered_staff": client.headcount,
            },
        )
    for certificate in Certificate.objects.select_related("standard").order_by("pk"):
        sync(
            CertificateRegistration,
            {"certificate": certificate},
            {
                "item_code": ITEM_CODES.get(certificate.standard.family, "A01"),
                "cnas_codes": certificate.technical_codes.replace(",", "；").replace(" ", ""),
                "accreditation_mark": "01",
                "risk_level": "03",
            },
        )
    for index, programme_id in enumerate(
        Certificate.objects.order_by("programme_id").values_list("programme_id", flat=True).distinct()
    ):
        sync(
            ProgrammeContract,
            {"programme_id": programme_id},
            {"number": f"HT-DEMO-{index + 1:03d}", "amount": Decimal("12000.00")},
        )
    profiles = {}
    for audit in Audit.objects.filter(imported=False).prefetch_related("team__profile").order_by("pk"):
        for assignment in audit.team.all():
            profiles[assignment.profile.pk] = assignment.profile
        sync(AuditRegistration, {"audit": audit}, {"plan_number": f"R0069{settings.branch_code}{audit.pk:05d}"})
    for profile in profiles.values():
        number = f"11010119800101{profile.pk:04d}"  # illustrative, not a real person's
        identity = AuditorIdentity.objects.filter(profile=profile).first()
        if identity is None or identity.id_number != number:
            identity = identity or AuditorIdentity(profile=profile)
            identity.id_type = "01"
            identity.id_number = number
            identity.id_digest = digest(number)
            identity.save()
    stdout.write(
        f"  regulator: {len(clients)} client registrations, {len(profiles)} auditor ID documents, approval number "
        f"{APPROVAL_NUMBER}"
    )
