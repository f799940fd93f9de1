"""The admin: import form (size/type limited, errors with line numbers) and export actions."""

import io
import zipfile

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from core.access import Role
from standards.models import CatalogueImport, Standard, TechnicalArea
from standards.tests.test_importer import GOOD

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(role=Role.CB_ADMIN, is_superuser=True))
    return client


def upload(client, url_name, name, content):
    return client.post(reverse(url_name), {"file": SimpleUploadedFile(name, content)}, HTTP_ACCEPT_LANGUAGE="en")


def test_admin_imports_a_standard_file_and_records_who(admin_client):
    response = upload(admin_client, "admin:standards_standard_import", "iso50001.yaml", GOOD.encode())
    assert response.status_code == 302
    assert Standard.objects.get(code="ISO 50001").clauses.count() == 4
    log = CatalogueImport.objects.latest("imported_at", "id")
    assert (log.source, log.file_name) == ("admin", "iso50001.yaml") and log.imported_by


def test_admin_import_of_a_broken_file_shows_line_and_reason_and_changes_nothing(admin_client):
    count = Standard.objects.count()
    with translation.override("en"):
        response = upload(
            admin_client,
            "admin:standards_standard_import",
            "bad.yaml",
            GOOD.replace('number: "4.2"', 'number: "7.2"').encode(),
        )
    assert response.status_code == 200
    assert "line 19" in response.content.decode() and "has no parent" in response.content.decode()
    assert Standard.objects.count() == count


@pytest.mark.parametrize("name,content", [("iso.txt", GOOD.encode()), ("big.yaml", b"#" * (1024 * 1024 + 1))])
def test_admin_import_refuses_wrong_types_and_big_files(admin_client, name, content):
    count = Standard.objects.count()
    response = upload(admin_client, "admin:standards_standard_import", name, content)
    assert response.status_code == 200 and response.context["form"].errors
    assert Standard.objects.count() == count


def test_admin_import_page_is_for_cb_administrators_only(client, make_user):
    client.force_login(make_user(role=Role.AUDITOR))
    response = client.get(reverse("admin:standards_standard_import"))
    assert response.status_code == 302 and "/login/" in response.url


def test_admin_exports_one_standard_as_yaml_and_several_as_a_zip(admin_client):
    url = reverse("admin:standards_standard_changelist")
    one = Standard.objects.get(code="ISO 9001")
    response = admin_client.post(url, {"action": "export_yaml", "_selected_action": [one.pk]})
    assert response["Content-Disposition"] == 'attachment; filename="iso-9001-2015.yaml"'
    assert len(yaml.safe_load(response.content)["clauses"]) == 94

    response = admin_client.post(
        url, {"action": "export_json", "_selected_action": list(Standard.objects.values_list("pk", flat=True))}
    )
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == ["gb-t-28001-2011.json", "iso-14001-2015.json", "iso-45001-2018.json", "iso-9001-2015.json"]


def test_admin_standard_page_shows_the_clauses_read_only(admin_client):
    one = Standard.objects.get(code="ISO 9001")
    html = admin_client.get(reverse("admin:standards_standard_change", args=[one.pk])).content.decode()
    assert "测量溯源" in html and 'name="clauses-0-title_zh"' not in html


def test_admin_imports_and_exports_technical_areas(admin_client):
    content = b'codes:\n  - {code: "19.01", title_zh: "\xe7\x94\xb5\xe5\xad\x90", title_en: "Electronics"}\n'
    response = upload(admin_client, "admin:standards_technicalarea_import", "areas.yaml", content)
    assert response.status_code == 302
    area = TechnicalArea.objects.get(code="19.01")
    response = admin_client.post(
        reverse("admin:standards_technicalarea_changelist"), {"action": "export_yaml", "_selected_action": [area.pk]}
    )
    data = yaml.safe_load(response.content)
    assert [s["code"] for s in data["sectors"]] == ["19"] and [c["code"] for c in data["codes"]] == ["19.01"]


def test_admin_changelists_render(admin_client):
    for name in ("standard", "technicalarea", "catalogueimport"):
        assert admin_client.get(reverse(f"admin:standards_{name}_changelist")).status_code == 200
