"""The audit team table (the audit page, part 一 of the report PDF) shows each auditor's
registration per audited management system: CCAA registers an auditor separately for QMS, EMS
and OHSMS, so an integrated audit prints "QMS: …; EMS: …; OHSMS: …", not one number."""

import pytest

from audits import services as audit_services
from audits.models import AuditStatus, AuditType, TeamRole
from audits.tests.factories import qualified_profile
from core.access import Role
from people.tests.factories import QualificationFactory
from reports import services
from reports.tests.factories import AuditFactory, CertificationBodyFactory, shipped_standard
from reports.tests.version_factories import UserFactory, pdftotext, squash
from reports.versions.render import load_report, render_report

pytestmark = pytest.mark.django_db

NUMBERS = {"QMS": "2019-N1QMS-1234567", "EMS": "2019-N1EMS-1234568", "OHSMS": "2019-N1OHSMS-1234569"}


@pytest.fixture
def integrated():
    """An ISO 9001 + 14001 + 45001 audit whose leader holds a lead-auditor qualification in each
    family, each with its own registration (the profile's own number is the QMS one)."""
    CertificationBodyFactory()
    audit = AuditFactory(
        standards=[shipped_standard("ISO 9001"), shipped_standard("ISO 14001"), shipped_standard("ISO 45001")],
        status=AuditStatus.PLANNED,
        audit_type=AuditType.SURVEILLANCE_1,  # no stage 1 to wait for
        purpose="surveillance",
    )
    profile = qualified_profile(families=(), codes=(), registration_number=NUMBERS["QMS"])
    for family, number in NUMBERS.items():
        QualificationFactory(profile=profile, family=family, level="lead_auditor", registration_number=number)
    admin = UserFactory(role=Role.CB_ADMIN)
    assignment, _warnings = audit_services.team_assignment_add(
        audit=audit, profile=profile, role=TeamRole.LEADER, by=admin
    )
    return audit, assignment, admin


def test_the_team_snapshot_holds_one_registration_per_audited_system(integrated):
    _audit, assignment, _admin = integrated
    assert assignment.registration_number == (
        "QMS: 2019-N1QMS-1234567; EMS: 2019-N1EMS-1234568; OHSMS: 2019-N1OHSMS-1234569"
    )


def test_the_audit_page_team_table_shows_each_systems_registration(integrated, client):
    audit, _assignment, admin = integrated
    client.force_login(admin)
    page = client.get(f"/audits/{audit.pk}/").content.decode()
    for family, number in NUMBERS.items():
        assert f"{family}: {number}" in page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_part_one_of_the_pdf_prints_each_systems_registration(integrated, language):
    audit, assignment, admin = integrated
    audit_services.audit_start(audit=audit, by=admin)
    report = services.report_start(audit=audit, by=assignment.profile.user)
    result = render_report(
        report=load_report(report.pk), language=language, number="T-QES-2030-0001", draft=True, version_label="v"
    )
    text = squash(pdftotext(result.result.pdf))
    for family, number in NUMBERS.items():
        assert f"{family}:{number}" in text
