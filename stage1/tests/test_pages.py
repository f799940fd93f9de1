"""The stage 1 pages: upload → review (progress, version named) → confirm/dismiss → concerns →
the client answers; other organisations and auditors off the team get 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.access import Role
from stage1.models import AreaOfConcern, DocumentReview, ProposalDecision, ReviewProposal
from stage1.tests.factories import leader_and_audit, manual_docx, stage1_audit, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def test_the_journey_through_the_pages(client, django_capture_on_commit_callbacks):
    leader, audit = leader_and_audit()
    client_user = UserFactory(role=Role.CLIENT, client=audit.client)
    page = reverse("stage1:audit", args=[audit.pk])

    client.force_login(client_user)
    data = manual_docx(title_85="和服务提供", wrong_84=True)
    response = client.post(
        page,
        {"kind": "manual", "title": "管理手册", "file": SimpleUploadedFile("手册.docx", data)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    version = audit.stage_1_documents.get().versions.get()

    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stage1:review_request", args=[version.pk]))
    review = DocumentReview.objects.get()
    assert response.url == reverse("stage1:review", args=[review.pk])
    text = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "管理手册, version 1 (手册.docx)" in text and "ISO 9001:2015" in text
    assert "8.9.1, 8.9.2, 8.9.3" in text and "和服务提供" in text
    wrong, title = review.proposals.order_by("position")
    client.post(reverse("stage1:proposal_decide", args=[wrong.pk]), {"decision": "confirm"})
    client.post(reverse("stage1:proposal_decide", args=[title.pk]), {"decision": "dismiss", "reason": "wording"})
    title.refresh_from_db()
    assert title.decision == ProposalDecision.DISMISSED
    client.post(reverse("stage1:concern_add", args=[audit.pk]), {"text": "Matrix not signed"})
    assert AreaOfConcern.objects.filter(audit=audit).count() == 2

    client.force_login(client_user)
    text = client.get(page).content.decode()
    assert "Matrix not signed" in text and "8.9.1" in text
    concern = AreaOfConcern.objects.get(text="Matrix not signed")
    client.post(reverse("stage1:concern_answer", args=[concern.pk]), {"answer": "Signed now", "version": version.pk})
    concern.refresh_from_db()
    assert concern.answer == "Signed now" and concern.answer_version == version


def test_a_refused_upload_shows_the_reason_and_saves_nothing(client):
    leader, audit = leader_and_audit()
    client.force_login(leader)
    response = client.post(
        reverse("stage1:audit", args=[audit.pk]),
        {"kind": "manual", "file": SimpleUploadedFile("m.docx", b"PK\x03\x04broken")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400 and "cannot be opened" in response.content.decode()
    assert not audit.stage_1_documents.exists()


def test_another_organisation_and_auditors_off_the_team_see_nothing(client):
    leader, audit = leader_and_audit()
    version = upload(audit, leader)
    for outsider in (UserFactory(role=Role.CLIENT), UserFactory(role=Role.AUDITOR)):
        client.force_login(outsider)
        assert client.get(reverse("stage1:audit", args=[audit.pk])).status_code == 404
        assert client.get(reverse("stage1:version_download", args=[version.pk])).status_code == 404


def test_the_audit_page_has_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    leader, audit = leader_and_audit()
    for _ in range(3):
        first = upload(audit, leader)
        upload(audit, leader, document=first.document)
    client.force_login(leader)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("stage1:audit", args=[audit.pk])).status_code == 200


def test_stage_2_planning_shows_the_open_areas_of_concern_of_stage_1(client):
    from audits.models import AuditType
    from audits.tests.factories import AuditFactory
    from stage1 import services

    leader, stage_1 = leader_and_audit()
    services.stage1_concern_add(audit=stage_1, by=leader, text="GB/T 28001 still cited")
    answered = services.stage1_concern_add(audit=stage_1, by=leader, text="Matrix unsigned")
    answered.answer = "Signed"
    answered.save()
    stage_2 = AuditFactory(client=stage_1.client, programme=stage_1.programme, audit_type=AuditType.STAGE_2)
    client.force_login(UserFactory(role=Role.CB_ADMIN))
    text = client.get(reverse("audits:detail", args=[stage_2.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 open area of concern from stage 1" in text and "GB/T 28001 still cited" in text
    assert "Matrix unsigned" not in text
    assert reverse("stage1:audit", args=[stage_1.pk]) in text


def test_the_portal_audit_page_of_a_stage_1_links_to_its_documents(client):
    _, audit = leader_and_audit()
    client.force_login(UserFactory(role=Role.CLIENT, client=audit.client))
    text = client.get(reverse("clients:portal_audit", args=[audit.pk])).content.decode()
    assert reverse("stage1:audit", args=[audit.pk]) in text


@pytest.mark.parametrize(
    "data",
    [
        {"answer": "x" * 100_000},
        {"answer": "Signed", "version": "abc"},
        {"answer": "Signed", "version": "9" * 40},
        {"answer": "Signed", "version": str(2**63)},
        {"answer": "Signed", "version": "-1"},
        {"answer": "Signed", "version": "1.5"},
        {"answer": "Signed", "version": ["1", "2"]},
        {"answer": "bad\x00null"},
        {"answer": " "},
        {"version": "1"},
        {},
    ],
    ids=lambda data: ",".join(f"{k}={str(v)[:12]!r}" for k, v in data.items()) or "nothing",
)
def test_a_hostile_answer_is_refused_with_a_message_and_saves_nothing(client, data):
    """Hostile input to the answer form: a message on the audit's page, never a 500,
    and the concern stays open."""
    leader, audit = leader_and_audit()
    concern = AreaOfConcern.objects.create(audit=audit, text="Matrix not signed", created_by=leader)
    client_user = UserFactory(role=Role.CLIENT, client=audit.client)
    client.force_login(client_user)
    response = client.post(reverse("stage1:concern_answer", args=[concern.pk]), data, follow=True)
    assert response.status_code == 200
    levels = {m.level_tag for m in response.context["messages"]}
    assert levels == {"error"}
    concern.refresh_from_db()
    assert concern.is_open and concern.answer_version is None


def test_an_answer_naming_another_audits_document_is_refused(client):
    leader, audit = leader_and_audit()
    concern = AreaOfConcern.objects.create(audit=audit, text="Matrix not signed", created_by=leader)
    client_user = UserFactory(role=Role.CLIENT, client=audit.client)
    other = upload(stage1_audit(leader), leader)
    client.force_login(client_user)
    response = client.post(
        reverse("stage1:concern_answer", args=[concern.pk]),
        {"answer": "Signed", "version": other.pk},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "belongs to another audit" in response.content.decode()
    concern.refresh_from_db()
    assert concern.is_open


@pytest.mark.parametrize("text", ["x" * 100_000, "bad\x00null", " "], ids=["huge", "nul", "blank"])
def test_a_hostile_concern_or_dismissal_is_refused_with_a_message_and_saves_nothing(client, text):
    """A NUL character is refused by PostgreSQL (a 500 if it reached the database); a huge text
    is refused by the forms: a message each time, nothing saved."""
    from stage1.tests.access_rows import _proposal

    leader, audit = leader_and_audit()
    client.force_login(leader)
    response = client.post(reverse("stage1:concern_add", args=[audit.pk]), {"text": text}, follow=True)
    assert {m.level_tag for m in response.context["messages"]} == {"error"}
    response = client.post(
        reverse("stage1:concern_add", args=[audit.pk]), {"text": "Matrix", "evidence": text}, follow=True
    )
    if text.strip():
        assert {m.level_tag for m in response.context["messages"]} == {"error"}
        assert not AreaOfConcern.objects.exists()

    proposal = ReviewProposal.objects.get(pk=_proposal(leader)["pk"])
    for data in ({"decision": "dismiss", "reason": text}, {"decision": "confirm", "text": text}):
        response = client.post(reverse("stage1:proposal_decide", args=[proposal.pk]), data, follow=True)
        proposal.refresh_from_db()
        if text.strip() or data["decision"] == "dismiss":
            assert {m.level_tag for m in response.context["messages"]} == {"error"}
            assert proposal.decision == ProposalDecision.OPEN
