"""Who may open the client portal's pages (see auditbody/tests/access_table.py): client users
only. Each gets an audit / NC of its own organisation."""

from core.access import Role
from core.testing import Page

CLIENT = frozenset({Role.CLIENT})


def _audit(user):
    from audits.tests.factories import audit_for

    return {"pk": audit_for(user).pk}


def _nc(user):
    from findings.tests.access_rows import nc_for

    return {"pk": nc_for(user).pk}


def _concern(user):
    from audits.models import AuditType
    from audits.tests.factories import audit_for
    from stage1.models import AreaOfConcern

    audit = audit_for(user, audit_type=AuditType.STAGE_1, purpose="stage1")
    from accounts.tests.factories import UserFactory

    author = UserFactory(role=Role.TEAM_LEADER)
    return {"pk": AreaOfConcern.objects.create(audit=audit, text="关注事项", created_by=author).pk}


PAGES = [
    Page("clients:portal_home", CLIENT),
    Page("clients:portal_audits", CLIENT),
    Page("clients:portal_audit", CLIENT, kwargs=_audit),
    Page("clients:portal_ncs", CLIENT),
    Page("clients:portal_nc", CLIENT, kwargs=_nc),
    Page("clients:portal_reports", CLIENT),
    Page("clients:portal_concerns", CLIENT),
    Page("clients:portal_concern", CLIENT, kwargs=_concern),
    Page("certification:portal_certificates", CLIENT),  # "My certificates" (portal/certificate_urls.py)
]
