"""An integrated decision holds one scope per standard: the form offers (and pre-fills) each
standard's scope, and each certificate, its PDF and the public register print only its own
standard's scope."""

import importlib
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from certification import services
from certification.certificate_pdfs import render as pdf
from certification.models import Decision, DecisionType
from clients.models import SiteKind
from clients.tests.factories import ClientScopeFactory
from core.access import Role
from reports.tests.version_factories import pdftotext, squash

from .factories import (
    ClientFactory,
    SiteFactory,
    UserFactory,
    approver_user,
    certified_client,
    committee_user,
    decide,
    iso9001,
    iso14001,
    iso45001,
    pass_review,
    review_cast,
)
from .pdf_factories import seed_cb

pytestmark = pytest.mark.django_db

SCOPES = {
    "9001": ("软件开发和信息系统集成服务", "Software development and system integration"),
    "14001": ("办公场所的环境管理活动", "Environmental management of the office premises"),
    "45001": ("办公场所的职业健康安全管理活动", "OH&S management of the office premises"),
}


def _integrated_cast():
    """A 3-standard client (QMS + EMS + OH&S) whose stage-2 audit passed its review, each
    standard with its own requested scope."""
    standards = {"9001": iso9001(), "14001": iso14001(), "45001": iso45001()}
    client = ClientFactory(headcount=25)
    for key, standard in standards.items():
        ClientScopeFactory(client=client, standard=standard, scope_zh=SCOPES[key][0], scope_en=SCOPES[key][1])
    cast = review_cast(client=client, standards=list(standards.values()))
    return cast, standards, pass_review(cast)


def test_the_decision_form_offers_each_standard_its_own_scope_prefilled(client):
    cast, standards, review = _integrated_cast()
    client.force_login(cast.evaluator)
    page = client.get(reverse("certification:decision_open_review", args=[review.pk]))
    assert page.status_code == 200
    initial = page.context["form"].initial
    for key, standard in standards.items():
        assert (initial[f"scope_zh_{standard.pk}"], initial[f"scope_en_{standard.pk}"]) == SCOPES[key]
    html = page.content.decode()
    for standard in standards.values():
        assert f'name="scope_zh_{standard.pk}"' in html and f'name="scope_en_{standard.pk}"' in html


def test_an_integrated_grant_issues_three_certificates_each_printing_only_its_own_scope(client):
    seed_cb()
    cast, standards, review = _integrated_cast()
    edited = ("软件开发服务（编辑后）", "Software development services (edited)")
    client.force_login(cast.evaluator)
    post = {"decision_type": DecisionType.GRANT, "standards": [s.pk for s in standards.values()]}
    for key, standard in standards.items():
        zh, en = edited if key == "9001" else SCOPES[key]
        post[f"scope_zh_{standard.pk}"], post[f"scope_en_{standard.pk}"] = zh, en
    response = client.post(reverse("certification:decision_open_review", args=[review.pk]), post)
    assert response.status_code == 302, response.content.decode()[:3000]
    decision = Decision.objects.get(review=review)
    services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="同意", evaluated_on=services._today(), by=cast.evaluator
    )
    services.decision_approve(
        decision=decision, conclusion="approve", remarks="批准", approved_on=services._today(), by=cast.approver
    )

    expected = {**SCOPES, "9001": edited}
    certificates = {c.standard_id: c for c in decision.issued_certificates.filter(main_certificate__isnull=True)}
    assert set(certificates) == {s.pk for s in standards.values()}
    for key, standard in standards.items():
        certificate = certificates[standard.pk]
        assert (certificate.scope_zh, certificate.scope_en) == expected[key]
        text = squash(
            pdftotext(pdf.render_certificate(certificate=certificate, language="zh-hans", draft=True).result.pdf)
        )
        assert squash(expected[key][0]) in text
        for other in set(expected) - {key}:
            assert squash(expected[other][0]) not in text, f"the {key} certificate prints the {other} scope"
        public = client.get(reverse("verify:token", args=[certificate.public_token])).content.decode()
        assert expected[key][0] in public
        assert not any(expected[other][0] in public for other in set(expected) - {key})


def test_the_english_certificate_prints_only_its_own_english_scope():
    seed_cb()
    cast, standards, _review = _integrated_cast()
    decision = decide(
        decision_type=DecisionType.GRANT,
        client=cast.audit.client,
        opened_by=cast.admin,
        evaluator=cast.evaluator,
        approver=cast.approver,
        audit=cast.audit,
    )
    certificate = decision.issued_certificates.get(standard=standards["14001"])
    text = squash(pdftotext(pdf.render_certificate(certificate=certificate, language="en", draft=True).result.pdf))
    assert squash(SCOPES["14001"][1]) in text
    assert squash(SCOPES["9001"][1]) not in text and squash(SCOPES["45001"][1]) not in text


def test_a_standard_without_any_scope_is_refused_by_name():
    cast, standards, review = _integrated_cast()
    cast.audit.client.scopes.filter(standard=standards["45001"]).delete()
    with pytest.raises(ValidationError) as caught:
        services.decision_open(
            decision_type=DecisionType.GRANT,
            client=cast.audit.client,
            by=cast.admin,
            audit=cast.audit,
            review=review,
            scopes={standards["9001"]: SCOPES["9001"]},
        )
    field = f"scope_zh_{standards['45001'].pk}"
    assert list(caught.value.error_dict) == [field]
    assert "ISO 45001" in caught.value.error_dict[field][0].messages[0]


def test_a_scope_change_on_one_certificate_of_an_integrated_client_leaves_the_others_alone():
    certified = certified_client(standards=[iso9001(), iso14001()])
    SiteFactory(client=certified.client, kind=SiteKind.REGISTERED)
    ems = certified.client.certificates.get(standard__code__contains="14001")
    decision = decide(
        decision_type=DecisionType.REDUCE_SCOPE,
        client=certified.client,
        opened_by=UserFactory(role=Role.CB_ADMIN),
        evaluator=committee_user(),
        approver=approver_user(),
        certificates=[ems],
        scopes={ems.standard: ("缩小后的环境范围", "Reduced EMS scope"), certified.certificate.standard: ("x", "x")},
    )
    new = decision.issued_certificates.get()
    assert new.standard == ems.standard and new.scope_zh == "缩小后的环境范围"
    assert list(decision.scopes.values_list("standard", flat=True)) == [ems.standard_id]


# --- the migration that splits a decision's scope per standard ---------------------------------

MIGRATION = importlib.import_module("certification.migrations.0006_decision_scopes_open_decisions")


def _old_decision(zh, en=""):
    return SimpleNamespace(scope_zh=zh, scope_en=en)


def test_migration_a_single_standard_decision_keeps_its_scope():
    standard = SimpleNamespace(pk=1)
    requested = {1: ("客户申请的范围", "")}
    assert MIGRATION._scope_of(_old_decision("决定的范围", "Decided"), standard, True, {}, requested) == (
        "决定的范围",
        "Decided",
    )


def test_migration_an_integrated_decision_takes_what_each_certificate_printed_else_the_requested_scope():
    old = _old_decision("质量范围；环境范围", "Q; E")
    issued = {1: ("质量范围", "Q")}
    requested = {1: ("申请的质量范围", ""), 2: ("申请的环境范围", "E requested")}
    assert MIGRATION._scope_of(old, SimpleNamespace(pk=1), False, issued, requested) == ("质量范围", "Q")
    assert MIGRATION._scope_of(old, SimpleNamespace(pk=2), False, issued, requested) == (
        "申请的环境范围",
        "E requested",
    )
    # Nothing better known: the whole scope rather than none.
    assert MIGRATION._scope_of(old, SimpleNamespace(pk=3), False, issued, requested) == ("质量范围；环境范围", "Q; E")
