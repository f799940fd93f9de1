from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from standards import services
from standards.models import CatalogueImport


class Command(BaseCommand):
    help = (
        "Import technical-area codes (IAF sectors and national codes) from a data file. Codes are created "
        "or updated by code; codes not in the file are kept. A file with a problem imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="check and report the changes, write nothing")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            with transaction.atomic():
                result = services.technical_areas_import(
                    name=file, raw=path.read_bytes(), source=CatalogueImport.Source.COMMAND, by="manage.py"
                )
                if dry_run:
                    transaction.set_rollback(True)
        except ValidationError as exc:
            raise CommandError("nothing imported:\n  " + "\n  ".join(exc.messages)) from None
        self.stdout.write(("(dry run) " if dry_run else "") + result.summary())
