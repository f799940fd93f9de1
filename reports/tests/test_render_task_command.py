"""`manage.py render_report AUDIT [--lang] [--draft|--issued] [--out FILE]`: the task's code path, synchronously."""

import hashlib

import pytest
from django.core.management import CommandError, call_command

from reports.models import RenderJob, ReportVersion, VersionKind

from .version_factories import ReportSetup, approved_setup, fake_render_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the services translate them into the active language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("core.pdf.render_pdf", fake_render_pdf)


def test_render_report_stores_a_draft_and_writes_the_file(tmp_path, capsys):
    setup = approved_setup()
    out = tmp_path / "report.pdf"
    call_command("render_report", str(setup.audit.pk), "--lang", "en", "--out", str(out))
    version = ReportVersion.objects.get()
    assert (version.kind, version.language, version.created_by) == (VersionKind.DRAFT, "en", None)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == version.sha256
    assert RenderJob.objects.get().version == version
    assert version.sha256 in capsys.readouterr().out


def test_render_report_issued_is_recorded_for_the_team_leader_and_corrections_need_a_reason():
    setup = approved_setup()
    call_command("render_report", str(setup.audit.pk), "--issued")
    first = ReportVersion.objects.get()
    assert first.kind == VersionKind.ISSUED and first.created_by == setup.leader_user and first.issue == 1
    with pytest.raises(CommandError, match="say why"):
        call_command("render_report", str(setup.audit.pk), "--issued")
    call_command("render_report", str(setup.audit.pk), "--issued", "--reason", "错字")
    assert ReportVersion.objects.get(issue=2).replaces == first


def test_render_report_refuses_to_issue_an_unapproved_report_and_unknown_audits():
    setup = ReportSetup()
    with pytest.raises(CommandError, match="approved"):
        call_command("render_report", str(setup.audit.pk), "--issued")
    with pytest.raises(CommandError, match="no report"):
        call_command("render_report", "999999")
    assert not ReportVersion.objects.exists()
