"""Who may open the report-PDF pages (reports/version_urls.py); merged into the reports app's
access rows (access_rows.py: ``PAGES += VERSION_PAGES``). Object-level refusals (drafts and other
clients' versions are 404 to client users) are tested in test_versions.py."""

from core.access import Role
from core.testing import ALL_ROLES, STAFF, Page

AUDITING = frozenset({Role.AUDITOR, Role.TEAM_LEADER})
AUDITING_AND_ADMIN = frozenset({Role.CB_ADMIN, Role.AUDITOR, Role.TEAM_LEADER})


def _approved_report(user):
    from reports.tests.factories import report_for

    return {"pk": report_for(user, approved=True).pk}


def _led_approved_report(user):
    from reports.tests.factories import report_for

    return {"pk": report_for(user, lead=True, approved=True).pk}


def _report(user):
    from reports.tests.factories import report_for

    return {"pk": report_for(user).pk}


def _issued_version(user):
    """An issued version of a report the user may see (client users: of their organisation)."""
    from django.core.files.base import ContentFile

    from reports.models import ReportVersion, VersionKind
    from reports.tests.factories import report_for

    report = report_for(user, approved=True)
    content = b"%PDF-1.7\n% access-table test\n"
    version = ReportVersion(
        report=report,
        kind=VersionKind.ISSUED,
        sequence=1,
        issue=1,
        language="zh-hans",
        report_number="CB-Q-2030-0001",
        report_status="approved",
        sha256="0" * 64,
        size=len(content),
        pages=1,
        data={},
        data_sha256="0" * 64,
    )
    version.file.save("access.pdf", ContentFile(content), save=False)
    version.save()
    return {"pk": version.pk}


VERSION_PAGES = [
    Page("reports:versions", STAFF, kwargs=_approved_report),
    Page("reports:versions_panel", STAFF, kwargs=_approved_report),
    Page("reports:render_draft", AUDITING_AND_ADMIN, kwargs=_report, method="post", ok_status=302),
    Page("reports:issue", AUDITING, kwargs=_led_approved_report, method="post", ok_status=302),
    Page("reports:issued_list", ALL_ROLES),
    Page("reports:version_download", ALL_ROLES, kwargs=_issued_version),
]
