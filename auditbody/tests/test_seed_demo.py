"""seed_demo: one user per role with the documented password, idempotent, refused in production."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from core.access import Role

pytestmark = pytest.mark.django_db

DEMO = {
    "admin": Role.CB_ADMIN,
    "auditor": Role.AUDITOR,
    "leader": Role.TEAM_LEADER,
    "committee": Role.COMMITTEE,
    "client": Role.CLIENT,
}


def test_seed_demo_creates_one_user_per_role_with_the_documented_password(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    for username, role in DEMO.items():
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.check_password("demo12345")
    assert User.objects.get(username="client").client.name_zh == "中食互联（北京）科技有限公司"


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    _assert_the_integrated_client_is_certified()
    before = {m._meta.label: m.objects.count() for m in _models()}
    hashes = dict(User.objects.values_list("username", "password"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert {m._meta.label: m.objects.count() for m in _models()} == before
    assert dict(User.objects.values_list("username", "password")) == hashes


def test_seed_demo_is_refused_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=0"):
        call_command("seed_demo")
    assert not User.objects.exists()


def _assert_the_integrated_client_is_certified():
    """The integrated demo client (ISO 9001 + 14001 + 45001, 25 people): stage 1 approved
    "ready", stage 2 reviewed and decided, three valid certificates with their own numbers, each
    printing only its own standard's scope (zh and en), in a current cycle."""
    from audits.models import AuditStatus, AuditType, Stage1Outcome
    from certification.models import Certificate, CertificateStatus
    from clients.demo import INTEGRATED_CLIENT, INTEGRATED_SCOPES
    from core.dates import local_today

    name = INTEGRATED_CLIENT["name_zh"]
    certificates = Certificate.objects.filter(client__name_zh=name).select_related("standard", "decision__audit")
    by_standard = {f"{c.standard.code}:{c.standard.edition}": c for c in certificates}
    assert {label: (c.scope_zh, c.scope_en) for label, c in by_standard.items()} == INTEGRATED_SCOPES
    assert len({c.number for c in certificates}) == 3
    assert {c.status for c in certificates} == {CertificateStatus.VALID}
    assert {c.issued_on for c in certificates} == {local_today()}
    stage_2 = certificates[0].decision.audit
    assert (stage_2.audit_type, stage_2.status, stage_2.planned_man_days) == (AuditType.STAGE_2, AuditStatus.DECIDED, 6)
    stage_1 = stage_2.programme.audits.get(audit_type=AuditType.STAGE_1)
    assert stage_1.stage_1_conclusion.outcome == Stage1Outcome.READY
    assert stage_1.end_date < stage_2.start_date < local_today()


def _models():
    from django.apps import apps

    project_apps = {"accounts", "standards", "clients", "people", "audits", "reports", "certification"}
    return [m for m in apps.get_models() if m._meta.app_label in project_apps]
