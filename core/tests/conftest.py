import pytest
from django.db import connection

from .lifecycle_models import Ticket, TicketEvent


@pytest.fixture(scope="session")
def lifecycle_tables(django_db_setup, django_db_blocker):
    """The throwaway record type's tables, created once per test database, after the migrations
    (its events point at the user table)."""
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(Ticket)
        editor.create_model(TicketEvent)
