"""Who may open the regulator pages (see auditbody/tests/access_table.py): CB administrators only."""

from core.access import Role
from core.testing import Page

ADMIN = frozenset({Role.CB_ADMIN})


def _submission(user):
    from certification.tests.pdf_factories import cb_admin
    from regulator import services

    return {"pk": services.submission_export_certsearch(by=cb_admin(), draft=True).pk}


def _client(user):
    from clients.tests.factories import ClientFactory

    return {"kind": "client", "pk": ClientFactory().pk}


def _audit(user):
    from audits.tests.factories import AuditFactory

    return {"pk": AuditFactory().pk}


PAGES = [
    Page("regulator:dashboard", ADMIN),
    Page("regulator:export_month", ADMIN, method="post", ok_status=302),
    Page("regulator:export_plans", ADMIN, method="post", ok_status=302),
    Page("regulator:export_certsearch", ADMIN, method="post", ok_status=302),
    Page("regulator:submission_download", ADMIN, kwargs=_submission),
    Page("regulator:edit", ADMIN, kwargs=_client),
    Page("regulator:plan_number", ADMIN, kwargs=_audit, method="post", ok_status=302),
    Page("regulator:import", ADMIN),
    Page("regulator:import_auditors", ADMIN),
    Page("regulator:import_plans", ADMIN),
]
