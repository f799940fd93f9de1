"""A database still locked after the busy timeout answers "try again" (503), through the whole
middleware stack (core.middleware.DatabaseBusyMiddleware)."""

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_a_locked_database_during_a_request_answers_503(client, settings):
    from django.urls import path

    import auditbody.urls
    from core.access import PUBLIC, access

    @access(PUBLIC)
    def locked(request):
        raise OperationalError("database is locked")

    class Urls:
        urlpatterns = [*auditbody.urls.urlpatterns, path("locked/", locked)]

    settings.ROOT_URLCONF = Urls
    assert client.post("/locked/").status_code == 503
