"""Test data for the report PDFs (versions, render jobs, the PDF's content), built on the
report factories (reports/tests/factories.py) and the report services."""

import io
import re
import subprocess
import tempfile

import pypdf

from accounts.tests.factories import UserFactory
from audits.models import TeamRole
from audits.tests.factories import PlanItemFactory
from core.access import Role
from findings.models import Nonconformity
from reports import services
from reports.models import ReportStatus, VersionKind
from reports.versions import services as version_services

from .factories import DepartmentFactory, ReportSetup, fill_report, shipped_standard

SEED_CLIENT = "中食互联（北京）科技有限公司"


def approved_setup(*, client=None, standards=None, text=None, **kwargs):
    """An audit whose report is written, submitted and approved by its team leader."""
    if client is not None:
        kwargs["client"] = client
    setup = ReportSetup(standards=standards, **kwargs)
    report = fill_report(setup)
    if text is not None:
        set_topic_text(setup, "context_of_organization", text)
        report.refresh_from_db()
    services.report_submit(report=report, by=setup.leader_user)
    services.report_approve(report=report, by=setup.leader_user)
    report.refresh_from_db()
    setup.report = report
    return setup


def set_topic_text(setup, key, text):
    content = setup.content(key)
    return services.topic_save(content=content, text=text, version=content.version, by=setup.leader_user)


def add_nonconformity(setup, *, statement="不符合", evidence="证据", number=None):
    audit = setup.audit
    department = DepartmentFactory(client=audit.client)
    number = number or (audit.nonconformities.count() + 1)
    return Nonconformity.objects.create(
        audit=audit,
        number=number,
        grade="minor",
        family="QMS",
        department=department,
        statement=statement,
        evidence=evidence,
        requirement="要求",
        raised_by=setup.auditor_user,
    )


def add_plan(setup, count, *, text="审核过程"):
    audit = setup.audit
    return [
        PlanItemFactory(audit=audit, day=audit.start_date, process=f"{text} {i + 1}", order=i) for i in range(count)
    ]


def issue(setup, *, language="zh-hans", reason="", by=None):
    """Issue the approved report now (the command's code path: request + run)."""
    return version_services.render_now(
        report=setup.report,
        by=by or setup.leader_user,
        kind=VersionKind.ISSUED,
        language=language,
        correction_reason=reason,
    )


def draft(setup, *, language="zh-hans", by=None):
    return version_services.render_now(
        report=setup.report, by=by or setup.leader_user, kind=VersionKind.DRAFT, language=language
    )


def client_user(client):
    return UserFactory(role=Role.CLIENT, client=client)


def reopen(setup):
    return services.report_reopen(report=setup.report, by=setup.leader_user, reason="纠正")


# --- reading PDFs --------------------------------------------------------------------------------


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def pdftotext(pdf: bytes, *, layout=False) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [handle.name, "-"]
        return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")


def body_text(pdf: bytes, *, running=()) -> str:
    """The PDF's text without the running header/footer lines and without any whitespace, so a
    sentence wrapped over lines (or pages) is found whole."""
    lines = []
    for line in pdftotext(pdf).splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if any(stripped == r or stripped.startswith(r) for r in running if r):
            continue
        if re.fullmatch(r"(第 ?\d+ ?页 ?共 ?\d+ ?页|Page \d+ of \d+)", stripped):
            continue
        lines.append(stripped)
    return squash("".join(lines))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


__all__ = [
    "ReportStatus",
    "TeamRole",
    "approved_setup",
    "shipped_standard",
]


def fake_render_pdf(
    *,
    template_name,
    context,
    language,
    draft,
    pdf_variant=None,
    attachments=None,
    base_url=None,
    strict_glyphs=False,
    after_layout=None,
):
    """Stands in for the PDF engine where a test is about versions, jobs or permissions, not
    the PDF itself: the template is still rendered (a template error still fails), WeasyPrint is
    not run. The bytes differ per render."""
    import hashlib
    import uuid

    from django.template.loader import render_to_string
    from django.utils import translation

    from core.pdf import RenderResult

    with translation.override(language):
        html = render_to_string(
            template_name,
            {
                **context,
                "pdf": {
                    "lang": language,
                    "draft": draft,
                    "variant": pdf_variant,
                    "page_label": ("", "", ""),
                    "created": "",
                },
            },
        )
    pdf = (
        b"%PDF-1.7\n% fake " + uuid.uuid4().hex.encode() + (b" DRAFT" if draft else b"") + b"\n" + html.encode()[:2000]
    )
    return RenderResult(
        pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), pages=2, warnings=[], render_seconds=0.0, html_seconds=0.0
    )
