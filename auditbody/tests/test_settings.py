"""The production profile and the environment variables."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_profile_passes_check_deploy_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x" * 20 + "-production-secret-key-with-enough-entropy-0987654321",
        ALLOWED_HOSTS="audit.example.cn",
        CACHE_URL="redis://127.0.0.1:6379/1",
        TRUSTED_PROXY_COUNT="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


_PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-production-secret-key-with-enough-entropy-0987654321",
    "ALLOWED_HOSTS": "audit.example.cn",
}


def test_production_refuses_to_start_without_a_shared_cache():
    result = _manage("check", CACHE_URL="", TRUSTED_PROXY_COUNT="1", **_PRODUCTION)
    assert result.returncode != 0
    assert "core.E001" in result.stderr


def test_production_wsgi_application_refuses_to_load_without_a_shared_cache():
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    environment.update(_PRODUCTION, CACHE_URL="", TRUSTED_PROXY_COUNT="1")
    result = subprocess.run(
        [sys.executable, "-c", "import auditbody.wsgi"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "core.E001" in result.stderr


def test_production_warns_of_a_tls_proxy_with_no_trusted_proxy_count():
    result = _manage("check", "--deploy", CACHE_URL="redis://127.0.0.1:6379/1", TRUSTED_PROXY_COUNT="0", **_PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "core.W001" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="audit.example.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_database_url_selects_postgresql():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection; print(connection.vendor)",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
    )
    assert result.stdout.strip() == "postgresql", result.stderr


def test_postgresql_connections_persist_with_health_checks():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
    )
    assert result.stdout.split() == ["600", "True"], result.stderr


def test_default_database_is_sqlite_and_celery_is_eager():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection; from django.conf import settings; "
        "print(connection.vendor, settings.CELERY_TASK_ALWAYS_EAGER, settings.TIME_ZONE, settings.LANGUAGE_CODE)",
    )
    assert result.stdout.split() == ["sqlite", "True", "Asia/Shanghai", "zh-hans"], result.stderr
