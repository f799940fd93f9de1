"""Who may open the certification pages (see auditbody/tests/access_table.py).

Staff pages (certification/urls.py): the committee and the CB administrator work the dashboard,
reviews and decisions; the approval needs the permission ``certification.approve_decision``
(granted here to the requesting user, so every staff role holding it gets the page); team
leaders answer review issues; every staff role reads certificates (auditors: of clients they
audit). Object-level refusals are tested in test_views_access.py. The public register
(access_rows_public.py) and the certificate PDFs (access_rows_versions.py) add their rows.
"""

from core.access import Role
from core.testing import STAFF, Page

from .access_rows_public import PUBLIC_PAGES

ADMIN = frozenset({Role.CB_ADMIN})
COMMITTEE = frozenset({Role.COMMITTEE})
ADMIN_AND_COMMITTEE = frozenset({Role.CB_ADMIN, Role.COMMITTEE})
AUDITING = frozenset({Role.AUDITOR, Role.TEAM_LEADER})


def _audit(user):
    from audits.tests.factories import audit_for

    return {"audit_pk": audit_for(user).pk}


def _ready_audit(user):
    """An audit whose report is approved (the review can be opened: 302 back to the page)."""
    from audits.models import AuditStatus
    from audits.tests.factories import AuditFactory

    return {"audit_pk": AuditFactory(status=AuditStatus.APPROVED).pk}


def _review(user):
    from certification.tests.factories import TechnicalReviewFactory

    return {"pk": TechnicalReviewFactory().pk}


def _passed_review(user):
    from certification.models import ReviewStatus
    from certification.tests.factories import TechnicalReviewFactory

    return {"review_pk": TechnicalReviewFactory(status=ReviewStatus.PASSED).pk}


def _issue(user):
    """An issue on the review of an audit the user may see (leaders and auditors: their own)."""
    from audits.tests.factories import audit_for
    from certification.models import ReviewIssue
    from certification.tests.factories import TechnicalReviewFactory, committee_user

    audit = audit_for(user)
    review = TechnicalReviewFactory(audit=audit)
    issue = ReviewIssue.objects.create(review=review, text="审核时间的偏差请说明。", raised_by=committee_user())
    return {"pk": issue.pk}


def _flag(user):
    from certification.tests.factories import CommitteeFlagFactory

    return {"pk": CommitteeFlagFactory().pk}


def _flag_for_decision(user):
    from certification.tests.factories import CommitteeFlagFactory

    return {"flag_pk": CommitteeFlagFactory().pk}


def _certificate_for_decision(user):
    from certification.tests.factories import CertificateFactory

    return {"certificate_pk": CertificateFactory().pk}


def _certificate(user):
    """A certificate the user may see: auditors and leaders lead the certified client's audit."""
    from certification.tests.factories import certified_client

    leads = user is not None and user.role in (Role.AUDITOR, Role.TEAM_LEADER)
    return {"pk": certified_client(leader=user if leads else None).certificate.pk}


def _decision(user):
    from certification.tests.factories import DecisionFactory

    return {"pk": DecisionFactory().pk}


def _decision_for_approver(user):
    """A decision awaiting approval; the requesting user is given the approval permission."""
    from django.contrib.auth.models import Permission

    from certification.models import DecisionStatus
    from certification.tests.factories import DecisionFactory

    if user is not None:
        user.user_permissions.add(
            Permission.objects.get(codename="approve_decision", content_type__app_label="certification")
        )
    return {"pk": DecisionFactory(status=DecisionStatus.AWAITING_APPROVAL).pk}


STAFF_PAGES = [
    Page("certification:dashboard", ADMIN_AND_COMMITTEE),
    Page("certification:flag_resolve", ADMIN_AND_COMMITTEE, kwargs=_flag, method="post", ok_status=302),
    Page("certification:review", STAFF, kwargs=_audit),
    Page("certification:review_open", ADMIN, kwargs=_ready_audit, method="post", ok_status=302),
    Page("certification:review_assign", ADMIN, kwargs=_review, method="post"),  # empty form: shown again
    Page("certification:review_checklist", COMMITTEE, kwargs=_review, method="post", ok_status=302),
    Page("certification:issue_raise", COMMITTEE, kwargs=_review, method="post"),
    Page("certification:review_conclude", COMMITTEE, kwargs=_review, method="post"),
    Page("certification:issue_respond", AUDITING, kwargs=_issue, method="post", ok_status=302),
    Page("certification:issue_resolve", COMMITTEE, kwargs=_issue, method="post", ok_status=302),
    Page("certification:decision_open_review", ADMIN_AND_COMMITTEE, kwargs=_passed_review),
    Page("certification:decision_open_certificate", ADMIN_AND_COMMITTEE, kwargs=_certificate_for_decision),
    Page("certification:decision_open_flag", ADMIN_AND_COMMITTEE, kwargs=_flag_for_decision),
    Page("certification:decision", ADMIN_AND_COMMITTEE, kwargs=_decision),
    Page("certification:decision_pdfs_panel", ADMIN_AND_COMMITTEE, kwargs=_decision),
    Page("certification:decision_evaluate", COMMITTEE, kwargs=_decision, method="post"),
    Page("certification:decision_approve", STAFF, kwargs=_decision_for_approver, method="post"),
    Page("certification:decision_remarks", COMMITTEE, kwargs=_decision, method="post", ok_status=302),
    Page("certification:certificate_list", STAFF),
    Page("certification:certificate_list_choices", STAFF, kwargs=lambda user: {"field": "client"}),
    Page("certification:certificate", STAFF, kwargs=_certificate),
]

PAGES = STAFF_PAGES + PUBLIC_PAGES

# Certificate PDFs (render, issue, download, client portal): access_rows_versions.py
from .access_rows_versions import VERSION_PAGES  # noqa: E402

PAGES += VERSION_PAGES
