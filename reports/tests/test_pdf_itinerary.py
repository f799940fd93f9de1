"""Attachment 1 of the report PDF prints the audit plan's itinerary as the plan holds it: every
day of the audit with times, the opening and closing meetings by their name in the report's
language, and each clause once with its standard's letter (Q 5.1, S 5.1). Read with pdftotext."""

import pytest

from audits import services as audit_services
from audits.models import AuditStatus, TeamRole
from clients.tests.factories import DepartmentFactory, ResponsibilityFactory
from core.access import Role
from reports import services
from reports.tests.factories import AuditFactory, CertificationBodyFactory, member, shipped_standard
from reports.tests.version_factories import UserFactory, pdftotext, squash
from reports.versions.render import load_report, render_report
from standards.models import Clause

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned():
    """An integrated ISO 9001 + ISO 45001 audit over two days (2030-03-04 and 05), its itinerary
    pre-filled from a matrix where both standards' 5.1 (and 45001's 5.4) are assigned."""
    CertificationBodyFactory()
    audit = AuditFactory(
        standards=[shipped_standard("ISO 9001"), shipped_standard("ISO 45001")], status=AuditStatus.IN_PROGRESS
    )
    leader = member(audit, role=TeamRole.LEADER)
    management = DepartmentFactory(client=audit.client, name_zh="管理层", name_en="Top management", order=1)
    office = DepartmentFactory(client=audit.client, name_zh="综合部", name_en="General Affairs", order=2)
    for standard, number, department in (
        ("ISO 9001", "5.1", management),
        ("ISO 45001", "5.1", management),
        ("ISO 45001", "5.4", office),
        ("ISO 9001", "7.5", office),
    ):
        clause = Clause.objects.get(standard__code=standard, number=number)
        ResponsibilityFactory(department=department, clause=clause)
    audit_services.itinerary_prefill_from_matrix(audit=audit, by=UserFactory(role=Role.CB_ADMIN))
    return services.report_start(audit=audit, by=leader.profile.user)


def attachment_one(report, language):
    result = render_report(
        report=load_report(report.pk), language=language, number="T-Q-2030-0001", draft=True, version_label="v"
    )
    text = squash(pdftotext(result.result.pdf))  # cells read whole, without the line breaks
    first = text.index("首次会议" if language == "zh-hans" else "Openingmeeting")
    start = text.rindex("附件1" if language == "zh-hans" else "Attachment1", 0, first)
    end = text.index("附件2" if language == "zh-hans" else "Attachment2", start)
    return text[start:end]


def test_attachment_one_prints_both_days_with_times_and_the_meetings(planned):
    text = attachment_one(planned, "zh-hans")
    assert "2030年3月4日" in text and "2030年3月5日" in text
    assert "08:30–09:00" in text and "16:30–17:00" in text
    assert text.index("2030年3月4日") < text.index("首次会议") < text.index("2030年3月5日") < text.index("末次会议")
    assert "首次会议" in text and "末次会议" in text
    assert "管理层" in text and "综合部" in text


def test_attachment_one_prefixes_each_clause_with_its_standard_and_lists_it_once(planned):
    text = attachment_one(planned, "zh-hans")
    assert text.count("Q5.1") == text.count("S5.1") == text.count("S5.4") == text.count("Q7.5") == 1
    assert text.count("5.1") == 2


def test_the_english_attachment_names_the_meetings_in_english(planned):
    text = attachment_one(planned, "en")
    assert "Openingmeeting" in text and "Closingmeeting" in text
    assert "首次会议" not in text
