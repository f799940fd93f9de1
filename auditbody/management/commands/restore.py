"""``manage.py restore FOLDER --yes`` (``make restore BACKUP=FOLDER``): the database and the media
files of a backup folder put back, then every stored PDF checked against its SHA-256
(auditbody/backups.py; README "Backups and recovery")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from auditbody.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup folder (from `manage.py backup`) into the configured database and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--yes", action="store_true", help="replace the configured database's content (required)")

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("restore replaces the configured database's content: say so with --yes.")
        try:
            problems = restore(options["folder"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if problems:
            raise CommandError("Restored, but stored PDFs do not match their SHA-256:\n" + "\n".join(problems))
        self.stdout.write(self.style.SUCCESS(f"Restored {options['folder']}; every stored PDF matches its SHA-256."))
