import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Rule messages are asserted in their English source wording (pages still follow the
    request's language through LocaleMiddleware)."""
    with translation.override("en"):
        yield
