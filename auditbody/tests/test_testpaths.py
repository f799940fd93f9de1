"""Every app's tests are collected by the README's test command: a tests folder outside
pytest.ini's testpaths is silently never run (the people and portal tests once were not)."""

import configparser
from pathlib import Path

from django.conf import settings


def test_every_tests_folder_is_in_testpaths():
    base = Path(settings.BASE_DIR)
    config = configparser.ConfigParser()
    config.read(base / "pytest.ini")
    testpaths = set(config["pytest"]["testpaths"].split())
    folders = {path.parent.parent.name for path in base.glob("*/tests/__init__.py")}
    folders |= {path.parent.name for path in base.glob("e2e/__init__.py")}
    assert folders - testpaths == set()
