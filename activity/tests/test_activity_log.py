"""The CB-wide activity log: logins and failed logins, status changes of every machine and
downloads, filterable by user, record and date, exportable without formula injection, at a fixed
number of queries."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from activity.models import ActivityKind, ActivityRecord
from audits.lifecycle import AUDIT_MACHINE
from audits.tests.factories import AuditFactory
from core.access import Role
from core.downloads import private_file_response

LOG = reverse("activity:log")


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.CB_ADMIN, username="cbadmin")


def _created(audit, by, note=""):
    return AUDIT_MACHINE.record_creation(audit, by=by, note=note)


@pytest.mark.django_db
def test_login_failed_login_and_logout_are_recorded(client, make_user):
    user = make_user(role=Role.AUDITOR, username="li")
    user.set_password("right-password-1")
    user.save()
    client.post(reverse("login"), {"username": "li", "password": "wrong"})
    client.post(reverse("login"), {"username": "li", "password": "right-password-1"})
    client.post(reverse("logout"))
    kinds = list(ActivityRecord.objects.order_by("pk").values_list("kind", "username", "user_id"))
    assert kinds == [
        (ActivityKind.LOGIN_FAILED, "li", None),
        (ActivityKind.LOGIN, "li", user.pk),
        (ActivityKind.LOGOUT, "li", user.pk),
    ]
    assert ActivityRecord.objects.filter(address__isnull=False).count() == 3


@pytest.mark.django_db
def test_the_log_shows_status_changes_with_who_and_which_record(client, admin, make_user):
    leader = make_user(role=Role.TEAM_LEADER, username="zhu")
    audit = AuditFactory()
    _created(audit, leader, note="计划")
    client.force_login(admin)
    page = client.get(LOG).content.decode()
    assert "zhu" in page
    assert "计划" in page
    assert f"record_type=audits.audit&amp;record_id={audit.pk}" in page


@pytest.mark.django_db
def test_filters_by_user_record_and_date(client, admin, make_user):
    zhu = make_user(role=Role.TEAM_LEADER, username="zhu")
    wang = make_user(role=Role.TEAM_LEADER, username="wang")
    first, second = AuditFactory(), AuditFactory()
    _created(first, zhu, note="note-zhu-first")
    _created(second, wang, note="note-wang-second")
    client.force_login(admin)

    by_user = client.get(LOG, {"user": zhu.pk}).content.decode()
    assert "note-zhu-first" in by_user and "note-wang-second" not in by_user

    by_record = client.get(LOG, {"record_type": "audits.audit", "record_id": second.pk}).content.decode()
    assert "note-wang-second" in by_record and "note-zhu-first" not in by_record

    today = timezone.localdate()
    assert "note-zhu-first" in client.get(LOG, {"date_from": today, "date_to": today}).content.decode()
    yesterday = today - datetime.timedelta(days=1)
    past = client.get(LOG, {"date_to": yesterday}).content.decode()
    assert "note-zhu-first" not in past and "note-wang-second" not in past

    only_logins = client.get(LOG, {"what": ActivityKind.LOGIN}).content.decode()
    assert "note-zhu-first" not in only_logins


@pytest.mark.django_db
def test_nonsense_filters_never_fail(client, admin):
    client.force_login(admin)
    for params in ({"user": "x"}, {"record_id": str(10**30)}, {"date_from": "2020-13-45"}, {"record_type": "no.such"}):
        assert client.get(LOG, params).status_code == 200


@pytest.mark.django_db
def test_the_log_page_costs_a_fixed_number_of_queries(client, admin, make_user, django_assert_max_num_queries):
    client.force_login(admin)

    def fill(n):
        for i in range(n):
            user = make_user(role=Role.AUDITOR, username=f"u{n}-{i}")
            _created(AuditFactory(), user)
            ActivityRecord.objects.create(kind=ActivityKind.LOGIN, user=user, username=user.username)

    fill(2)
    with django_assert_max_num_queries(12) as few:
        client.get(LOG)
    fill(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LOG)
    assert response.content.decode().count('data-testid="activity-row"') >= 40


@pytest.mark.django_db
def test_a_download_of_an_issued_document_is_recorded(rf, admin, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    audit = AuditFactory()  # any record stands for the version here
    from django.core.files.storage import default_storage

    name = default_storage.save("x/report.pdf", ContentFile(b"%PDF-1.4"))
    request = rf.get("/x")
    request.user = admin
    response = private_file_response(default_storage.open(name), filename="report.pdf", request=request, record=audit)
    response.file_to_stream.close()  # not response.close(): it would signal the request's end
    row = ActivityRecord.objects.get(kind=ActivityKind.DOWNLOAD)
    assert (row.user, row.record_type, row.record_id, row.detail) == (admin, "audits.audit", audit.pk, "report.pdf")


@pytest.mark.django_db
def test_the_export_keeps_formulas_as_text(client, admin, make_user):
    _created(AuditFactory(), make_user(role=Role.AUDITOR, username="=cmd"), note='=HYPERLINK("http://x")')
    client.force_login(admin)
    csv_text = client.get(reverse("activity:export", args=["csv"])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'=cmd" in csv_text
    assert "\n=HYPERLINK" not in csv_text and ",=" not in csv_text

    from openpyxl import load_workbook

    response = client.get(reverse("activity:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert not any(value.startswith("=") for value in values)


@pytest.mark.django_db
def test_a_records_page_links_to_its_history_for_administrators_only(client, admin, make_user):
    audit = AuditFactory()
    client.force_login(admin)
    page = client.get(reverse("audits:detail", args=[audit.pk])).content.decode()
    assert f"{LOG}?record_type=audits.audit&amp;record_id={audit.pk}" in page
    leader = make_user(role=Role.TEAM_LEADER)
    client.force_login(leader)
    response = client.get(reverse("audits:detail", args=[audit.pk]))
    assert 'data-testid="record-history"' not in response.content.decode()


@pytest.mark.django_db
def test_activity_records_are_append_only(admin):
    row = ActivityRecord.objects.create(kind=ActivityKind.LOGIN, user=admin)
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        row.delete()
