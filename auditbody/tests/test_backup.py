"""Backups and recovery: ``make backup`` / ``make restore`` (auditbody/backups.py).

The round trip runs the real commands in processes of their own against a database that is not
the test suite's (SQLite: a file in a temporary folder; PostgreSQL, in CI's second step: the
database ``backup_check``): records with issued PDFs are made, backed up, the database dropped
and the media deleted, the backup restored; then every stored PDF matches its SHA-256, the
downloads give the same bytes and the main pages open."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from auditbody.backups import MANIFEST, BackupError, read_manifest, stored_pdf_problems

BASE = Path(settings.BASE_DIR)
BACKUP_DATABASE = "backup_check"  # never the suite's own database


def _run(args, env):
    done = subprocess.run(args, cwd=BASE, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _result(output):
    return json.loads(next(line for line in output.splitlines() if line.startswith("RESULT "))[7:])


def _manage(*args, env):
    return _run([sys.executable, "manage.py", *map(str, args)], env)


def _engines():
    """The suite's own engine: the SQLite round trip in `make test`, PostgreSQL's in
    `make test-postgres` (CI runs both)."""
    return ["postgresql"] if connection.vendor == "postgresql" else ["sqlite"]


def _postgres_env():
    s = connection.settings_dict
    env = dict(os.environ)
    env.update(
        {"PGHOST": s["HOST"] or "127.0.0.1", "PGPORT": str(s["PORT"] or 5432), "PGUSER": s["USER"] or "postgres"}
    )
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return env


@pytest.mark.parametrize("engine", _engines())
def test_backup_drop_restore_keeps_every_issued_pdf_and_the_pages_open(engine, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "auditbody.settings",
        "DEBUG": "1",
        "ALLOWED_HOSTS": "testserver",
        "CELERY_BROKER_URL": "",  # renders run in the process that asks
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    if engine == "postgresql":
        pg = _postgres_env()
        s = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{pg['PGUSER']}@{pg['PGHOST']}:{pg['PGPORT']}/{BACKUP_DATABASE}"
        if s.get("PASSWORD"):
            env["PGPASSWORD"] = s["PASSWORD"]
        _run(["dropdb", "--if-exists", BACKUP_DATABASE], pg)
        _run(["createdb", BACKUP_DATABASE], pg)
    else:
        database = tmp_path / "backup_check.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{database}"
    try:
        _manage("migrate", "--noinput", "-v", "0", env=env)
        made = _result(_run([sys.executable, "-m", "auditbody.tests.backup_scenario", "build"], env))
        assert len(made["report_versions"]) == 2 and len(made["certificate_versions"]) == 1

        output = _manage("backup", "--to", tmp_path / "backups", env=env)
        folder = Path(output.strip().rsplit(" ", 1)[-1])
        assert folder.parent == tmp_path / "backups"
        manifest = json.loads((folder / MANIFEST).read_text())
        assert manifest["engine"] == engine and manifest["stored_pdfs"] == 3 and manifest["stored_pdf_problems"] == []

        # The disaster: the database and the files are gone.
        if engine == "postgresql":
            _run(["dropdb", BACKUP_DATABASE], pg)
        else:
            database.unlink()
        shutil.rmtree(tmp_path / "media")

        assert "every stored PDF matches" in _manage("restore", folder, "--yes", env=env)
        checked = _result(
            _run([sys.executable, "-m", "auditbody.tests.backup_scenario", "check", json.dumps(made)], env)
        )
        assert checked["problems"] == []
        assert checked["restored"] == {
            "report_versions": made["report_versions"],
            "certificate_versions": made["certificate_versions"],
        }
        assert {page: status for page, status in checked["pages"].items() if status != 200} == {}
        recorded = {f"report {pk}": sha for pk, sha in made["report_versions"].items()} | {
            f"certificate {pk}": sha for pk, sha in made["certificate_versions"].items()
        }
        assert checked["downloads"] == recorded
        assert "3 stored PDFs match" in _manage("check_stored_pdfs", env=env)
    finally:
        if engine == "postgresql":
            subprocess.run(["dropdb", "--if-exists", BACKUP_DATABASE], env=pg, capture_output=True, check=False)


def test_restore_wants_a_yes_and_refuses_a_damaged_backup(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path))
    with pytest.raises(CommandError, match="no backup folder"):
        call_command("restore", str(tmp_path), "--yes")
    (tmp_path / "media.tar.gz").write_bytes(b"not the archive that was written")
    (tmp_path / MANIFEST).write_text(json.dumps({"engine": "sqlite", "files": {"media.tar.gz": "0" * 64}}))
    with pytest.raises(BackupError, match="damaged"):
        read_manifest(tmp_path)


@pytest.mark.django_db
def test_a_stored_pdf_whose_file_changed_or_vanished_is_reported(settings, tmp_path, monkeypatch):
    from reports.models import ReportVersion
    from reports.tests.version_factories import approved_setup, fake_render_pdf
    from reports.versions import services as version_services

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("core.pdf.render_pdf", fake_render_pdf)
    setup = approved_setup()
    version_services.render_now(report=setup.report, by=setup.leader_user)
    version_services.render_now(report=setup.report, by=setup.leader_user)
    assert list(stored_pdf_problems()) == []
    first, second = ReportVersion.objects.order_by("pk")
    Path(first.file.path).write_bytes(b"%PDF-1.7 altered")
    Path(second.file.path).unlink()
    problems = list(stored_pdf_problems())
    assert len(problems) == 2
    assert "does not match its SHA-256" in problems[0] and "is missing" in problems[1]
