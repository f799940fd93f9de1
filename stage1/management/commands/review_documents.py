"""manage.py review_documents FILE --standard "ISO 9001:2015" [--standard …] [--json]

The stage-1 document review of one file, without a client or an audit: the proposals (kind,
clause, evidence, line) on the standard output, as text or JSON. Exit status 0 whether or not
there are proposals; a file that cannot be read or an unknown standard is an error (status 1).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stage1.analysis import KIND_LABELS, UnknownStandard, UnreadableDocument, analyse
from stage1.selectors import catalogue_from_db


class Command(BaseCommand):
    help = "Review a management-system document (.docx, .pdf, .txt) against standards and print the proposals."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--standard", action="append", required=True, help='e.g. "ISO 9001:2015"; repeat for each audited standard'
        )
        parser.add_argument(
            "--department", action="append", default=None, help="a department of the client; repeat for each"
        )
        parser.add_argument(
            "--json", action="store_true", help="print the whole review (outline, matrices, proposals) as JSON"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            review = analyse(
                path.name,
                path.read_bytes(),
                options["standard"],
                catalogue=catalogue_from_db(),
                departments=options["department"],
            )
        except UnknownStandard as error:
            raise CommandError(f"Unknown standard: {error}") from error
        except UnreadableDocument as error:
            raise CommandError(error.message) from error
        if options["json"]:
            self.stdout.write(json.dumps(review.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{path.name}: {len(review.outline)} headings, {len(review.matrices)} responsibility matrices, "
            f"{len(review.proposals)} proposals ({', '.join(review.standards)})"
        )
        for proposal in review.proposals:
            places = "; ".join(f"{e.place()} {e.text}" for e in proposal.evidence[:3])
            self.stdout.write(
                f"- [{KIND_LABELS[proposal.kind]}] {proposal.standard} {proposal.clause}: {proposal.text()}"
                + (f"\n    evidence: {places}" if places else "")
            )
