"""The client portal: a client user sees its own organisation only — audits with their plans,
its NCs (which it answers), its issued reports — and nothing of any other organisation,
whatever id is typed in a URL."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.tests.factories import AuditFactory, PlanItemFactory, UserFactory
from clients.tests.factories import ClientDocumentFactory
from core.access import Role
from findings import services as nc_services
from findings.models import Nonconformity, NonconformityResponse
from findings.tests.factories import answer, cast, make_nc, pdf_file
from reports.tests.factories import evidence_file, report_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return cast()


@pytest.fixture
def theirs(people):
    """Another organisation's audit, NC (answered, with a file), approved report, document and
    finding evidence — everything a client user must not reach."""
    stranger = UserFactory(role=Role.CLIENT)
    audit = AuditFactory(client=stranger.client)
    nc = make_nc(audit)
    response = answer(nc, stranger, files=[pdf_file("他们的证据.pdf")])
    report = report_for(stranger, approved=True)
    from audits.tests.factories import ClauseFactory, iso9001
    from findings.models import Finding

    finding = Finding.objects.create(audit=audit, clause=ClauseFactory(standard=iso9001()), description="发现")
    return {
        "audit": audit,
        "nc": nc,
        "nc_file": response.files.get(),
        "report": report,
        "document": ClientDocumentFactory(client=stranger.client),
        "finding_file": evidence_file(finding),
        "client": stranger.client,
    }


def not_found_urls(theirs):
    return {
        "portal audit": reverse("clients:portal_audit", args=[theirs["audit"].pk]),
        "portal NC": reverse("clients:portal_nc", args=[theirs["nc"].pk]),
        "NC evidence file": reverse("findings:nc_evidence", args=[theirs["nc_file"].pk]),
        "audit page": reverse("audits:detail", args=[theirs["audit"].pk]),
        "audit plan": reverse("audits:plan_print", args=[theirs["audit"].pk]),
        "approved report": reverse("reports:preview", args=[theirs["report"].pk]),
        "client document": reverse("clients:document_download", args=[theirs["document"].pk]),
        "organisation": reverse("clients:detail", args=[theirs["client"].pk]),
    }


def test_client_user_gets_404_for_another_organisations_nc_audit_report_and_files(client, people, theirs):
    client.force_login(people.client_user)
    for what, url in not_found_urls(theirs).items():
        assert client.get(url).status_code == 404, what
    # Answering another organisation's NC is 404 too, and nothing is written.
    response = client.post(
        reverse("clients:portal_nc", args=[theirs["nc"].pk]),
        {"correction": "x", "root_cause": "y", "corrective_action": "z"},
    )
    assert response.status_code == 404
    assert NonconformityResponse.objects.filter(nc=theirs["nc"]).count() == 1


def test_client_user_never_reaches_staff_pages_or_finding_evidence(client, people, theirs):
    client.force_login(people.client_user)
    for url in (
        reverse("findings:nc_register"),
        reverse("findings:nc_detail", args=[theirs["nc"].pk]),
        reverse("findings:nc_due_rules"),
        reverse("reports:evidence_download", args=[theirs["finding_file"].pk]),
    ):
        assert client.get(url).status_code == 403, url
    for url in (
        reverse("findings:nc_verify", args=[theirs["nc"].pk]),
        reverse("findings:nc_closure", args=[theirs["nc"].pk]),
    ):
        assert client.post(url, {"decision": "accept", "method": "documents"}).status_code == 403


def test_lists_show_only_the_own_organisation(client, people, theirs):
    mine = make_nc(people.audit, statement="我们的不符合")
    own_report = report_for(people.client_user, approved=True)
    client.force_login(people.client_user)
    html = client.get(reverse("clients:portal_ncs")).content.decode()
    assert "我们的不符合" in html and html.count('data-testid="portal-nc-row"') == 1
    assert reverse("clients:portal_nc", args=[mine.pk]) in html
    audits_html = client.get(reverse("clients:portal_audits")).content.decode()
    assert reverse("clients:portal_audit", args=[people.audit.pk]) in audits_html
    assert reverse("clients:portal_audit", args=[theirs["audit"].pk]) not in audits_html
    reports_html = client.get(reverse("clients:portal_reports")).content.decode()
    assert reverse("reports:preview", args=[own_report.pk]) in reports_html
    assert reverse("reports:preview", args=[theirs["report"].pk]) not in reports_html
    home = client.get(reverse("clients:portal_home")).content.decode()
    assert reverse("clients:portal_nc", args=[mine.pk]) in home


def test_draft_reports_are_not_listed(client, people):
    draft = report_for(people.client_user, approved=False)
    client.force_login(people.client_user)
    assert (
        reverse("reports:preview", args=[draft.pk])
        not in client.get(reverse("clients:portal_reports")).content.decode()
    )
    assert client.get(reverse("reports:preview", args=[draft.pk])).status_code == 404


def test_audit_page_shows_the_plan_and_the_ncs(client, people):
    PlanItemFactory(audit=people.audit, process="首次会议")
    make_nc(people.audit, statement="记录未保存")
    client.force_login(people.client_user)
    html = client.get(reverse("clients:portal_audit", args=[people.audit.pk])).content.decode()
    assert "首次会议" in html and "记录未保存" in html
    assert reverse("audits:plan_print", args=[people.audit.pk]) in html


def test_client_answers_an_nc_with_an_evidence_file(client, people):
    nc = make_nc(people.audit)
    client.force_login(people.client_user)
    url = reverse("clients:portal_nc", args=[nc.pk])
    assert 'data-testid="response-form"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "correction": "已更新手册",
            "root_cause": "未执行文件控制程序",
            "corrective_action": "培训并每月核查",
            "files": [pdf_file("培训记录.pdf")],
            "version": nc.version,
        },
    )
    assert response.status_code == 302
    nc.refresh_from_db()
    assert nc.status == "responded"
    round_1 = NonconformityResponse.objects.get(nc=nc)
    assert round_1.submitted_by == people.client_user
    assert round_1.files.get().original_name == "培训记录.pdf"
    page = client.get(url).content.decode()
    assert 'data-testid="response-form"' not in page and "培训记录.pdf" in page
    download = client.get(reverse("findings:nc_evidence", args=[round_1.files.get().pk]))
    assert download.status_code == 200


def test_a_refused_file_is_explained_and_nothing_is_saved(client, people):
    from findings.tests.factories import exe_file

    nc = make_nc(people.audit)
    client.force_login(people.client_user)
    response = client.post(
        reverse("clients:portal_nc", args=[nc.pk]),
        {
            "correction": "a",
            "root_cause": "b",
            "corrective_action": "c",
            "files": [exe_file("证据.pdf")],
        },
    )
    assert response.status_code == 200
    assert "Windows" in response.content.decode() or "Windows" in str(response.context["form"].errors)
    nc.refresh_from_db()
    assert nc.status == "open"


def test_returned_nc_shows_why_and_can_be_answered_again(client, people):
    nc = make_nc(people.audit)
    answer(nc, people.client_user)
    nc_services.nonconformity_reject(nc=nc, by=people.member, reason="请提供培训签到表")
    client.force_login(people.client_user)
    html = client.get(reverse("clients:portal_nc", args=[nc.pk])).content.decode()
    assert 'data-testid="returned-reason"' in html and "请提供培训签到表" in html


@pytest.mark.parametrize("role", [Role.CB_ADMIN, Role.AUDITOR, Role.TEAM_LEADER, Role.COMMITTEE])
def test_staff_do_not_use_the_portal(client, people, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("clients:portal_home")).status_code == 403


@pytest.mark.parametrize("count", [1, 5])
def test_portal_nc_list_runs_a_fixed_number_of_queries(client, people, django_assert_num_queries, count):
    for _ in range(count):
        make_nc(people.audit)
    client.force_login(people.client_user)
    with django_assert_num_queries(3):  # session, user, the NCs
        response = client.get(reverse("clients:portal_ncs"))
    assert response.content.decode().count('data-testid="portal-nc-row"') == count
    assert Nonconformity.objects.count() == count


def test_nc_list_filters_by_status_and_lists_the_overdue_first(client, people):
    make_nc(people.audit, statement="尚未到期的不符合", due_date=timezone.localdate() + datetime.timedelta(days=30))
    make_nc(people.audit, statement="已经超期的不符合", due_date=timezone.localdate() - datetime.timedelta(days=3))
    make_nc(people.audit, status="closed", statement="已经关闭的不符合")
    client.force_login(people.client_user)
    html = client.get(reverse("clients:portal_ncs")).content.decode()
    assert html.count('data-testid="portal-nc-row"') == 3
    assert html.index("已经超期的不符合") < html.index("尚未到期的不符合")
    closed = client.get(reverse("clients:portal_ncs"), {"status": "closed"}).content.decode()
    assert closed.count('data-testid="portal-nc-row"') == 1 and "已经关闭的不符合" in closed
