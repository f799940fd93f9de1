"""Who may open the auditor-profile pages (see auditbody/tests/access_table.py)."""

from auditbody.tests.access_table import STAFF, Page
from core.access import Role


def _profile(user):
    from accounts.tests.factories import AuditorProfileFactory

    return {"pk": AuditorProfileFactory().pk}


PAGES = [
    Page("accounts:auditor_list", STAFF),
    Page("accounts:auditor_create", frozenset({Role.CB_ADMIN})),
    Page("accounts:auditor_edit", frozenset({Role.CB_ADMIN}), kwargs=_profile),
]
