import pytest
from django.utils import translation


@pytest.fixture
def english():
    """Messages in English, whatever the default language (zh-hans)."""
    with translation.override("en"):
        yield
