"""Benchmark of the PDF engine: a ~30-page document of Chinese tables.

    .venv/bin/python bench/pdf_engine.py [--sections 12] [--rows 14] [--out /tmp/bench.pdf]

Prints, per run: pages, PDF size, time in our code (Django template -> HTML) and time in
WeasyPrint (layout + PDF + font subsetting). The first run includes WeasyPrint's warm-up
(fontconfig, Pango); later runs are what a worker process sees. No database needed.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "auditbody.settings")

import django

django.setup()

from core.pdf import json_attachment, render_pdf  # noqa: E402

FINDING = (
    "查：公司于2019年5月20日依据GB/T19001-2016标准对《质量手册》、《程序文件》进行修订，目前版本为A/1版，"
    "由管理者代表审核，总经理批准后发布。文件发放记录内容涵盖序号、名称、接收人、日期等；外来文件清单记录了"
    "《产品质量法》等外来文件，控制分发，有专人负责。现场查看，文件、记录保持清晰，保存完好，符合要求。"
)
DEPARTMENTS = ["管理层", "综合部", "技术部", "销售部", "财务部"]


def context(sections: int, rows: int) -> dict:
    return {
        "cb_name": "北京国标联合认证有限公司",
        "document_number": "ISC-QMS-2020-0108",
        "document_title": "管理体系审核报告",
        "client_name": "中食互联（北京）科技有限公司",
        "cover": True,
        "rows": [("朱晓丽", "组长", "2018-N1QMS-2205805，专业代码 33.02.01")] * 3,
        "sections": [
            {
                "title": f"六、审核发现及审核证据说明（{number + 1}）",
                "rows": [(DEPARTMENTS[row % 5], f"{row + 1}. {FINDING}", row % 3 != 0) for row in range(rows)],
            }
            for number in range(sections)
        ],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sections", type=int, default=12)
    parser.add_argument("--rows", type=int, default=14)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default="/tmp/bench_pdf_engine.pdf")
    args = parser.parse_args()
    data = context(args.sections, args.rows)

    started = time.perf_counter()
    import weasyprint  # noqa: F401  - the import cost, reported apart

    print(f"import weasyprint: {time.perf_counter() - started:.2f} s")
    print(f"{'run':<14}{'pages':>6}{'size KiB':>10}{'html s':>9}{'weasyprint s':>14}{'total s':>9}  warnings")
    for run in range(args.runs):
        for variant in (None, "pdf/a-3b"):
            result = render_pdf(
                template_name="reports/pdf/_engine_test.html",
                context=data,
                language="zh-hans",
                draft=variant is None,
                pdf_variant=variant,
                attachments=[json_attachment(data)] if variant else None,
            )
            label = f"{run + 1} {'draft' if variant is None else variant}"
            total = result.html_seconds + result.render_seconds
            print(
                f"{label:<14}{result.pages:>6}{result.size / 1024:>10.0f}{result.html_seconds:>9.3f}"
                f"{result.render_seconds:>14.2f}{total:>9.2f}  {len(result.warnings)}"
            )
    Path(args.out).write_bytes(result.pdf)
    print(f"last PDF written to {args.out} (view: pdftoppm -png -r 60 -f 1 -l 3 {args.out} /tmp/page)")


if __name__ == "__main__":
    main()
