"""Uploads are checked by structure, not only by their first bytes: a PNG header followed by HTML,
or ``%PDF-`` followed by HTML, is refused on every upload field (client documents, NC evidence,
finding evidence), and nothing is stored."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audits.models import AuditStatus
from clients import services as client_services
from clients.models import ClientDocument
from clients.tests.factories import JPG_BYTES, PDF_BYTES, PNG_BYTES
from clients.uploads import check_document
from findings import services
from findings.models import FindingEvidence, NonconformityEvidence, NonconformityResponse
from findings.tests.atomic_scenarios import _finding, _in_progress
from findings.tests.factories import answer, cast, make_nc

pytestmark = pytest.mark.django_db

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
HOSTILE = {
    "png-header-then-html.png": b"\x89PNG\r\n\x1a\n" + HTML,
    "pdf-header-then-html.pdf": b"%PDF-1.7\n" + HTML,
    "jpg-header-then-html.jpg": b"\xff\xd8\xff\xe0" + HTML,
    "truncated.png": PNG_BYTES[: len(PNG_BYTES) // 2],
    "truncated.pdf": PDF_BYTES[: len(PDF_BYTES) // 2],
}
GOOD = {"photo.png": PNG_BYTES, "photo.jpg": JPG_BYTES, "scan.pdf": PDF_BYTES}


def _upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_file_with_a_right_header_but_a_wrong_structure_is_refused(name):
    with pytest.raises(ValidationError) as refused:
        check_document(_upload(name, HOSTILE[name]))
    assert refused.value.code == "content_mismatch"


@pytest.mark.parametrize("name", sorted(GOOD))
def test_real_files_pass(name):
    assert check_document(_upload(name, GOOD[name])).size == len(GOOD[name])


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_upload_field_refuses_a_disguised_file(name):
    people, department = _in_progress()
    finding = _finding(people, department)
    with pytest.raises(ValidationError):
        services.finding_evidence_add(finding=finding, uploaded_file=_upload(name, HOSTILE[name]), by=people.member)
    assert not FindingEvidence.objects.exists()

    with pytest.raises(ValidationError):
        client_services.client_document_upload(
            client=people.audit.client,
            kind="manual",
            title="手册",
            uploaded_file=_upload(name, HOSTILE[name]),
            by=people.admin,
        )
    assert not ClientDocument.objects.exists()

    answered = cast(status=AuditStatus.APPROVED)
    nc = make_nc(answered.audit)
    with pytest.raises(ValidationError):
        answer(nc, answered.client_user, files=[_upload(name, HOSTILE[name])])
    assert not NonconformityResponse.objects.filter(nc=nc).exists()
    assert not NonconformityEvidence.objects.exists()
