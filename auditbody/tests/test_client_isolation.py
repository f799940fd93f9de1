"""A client user reaches its own organisation only: for every object of ANOTHER organisation —
NC (page and answer form), audit (portal and audit page), audit plan, report (preview and issued
PDF), NC evidence file, client document, the organisation itself — it gets 404, whatever id it
types, while the same page of its own object opens; no list shows another organisation's rows.

Each case builds the same kind of object for both organisations, so a 404 proves the
organisation rule, not a broken URL. Every object and page exists in this build: nothing here is
skipped. ``test_every_client_page_with_an_object_in_its_url_is_404`` walks the access table
(auditbody/tests/access_table.py): a page added later that lets client users in with an id in its
URL is checked without anyone adding a case here. (The test reaches the pages of every app, so it
lives with the project's tests, not in one app's.)
"""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from auditbody.tests.access_table import PAGES
from audits.tests.factories import AuditFactory, PlanItemFactory, UserFactory
from clients.tests.factories import ClientDocumentFactory, ClientFactory
from core.access import Role
from core.testing import PUBLIC
from findings.models import NonconformityResponse
from findings.tests.factories import answer, make_nc, pdf_file
from reports.models import ReportVersion, VersionKind
from reports.tests.factories import report_for

pytestmark = pytest.mark.django_db


@dataclass
class Organisation:
    """One organisation's client user and everything of it a client user may reach."""

    user: object
    audit: object
    nc: object
    nc_file: object
    report: object
    document: object
    version: object
    marker: str  # a text only this organisation's pages show


def organisation(marker):
    user = UserFactory(role=Role.CLIENT, client=ClientFactory(name_zh=f"{marker}有限公司"))
    audit = AuditFactory(client=user.client)
    PlanItemFactory(audit=audit, process=f"{marker}过程")
    nc = make_nc(audit, statement=f"{marker}的不符合")
    response = answer(nc, user, files=[pdf_file(f"{marker}证据.pdf")])
    report = report_for(user, approved=True)
    content = b"%PDF-1.7\n% isolation test\n"
    version = ReportVersion(
        report=report,
        kind=VersionKind.ISSUED,
        sequence=1,
        issue=1,
        language="zh-hans",
        report_number=f"CB-{marker}-0001",
        report_status="approved",
        sha256="0" * 64,
        size=len(content),
        pages=1,
        data={},
        data_sha256="0" * 64,
    )
    version.file.save("isolation.pdf", ContentFile(content), save=False)
    version.save()
    return Organisation(
        user=user,
        audit=audit,
        nc=nc,
        nc_file=response.files.get(),
        report=report,
        document=ClientDocumentFactory(client=user.client),
        version=version,
        marker=marker,
    )


@pytest.fixture
def mine():
    return organisation("我方")


@pytest.fixture
def theirs():
    return organisation("他方")


# What a client user must not reach of another organisation: (url name, the object in the URL).
OBJECT_PAGES = {
    "NC (portal page)": ("clients:portal_nc", lambda o: o.nc),
    "audit (portal page)": ("clients:portal_audit", lambda o: o.audit),
    "audit (audit page)": ("audits:detail", lambda o: o.audit),
    "audit plan": ("audits:plan_print", lambda o: o.audit),
    "report (preview)": ("reports:preview", lambda o: o.report),
    "report (issued PDF)": ("reports:version_download", lambda o: o.version),
    "NC evidence file": ("findings:nc_evidence", lambda o: o.nc_file),
    "client document": ("clients:document_download", lambda o: o.document),
    "organisation": ("clients:detail", lambda o: o.user.client),
}
# Lists a client user opens: (url name, the OBJECT_PAGES link of its own that the list shows).
LIST_PAGES = {
    "start page": ("accounts:home", None),  # its NC is answered: nothing waits for the client
    "portal start page": ("clients:portal_home", "audit (portal page)"),
    "portal audits": ("clients:portal_audits", "audit (portal page)"),
    "portal NCs": ("clients:portal_ncs", "NC (portal page)"),
    "portal reports": ("clients:portal_reports", "report (preview)"),
    "audit list": ("audits:list", None),
    "issued reports": ("reports:issued_list", "report (issued PDF)"),
}


def _url(name, obj):
    return reverse(name, args=[obj.pk])


@pytest.mark.parametrize("what", list(OBJECT_PAGES))
def test_client_user_gets_404_for_another_organisations_object(client, mine, theirs, what):
    name, of = OBJECT_PAGES[what]
    client.force_login(mine.user)
    assert client.get(_url(name, of(mine))).status_code == 200, f"{what}: its own must open"
    assert client.get(_url(name, of(theirs))).status_code == 404, what


def test_client_user_cannot_answer_another_organisations_nc(client, mine, theirs):
    client.force_login(mine.user)
    data = {"correction": "改", "root_cause": "因", "corrective_action": "措施"}
    assert client.post(reverse("clients:portal_nc", args=[theirs.nc.pk]), data).status_code == 404
    assert NonconformityResponse.objects.filter(nc=theirs.nc).count() == 1
    theirs.nc.refresh_from_db()
    assert theirs.nc.status == "responded"


@pytest.mark.parametrize("what", list(LIST_PAGES))
def test_no_list_shows_another_organisations_rows(client, mine, theirs, what):
    name, own_link = LIST_PAGES[what]
    client.force_login(mine.user)
    response = client.get(reverse(name), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    if own_link:  # the list does list the user's own organisation
        link, of = OBJECT_PAGES[own_link]
        assert reverse(link, args=[of(mine).pk]) in html, what
    assert theirs.marker not in html, what
    for link, of in OBJECT_PAGES.values():
        assert reverse(link, args=[of(theirs).pk]) not in html, (what, link)


# --- every page of the access table that lets client users in with an id in the URL --------------

# Pages open to client users whose URL argument is not an object of an organisation. A page listed
# here is exempt from the 404 rule below; say why next to it.
SHARED_OBJECT_PAGES = frozenset(
    {
        # The argument names a filter field; the choices are the user's own
        # (audits/tests/test_list_choices.py).
        "audits:list_choices",
    }
)

CLIENT_OBJECT_PAGES = [
    page
    for page in PAGES
    if page.kwargs is not None
    and page.allowed != PUBLIC
    and Role.CLIENT in page.allowed
    and page.url_name not in SHARED_OBJECT_PAGES
]


def test_the_walk_finds_the_portal_pages():
    names = {page.url_name for page in CLIENT_OBJECT_PAGES}
    assert {"clients:portal_nc", "clients:portal_audit", "findings:nc_evidence", "reports:preview"} <= names


@pytest.mark.parametrize("page", CLIENT_OBJECT_PAGES, ids=[p.url_name for p in CLIENT_OBJECT_PAGES])
def test_every_client_page_with_an_object_in_its_url_is_404_for_another_organisation(client, page):
    me = UserFactory(role=Role.CLIENT)
    stranger = UserFactory(role=Role.CLIENT)
    url = reverse(page.url_name, kwargs=page.kwargs(stranger))  # the stranger's own object
    client.force_login(me)
    assert getattr(client, page.method)(url).status_code == 404
    client.force_login(stranger)
    assert getattr(client, page.method)(url).status_code == page.ok_status
