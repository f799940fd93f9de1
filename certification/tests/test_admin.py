"""The admin: the CB edits its policy (a validated number pattern), the reason codes and its
committee's competence; decisions, certificates and their records are read-only there, so no
decision bypasses the services."""

import pytest
from django.contrib import admin
from django.urls import reverse

from certification.admin import CertificationPolicyForm
from certification.models import (
    Certificate,
    CertificateStatusChange,
    CertificateVersion,
    CertificationPolicy,
    CommitteeFlag,
    CommitteeProfile,
    Decision,
    StatusReason,
    TechnicalReview,
)
from certification.tests.factories import (
    CommitteeFlagFactory,
    CommitteeProfileFactory,
    DecisionFactory,
    TechnicalReviewFactory,
    certified_client,
)

pytestmark = pytest.mark.django_db

SUSPENSION = [
    ("0111", "Persistent or serious failure to meet the requirements"),
    ("0112", "Client does not meet its contract duties"),
    ("0113", "Penalised by an enforcement authority"),
    ("0114", "Problems found by a regulator"),
    ("0115", "Licence expired and renewal pending"),
    ("0116", "Client's request"),
    ("0199", "Other"),
]
WITHDRAWAL = [
    ("0111", "Legal status cancelled"),
    ("0112", "Refused a regulator's inspection or gave false information"),
    ("0113", "Major quality or safety accident"),
    ("0114", "Other serious violation"),
    ("0115", "Suspension expired unresolved"),
    ("0116", "System not operated"),
    ("0117", "Misuse of the certificate not corrected"),
    ("0120", "Replaced by a new certificate"),
    ("0199", "Other"),
]


def test_the_reason_codes_are_those_the_issue_lists_in_both_languages():
    for kind, expected in (("suspension", SUSPENSION), ("withdrawal", WITHDRAWAL)):
        rows = list(
            StatusReason.objects.filter(kind=kind).order_by("order").values_list("code", "title_en", "title_zh")
        )
        assert [(code, en) for code, en, _zh in rows] == expected
        assert all(zh for _c, _en, zh in rows)
    assert StatusReason.objects.get(kind="withdrawal", code="0120").title_zh == "被新证书替代"


def policy_data(**changes):
    data = {
        "number_pattern": "{cb}{yy}{std}{serial:04d}R{recert}{size}",
        "standard_codes": '{"QMS": "Q1", "EMS": "E1", "OHSMS": "S1"}',
        "small_max_headcount": 50,
        "medium_max_headcount": 1000,
        "validity_months": 36,
        "max_suspension_months": 6,
    }
    data.update(changes)
    return data


def test_the_policy_form_refuses_an_unknown_field_in_the_pattern_with_a_message():
    form = CertificationPolicyForm(
        data=policy_data(number_pattern="{cb}{yy}{std}{serial:04d}{holder}"),
        instance=CertificationPolicy.objects.current(),
    )
    assert not form.is_valid()
    assert "unknown field {holder}" in form.errors["number_pattern"][0]


def test_the_policy_form_refuses_shared_standard_codes_and_unordered_size_bands():
    form = CertificationPolicyForm(
        data=policy_data(standard_codes='{"QMS": "Q1", "EMS": "Q1"}', medium_max_headcount=40),
        instance=CertificationPolicy.objects.current(),
    )
    assert not form.is_valid()
    assert "standard_codes" in form.errors and "medium_max_headcount" in form.errors


def test_a_cb_administrator_changes_the_pattern_in_the_admin_and_sees_an_example(admin_client):
    policy = CertificationPolicy.objects.current()
    url = reverse("admin:certification_certificationpolicy_change", args=[policy.pk])
    assert "06913Q12270R0S" in admin_client.get(url).content.decode()
    response = admin_client.post(url, policy_data(number_pattern="{cb}-{yyyy}-{std}-{serial:05d}-R{recert}{size}"))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.number_pattern == "{cb}-{yyyy}-{std}-{serial:05d}-R{recert}{size}"


@pytest.mark.parametrize(
    "model", [Decision, Certificate, CertificateStatusChange, CertificateVersion, CommitteeFlag, TechnicalReview]
)
def test_records_are_read_only_in_the_admin(model, rf, admin_user):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_posting_to_a_decision_in_the_admin_changes_nothing(admin_client):
    decision = DecisionFactory()
    url = reverse("admin:certification_decision_change", args=[decision.pk])
    admin_client.post(url, {"decision_type": "grant", "evaluation_conclusion": "agree", "status": "approved"})
    decision.refresh_from_db()
    assert decision.status == "awaiting_evaluation" and decision.evaluation_conclusion == ""


def test_every_certification_admin_page_opens(admin_client):
    certified = certified_client()
    CommitteeProfileFactory()
    CommitteeFlagFactory(certificate=certified.certificate)
    TechnicalReviewFactory()
    for model in (
        CertificationPolicy,
        StatusReason,
        CommitteeProfile,
        Decision,
        Certificate,
        CertificateStatusChange,
        CommitteeFlag,
        TechnicalReview,
        CertificateVersion,
    ):
        name = model._meta.model_name
        assert admin_client.get(reverse(f"admin:certification_{name}_changelist")).status_code == 200, name
    assert (
        admin_client.get(reverse("admin:certification_certificate_change", args=[certified.certificate.pk])).status_code
        == 200
    )
    assert (
        admin_client.get(reverse("admin:certification_decision_change", args=[certified.decision.pk])).status_code
        == 200
    )
    assert admin_client.get(reverse("admin:certification_committeeprofile_add")).status_code == 200


def test_a_serial_counter_only_moves_forward(admin_client):
    from certification.models import CertificateSerial

    counter = CertificateSerial.objects.create(year=2026, standard_code="Q1", last=10)
    url = reverse("admin:certification_certificateserial_change", args=[counter.pk])
    admin_client.post(url, {"last": 5})
    counter.refresh_from_db()
    assert counter.last == 10
    admin_client.post(url, {"last": 2269})
    counter.refresh_from_db()
    assert counter.last == 2269
