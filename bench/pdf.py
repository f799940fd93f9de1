"""Benchmark of the audit report PDF: reports of about 5, 30 and 150 pages from factory data.

    .venv/bin/python bench/pdf.py [--runs 5] [--soak 50] [--sizes small,medium,large] [--keep]

Builds the data in a throw-away SQLite database (/tmp/bench_pdf.sqlite3, files under
/tmp/bench_pdf_media; DATABASE_URL / MEDIA_ROOT override them), then renders each report in a
fresh child process — through the same code path as the Celery task and ``render_report``
(``version_services.render_now``: request, data, template, WeasyPrint, stored version) — and
prints per size: pages, PDF size, the median render time of ``--runs`` runs, the peak memory
of the process (ru_maxrss), and the share of the time spent outside WeasyPrint (reading the
data + the Django template) versus inside it. The first render of a process (WeasyPrint's
font and Pango set-up) is reported apart and left out of the median.

``--soak N`` renders the ~30-page report N times in one process, like one worker child with
``--max-tasks-per-child N``, and prints its resident memory along the way: it must level off.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "auditbody.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench_pdf.sqlite3")
os.environ.setdefault("MEDIA_ROOT", "/tmp/bench_pdf_media")
os.environ.setdefault("LOG_LEVEL", "ERROR")

#: The memory limit we recommend per worker child (README): a 150-page report must fit.
WORKER_MEMORY_LIMIT_MIB = 1024

FINDING = (
    "查：公司于2019年5月20日依据GB/T19001-2016标准对《质量手册》、《程序文件》进行修订，目前版本为A/1版，"
    "由管理者代表审核，总经理批准后发布。文件发放记录内容涵盖序号、名称、接收人、日期等；外来文件清单记录了"
    "《产品质量法》等外来文件，控制分发，有专人负责。现场查看，文件、记录保持清晰，保存完好，符合要求。"
)
# paragraphs per topic, nonconformities, itinerary lines, template
SIZES = {
    "small": {"paragraphs": 1, "ncs": 1, "plan": 3, "template": "small"},
    "medium": {"paragraphs": 5, "ncs": 6, "plan": 20, "template": "default"},
    "large": {"paragraphs": 38, "ncs": 60, "plan": 100, "template": "default"},
}


def setup_django():
    import django

    django.setup()


def rss_mib():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- data ------------------------------------------------------------------------------------------


def build_data():
    """One approved report per size; returns {size: report id}."""
    from django.core.management import call_command

    db = os.environ["DATABASE_URL"]
    if db.startswith("sqlite:////tmp/"):
        Path(db.removeprefix("sqlite:///")).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    from clients.tests.factories import DepartmentFactory
    from findings.models import Nonconformity
    from reports import services
    from reports.template_loader import load_report_template
    from reports.tests.factories import ReportSetup, build_template, fill_report
    from reports.tests.version_factories import add_plan

    load_report_template()
    ids = {}
    for name, spec in SIZES.items():
        template = build_template(topics=6, key="bench-small") if spec["template"] == "small" else None
        setup = ReportSetup(template=template)
        fill_report(setup)
        report = setup.report
        for content in report.topics.select_related("topic"):
            text = "\n".join(f"{i + 1}. {FINDING}" for i in range(spec["paragraphs"]))
            services.topic_save(content=content, text=text, version=content.version, by=setup.leader_user)
        departments = [DepartmentFactory(client=setup.audit.client, name_zh=f"部门{i}") for i in range(4)]
        for i in range(spec["ncs"]):
            Nonconformity.objects.create(
                audit=setup.audit,
                number=i + 1,
                grade="minor" if i % 4 else "major",
                family="QMS",
                department=departments[i % 4],
                requirement="GB/T 19001-2016 7.5.3 要求对文件化信息进行控制。",
                statement=FINDING[:80],
                evidence=FINDING,
                raised_by=setup.auditor_user,
            )
        add_plan(setup, spec["plan"], text="审核 " + FINDING[:30])
        report.refresh_from_db()
        services.report_submit(report=report, by=setup.leader_user)
        services.report_approve(report=report, by=setup.leader_user)
        ids[name] = report.pk
    return ids


# --- children --------------------------------------------------------------------------------------


def render_once(report_id):
    from reports.models import RenderStatus, Report
    from reports.versions import services as version_services

    report = Report.objects.get(pk=report_id)
    started = time.perf_counter()
    job = version_services.render_now(report=report, by=None)
    wall = time.perf_counter() - started
    if job.status != RenderStatus.READY:
        raise SystemExit(f"render failed: {job.message}")
    v = job.version
    return {
        "pages": v.pages,
        "size": v.size,
        "wall": wall,
        "data": v.data_seconds,
        "html": v.html_seconds,
        "weasyprint": v.render_seconds,
    }


def child_size(report_id, runs):
    setup_django()
    results = [render_once(report_id) for _ in range(runs + 1)]
    first, rest = results[0], results[1:]
    print(json.dumps({"first": first, "runs": rest, "peak_mib": peak_mib(), "rss_mib": rss_mib()}))


def child_soak(report_id, count):
    from django.db import reset_queries

    setup_django()
    samples = []
    for _i in range(count):
        render_once(report_id)
        # With DEBUG=1 (the default here) Django keeps every query in connection.queries, up to
        # 9000 (Celery warns about it in a worker): ~200 a render would read as growth. A web
        # request clears them when it starts; production workers run DEBUG=0 and keep none.
        reset_queries()
        samples.append(round(rss_mib(), 1))
    print(json.dumps({"rss": samples, "peak_mib": peak_mib()}))


def run_child(*args):
    output = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True, env=os.environ.copy()
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


# --- main ------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed renders per size (after one warm-up)")
    parser.add_argument("--soak", type=int, default=50, help="consecutive renders for the memory check (0: skip)")
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--child-size", nargs=2, metavar=("REPORT", "RUNS"), help=argparse.SUPPRESS)
    parser.add_argument("--child-soak", nargs=2, metavar=("REPORT", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_size:
        return child_size(int(args.child_size[0]), int(args.child_size[1]))
    if args.child_soak:
        return child_soak(int(args.child_soak[0]), int(args.child_soak[1]))

    setup_django()
    started = time.perf_counter()
    ids = build_data()
    print(f"data built in {time.perf_counter() - started:.1f} s ({os.environ['DATABASE_URL']})")
    print(
        f"\n{'report':<8}{'pages':>6}{'KiB':>7}{'median s':>10}{'first s':>9}{'data+tpl':>10}"
        f"{'weasy':>8}{'outside':>9}{'peak MiB':>10}"
    )
    large_peak = None
    run_child("--child-size", str(ids["small"]), "0")  # warm the system's caches (fontconfig, .pyc) once
    for name in args.sizes.split(","):
        result = run_child("--child-size", str(ids[name]), str(args.runs))
        runs = result["runs"]
        median = statistics.median(r["wall"] for r in runs)
        ours = statistics.median(r["data"] + r["html"] for r in runs)
        weasy = statistics.median(r["weasyprint"] for r in runs)
        share = ours / (ours + weasy)
        print(
            f"{name:<8}{runs[0]['pages']:>6}{runs[0]['size'] / 1024:>7.0f}{median:>10.2f}{result['first']['wall']:>9.2f}"
            f"{ours:>10.2f}{weasy:>8.2f}{share:>8.0%}{result['peak_mib']:>10.0f}"
        )
        if name == "large":
            large_peak = result["peak_mib"]
    print(
        "\n(median of the timed runs; 'data+tpl' = reading the report + Django template, 'weasy' = WeasyPrint "
        "layout + PDF writing, 'outside' = share of the time outside WeasyPrint; peak = the child process's max RSS)"
    )
    if large_peak is not None:
        verdict = "within" if large_peak < WORKER_MEMORY_LIMIT_MIB else "OVER"
        print(
            f"150-page report: peak {large_peak:.0f} MiB, {verdict} the recommended worker limit of "
            f"{WORKER_MEMORY_LIMIT_MIB} MiB (--max-memory-per-child={WORKER_MEMORY_LIMIT_MIB * 1024})"
        )
    if args.soak:
        result = run_child("--child-soak", str(ids["medium"]), str(args.soak))
        rss = result["rss"]
        marks = [1, 10, 25, len(rss)]
        print(
            f"\n{args.soak} consecutive renders of the medium report in one process, RSS MiB: "
            + ", ".join(f"#{m} {rss[m - 1]:.0f}" for m in marks if m <= len(rss))
            + f"; growth #10→#{len(rss)}: {rss[-1] - rss[min(9, len(rss) - 1)]:+.0f} MiB; peak {result['peak_mib']:.0f} MiB"
        )


if __name__ == "__main__":
    main()
