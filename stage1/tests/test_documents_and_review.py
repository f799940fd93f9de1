"""Documents in (client or staff, versions kept, checked on content, nothing half-saved) and the
review as a background job that names the version it read and shows what changed."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import UserFactory
from core.access import Role
from stage1 import services
from stage1.models import (
    AreaOfConcern,
    DocumentReview,
    DocumentVersion,
    ProposalChange,
    ProposalDecision,
    ReviewStatus,
    Stage1Document,
)
from stage1.tests.factories import leader_and_audit, manual_docx, stage1_audit, upload
from stage1.tests.manuals import as_pdf, clean_manual

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_the_client_uploads_and_the_team_adds_a_version_both_kept():
    leader, audit = leader_and_audit()
    client_user = UserFactory(role=Role.CLIENT, client=audit.client)
    first = upload(audit, client_user)
    second = upload(audit, leader, manual_docx(title_85="和服务提供"), document=first.document)
    assert (first.number, second.number) == (1, 2)
    assert first.document == second.document and first.sha256 != second.sha256
    assert list(first.document.versions.values_list("number", flat=True)) == [2, 1]
    assert first.file.name != second.file.name and "管理手册" not in second.file.name


def test_another_organisation_or_an_auditor_off_the_team_may_not_upload():
    _, audit = leader_and_audit()
    for outsider in (UserFactory(role=Role.CLIENT), UserFactory(role=Role.AUDITOR)):
        with pytest.raises(PermissionDenied):
            upload(audit, outsider)


def encrypted_pdf():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(as_pdf(clean_manual(["ISO 9001:2015"])))))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scanned_pdf():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, format="PDF")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "code", "words"),
    [
        ("manual.pdf", encrypted_pdf, "encrypted", "password"),
        ("scan.pdf", scanned_pdf, "no_text", "no text layer"),
        ("manual.docx", lambda: manual_docx()[:3000], "corrupt_docx", "cannot be opened"),
        ("manual.txt", lambda: b"\x00\x01binary" * 10, "binary", "not a text file"),
        ("manual.xlsx", lambda: b"PK\x03\x04", "bad_extension", ".docx, .pdf or .txt"),
    ],
)
def test_an_unreadable_upload_is_refused_clearly_and_nothing_is_saved(settings, name, make, code, words):
    leader, audit = leader_and_audit()
    with pytest.raises(ValidationError) as refused:
        upload(audit, leader, make(), name=name)
    (error,) = refused.value.error_dict["file"]
    assert error.code == code and words in error.message
    assert not Stage1Document.objects.exists() and not DocumentVersion.objects.exists()
    assert stored_files(settings) == []


def test_a_50_mb_upload_is_refused_before_it_is_read(settings):
    leader, audit = leader_and_audit()
    big = SimpleUploadedFile("manual.pdf", b"%PDF-1.7")
    big.size = 50 * 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        services.stage1_document_upload(audit=audit, uploaded_file=big, by=leader)
    (error,) = refused.value.error_dict["file"]
    assert error.code == "too_large" and "50.0" in error.message and "20.0" in error.message
    assert not DocumentVersion.objects.exists() and stored_files(settings) == []


def run_review(version, by, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review = services.stage1_review_request(version=version, by=by)
    review.refresh_from_db()
    return review


def test_the_review_runs_as_a_job_names_the_version_and_stores_the_proposals(django_capture_on_commit_callbacks):
    leader, audit = leader_and_audit()
    version = upload(audit, leader, manual_docx(title_85="和服务提供"))
    review = run_review(version, leader, django_capture_on_commit_callbacks)
    assert (review.status, review.progress, review.version) == (ReviewStatus.DONE, 100, version)
    (proposal,) = review.proposals.all()
    assert (proposal.kind, proposal.clause, proposal.standard) == ("title_deviation", "8.5", "ISO 9001:2015")
    assert "和服务提供" in proposal.text and proposal.change == ProposalChange.FIRST
    assert any(h["number"] == "8.5" for h in review.outline)


def test_only_the_team_reviews():
    leader, audit = leader_and_audit()
    version = upload(audit, leader)
    with pytest.raises(PermissionDenied):
        services.stage1_review_request(version=version, by=UserFactory(role=Role.CLIENT, client=audit.client))


def test_a_review_of_a_corrected_version_shows_what_changed(django_capture_on_commit_callbacks):
    leader, audit = leader_and_audit()
    first = upload(audit, leader, manual_docx(title_85="和服务提供", wrong_84=True))
    run_review(first, leader, django_capture_on_commit_callbacks)
    second = upload(audit, leader, manual_docx(wrong_84=True), document=first.document)
    review = run_review(second, leader, django_capture_on_commit_callbacks)
    assert [(p.kind, p.change) for p in review.proposals.all()] == [("wrong_parent", ProposalChange.UNCHANGED)]
    assert [(r["kind"], r["clause"]) for r in review.resolved] == [("title_deviation", "8.5")]
    assert review.previous.version == first


def test_a_second_run_of_the_same_job_does_nothing(django_capture_on_commit_callbacks):
    leader, audit = leader_and_audit()
    review = run_review(upload(audit, leader), leader, django_capture_on_commit_callbacks)
    assert services.stage1_review_run(review_id=review.pk) is None
    assert DocumentReview.objects.get(pk=review.pk).status == ReviewStatus.DONE


def test_confirm_makes_an_area_of_concern_with_clause_and_evidence_dismiss_keeps_the_reason(
    django_capture_on_commit_callbacks,
):
    leader, audit = leader_and_audit()
    version = upload(audit, leader, manual_docx(title_85="和服务提供", wrong_84=True))
    review = run_review(version, leader, django_capture_on_commit_callbacks)
    wrong, title = review.proposals.order_by("position")
    concern = services.stage1_proposal_confirm(proposal=wrong, by=leader)
    assert concern.audit == audit and concern.clause.number == "8.4"
    assert "v1" in concern.evidence and "8.9.1" in concern.evidence and "l." in concern.evidence
    with pytest.raises(ValidationError):
        services.stage1_proposal_dismiss(proposal=title, by=leader, reason=" ")
    services.stage1_proposal_dismiss(proposal=title, by=leader, reason="Wording only")
    title.refresh_from_db()
    assert (title.decision, title.reason) == (ProposalDecision.DISMISSED, "Wording only")
    with pytest.raises(ValidationError, match="already been decided"):
        services.stage1_proposal_confirm(proposal=title, by=leader)


def test_the_client_answers_a_concern_with_a_corrected_document():
    leader, audit = leader_and_audit()
    concern = services.stage1_concern_add(audit=audit, by=leader, text="The OH&S part still follows GB/T 28001.")
    client_user = UserFactory(role=Role.CLIENT, client=audit.client)
    corrected = upload(audit, client_user)
    with pytest.raises(PermissionDenied):
        services.stage1_concern_answer(concern=concern, by=leader, answer="x")
    services.stage1_concern_answer(concern=concern, by=client_user, answer="Migrated to ISO 45001.", version=corrected)
    concern.refresh_from_db()
    assert not concern.is_open and concern.answer_version == corrected
    other = upload(stage1_audit(leader), leader)
    with pytest.raises(ValidationError):
        services.stage1_concern_answer(concern=concern, by=client_user, answer="again", version=other)
    assert AreaOfConcern.objects.count() == 1


def test_the_stage_1_report_facts_list_the_review_and_the_concerns(django_capture_on_commit_callbacks):
    from audits.tests.factories import AuditFactory
    from reports.facts import fact_providers

    (provider,) = [p for p in fact_providers() if p.name == "stage1.review"]
    leader, audit = leader_and_audit()
    version = upload(audit, leader, manual_docx(title_85="和服务提供", wrong_84=True))
    review = run_review(version, leader, django_capture_on_commit_callbacks)
    wrong, title = review.proposals.order_by("position")
    services.stage1_proposal_confirm(proposal=wrong, by=leader)
    services.stage1_proposal_dismiss(proposal=title, by=leader, reason="wording")
    facts = provider.facts(audit)
    assert facts["stage1.document_review"] == "管理手册 v1 (管理手册.docx), ISO 9001:2015: 2 / 1 ✔ / 1 ✘"
    assert facts["stage1.concerns"].startswith("1. [ISO 9001:2015 8.4] 8.9.1, 8.9.2, 8.9.3")
    assert facts["stage1.open_concerns"] == 1
    assert provider.facts(AuditFactory()) == {}
