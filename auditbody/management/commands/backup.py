"""``manage.py backup [--to DIR]`` (``make backup``): the database and the media files into a
timestamped folder (auditbody/backups.py; README "Backups and recovery")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from auditbody.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and MEDIA_ROOT into a timestamped folder (default: BACKUP_DIR or ./backups)."

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, help="the folder that receives the timestamped backup folder")

    def handle(self, *args, **options):
        try:
            folder = backup(options["to"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
