import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded files go to a temporary folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (source strings); pages get English through the cookie."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def en_client(client, settings):
    """Django's test client, asking for English pages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
