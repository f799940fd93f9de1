from pathlib import Path

from django.core.management.base import BaseCommand

from standards.importer import area_data_from_db, dump_technical_areas
from standards.models import TechnicalArea


class Command(BaseCommand):
    help = "Write every technical-area code (sectors and national codes) as a data file."

    def add_arguments(self, parser):
        parser.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
        parser.add_argument(
            "--format", choices=("yaml", "json"), default=None, help="default: from --out's extension, else yaml"
        )

    def handle(self, *args, out, format, **options):
        fmt = format or ("json" if out and out.lower().endswith(".json") else "yaml")
        areas = list(TechnicalArea.objects.all())
        text = dump_technical_areas(area_data_from_db(areas), fmt)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stderr.write(f"wrote {len(areas)} technical-area codes to {out}")
        else:
            self.stdout.write(text, ending="")
