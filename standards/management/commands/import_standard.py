from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from standards import services
from standards.models import CatalogueImport


class Command(BaseCommand):
    help = (
        "Import standards from data files (YAML or JSON, the schema in the README). A standard already "
        "in the catalogue (same code and edition) is updated in place. All files are checked first: "
        "if one has a problem, nothing is imported and each problem is listed with its line."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="check and report the changes, write nothing")

    def handle(self, *args, files, dry_run, **options):
        payload = []
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file")
            payload.append((name, path.read_bytes()))
        try:
            with transaction.atomic():
                results = services.standard_import(files=payload, source=CatalogueImport.Source.COMMAND, by="manage.py")
                if dry_run:
                    transaction.set_rollback(True)
        except ValidationError as exc:
            raise CommandError("nothing imported:\n  " + "\n  ".join(exc.messages)) from None
        for result in results:
            self.stdout.write(("(dry run) " if dry_run else "") + result.summary())
