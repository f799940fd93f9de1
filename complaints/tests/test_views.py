"""The pages: the public complaint form (validation, rate limit, nothing about other complaints,
the acknowledgement number), the complainant's confidentiality on the staff page, the portal's
complaint and appeal, the registers' query counts and exports."""

import types

import django_ratelimit.core
import pytest
from django.core.cache import cache
from django.urls import reverse

from complaints.models import Appeal, Complaint, ComplaintStatus

from .factories import cast, complaint_in, public_complaint

pytestmark = pytest.mark.django_db

FORM = {
    "complainant_name": "李先生",
    "complainant_email": "li@example.com",
    "subject": "certified_client",
    "organisation_named": "某获证公司",
    "summary": "证书范围与实际不符",
    "description": "该公司宣传的认证范围包括生产，但证书只覆盖销售。",
}


@pytest.fixture(autouse=True)
def _fresh_counters(monkeypatch):
    cache.clear()
    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: 1_900_000_000.0))
    yield
    cache.clear()


def test_the_public_form_records_the_complaint_and_shows_only_its_number(client):
    other = public_complaint(summary="另一投诉的机密摘要", complainant_name="张三")
    response = client.post(reverse("complain:new"), FORM)
    assert response.status_code == 200
    complaint = Complaint.objects.exclude(pk=other.pk).get()
    html = response.content.decode()
    assert complaint.ack_number in html
    for secret in (other.ack_number, other.reference, "另一投诉的机密摘要", "张三", complaint.reference):
        assert secret not in html
    assert (complaint.source, complaint.status, complaint.complainant_name) == ("public", "received", "李先生")
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize(
    "change,field",
    [
        ({"complainant_email": "", "complainant_phone": ""}, "complainant_email"),
        ({"complainant_email": "not-an-address"}, "complainant_email"),
        ({"summary": ""}, "summary"),
        ({"subject": "everything"}, "subject"),
    ],
)
def test_the_public_form_refuses_what_is_missing_or_wrong(client, change, field):
    response = client.post(reverse("complain:new"), {**FORM, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_a_robot_filling_the_hidden_field_records_nothing(client):
    client.post(reverse("complain:new"), {**FORM, "website": "http://spam.example"})
    assert not Complaint.objects.exists()


def test_submissions_beyond_the_rate_get_429(client, settings):
    settings.COMPLAINT_RATE = "2/h"
    for _ in range(2):
        assert client.post(reverse("complain:new"), FORM).status_code == 200
    response = client.post(reverse("complain:new"), FORM)
    assert response.status_code == 429
    assert Complaint.objects.count() == 2
    assert client.get(reverse("complain:new")).status_code == 200  # reading the form is not counted


def test_no_public_url_takes_a_complaint_number(client):
    complaint = public_complaint()
    for path in (
        f"/complain/{complaint.ack_number}/",
        f"/complain/{complaint.pk}/",
        f"/complain/?ack={complaint.ack_number}",
    ):
        response = client.get(path)
        assert complaint.summary not in response.content.decode()


def test_the_register_links_to_the_complaint_form(client):
    assert reverse("complain:new") in client.get(reverse("verify:lookup")).content.decode()


def test_the_complainant_is_shown_to_the_admin_and_the_investigator_only(client):
    people = cast()
    complaint = complaint_in("validated", people)
    for name, sees in [("admin", True), ("investigator", True)]:
        client.force_login(people[name])
        html = client.get(reverse("complaints:complaint_detail", args=[complaint.pk])).content.decode()
        assert ("王女士" in html and "wang@example.com" in html) is sees
    for name in ("other_staff", "committee", "leader", "client_user"):
        client.force_login(people[name])
        response = client.get(reverse("complaints:complaint_detail", args=[complaint.pk]))
        assert response.status_code in (403, 404)
        assert "王女士" not in response.content.decode()


def test_the_export_leaves_out_the_complainant(client):
    people = cast()
    complaint_in("decided", people)
    client.force_login(people.admin)
    response = client.get(reverse("complaints:complaint_register"), {"export": "csv"})
    text = response.content.decode("utf-8-sig")
    assert "获证组织发生生产安全事故" in text
    assert "王女士" not in text and "wang@example.com" not in text
    response = client.get(reverse("complaints:complaint_register"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_registers_take_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    people = cast()
    for status in ("received", "validated", "closed"):
        complaint_in(status, people)
    client.force_login(people.admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("complaints:complaint_register"))
    assert len(response.context["page"]) == 3
    with django_assert_max_num_queries(8):
        client.get(reverse("complaints:appeal_register"))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("complaints:figures"))
    assert response.context["f"]["complaints"] == 3


def test_the_staff_page_moves_a_complaint(client):
    people = cast()
    complaint = public_complaint(people, certificate_number_given="")
    assert complaint.certificate is None
    client.force_login(people.admin)
    url = reverse("complaints:complaint_act", args=[complaint.pk])
    client.post(url, {"action": "acknowledge", "note": ""})
    client.post(url, {"action": "validate", "note": "涉及获证组织", "certificate_number": "NO-SUCH"})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ACKNOWLEDGED  # an unknown number is refused
    client.post(url, {"action": "validate", "note": "涉及获证组织", "certificate_number": people.certificate.number})
    complaint.refresh_from_db()
    assert (complaint.certificate, complaint.client) == (people.certificate, people.client)
    client.post(url, {"action": "assign", "handler": people.leader.pk})  # involved: not offered, refused
    complaint.refresh_from_db()
    assert (complaint.status, complaint.investigator) == (ComplaintStatus.VALIDATED, None)
    client.post(url, {"action": "assign", "handler": people.investigator.pk})
    complaint.refresh_from_db()
    assert complaint.investigator == people.investigator


def test_a_client_complains_and_appeals_from_the_portal(client):
    people = cast()
    client.force_login(people.client_user)
    page = client.get(reverse("complaints:portal_index")).content.decode()
    assert reverse("complaints:portal_appeal", args=[people.decision.pk]) in page
    client.post(
        reverse("complaints:portal_complaint"),
        {"subject": "cb_activity", "summary": "审核员迟到", "description": "迟到两小时"},
    )
    complaint = Complaint.objects.get()
    assert (complaint.source, complaint.submitted_by) == ("client", people.client_user)
    client.post(reverse("complaints:portal_appeal", args=[people.decision.pk]), {"grounds": "不同意"})
    assert Appeal.objects.get().decision == people.decision
    # another client's decision is not there
    client.force_login(people.other_client_user)
    assert client.get(reverse("complaints:portal_appeal", args=[people.decision.pk])).status_code == 404
