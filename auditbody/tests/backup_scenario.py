"""The two halves of the backup test (``test_backup.py``), each run in its own process against a
database of its own (never the test suite's): ``build`` makes records with issued PDFs (a
report and a certificate, rendered for real) and prints what it made; ``check`` — after the
database was dropped and restored — verifies every stored PDF against its SHA-256 and opens the
main pages as a CB administrator and the report's team leader."""

import hashlib
import json
import sys

import django


def build() -> None:
    from certification.certificate_pdfs import services as certificate_pdfs
    from certification.models import CertificateVersion
    from certification.tests.pdf_factories import cb_admin, seed_certificate
    from core.issued import VersionKind
    from reports.models import ReportVersion
    from reports.tests.version_factories import approved_setup
    from reports.versions import services as report_pdfs

    setup = approved_setup()
    report_pdfs.render_now(report=setup.report, by=setup.leader_user, kind=VersionKind.ISSUED, language="zh-hans")
    report_pdfs.render_now(report=setup.report, by=setup.leader_user, language="en")
    admin = cb_admin()
    certificate = seed_certificate()
    certificate_pdfs.certificate_pdf_render(
        certificate=certificate, language="zh-hans", kind=VersionKind.ISSUED, by=admin
    )
    print(
        "RESULT "
        + json.dumps(
            {
                "admin": admin.pk,
                "leader": setup.leader_user.pk,
                "report": setup.report.pk,
                "audit": setup.report.audit_id,
                "client": certificate.client_id,
                "certificate": certificate.pk,
                "report_versions": {v.pk: v.sha256 for v in ReportVersion.objects.all()},
                "certificate_versions": {v.pk: v.sha256 for v in CertificateVersion.objects.all()},
            }
        )
    )


def _body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def check(made: dict) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from auditbody.backups import stored_pdf_problems
    from certification.models import CertificateVersion
    from reports.models import ReportVersion

    problems = list(stored_pdf_problems())
    restored = {
        "report_versions": {str(v.pk): v.sha256 for v in ReportVersion.objects.all()},
        "certificate_versions": {str(v.pk): v.sha256 for v in CertificateVersion.objects.all()},
    }
    users = get_user_model().objects
    pages = {}
    downloads = {}
    for who, urls in (
        (
            "admin",
            [
                "/",
                reverse("clients:list"),
                reverse("clients:detail", args=[made["client"]]),
                reverse("audits:list"),
                reverse("audits:detail", args=[made["audit"]]),
                reverse("reports:list"),
                reverse("reports:issued_list"),
                reverse("certification:dashboard"),
                reverse("certification:certificate_list"),
                reverse("certification:certificate", args=[made["certificate"]]),
                reverse("certification:certificate_pdfs", args=[made["certificate"]]),
            ],
        ),
        (
            "leader",
            [reverse("reports:editor", args=[made["report"]]), reverse("reports:versions", args=[made["report"]])],
        ),
    ):
        browser = Client()
        browser.force_login(users.get(pk=made[who]))
        for url in urls:
            pages[f"{who} {url}"] = browser.get(url).status_code
        if who == "admin":
            for pk in restored["certificate_versions"]:
                response = browser.get(reverse("certification:certificate_pdf_download", args=[pk]))
                downloads[f"certificate {pk}"] = hashlib.sha256(_body(response)).hexdigest()
        else:
            for pk in restored["report_versions"]:
                response = browser.get(reverse("reports:version_download", args=[pk]))
                downloads[f"report {pk}"] = hashlib.sha256(_body(response)).hexdigest()
    print("RESULT " + json.dumps({"problems": problems, "restored": restored, "pages": pages, "downloads": downloads}))


if __name__ == "__main__":
    django.setup()
    if sys.argv[1] == "build":
        build()
    else:
        check(json.loads(sys.argv[2]))
