from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from standards.importer import export_standard
from standards.models import Standard


class Command(BaseCommand):
    help = "Write a standard as a data file (the schema import_standard reads). CODE:EDITION, e.g. 'ISO 9001:2015'."

    def add_arguments(self, parser):
        parser.add_argument("standard", metavar="CODE:EDITION")
        parser.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
        parser.add_argument(
            "--format", choices=("yaml", "json"), default=None, help="default: from --out's extension, else yaml"
        )

    def handle(self, *args, standard, out, format, **options):
        code, sep, edition = standard.rpartition(":")
        if not sep or not code.strip() or not edition.strip():
            raise CommandError("give the standard as CODE:EDITION, e.g. 'ISO 9001:2015'")
        found = Standard.objects.filter(code=code.strip(), edition=edition.strip()).first()
        if found is None:
            known = ", ".join(str(s) for s in Standard.objects.all())
            raise CommandError(f"no standard {standard} in the catalogue (there are: {known})")
        fmt = format or ("json" if out and out.lower().endswith(".json") else "yaml")
        text = export_standard(found, fmt)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stderr.write(f"wrote {found} ({found.clauses.count()} clauses) to {out}")
        else:
            self.stdout.write(text, ending="")
