"""Client pages: list (filters, fixed queries), detail (all part-四 fields), create and edit with
formsets, the stale-edit refusal, and who reaches what."""

import datetime

import pytest
from django.urls import reverse

from clients.models import Client, SiteKind
from clients.tests.factories import (
    ClientDocumentFactory,
    ClientFactory,
    ClientScopeFactory,
    DepartmentFactory,
    SiteFactory,
    StandardFactory,
    UserFactory,
    full_client,
    technical_area,
)
from core.access import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(en_client):
    en_client.force_login(UserFactory(role=Role.CB_ADMIN))
    return en_client


# --- list ------------------------------------------------------------------------------------


def _clients(n):
    for _ in range(n):
        full_client()


@pytest.mark.parametrize("role", [Role.CB_ADMIN, Role.AUDITOR, Role.TEAM_LEADER, Role.COMMITTEE])
def test_staff_see_the_client_list(en_client, role):
    full_client(name_zh="中食互联（北京）科技有限公司")
    en_client.force_login(UserFactory(role=role))
    response = en_client.get(reverse("clients:list"))
    assert response.status_code == 200
    assert "中食互联（北京）科技有限公司" in response.content.decode()


def test_client_list_takes_the_same_number_of_queries_for_3_and_30_clients(admin_client, django_assert_num_queries):
    _clients(3)
    admin_client.get(reverse("clients:list"))  # warm session/content-type caches
    with django_assert_num_queries(7) as small:
        response = admin_client.get(reverse("clients:list"))
    assert len(response.context["page"]) == 3
    _clients(27)
    with django_assert_num_queries(len(small.captured_queries)):
        response = admin_client.get(reverse("clients:list"))
    assert len(response.context["page"]) == 30


def test_client_list_filtered_takes_a_fixed_number_of_queries(admin_client, django_assert_num_queries):
    standard = StandardFactory()
    _clients(2)
    url = reverse("clients:list") + f"?name=测试&code=33&standard={standard.pk}"
    admin_client.get(url)
    with django_assert_num_queries(8) as small:
        admin_client.get(url)
    _clients(10)
    with django_assert_num_queries(len(small.captured_queries)):
        response = admin_client.get(url)
    assert len(response.context["page"]) == 12


def test_filter_by_name_matches_chinese_or_english(admin_client):
    ClientFactory(name_zh="中食互联（北京）科技有限公司", name_en="Zhongshi Hulian")
    ClientFactory(name_zh="易科智控科技（北京）有限公司", name_en="Yike")
    names = lambda q: [c.name_zh for c in admin_client.get(reverse("clients:list"), {"name": q}).context["page"]]  # noqa: E731
    assert names("中食") == ["中食互联（北京）科技有限公司"]
    assert names("yike") == ["易科智控科技（北京）有限公司"]


@pytest.mark.parametrize(
    "query,found", [("33.02.01", True), ("33.02", True), ("33", True), ("33.01", False), ("3", False)]
)
def test_filter_by_code_finds_clients_below_the_code(admin_client, query, found):
    client = ClientFactory()
    client.technical_areas.add(technical_area("33.02.01"))
    page = admin_client.get(reverse("clients:list"), {"code": query}).context["page"]
    assert (client in list(page)) is found


def test_filter_by_standard(admin_client):
    iso9001 = StandardFactory()
    iso14001 = StandardFactory(code="ISO 14001", edition="2015", family="EMS")
    qms = ClientScopeFactory(standard=iso9001).client
    ems = ClientScopeFactory(standard=iso14001).client
    page = list(admin_client.get(reverse("clients:list"), {"standard": iso14001.pk}).context["page"])
    assert page == [ems] and qms not in page


# --- detail ----------------------------------------------------------------------------------


def test_detail_shows_every_part_four_field(admin_client):
    client = full_client(
        name_zh="中食互联（北京）科技有限公司",
        name_en="Zhongshi Hulian",
        postal_code="102488",
        fax="010-5351 6258",
        email="info@example.cn",
        last_audit_on=datetime.date(2019, 12, 1),
        changes_since_last_audit="不适用",
        integrated_audit=False,
    )
    client.sites.all().delete()
    SiteFactory(client=client, kind=SiteKind.REGISTERED, address_zh="北京市房山区良乡凯旋大街建设路18号-D5689")
    SiteFactory(
        client=client, kind=SiteKind.OPERATING, address_zh="北京市朝阳区东土城路8号林达大厦A座14E", is_central=True
    )
    SiteFactory(client=client, kind=SiteKind.BRANCH, name="上海分公司", address_zh="上海市浦东新区")
    SiteFactory(client=client, kind=SiteKind.TEMPORARY, name="项目一", address_zh="天津市")
    UserFactory(role=Role.CLIENT, client=client, full_name="付微")
    ClientDocumentFactory(client=client, title="质量手册")
    html = admin_client.get(reverse("clients:detail", args=[client.pk])).content.decode()
    for text in [
        "中食互联（北京）科技有限公司",
        "Zhongshi Hulian",
        "15 people",
        "102488",
        "北京市房山区良乡凯旋大街建设路18号-D5689",
        "北京市朝阳区东土城路8号林达大厦A座14E",
        "吴瑶",
        "15711433118",
        "010-5351 6258",
        "info@example.cn",
        "段进生",
        "付微",
        "QMS: Basic software services",
        "33.02.01",
        "☐ yes ☑ no",
        "2019-05-20",
        "2019-12-01",
        "上海分公司",
        "项目一",
        "不适用",
        "管理层",
        "质量手册",
    ]:
        assert text in html, text


def test_detail_takes_a_fixed_number_of_queries(admin_client, django_assert_num_queries):
    client = full_client()
    admin_client.get(reverse("clients:detail", args=[client.pk]))
    # 12: the page's 9, the matrix check (the scope's clauses, the client's assignments) and the
    # panels higher apps add (applications: the overdue invoices).
    with django_assert_num_queries(12) as small:
        admin_client.get(reverse("clients:detail", args=[client.pk]))
    for _ in range(5):
        SiteFactory(client=client)
        DepartmentFactory(client=client)
        ClientDocumentFactory(client=client, uploaded_by=UserFactory(role=Role.CB_ADMIN))
        UserFactory(role=Role.CLIENT, client=client)
    with django_assert_num_queries(len(small.captured_queries)):
        admin_client.get(reverse("clients:detail", args=[client.pk]))


# --- object-level access ---------------------------------------------------------------------


def test_client_user_sees_its_own_organisation(en_client):
    user = UserFactory(role=Role.CLIENT)
    en_client.force_login(user)
    response = en_client.get(reverse("clients:detail", args=[user.client_id]))
    assert response.status_code == 200
    assert user.client.name_zh in response.content.decode()
    assert reverse("clients:edit", args=[user.client_id]) not in response.content.decode()


def test_client_user_gets_404_for_another_client(en_client):
    user = UserFactory(role=Role.CLIENT)
    other = ClientFactory()
    en_client.force_login(user)
    assert en_client.get(reverse("clients:detail", args=[other.pk])).status_code == 404
    assert en_client.get(reverse("clients:detail", args=[999999])).status_code == 404


def test_my_organisation_redirects_a_client_user_to_its_own_page(en_client):
    user = UserFactory(role=Role.CLIENT)
    en_client.force_login(user)
    response = en_client.get(reverse("clients:mine"))
    assert response.url == reverse("clients:detail", args=[user.client_id])


@pytest.mark.parametrize(
    "name,method",
    [
        ("clients:edit", "get"),
        ("clients:edit", "post"),
        ("clients:document_upload", "get"),
        ("clients:document_upload", "post"),
        ("clients:matrix_edit", "get"),
        ("clients:matrix_edit", "post"),
        ("clients:matrix", "get"),
    ],
)
def test_client_user_never_reaches_edit_pages_even_of_its_own_client(en_client, name, method):
    user = UserFactory(role=Role.CLIENT)
    en_client.force_login(user)
    response = getattr(en_client, method)(reverse(name, args=[user.client_id]))
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["clients:list", "clients:create", "people:auditor_list", "people:auditor_create"])
def test_client_user_never_reaches_cb_pages(en_client, name):
    en_client.force_login(UserFactory(role=Role.CLIENT))
    assert en_client.get(reverse(name)).status_code == 403


def test_client_user_never_reaches_the_admin_site(en_client):
    user = UserFactory(role=Role.CLIENT)
    en_client.force_login(user)
    for url in [
        reverse("admin:index"),
        reverse("admin:clients_client_changelist"),
        reverse("admin:clients_client_change", args=[user.client_id]),
    ]:
        response = en_client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.TEAM_LEADER, Role.COMMITTEE])
def test_cb_staff_view_but_do_not_edit(en_client, role):
    client = ClientFactory()
    en_client.force_login(UserFactory(role=role))
    assert en_client.get(reverse("clients:detail", args=[client.pk])).status_code == 200
    assert en_client.get(reverse("clients:matrix", args=[client.pk])).status_code == 200
    assert en_client.post(reverse("clients:edit", args=[client.pk]), {"name_zh": "x"}).status_code == 403
    client.refresh_from_db()
    assert client.name_zh != "x"


# --- create / edit ---------------------------------------------------------------------------


def _management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def seed_client_post(standard, **overrides):
    data = {
        "name_zh": "中食互联（北京）科技有限公司",
        "name_en": "Zhongshi Hulian (Beijing) Technology Co., Ltd.",
        "headcount": "15",
        "postal_code": "",
        "phone": "",
        "fax": "",
        "email": "",
        "legal_representative": "段进生",
        "top_management": "段进生",
        "ms_contact": "付微",
        "contact_name": "吴瑶",
        "contact_phone": "15711433118",
        "contact_email": "",
        "technical_area_codes": "33.02.01",
        "system_implemented_on": "2019-05-20",
        "last_audit_on": "",
        "changes_since_last_audit": "不适用",
        **_management("sites", 2),
        "sites-0-kind": "registered",
        "sites-0-address_zh": "北京市房山区良乡凯旋大街建设路18号-D5689",
        "sites-1-kind": "operating",
        "sites-1-address_zh": "北京市朝阳区东土城路8号林达大厦A座14E",
        "sites-1-is_central": "on",
        **_management("scopes", 1),
        "scopes-0-standard": str(standard.pk),
        "scopes-0-scope_zh": "基础软件服务",
        **_management("departments", 3),
        "departments-0-name_zh": "管理层",
        "departments-0-order": "1",
        "departments-1-name_zh": "综合部",
        "departments-1-order": "2",
        "departments-2-name_zh": "技术部",
        "departments-2-order": "3",
    }
    data.update(overrides)
    return data


def test_cb_admin_creates_the_seed_client_with_sites_scope_and_departments(admin_client):
    technical_area("33.02.01")
    standard = StandardFactory()
    response = admin_client.post(reverse("clients:create"), seed_client_post(standard))
    client = Client.objects.get(name_zh="中食互联（北京）科技有限公司")
    assert response.status_code == 302 and response.url == reverse("clients:detail", args=[client.pk])
    assert client.headcount == 15 and client.ms_contact == "付微" and client.version == 1
    assert [a.code for a in client.technical_areas.all()] == ["33.02.01"]
    assert sorted(client.sites.values_list("kind", "is_central")) == [("operating", True), ("registered", False)]
    assert [(s.standard, s.scope_zh) for s in client.scopes.all()] == [(standard, "基础软件服务")]
    assert list(client.departments.values_list("name_zh", flat=True)) == ["管理层", "综合部", "技术部"]


def test_unknown_technical_area_code_is_refused_with_the_code_named(admin_client):
    standard = StandardFactory()
    response = admin_client.post(reverse("clients:create"), seed_client_post(standard, technical_area_codes="99.99.99"))
    assert response.status_code == 200
    assert "Unknown technical-area code: 99.99.99." in response.content.decode()
    assert not Client.objects.exists()


def test_two_central_sites_are_refused(admin_client):
    standard = StandardFactory()
    technical_area("33.02.01")
    data = seed_client_post(standard, **{"sites-0-is_central": "on"})
    response = admin_client.post(reverse("clients:create"), data)
    assert "Only one site can be the central function." in response.content.decode()
    assert not Client.objects.exists()


def test_same_standard_twice_in_the_scope_is_refused(admin_client):
    standard = StandardFactory()
    technical_area("33.02.01")
    data = seed_client_post(
        standard, **_management("scopes", 2), **{"scopes-1-standard": str(standard.pk), "scopes-1-scope_zh": "又一个"}
    )
    response = admin_client.post(reverse("clients:create"), data)
    assert response.status_code == 200
    assert not Client.objects.exists()


def test_moving_the_central_site_from_one_site_to_another_is_saved(admin_client):
    client = ClientFactory()
    a = SiteFactory(client=client, is_central=False)
    b = SiteFactory(client=client, is_central=True)
    data = _edit_post(client, **{"sites-0-is_central": "on", "sites-1-is_central": ""})
    response = admin_client.post(reverse("clients:edit", args=[client.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    a.refresh_from_db(), b.refresh_from_db()
    assert a.is_central and not b.is_central


def _edit_post(client, **overrides):
    client.refresh_from_db()
    sites = list(client.sites.order_by("kind", "id"))
    scopes = list(client.scopes.all())
    departments = list(client.departments.all())
    data = {
        **{
            f: getattr(client, f) or ""
            for f in (
                "name_zh",
                "name_en",
                "headcount",
                "postal_code",
                "phone",
                "fax",
                "email",
                "legal_representative",
                "top_management",
                "ms_contact",
                "contact_name",
                "contact_phone",
                "contact_email",
                "changes_since_last_audit",
            )
        },
        "system_implemented_on": client.system_implemented_on.isoformat() if client.system_implemented_on else "",
        "technical_area_codes": ", ".join(a.code for a in client.technical_areas.all()),
        "version": str(client.version),
        **_management("sites", len(sites), len(sites)),
        **_management("scopes", len(scopes), len(scopes)),
        **_management("departments", len(departments), len(departments)),
    }
    for i, s in enumerate(sites):
        data.update(
            {
                f"sites-{i}-id": s.pk,
                f"sites-{i}-kind": s.kind,
                f"sites-{i}-address_zh": s.address_zh,
                f"sites-{i}-is_central": "on" if s.is_central else "",
            }
        )
    for i, s in enumerate(scopes):
        data.update({f"scopes-{i}-id": s.pk, f"scopes-{i}-standard": s.standard_id, f"scopes-{i}-scope_zh": s.scope_zh})
    for i, d in enumerate(departments):
        data.update(
            {f"departments-{i}-id": d.pk, f"departments-{i}-name_zh": d.name_zh, f"departments-{i}-order": d.order}
        )
    data.update(overrides)
    return {k: v for k, v in data.items() if v != "" or not k.endswith("is_central")}


def test_edit_saves_and_moves_the_version_on(admin_client):
    client = full_client(headcount=15)
    response = admin_client.post(reverse("clients:edit", args=[client.pk]), _edit_post(client, headcount="16"))
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.headcount == 16 and client.version == 2


def test_stale_edit_is_refused_with_a_clear_message_and_the_input_kept(admin_client):
    client = full_client(headcount=15)
    stale = _edit_post(client, headcount="17", contact_name="新联系人")
    # Another administrator saves in between.
    assert (
        admin_client.post(reverse("clients:edit", args=[client.pk]), _edit_post(client, headcount="16")).status_code
        == 302
    )

    response = admin_client.post(reverse("clients:edit", args=[client.pk]), stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this client while you were editing it." in html
    assert 'value="17"' in html and 'value="新联系人"' in html  # nothing the user typed is lost
    client.refresh_from_db()
    assert client.headcount == 16 and client.contact_name == "吴瑶" and client.version == 2


def test_deleting_a_site_and_a_department_through_the_formsets(admin_client):
    client = full_client()
    data = _edit_post(client, **{"sites-0-DELETE": "on", "departments-0-DELETE": "on"})
    assert admin_client.post(reverse("clients:edit", args=[client.pk]), data).status_code == 302
    assert not client.sites.exists() and not client.departments.exists()


def test_edit_page_takes_a_fixed_number_of_queries(admin_client, django_assert_num_queries):
    client = full_client()
    url = reverse("clients:edit", args=[client.pk])
    admin_client.get(url)
    with django_assert_num_queries(10) as small:
        admin_client.get(url)
    for _ in range(6):
        SiteFactory(client=client)
        DepartmentFactory(client=client)
    with django_assert_num_queries(len(small.captured_queries)):
        admin_client.get(url)


def test_edit_without_the_version_is_refused(admin_client):
    client = full_client(headcount=15)
    data = _edit_post(client, headcount="40")
    del data["version"]
    response = admin_client.post(reverse("clients:edit", args=[client.pk]), data)
    assert response.status_code == 200
    client.refresh_from_db()
    assert client.headcount == 15 and client.version == 1


def test_site_changes_through_the_page_are_recorded_with_the_user(en_client):
    admin = UserFactory(role=Role.CB_ADMIN)
    en_client.force_login(admin)
    client = full_client()
    site = client.sites.get()
    data = _edit_post(client, **{"sites-0-address_zh": "北京市朝阳区东土城路8号林达大厦A座14E"})
    assert en_client.post(reverse("clients:edit", args=[client.pk]), data).status_code == 302
    latest = site.history.latest()
    assert latest.address_zh == "北京市朝阳区东土城路8号林达大厦A座14E" and latest.history_user == admin


def test_a_change_in_the_admin_site_moves_the_version_on(rf):
    from django.contrib.admin.sites import site as admin_site

    from clients.admin import ClientAdmin

    admin = UserFactory(role=Role.CB_ADMIN)
    client = ClientFactory()
    client.headcount = 22
    request = rf.post("/")
    request.user = admin
    ClientAdmin(Client, admin_site).save_model(request, client, form=None, change=True)
    client.refresh_from_db()
    assert client.version == 2 and client.history.latest().history_user == admin
