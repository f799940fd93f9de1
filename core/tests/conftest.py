import pytest

from .lifecycle_models import Ticket, TicketEvent


@pytest.fixture(scope="session")
def lifecycle_tables(_test_only_tables):
    """The throwaway record type's tables (created for every test process by the project's
    conftest, since importing this module registers the models everywhere)."""
    return Ticket, TicketEvent
