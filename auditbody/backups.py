"""Backups and recovery (README "Backups and recovery"): the database and the media files, into
one timestamped folder, and back.

A backup folder ``<BACKUP_DIR>/<YYYYmmdd-HHMMSS>/`` holds:

* ``database.dump`` (PostgreSQL: ``pg_dump --format=custom`` of the configured database) or
  ``database.sqlite3`` (SQLite: a consistent copy through the sqlite3 backup API, safe while the
  application writes);
* ``media.tar.gz``: every file under MEDIA_ROOT (uploads, the issued PDFs);
* ``manifest.json``: when, which engine and database, the SHA-256 of both files, and how many
  stored PDFs there were and whether each matched its recorded SHA-256.

``restore`` puts both back: PostgreSQL through ``pg_restore --clean --if-exists`` into the
configured database (created if it was dropped), SQLite through the backup API onto the
configured file; the media archive is unpacked into MEDIA_ROOT. Then every stored PDF is
checked against the SHA-256 recorded in its row (``stored_pdf_problems``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone

from core.issued import IssuedPdf

DATABASE_DUMP = "database.dump"
DATABASE_SQLITE = "database.sqlite3"
MEDIA_ARCHIVE = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on (a tool failed, a folder is incomplete)."""


def backup_root() -> Path:
    return Path(getattr(settings, "BACKUP_DIR", None) or Path(settings.BASE_DIR) / "backups")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- the stored PDFs ---------------------------------------------------------------------------------


def stored_pdf_models() -> list[type[IssuedPdf]]:
    return [model for model in apps.get_models() if issubclass(model, IssuedPdf)]


def stored_pdf_problems() -> Iterator[str]:
    """Every stored PDF (reports, certificates; drafts and issues) whose file is missing or whose
    content no longer matches the SHA-256 recorded when it was stored."""
    for model in stored_pdf_models():
        for version in model._base_manager.order_by("pk").iterator():
            name = version.file.name
            try:
                with version.file.open("rb") as stream:
                    digest = hashlib.sha256(stream.read()).hexdigest()
            except (FileNotFoundError, OSError):
                yield f"{model._meta.label} {version.pk}: file {name} is missing"
                continue
            if digest != version.sha256:
                yield f"{model._meta.label} {version.pk}: file {name} does not match its SHA-256"


def stored_pdf_count() -> int:
    return sum(model._base_manager.count() for model in stored_pdf_models())


# --- the database ------------------------------------------------------------------------------------


def _database() -> dict[str, Any]:
    return dict(connections["default"].settings_dict)


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def _engine(db: dict[str, Any]) -> str:
    engine = db["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"No backup for the database engine {engine}.")


def _dump_database(db: dict[str, Any], folder: Path) -> Path:
    if _engine(db) == "postgresql":
        target = folder / DATABASE_DUMP
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), db["NAME"]], _pg_env(db))
        return target
    target = folder / DATABASE_SQLITE
    source = sqlite3.connect(str(db["NAME"]))
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)  # a consistent snapshot even while another process writes
    finally:
        copy.close()
        source.close()
    return target


def _restore_database(db: dict[str, Any], folder: Path) -> None:
    connections.close_all()
    if _engine(db) == "postgresql":
        dump = folder / DATABASE_DUMP
        if not dump.exists():
            raise BackupError(f"{dump} is missing (a PostgreSQL backup holds {DATABASE_DUMP}).")
        env = _pg_env(db)
        exists = subprocess.run(
            ["psql", "-d", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{db['NAME']}'"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if exists.returncode != 0:
            raise BackupError(f"psql failed: {exists.stderr.strip()}")
        if exists.stdout.strip() != "1":
            _run(["createdb", db["NAME"]], env)
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "-d", db["NAME"], str(dump)],
            env,
        )
        return
    copy = folder / DATABASE_SQLITE
    if not copy.exists():
        raise BackupError(f"{copy} is missing (an SQLite backup holds {DATABASE_SQLITE}).")
    Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(str(copy))
    target = sqlite3.connect(str(db["NAME"]))
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


# --- the media files ---------------------------------------------------------------------------------


def _archive_media(folder: Path) -> Path:
    target = folder / MEDIA_ARCHIVE
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target, "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    return target


def _unpack_media(folder: Path) -> None:
    archive_path = folder / MEDIA_ARCHIVE
    if not archive_path.exists():
        raise BackupError(f"{archive_path} is missing.")
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.name == "media" or m.name.startswith("media/")]
        staging = media.parent / f".restore-{timezone.now():%Y%m%d%H%M%S%f}"
        archive.extractall(staging, members=members, filter="data")  # no absolute paths, no links out
    try:
        unpacked = staging / "media"
        for source in unpacked.rglob("*"):
            if source.is_file():
                target = media / source.relative_to(unpacked)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --- the two commands' work --------------------------------------------------------------------------


def backup(to: Path | None = None) -> Path:
    """Write a backup folder under ``to`` (default: ``backup_root()``); returns the folder."""
    db = _database()
    engine = _engine(db)
    folder = (to or backup_root()) / timezone.now().strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=False)
    problems = list(stored_pdf_problems())
    database = _dump_database(db, folder)
    media = _archive_media(folder)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "database": str(db["NAME"]) if engine == "postgresql" else Path(db["NAME"]).name,
        "files": {path.name: file_sha256(path) for path in (database, media)},
        "stored_pdfs": stored_pdf_count(),
        "stored_pdf_problems": problems,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return folder


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} is no backup folder: {MANIFEST} is missing.")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for name, digest in manifest.get("files", {}).items():
        if not (folder / name).exists() or file_sha256(folder / name) != digest:
            raise BackupError(f"{folder / name} is missing or damaged (its SHA-256 differs from the manifest's).")
    return manifest


def restore(folder: Path) -> list[str]:
    """Restore ``folder`` into the configured database and MEDIA_ROOT; returns the stored PDFs'
    problems found afterwards (none when the backup was whole)."""
    manifest = read_manifest(folder)
    if manifest["engine"] != _engine(_database()):
        raise BackupError(
            f"The backup is of a {manifest['engine']} database; the configured one is {_engine(_database())}."
        )
    _restore_database(_database(), folder)
    _unpack_media(folder)
    return list(stored_pdf_problems())
