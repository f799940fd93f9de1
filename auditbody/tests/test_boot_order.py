"""Booting does not depend on the order of our apps in INSTALLED_APPS: no app needs another one
to be loaded first at import time (the layers order is for import-linter and the reader).

Each order boots a fresh interpreter, with settings that are the project's but for that order."""

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR).resolve()
VENV = Path(sys.prefix).resolve()


def _our_apps() -> list[str]:
    """Our INSTALLED_APPS entries, as written in settings (Django's own admin excluded, although
    accounts configures it)."""
    ours = []
    for entry in settings.INSTALLED_APPS:
        config = next(
            c for c in apps.get_app_configs() if entry in (c.name, f"{type(c).__module__}.{type(c).__qualname__}")
        )
        path = Path(config.path).resolve()
        # Ours: in the project, not in a virtualenv the project folder may hold (.venv).
        if path.is_relative_to(BASE_DIR) and not path.is_relative_to(VENV) and config.label != "admin":
            ours.append(entry)
    return ours


OURS = _our_apps()
SHUFFLED = list(OURS)
random.Random(17021).shuffle(SHUFFLED)
ORDERS = {"reversed": list(reversed(OURS)), "shuffled": SHUFFLED}


def _run(tmp_path, order, *args):
    module = "boot_order_settings"
    (tmp_path / f"{module}.py").write_text(
        "from auditbody.settings import *  # noqa: F403\n\n"
        f"OURS = {OURS!r}\n"
        f"INSTALLED_APPS = [a for a in INSTALLED_APPS if a not in OURS] + {order!r}  # noqa: F405\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(DJANGO_SETTINGS_MODULE=module, PYTHONPATH=os.pathsep.join([str(tmp_path), str(BASE_DIR)]))
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=180)


def test_the_orders_tried_differ_from_the_settings_and_each_other():
    assert len(OURS) >= 10 and OURS[0] == "core" and OURS[-1] == "auditbody.apps.AuditbodyConfig"
    assert len({tuple(OURS), *(tuple(order) for order in ORDERS.values())}) == 3


@pytest.mark.parametrize("name", ORDERS)
def test_the_project_boots_and_passes_its_checks_with_our_apps_in_another_order(tmp_path, name):
    order = ORDERS[name]
    setup = _run(
        tmp_path,
        order,
        "-c",
        "import django; django.setup(); from django.apps import apps; "
        "print(' '.join(c.name for c in apps.get_app_configs()))",
    )
    assert setup.returncode == 0, setup.stderr
    loaded = setup.stdout.split()
    assert [name for name in loaded if name in {entry.split(".apps.")[0] for entry in order}] == [
        entry.split(".apps.")[0] for entry in order
    ], "the subprocess did not load the order under test"

    check = _run(tmp_path, order, "manage.py", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "System check identified no issues" in check.stdout
