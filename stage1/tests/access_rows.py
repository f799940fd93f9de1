"""Who may open the stage 1 pages (see auditbody/tests/access_table.py). Objects are made the
requesting user's own (its team's audit, its organisation's audit); the object-level rules are
tested in test_pages.py."""

from core.access import Role
from core.testing import ALL_ROLES, Page

TEAM_AND_ADMIN = frozenset({Role.CB_ADMIN, Role.AUDITOR, Role.TEAM_LEADER})
CLIENT = frozenset({Role.CLIENT})


def _audit(user):
    from stage1.tests.factories import stage1_audit

    return {"pk": stage1_audit(user).pk}


def _version(user):
    from accounts.tests.factories import UserFactory
    from stage1.tests.factories import stage1_audit, upload

    audit = stage1_audit(user)
    return {"pk": upload(audit, UserFactory(role=Role.CB_ADMIN)).pk}


def _review(user):
    from accounts.tests.factories import UserFactory
    from stage1.models import DocumentReview
    from stage1.tests.factories import stage1_audit, upload

    admin = UserFactory(role=Role.CB_ADMIN)
    version = upload(stage1_audit(user), admin)
    return {"pk": DocumentReview.objects.create(version=version, requested_by=admin).pk}


def _proposal(user):
    from stage1.models import ReviewProposal

    review = _review(user)["pk"]
    return {
        "pk": ReviewProposal.objects.create(
            review_id=review, position=0, kind="title_deviation", template="x", params={}, evidence=[], key="k"
        ).pk
    }


def _concern(user):
    from accounts.tests.factories import UserFactory
    from stage1.models import AreaOfConcern
    from stage1.tests.factories import stage1_audit

    audit = stage1_audit(user)
    return {"pk": AreaOfConcern.objects.create(audit=audit, text="x", created_by=UserFactory(role=Role.CB_ADMIN)).pk}


PAGES = [
    Page("stage1:audit", ALL_ROLES, kwargs=_audit),
    Page("stage1:concern_add", TEAM_AND_ADMIN, kwargs=_audit, method="post", ok_status=302),
    Page("stage1:version_download", ALL_ROLES, kwargs=_version),
    Page("stage1:review_request", TEAM_AND_ADMIN, kwargs=_version, method="post", ok_status=302),
    Page("stage1:review", TEAM_AND_ADMIN, kwargs=_review),
    Page("stage1:proposal_decide", TEAM_AND_ADMIN, kwargs=_proposal, method="post", ok_status=302),
    Page("stage1:concern_answer", CLIENT, kwargs=_concern, method="post", ok_status=302),
]
