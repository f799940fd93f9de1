"""The clients app's actions, each in a realistic case, for the all-or-nothing test
(``auditbody/tests/test_services_atomic.py``, machinery in ``core/tests/atomicity.py``)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from clients import services
from clients.models import Client, ClientDocument, Site, SiteKind
from core.access import Role
from core.tests.atomicity import leaves_files, scenarios

from .factories import (
    PDF_BYTES,
    ClauseFactory,
    ClientDocumentFactory,
    DepartmentFactory,
    ResponsibilityFactory,
    UserFactory,
    full_client,
    technical_area,
)

READS = {
    "stale_edit_error": "builds the refusal of a stale edit; writes nothing",
}
NOT_ATOMIC: dict[str, str] = {}
ATOMIC_BLOCK: dict[str, str] = {}
HELPER_MODULES: dict[str, str] = {}


def admin():
    return UserFactory(role=Role.CB_ADMIN)


def scenario_client_save():
    client, by = full_client(), admin()
    areas = [technical_area("33.02.01"), technical_area("19.01")]

    def add_site(saved):  # what the page's formsets do
        Site.objects.create(client=saved, kind=SiteKind.OPERATING, address_zh="北京市海淀区测试路1号")

    def call():
        edited = Client.objects.get(pk=client.pk)
        edited.headcount = 18
        return services.client_save(
            client=edited, by=by, expected_version=edited.version, technical_areas=areas, save_related=add_site
        )

    return call


def scenario_responsibility_matrix_save():
    client, by = full_client(), admin()
    standard = client.scopes.get().standard
    clauses = [ClauseFactory(standard=standard, number=number) for number in ("4.1", "5.1", "8.4.1")]
    management = client.departments.get()
    sales = DepartmentFactory(client=client, name_zh="销售部")
    ResponsibilityFactory(department=management, clause=clauses[0], role="owner")
    ResponsibilityFactory(department=sales, clause=clauses[1], role="owner")
    cells = {
        (clauses[0].pk, management.pk): "",  # removed
        (clauses[1].pk, sales.pk): "support",  # changed
        (clauses[2].pk, management.pk): "owner",  # added
    }
    return lambda: services.responsibility_matrix_save(
        client=Client.objects.get(pk=client.pk), cells=cells, clauses=clauses, by=by, expected_version=1
    )


@leaves_files("the upload is stored before its row is written; nothing removes it when the row fails")
def scenario_client_document_upload():
    client, by = full_client(), admin()
    return lambda: services.client_document_upload(
        client=client,
        kind="manual",
        title="管理手册",
        uploaded_file=SimpleUploadedFile("管理手册.pdf", PDF_BYTES),
        by=by,
    )


def scenario_client_document_delete():
    document, by = ClientDocumentFactory(client=full_client()), admin()
    return lambda: services.client_document_delete(document=ClientDocument.objects.get(pk=document.pk), by=by)


SCENARIOS = scenarios(globals())
