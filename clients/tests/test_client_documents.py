"""Client documents: size and type limits (name AND content), permission-checked download."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients.models import ClientDocument
from clients.tests.factories import JPG_BYTES, PDF_BYTES, PNG_BYTES, ClientDocumentFactory, ClientFactory, UserFactory
from clients.uploads import MAX_DOCUMENT_SIZE
from core.access import Role

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100
PNG = PNG_BYTES
JPG = JPG_BYTES
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50


def ooxml(part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}/document.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture
def admin_client(en_client):
    en_client.force_login(UserFactory(role=Role.CB_ADMIN))
    return en_client


def upload(admin_client, client, name, content, kind="manual", title="管理手册"):
    return admin_client.post(
        reverse("clients:document_upload", args=[client.pk]),
        {"kind": kind, "title": title, "file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize(
    "name,content,content_type",
    [
        ("管理手册.pdf", PDF_BYTES, "application/pdf"),
        ("procedures.DOCX", ooxml("word"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("matrix.xlsx", ooxml("xl"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("old.doc", OLE, "application/msword"),
        ("old.xls", OLE, "application/vnd.ms-excel"),
        ("chart.png", PNG, "image/png"),
        ("photo.jpeg", JPG, "image/jpeg"),
        ("photo.jpg", JPG, "image/jpeg"),
    ],
    ids=lambda value: value if isinstance(value, str) and "/" not in value else "",
)
def test_accepted_types_are_stored_with_size_type_and_uploader(admin_client, name, content, content_type):
    client = ClientFactory()
    response = upload(admin_client, client, name, content)
    assert response.status_code == 302
    document = ClientDocument.objects.get(client=client)
    assert (document.original_name, document.size, document.content_type) == (name, len(content), content_type)
    assert document.uploaded_by.role == Role.CB_ADMIN
    assert document.file.name.startswith(f"private/clients/{client.pk}/")
    assert name not in document.file.name  # the stored name never reuses the uploader's
    assert document.history.count() == 1


def test_renamed_exe_is_refused_with_a_clear_message(admin_client):
    client = ClientFactory()
    response = upload(admin_client, client, "管理手册.pdf", EXE)
    assert response.status_code == 400
    assert (
        "The content of “管理手册.pdf” is not a PDF file but a Windows program; it was refused."
        in response.content.decode()
    )
    assert not ClientDocument.objects.exists()


def test_exe_by_extension_is_refused(admin_client):
    client = ClientFactory()
    response = upload(admin_client, client, "setup.exe", EXE)
    assert (
        "“setup.exe” is not an accepted type. Accepted: PDF, DOC, DOCX, XLS, XLSX, PNG, JPG."
        in response.content.decode()
    )
    assert not ClientDocument.objects.exists()


def test_the_refusal_is_shown_on_the_file_field(admin_client):
    response = upload(admin_client, ClientFactory(), "setup.exe", EXE)
    assert response.status_code == 400
    assert "is not an accepted type" in " ".join(response.context["form"].errors["file"])


@pytest.mark.parametrize(
    "name,content",
    [
        ("matrix.docx", ooxml("xl")),  # an Excel file renamed .docx
        ("report.xlsx", b"PK\x03\x04not really a zip"),
        ("scan.png", JPG),
        ("manual.pdf", b"just text pretending"),
        ("manual.doc", PDF_BYTES),
    ],
    ids=["xlsx-renamed-docx", "broken-zip-xlsx", "jpg-renamed-png", "text-renamed-pdf", "pdf-renamed-doc"],
)
def test_content_that_does_not_match_the_extension_is_refused(admin_client, name, content):
    response = upload(admin_client, ClientFactory(), name, content)
    assert response.status_code == 400
    assert f"The content of “{name}” is not a" in response.content.decode()
    assert not ClientDocument.objects.exists()


def test_file_over_20_mb_is_refused(admin_client):
    big = PDF_BYTES + b"\x00" * (MAX_DOCUMENT_SIZE - len(PDF_BYTES) + 1)
    response = upload(admin_client, ClientFactory(), "big.pdf", big)
    assert "“big.pdf” is 20.0\xa0MB; documents may be at most 20.0\xa0MB." in response.content.decode()
    assert not ClientDocument.objects.exists()


def test_file_of_exactly_20_mb_is_accepted(admin_client):
    exact = PDF_BYTES + b"\x00" * (MAX_DOCUMENT_SIZE - len(PDF_BYTES))
    assert upload(admin_client, ClientFactory(), "exact.pdf", exact).status_code == 302


def test_empty_file_is_refused(admin_client):
    response = upload(admin_client, ClientFactory(), "empty.pdf", b"")
    assert response.status_code == 400
    assert not ClientDocument.objects.exists()


# --- download --------------------------------------------------------------------------------


def _content(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("role", [Role.CB_ADMIN, Role.AUDITOR, Role.TEAM_LEADER, Role.COMMITTEE])
def test_cb_staff_download_a_document_as_an_attachment(en_client, role):
    document = ClientDocumentFactory(original_name="管理手册.pdf")
    en_client.force_login(UserFactory(role=role))
    response = en_client.get(reverse("clients:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert _content(response) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_client_user_downloads_its_own_organisations_document(en_client):
    user = UserFactory(role=Role.CLIENT)
    document = ClientDocumentFactory(client=user.client)
    en_client.force_login(user)
    assert _content(en_client.get(reverse("clients:document_download", args=[document.pk]))) == PDF_BYTES


def test_client_user_gets_404_for_another_clients_document(en_client):
    user = UserFactory(role=Role.CLIENT)
    document = ClientDocumentFactory(client=ClientFactory())
    en_client.force_login(user)
    assert en_client.get(reverse("clients:document_download", args=[document.pk])).status_code == 404


def test_anonymous_download_goes_to_login(client):
    document = ClientDocumentFactory()
    response = client.get(reverse("clients:document_download", args=[document.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_media_files_are_not_served_at_a_public_url(client, settings):
    document = ClientDocumentFactory()
    client.force_login(UserFactory(role=Role.CB_ADMIN))
    assert client.get(f"/{settings.MEDIA_URL}{document.file.name}").status_code == 404


def test_missing_file_gives_404_not_a_crash(en_client):
    document = ClientDocumentFactory()
    document.file.storage.delete(document.file.name)
    en_client.force_login(UserFactory(role=Role.CB_ADMIN))
    assert en_client.get(reverse("clients:document_download", args=[document.pk])).status_code == 404


def test_cb_admin_deletes_a_document_and_its_file(admin_client, django_capture_on_commit_callbacks):
    document = ClientDocumentFactory()
    storage, name = document.file.storage, document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("clients:document_delete", args=[document.pk]))
    assert response.status_code == 302
    assert not ClientDocument.objects.exists() and not storage.exists(name)
