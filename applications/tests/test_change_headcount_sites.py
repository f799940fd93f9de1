"""A client reports a new total headcount or a site added or closed (ISO/IEC 17021-1 8.5.3, 9.6.3):
on approval the client is updated (the history and the change keep what it was), a headcount change
points at the planned audits whose time used the old headcount (IAF MD 5), a site change proposes
the reissue of valid certificates; a client can never name another organisation's site."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.tests.factories import UserFactory
from applications import services
from applications.models import ChangeRequest, ChangeStatus
from audits.models import AuditStatus
from audits.tests.factories import AuditFactory
from certification.tests.factories import certified_client
from clients.models import Site, SiteKind
from clients.tests.factories import ClientFactory, SiteFactory
from core.access import Role

from . import factories as f

pytestmark = pytest.mark.django_db


def _certified(headcount=15):
    certified = certified_client(headcount=headcount)
    SiteFactory(client=certified.client, kind=SiteKind.REGISTERED, address_zh="北京市海淀区旧路1号")
    return certified


def _client_user(client):
    return UserFactory(role=Role.CLIENT, client=client)


def _planned(client, personnel):
    return AuditFactory(
        client=client,
        status=AuditStatus.PLANNED,
        effective_personnel=personnel,
        start_date=datetime.date.today() + datetime.timedelta(days=40),
        end_date=datetime.date.today() + datetime.timedelta(days=41),
    )


# --- services ----------------------------------------------------------------------------------


def test_an_approved_headcount_updates_the_client_and_lists_the_planned_audits_to_review():
    certified = _certified(headcount=15)
    old_plan = _planned(certified.client, 15)
    _planned(certified.client, 40)  # already planned with another figure: not listed
    started = _planned(certified.client, 15)
    started.status = AuditStatus.IN_PROGRESS
    started.save()
    admin = f.admin_user()
    change = services.change_report(
        client=certified.client, kind="headcount", fields={"headcount": 60}, by=_client_user(certified.client)
    )
    change = services.change_approve(change=change, by=admin)
    certified.client.refresh_from_db()
    assert certified.client.headcount == 60
    assert change.previous == {"headcount": 15}
    assert 15 in set(certified.client.history.values_list("headcount", flat=True))
    assert change.decision is None and change.audit is None  # nothing reissued, nothing recalculated
    from applications.selectors import audits_to_review_for_headcount

    assert list(audits_to_review_for_headcount(change=change, user=admin)) == [old_plan]
    old_plan.refresh_from_db()
    assert old_plan.effective_personnel == 15


@pytest.mark.parametrize("headcount", [None, 0, -3])
def test_a_headcount_must_be_a_positive_whole_number(headcount):
    client = ClientFactory(headcount=15)
    with pytest.raises(ValidationError) as caught:
        services.change_report(client=client, kind="headcount", fields={"headcount": headcount}, by=f.admin_user())
    assert "headcount" in caught.value.message_dict


def test_an_approved_new_site_is_created_and_the_certificates_reissued():
    certified = _certified()
    admin = f.admin_user()
    change = services.change_report(
        client=certified.client,
        kind="site_addition",
        fields={
            "site_kind": SiteKind.BRANCH,
            "site_name": "上海分公司",
            "site_address_zh": "上海市浦东新区新路2号",
            "site_headcount": 12,
        },
        by=_client_user(certified.client),
    )
    change = services.change_approve(change=change, by=admin)
    site = certified.client.sites.get(name="上海分公司")
    assert (site.kind, site.address_zh, site.headcount) == (SiteKind.BRANCH, "上海市浦东新区新路2号", 12)
    assert site.history.get().history_user == admin
    assert change.previous == {}
    assert change.decision.decision_type == "reissue"
    assert list(change.decision.certificates.all()) == [certified.certificate]


def test_an_approved_closure_removes_the_site_keeps_it_in_history_and_reissues():
    certified = _certified()
    branch = SiteFactory(client=certified.client, kind=SiteKind.BRANCH, name="天津仓库", address_zh="天津市某路3号")
    change = services.change_report(
        client=certified.client, kind="site_closure", fields={"site": branch}, by=_client_user(certified.client)
    )
    change = services.change_approve(change=change, by=f.admin_user())
    assert not Site.objects.filter(pk=branch.pk).exists()
    assert Site.history.filter(id=branch.pk, history_type="-").count() == 1
    assert change.previous["site_name"] == "天津仓库" and change.previous["site_address_zh"] == "天津市某路3号"
    assert change.decision.decision_type == "reissue"


def test_a_site_change_of_a_client_without_certificates_opens_no_decision():
    client = ClientFactory(headcount=10)
    branch = SiteFactory(client=client, kind=SiteKind.BRANCH, address_zh="某地")
    admin = f.admin_user()
    added = services.change_report(
        client=client,
        kind="site_addition",
        fields={"site_kind": SiteKind.TEMPORARY, "site_address_zh": "项目现场"},
        by=admin,
    )
    closed = services.change_report(client=client, kind="site_closure", fields={"site": branch}, by=admin)
    for change in (added, closed):
        change = services.change_approve(change=change, by=admin)
        assert change.status == ChangeStatus.APPROVED and change.decision is None
    assert list(client.sites.values_list("address_zh", flat=True)) == ["项目现场"]


def test_another_clients_site_the_registered_address_and_an_incomplete_site_are_refused():
    mine, theirs = _certified(), _certified()
    user = _client_user(mine.client)
    their_site = SiteFactory(client=theirs.client, kind=SiteKind.BRANCH, address_zh="别人的分公司")
    with pytest.raises(ValidationError) as caught:
        services.change_report(client=mine.client, kind="site_closure", fields={"site": their_site}, by=user)
    assert "site" in caught.value.message_dict
    registered = mine.client.sites.get(kind=SiteKind.REGISTERED)
    with pytest.raises(ValidationError) as caught:
        services.change_report(client=mine.client, kind="site_closure", fields={"site": registered}, by=user)
    assert "site" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.change_report(client=mine.client, kind="site_addition", fields={"site_kind": "registered"}, by=user)
    assert {"site_kind", "site_address_zh"} <= set(caught.value.message_dict)
    assert Site.objects.filter(pk=their_site.pk).exists()


# --- pages -------------------------------------------------------------------------------------


def test_a_client_reports_a_headcount_in_the_portal_and_the_admin_approves_it(client):
    certified = _certified(headcount=15)
    plan = _planned(certified.client, 15)
    user = _client_user(certified.client)
    client.force_login(user)
    response = client.post(reverse("applications:change_new"), {"kind": "headcount", "headcount": "0"})
    assert response.status_code == 200 and ChangeRequest.objects.count() == 0
    client.post(reverse("applications:change_new"), {"kind": "headcount", "headcount": "48", "description": "扩产"})
    change = ChangeRequest.objects.get()
    assert (change.client, change.headcount) == (certified.client, 48)

    client.force_login(f.admin_user())
    client.post(reverse("applications:change_act", args=[change.pk]), {"action": "approve"})
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and change.previous == {"headcount": 15}
    page = client.get(reverse("applications:change_detail", args=[change.pk])).content.decode()
    assert 'data-testid="change-audits-to-review"' in page
    assert reverse("audits:detail", args=[plan.pk]) in page


def test_a_client_adds_a_site_in_the_portal_and_the_admin_approves_it(client):
    certified = _certified()
    client.force_login(_client_user(certified.client))
    client.post(
        reverse("applications:change_new"),
        {"kind": "site_addition", "site_kind": "branch", "site_name": "广州分公司", "site_address_zh": "广州市某路5号"},
    )
    change = ChangeRequest.objects.get()
    client.force_login(f.admin_user())
    client.post(reverse("applications:change_act", args=[change.pk]), {"action": "approve"})
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and change.decision.decision_type == "reissue"
    assert certified.client.sites.filter(name="广州分公司", kind=SiteKind.BRANCH).exists()


def test_a_client_closes_its_own_site_but_cannot_name_another_clients_site_by_id(client):
    mine, theirs = _certified(), _certified()
    own = SiteFactory(client=mine.client, kind=SiteKind.BRANCH, address_zh="自己的仓库")
    their_site = SiteFactory(client=theirs.client, kind=SiteKind.BRANCH, address_zh="别人的分公司")
    client.force_login(_client_user(mine.client))
    form_page = client.get(reverse("applications:change_new")).content.decode()
    assert "自己的仓库" in form_page and "别人的分公司" not in form_page
    response = client.post(reverse("applications:change_new"), {"kind": "site_closure", "site": their_site.pk})
    assert response.status_code == 200 and ChangeRequest.objects.count() == 0
    assert "site" in response.context["form"].errors

    client.post(reverse("applications:change_new"), {"kind": "site_closure", "site": own.pk})
    change = ChangeRequest.objects.get()
    client.force_login(f.admin_user())
    client.post(reverse("applications:change_act", args=[change.pk]), {"action": "approve"})
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert not Site.objects.filter(pk=own.pk).exists() and Site.objects.filter(pk=their_site.pk).exists()


def test_staff_entering_a_closure_cannot_mix_one_clients_site_with_another_client(client):
    mine, theirs = _certified(), _certified()
    their_site = SiteFactory(client=theirs.client, kind=SiteKind.BRANCH, address_zh="别人的分公司")
    client.force_login(f.admin_user())
    response = client.post(
        reverse("applications:change_new"), {"client": mine.client.pk, "kind": "site_closure", "site": their_site.pk}
    )
    assert response.status_code == 200 and "site" in response.context["form"].errors
    assert ChangeRequest.objects.count() == 0
