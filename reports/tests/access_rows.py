"""Who may open the report pages (see auditbody/tests/access_table.py).

Each user gets a report it is entitled to (``report_for``): auditors and leaders are on its
team (as leader for the leader's pages), client users get an approved report of their own
organisation. Object-level refusals (another audit, a draft for a client) are tested in
test_report_access.py.
"""

from core.access import Role
from core.testing import ALL_ROLES, STAFF, Page

AUDITING = frozenset({Role.AUDITOR, Role.TEAM_LEADER})
AUDITING_AND_ADMIN = frozenset({Role.CB_ADMIN, Role.AUDITOR, Role.TEAM_LEADER})


def _report(user):
    from reports.tests.factories import report_for

    return {"pk": report_for(user).pk}


def _led_report(user):
    from reports.tests.factories import report_for

    return {"pk": report_for(user, lead=True).pk}


def _approved_report(user):
    from reports.tests.factories import report_for

    return {"pk": report_for(user, approved=True).pk}


def _audit_without_report(user):
    """An audit in progress whose report nobody has started yet, auditors and leaders on its team:
    the page offers the start button and, being a GET, changes nothing (test_get_changes_nothing)."""
    from audits.models import AuditStatus, TeamRole
    from reports.tests.factories import (
        AuditFactory,
        CertificationBodyFactory,
        ensure_shipped_standards,
        member,
        shipped_standard,
    )

    ensure_shipped_standards()
    CertificationBodyFactory()
    audit = AuditFactory(status=AuditStatus.IN_PROGRESS, standards=[shipped_standard("ISO 9001")])
    on_team = user is not None and user.role in (Role.AUDITOR, Role.TEAM_LEADER)
    member(audit, role=TeamRole.LEADER, user=user if on_team else None)
    return {"audit_pk": audit.pk}


def _topic(user):
    from reports.tests.factories import report_for

    return {"pk": report_for(user, lead=True).topics.first().pk}


def _finding(user):
    from reports.tests.factories import add_findings, report_for

    report = report_for(user)

    class Setup:
        audit = report.audit
        auditor_user = None

    finding = add_findings(Setup, 1, with_nc_every=0)[0]
    return {"pk": report.pk, "finding_pk": finding.pk}


def _evidence(user):
    from findings.models import Finding
    from reports.tests.factories import evidence_file

    finding = Finding.objects.get(pk=_finding(user)["finding_pk"])
    return {"pk": evidence_file(finding).pk}


PAGES = [
    Page("reports:list", STAFF),
    Page("reports:for_audit", AUDITING_AND_ADMIN, kwargs=_audit_without_report),
    Page("reports:editor", AUDITING_AND_ADMIN, kwargs=_report),
    Page("reports:choices", AUDITING, kwargs=_report),
    Page("reports:completion", AUDITING_AND_ADMIN, kwargs=_report),
    Page("reports:preview", ALL_ROLES, kwargs=_approved_report),
    Page("reports:submit", AUDITING, kwargs=_report, method="post", ok_status=302),
    Page("reports:return", AUDITING, kwargs=_led_report),
    Page("reports:approve", AUDITING, kwargs=_led_report, method="post", ok_status=302),
    Page("reports:reopen", AUDITING, kwargs=_led_report),
    Page("reports:topic_save", AUDITING, kwargs=_topic, method="post", ok_status=302),
    Page("reports:topic_assign", AUDITING, kwargs=_topic, method="post", ok_status=302),
    Page("reports:finding_add", AUDITING, kwargs=_report),
    Page("reports:finding_edit", AUDITING, kwargs=_finding),
    Page("reports:nc_raise", AUDITING, kwargs=_finding),
    Page("reports:evidence_download", STAFF, kwargs=_evidence),
]

# Report PDFs (render, issue, versions, download): access_rows_versions.py
from .access_rows_versions import VERSION_PAGES  # noqa: E402

PAGES += VERSION_PAGES
