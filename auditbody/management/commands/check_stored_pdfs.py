"""``manage.py check_stored_pdfs``: every stored PDF (report and certificate versions) has its
file and the file matches the SHA-256 recorded when it was stored. Exits non-zero otherwise."""

from django.core.management.base import BaseCommand, CommandError

from auditbody.backups import stored_pdf_count, stored_pdf_problems


class Command(BaseCommand):
    help = "Check every stored PDF's file against the SHA-256 recorded in its row."

    def handle(self, *args, **options):
        problems = list(stored_pdf_problems())
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(self.style.SUCCESS(f"{stored_pdf_count()} stored PDFs match their SHA-256."))
