"""Who may open the client pages (see auditbody/tests/access_table.py).

The client detail page and document downloads are open to every role at page level; the
object-level rule (a client user reaches its own organisation only) is applied through
``restrict`` and tested in test_client_access.py. Here a client user gets its own client.
"""

from core.access import Role
from core.testing import ALL_ROLES, STAFF, Page

ADMIN = frozenset({Role.CB_ADMIN})


def _client(user):
    from clients.tests.factories import ClientFactory

    if user is not None and user.role == Role.CLIENT:
        return {"pk": user.client_id}
    return {"pk": ClientFactory().pk}


def _document(user):
    from clients.tests.factories import ClientDocumentFactory

    if user is not None and user.role == Role.CLIENT:
        return {"pk": ClientDocumentFactory(client=user.client).pk}
    return {"pk": ClientDocumentFactory().pk}


PAGES = [
    Page("clients:list", STAFF),
    Page("clients:create", ADMIN),
    Page("clients:mine", frozenset({Role.CLIENT}), ok_status=302),
    Page("clients:detail", ALL_ROLES, kwargs=_client),
    Page("clients:edit", ADMIN, kwargs=_client),
    Page("clients:document_upload", ADMIN, kwargs=_client),
    Page("clients:matrix", STAFF, kwargs=_client),
    Page("clients:matrix_edit", ADMIN, kwargs=_client),
    Page("clients:document_download", ALL_ROLES, kwargs=_document),
    Page("clients:document_delete", ADMIN, kwargs=_document, method="post", ok_status=302),
]
