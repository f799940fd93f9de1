"""The client's page of stage 1 areas of concern (ISO/IEC 17021-1 9.3.1.2.3): its own only (another
organisation's id is 404), answered there with the stage 1 answer service, with a corrected
document of the same audit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import UserFactory
from audits.models import AuditType
from audits.tests.factories import audit_for
from core.access import Role
from stage1 import services
from stage1.models import AreaOfConcern

pytestmark = pytest.mark.django_db


def stage_1_with_concern(text="手册仍引用 GB/T 28001-2011"):
    leader = UserFactory(role=Role.TEAM_LEADER)
    audit = audit_for(leader, audit_type=AuditType.STAGE_1, purpose="stage1")
    concern = services.stage1_concern_add(audit=audit, by=leader, text=text)
    client_user = UserFactory(role=Role.CLIENT, client=audit.client)
    return audit, concern, client_user


def test_the_client_answers_its_concern_with_a_corrected_document(client):
    audit, concern, client_user = stage_1_with_concern()
    corrected = services.stage1_document_upload(
        audit=audit,
        uploaded_file=SimpleUploadedFile("手册.txt", "4.1 组织环境\n".encode()),
        by=client_user,
        title="管理手册",
    )
    client.force_login(client_user)
    page = client.get(reverse("clients:portal_concerns")).content.decode()
    assert "GB/T 28001-2011" in page and 'data-testid="portal-concerns-open"' in page
    assert 'data-testid="portal-nav-concerns"' in page
    audit_page = client.get(reverse("clients:portal_audit", args=[audit.pk])).content.decode()
    assert reverse("clients:portal_concerns") in audit_page
    url = reverse("clients:portal_concern", args=[concern.pk])
    assert 'data-testid="concern-answer-form"' in client.get(url).content.decode()
    assert client.post(url, {"answer": ""}).status_code == 400
    response = client.post(url, {"answer": "已按 ISO 45001 修订手册", "version": corrected.pk})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.answer, concern.answer_version, concern.answered_by) == (
        "已按 ISO 45001 修订手册",
        corrected,
        client_user,
    )
    assert 'data-testid="concern-answered"' in client.get(url).content.decode()


def test_another_organisations_concern_is_404_and_not_listed(client):
    _audit, concern, _client_user = stage_1_with_concern(text="另一家组织的关注事项")
    _own_audit, _own, own_user = stage_1_with_concern(text="本组织的关注事项")
    client.force_login(own_user)
    page = client.get(reverse("clients:portal_concerns")).content.decode()
    assert "本组织的关注事项" in page and "另一家组织的关注事项" not in page
    url = reverse("clients:portal_concern", args=[concern.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "不是我们的"}).status_code == 404
    concern.refresh_from_db()
    assert concern.is_open


def test_a_corrected_document_of_another_audit_is_refused(client):
    _audit, concern, client_user = stage_1_with_concern()
    other = audit_for(client_user, audit_type=AuditType.STAGE_1, purpose="stage1")
    elsewhere = services.stage1_document_upload(
        audit=other, uploaded_file=SimpleUploadedFile("b.txt", "4.1 组织环境\n".encode()), by=client_user, title="程序"
    )
    client.force_login(client_user)
    response = client.post(
        reverse("clients:portal_concern", args=[concern.pk]), {"answer": "x", "version": elsewhere.pk}
    )
    assert response.status_code == 400
    assert AreaOfConcern.objects.get(pk=concern.pk).is_open


@pytest.mark.parametrize("count", [1, 4])
def test_the_concern_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    audit, _concern, client_user = stage_1_with_concern()
    for n in range(count - 1):
        AreaOfConcern.objects.create(audit=audit, text=f"关注事项 {n}", created_by=client_user)
    client.force_login(client_user)
    with django_assert_num_queries(3):  # session, user, the concerns
        response = client.get(reverse("clients:portal_concerns"))
    assert response.content.decode().count('data-testid="portal-concern-row"') == count
