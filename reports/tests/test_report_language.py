"""The report's language (``Report.language``): chosen with the report's choices, the language its
PDFs are rendered in unless a render (the panel's form, ``render_report --lang``) asks for another;
and the render task writes its messages in the requester's language, whichever process runs it."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from reports import services
from reports.models import RenderStatus, Report, ReportVersion, VersionKind
from reports.versions import services as version_services
from reports.versions import tasks

from .factories import ReportSetup
from .version_factories import approved_setup, fake_render_pdf, reopen

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_pdf(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("core.pdf.render_pdf", fake_render_pdf)


def test_a_report_starts_in_chinese_and_the_team_sets_its_language_with_the_choices(client):
    setup = ReportSetup()
    assert setup.report.language == "zh-hans"
    client.force_login(setup.auditor_user)
    url = reverse("reports:choices", args=[setup.report.pk])
    page = client.get(url).content.decode()
    assert 'name="report_language"' in page
    version = setup.report.choices_version
    assert client.post(url, {"version": version, "report_language": "en"}).status_code == 302
    setup.report.refresh_from_db()
    assert setup.report.language == "en" and setup.report.choices_version == version + 1
    assert setup.report.history.first().language == "en"  # recorded like any change to the report


def test_a_form_without_the_language_leaves_it_unchanged_and_an_unknown_one_is_refused(client):
    setup = ReportSetup()
    services.report_values_save(report=setup.report, values={}, version=None, by=setup.leader_user, language="en")
    setup.report.refresh_from_db()
    client.force_login(setup.auditor_user)
    url = reverse("reports:choices", args=[setup.report.pk])
    assert client.post(url, {"version": setup.report.choices_version}).status_code == 302
    setup.report.refresh_from_db()
    assert setup.report.language == "en"
    with pytest.raises(ValidationError):
        services.report_values_save(report=setup.report, values={}, version=None, by=setup.leader_user, language="fr")


def test_renders_default_to_the_reports_language_and_may_ask_for_another(client):
    setup = approved_setup()
    Report.objects.filter(pk=setup.report.pk).update(language="en")
    setup.report.refresh_from_db()
    job, _created = version_services.render_request(report=setup.report, by=setup.leader_user, enqueue=False)
    assert job.language == "en"
    version_services.render_job_run(job_id=job.pk)
    other, _created = version_services.render_request(
        report=setup.report, by=setup.leader_user, language="zh-hans", enqueue=False
    )
    assert other.language == "zh-hans"
    version_services.render_job_run(job_id=other.pk)
    client.force_login(setup.leader_user)
    panel = client.get(reverse("reports:versions_panel", kwargs={"pk": setup.report.pk})).content.decode()
    assert '<option value="en" selected>' in panel and '<option value="zh-hans" selected>' not in panel


def test_the_command_renders_in_the_reports_language_unless_told():
    setup = approved_setup()
    Report.objects.filter(pk=setup.report.pk).update(language="en")
    call_command("render_report", str(setup.audit.pk))
    call_command("render_report", str(setup.audit.pk), "--lang", "zh-hans")
    assert list(ReportVersion.objects.order_by("sequence").values_list("language", flat=True)) == ["en", "zh-hans"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_task_writes_its_messages_in_the_requesters_language(language):
    setup = approved_setup()
    with transaction.atomic():
        job, _created = version_services.render_request(
            report=setup.report, by=setup.leader_user, kind=VersionKind.ISSUED, enqueue=False
        )
        reopen(setup)
    with translation.override("en" if language == "zh-hans" else "zh-hans"):  # whatever the worker speaks
        tasks.render_report_version.apply(args=[job.pk], kwargs={"language": language})
    job.refresh_from_db()
    with translation.override(language):
        expected = gettext("The report is no longer approved (it was reopened): it was not issued.")
    assert job.status == RenderStatus.FAILED and job.message == expected
