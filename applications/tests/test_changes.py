"""Changes a certified client reports: who may report, see and approve them; an approved name or
address updates the client (history kept) and the committee's reissue decision reissues the
certificate under its number with the new data; a scope change opens the right audit or decision."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.tests.factories import UserFactory
from applications import services
from applications.models import ChangeRequest, ChangeStatus
from audits.models import AuditType
from certification import services as certification_services
from certification.models import Certificate, CertificateStatus, DecisionStatus
from certification.tests.factories import approver_user, certified_client, committee_user
from clients.models import SiteKind
from clients.tests.factories import SiteFactory
from core.access import Role

from . import factories as f

pytestmark = pytest.mark.django_db


def _certified():
    certified = certified_client()
    SiteFactory(client=certified.client, kind=SiteKind.REGISTERED, address_zh="北京市海淀区旧路1号")
    return certified


def _client_user(client):
    return UserFactory(role=Role.CLIENT, client=client)


def _decide(decision):
    on = timezone.localdate()
    certification_services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="同意", evaluated_on=on, by=committee_user()
    )
    certification_services.decision_approve(
        decision=decision, conclusion="approve", remarks="批准", approved_on=on, by=approver_user()
    )


def test_an_approved_address_change_updates_the_client_and_reissues_the_certificate():
    certified = _certified()
    user = _client_user(certified.client)
    change = services.change_report(
        client=certified.client, kind="address", fields={"address_zh": "北京市朝阳区新路8号"}, by=user
    )
    admin = f.admin_user()
    change = services.change_approve(change=change, by=admin, note="营业执照已核对")
    assert change.status == ChangeStatus.APPROVED
    assert change.previous == {"address_zh": "北京市海淀区旧路1号", "address_en": ""}
    site = certified.client.sites.get(kind=SiteKind.REGISTERED)
    assert site.address_zh == "北京市朝阳区新路8号"
    assert site.history.count() >= 2  # the old address stays in the site's history
    assert change.decision.decision_type == "reissue"
    assert list(change.decision.certificates.all()) == [certified.certificate]

    _decide(change.decision)
    change.decision.refresh_from_db()
    assert change.decision.status == DecisionStatus.APPROVED
    new = Certificate.objects.get(replaces=certified.certificate)
    assert new.number == certified.certificate.number and new.reissue == 1
    assert new.address_zh == "北京市朝阳区新路8号"
    assert new.expires_on == certified.certificate.expires_on
    certified.certificate.refresh_from_db()
    assert certified.certificate.status == CertificateStatus.CANCELLED


def test_an_approved_name_change_keeps_the_old_name_in_the_clients_history():
    certified = _certified()
    old = certified.client.name_zh
    change = services.change_report(
        client=certified.client, kind="name", fields={"name_zh": "新名称科技有限公司"}, by=f.admin_user()
    )
    services.change_approve(change=change, by=f.admin_user())
    certified.client.refresh_from_db()
    assert certified.client.name_zh == "新名称科技有限公司"
    assert old in set(certified.client.history.values_list("name_zh", flat=True))


def test_a_scope_extension_plans_a_scope_extension_audit_and_a_reduction_opens_its_decision():
    certified = _certified()
    admin = f.admin_user()
    extension = services.change_report(
        client=certified.client,
        kind="scope_extension",
        fields={"standard": certified.certificate.standard, "scope_zh": "软件开发及信息系统集成"},
        by=admin,
    )
    extension = services.change_approve(change=extension, by=admin)
    assert extension.audit.audit_type == AuditType.SCOPE_EXTENSION
    assert extension.audit.programme == certified.certificate.programme

    other = _certified()
    reduction = services.change_report(
        client=other.client,
        kind="scope_reduction",
        fields={"standard": other.certificate.standard, "scope_zh": "软件开发"},
        by=admin,
    )
    reduction = services.change_approve(change=reduction, by=admin)
    assert reduction.decision.decision_type == "reduce_scope"
    assert reduction.decision.scopes.get().scope_zh == "软件开发"


def test_only_a_cb_administrator_approves_and_a_client_reports_and_sees_only_its_own():
    mine, theirs = _certified(), _certified()
    user = _client_user(mine.client)
    with pytest.raises(PermissionDenied):
        services.change_report(client=theirs.client, kind="address", fields={"address_zh": "某地"}, by=user)
    change = services.change_report(client=mine.client, kind="address", fields={"address_zh": "某地"}, by=user)
    for actor in (user, UserFactory(role=Role.AUDITOR), committee_user()):
        with pytest.raises(PermissionDenied):
            services.change_approve(change=change, by=actor)
    assert ChangeRequest.objects.restrict(_client_user(theirs.client)).filter(pk=change.pk).count() == 0
    assert ChangeRequest.objects.restrict(user).filter(pk=change.pk).count() == 1


def test_a_change_says_what_is_missing_and_a_rejection_says_why():
    certified = _certified()
    admin = f.admin_user()
    with pytest.raises(ValidationError) as caught:
        services.change_report(client=certified.client, kind="scope_reduction", fields={}, by=admin)
    assert {"standard", "scope_zh"} <= set(caught.value.message_dict)
    change = services.change_report(client=certified.client, kind="name", fields={"name_zh": "另一个名称"}, by=admin)
    with pytest.raises(ValidationError):
        services.change_reject(change=change, by=admin, note=" ")
    change = services.change_reject(change=change, by=admin, note="证明文件不全")
    assert change.status == ChangeStatus.REJECTED
    certified.client.refresh_from_db()
    assert certified.client.name_zh != "另一个名称"
