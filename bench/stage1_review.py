"""Benchmark of the stage-1 document review: a 100-page manual read and analysed.

    .venv/bin/python bench/stage1_review.py [--pages 100] [--runs 3]

Builds an integrated ISO 9001 + ISO 14001 + ISO 45001 manual (every clause a heading, body text
under each, the three responsibility matrices) as PDF and DOCX, grown until the PDF has the
asked number of pages (building it is not timed), then times ``stage1.analysis.analyse`` on each
file: reading (pypdf / python-docx) plus outline, matrices and checks. Prints the pages, the
sizes and the median wall and CPU time of ``--runs`` runs, and the load average (on a shared
machine the wall time is several times the CPU time). Target: under 5 s for 100 pages.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "auditbody.settings")

import django  # noqa: E402

django.setup()

from pypdf import PdfReader  # noqa: E402

from stage1.analysis import analyse, shipped_catalogue  # noqa: E402
from stage1.tests.manuals import as_docx, as_pdf, clean_manual  # noqa: E402

STANDARDS = ["ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018"]
PARAGRAPH = (
    "公司的最高管理者在管理公司时，明确公司的目标及战略方向，考虑与公司的目标、战略方向及管理体系实现预期结果有影响的"
    "各种内、外部因素，包括正面或负面的要素或条件；国际、国内、地区和当地的各种法律法规、技术、竞争、市场、文化、"
    "社会和经济等外部环境因素；公司内部的价值观、文化、知识和绩效等内部环境因素。"
)


def manual_of(paragraphs_per_clause):
    manual = clean_manual(STANDARDS)
    for number in manual.paragraphs:
        manual.paragraphs[number] = [f"{i + 1}）{PARAGRAPH}" for i in range(paragraphs_per_clause)]
    return manual


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    per_clause, pdf, pages = 1, b"", 0
    while pages < args.pages:
        pdf = as_pdf(manual_of(per_clause))
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        if pages < args.pages:
            per_clause = max(per_clause + 1, round(per_clause * args.pages / max(pages, 1)))
    docx = as_docx(manual_of(per_clause))
    catalogue = shipped_catalogue()
    print(
        f"manual: {pages} PDF pages, {per_clause} paragraphs per clause; PDF {len(pdf) // 1024} KiB, DOCX {len(docx) // 1024} KiB"
    )
    for name, data in (("manual.pdf", pdf), ("manual.docx", docx)):
        times, cpu, proposals = [], [], 0
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            review = analyse(name, data, STANDARDS, catalogue=catalogue)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            proposals = len(review.proposals)
        print(
            f"{name}: median {statistics.median(times):.2f} s wall, {statistics.median(cpu):.2f} s CPU over {args.runs} "
            f"runs (wall min {min(times):.2f}, max {max(times):.2f}); {len(review.outline)} headings, {proposals} proposals"
        )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall time grows with it)")


if __name__ == "__main__":
    main()
