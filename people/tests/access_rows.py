"""Who may open the auditor-profile pages (see auditbody/tests/access_table.py)."""

from core.access import Role
from core.testing import STAFF, Page


def _profile(user):
    from people.tests.factories import AuditorProfileFactory

    return {"pk": AuditorProfileFactory().pk}


PAGES = [
    Page("people:auditor_list", STAFF),
    Page("people:auditor_create", frozenset({Role.CB_ADMIN})),
    Page("people:auditor_edit", frozenset({Role.CB_ADMIN}), kwargs=_profile),
]
