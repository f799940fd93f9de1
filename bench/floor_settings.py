"""The project's settings with the floor page added to its URLs (bench/floor.py); nothing else
differs, so the floor and the pages are served alike."""

from auditbody.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor"
