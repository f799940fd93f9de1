"""Who may open the NC pages (collected by auditbody/tests/access_table.py). Each user gets an NC it
is entitled to see (the object-level rules are tested in test_nc_*.py and clients' test_portal)."""

from audits.tests.factories import audit_for
from core.access import Role
from core.testing import ALL_ROLES, STAFF, Page
from findings.models import NonconformityEvidence, NonconformityResponse
from findings.tests.factories import make_nc, pdf_file

ADMIN = frozenset({Role.CB_ADMIN})
AUDITING = frozenset({Role.AUDITOR, Role.TEAM_LEADER})


def nc_for(user):
    return make_nc(audit_for(user))


def _nc(user):
    return {"pk": nc_for(user).pk}


def _evidence(user):
    nc = nc_for(user)
    response = NonconformityResponse.objects.create(
        nc=nc, round=1, correction="a", root_cause="b", corrective_action="c"
    )
    evidence = NonconformityEvidence(response=response, original_name="e.pdf", size=10, content_type="application/pdf")
    evidence.file.save("e.pdf", pdf_file(), save=False)
    evidence.save()
    return {"pk": evidence.pk}


PAGES = [
    Page("findings:nc_register", STAFF),
    Page("findings:nc_register_choices", STAFF, kwargs=lambda user: {"field": "client"}),
    Page("findings:nc_detail", STAFF, kwargs=_nc),
    Page("findings:nc_verify", AUDITING, kwargs=_nc, method="post", ok_status=302),
    Page("findings:nc_closure", AUDITING, kwargs=_nc, method="post", ok_status=302),
    Page("findings:nc_evidence", ALL_ROLES, kwargs=_evidence),
    Page("findings:nc_due_rules", ADMIN),
]
