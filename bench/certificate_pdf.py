"""Where a one-page certificate PDF's time and bytes go (target ≤ 0.4 s warm, ≤ 200 KiB).

    DATABASE_URL=postgres://… .venv/bin/python bench/certificate_pdf.py [--runs 3] [--language zh-hans]

Renders the first certificate of the configured database (``make_data`` or ``seed_demo``) as an
issued PDF (PDF/A-3b with its data attached) ``--runs`` times and prints, per run, the seconds in
each step (data, an abandoned first layout — only when the certificate is too long for the normal
layout and is laid out again compact —, Django template, WeasyPrint) and the size; then the embedded fonts (``pdffonts``) of the last run. The first run includes WeasyPrint's
warm-up. A figure says on which machine and load it was taken: the load average is printed.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "auditbody.settings")

import django

django.setup()

from certification.certificate_pdfs.render import render_certificate  # noqa: E402
from certification.models import Certificate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--language", default="zh-hans")
    args = parser.parse_args()
    certificate = Certificate.objects.order_by("pk").first()
    if certificate is None:
        sys.exit("No certificate in this database: run bench/make_data or seed_demo first.")
    pdf = b""
    for run in range(1, args.runs + 1):
        rendered = render_certificate(certificate=certificate, language=args.language, draft=False)
        pdf = rendered.result.pdf
        print(
            f"run {run}: total {rendered.total_seconds:.2f} s (data {rendered.data_seconds:.2f}, "
            f"abandoned layout {rendered.layout_seconds:.2f}, template {rendered.result.html_seconds:.2f}, "
            f"WeasyPrint {rendered.result.render_seconds:.2f}); {len(pdf) / 1024:.0f} KiB, "
            f"{rendered.result.pages} page(s); load average {os.getloadavg()[0]:.1f}"
        )
    with tempfile.NamedTemporaryFile(suffix=".pdf") as out:
        out.write(pdf)
        out.flush()
        fonts = subprocess.run(["pdffonts", out.name], capture_output=True, text=True, check=False)
    print(fonts.stdout or fonts.stderr)


if __name__ == "__main__":
    main()
