import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
BASE_DIR = Path(settings.BASE_DIR)


def test_chinese_is_the_default_language(client):
    response = client.get(reverse("login"))
    assert response.headers["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()
    assert '<html lang="zh-CN">' in response.content.decode()


def test_language_switcher_changes_the_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    response = client.get(reverse("login"))
    assert response.headers["Content-Language"] == "en"
    assert "Log in" in response.content.decode()


def _po_files():
    return sorted(p for p in BASE_DIR.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))


def test_every_catalogue_is_complete():
    """No untranslated or fuzzy message in any zh-hans catalogue."""
    assert _po_files(), "no zh_Hans catalogues found"
    for po in _po_files():
        result = subprocess.run(
            ["msgfmt", "--statistics", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, f"{po}: {result.stderr}"
