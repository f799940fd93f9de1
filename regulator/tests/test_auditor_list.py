"""A CB's plain list of auditors: the dry run lists create/update/skip/refuse and writes nothing;
the import creates users, profiles, qualifications and identities, matches auditors present
(never a second one); the edges: the same person twice in a file, a bad ID number, an auditor
present; the page and the command."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import User
from certification.tests.pdf_factories import cb_admin
from people.models import AuditorProfile
from regulator import auditor_list, rules, services
from regulator.models import AuditorIdentity

from .factories import identify

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "证件类型", "证件号码", "CCAA注册号", "人员资格", "认证领域", "电话", "邮箱"]
ZHANG = [
    "张审核",
    "01",
    "110101198001011232",
    "2018-N1QMS-2205801",
    "01",
    "QMS；EMS",
    "13900000001",
    "zhang@example.cn",
]
LI = ["李审核", "01", "110101199003071006", "2019-N1QMS-2205802", "02", "QMS", "13900000002", ""]


def _csv(*rows):
    out = io.StringIO()
    for row in (HEADER, *rows):
        out.write(",".join(row) + "\n")
    return out.getvalue().encode("utf-8")


def _xlsx(*rows):
    book = Workbook()
    for row in (HEADER, *rows):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _actions(report):
    return [line.action for line in report.lines]


def test_resident_id_check_character_at_its_edges():
    assert rules.resident_id_problem("110101198001011232") == ""
    assert rules.resident_id_problem("110101198001011233") == "checksum"
    assert rules.resident_id_problem("11010119800101123") == "length"
    assert rules.resident_id_problem("11010119800101123A") == "characters"
    assert rules.resident_id_gender("110101198001011232") == "male"
    assert rules.resident_id_gender("110101199003071006") == "female"


def test_dry_run_refuses_bad_rows_with_reasons_and_writes_nothing():
    cb_admin()
    data = _csv(
        ZHANG,
        ZHANG,  # the same person twice in the file
        ["王坏号", "01", "110101198001011233", "2018-N1QMS-2205803", "02", "QMS", "", ""],  # bad check character
        ["", "01", "110101199003071014", "2018-N1QMS-2205804", "02", "QMS", "", ""],  # no name
        ["赵类型", "77", "X1", "2018-N1QMS-2205805", "02", "QMS", "", ""],  # unknown ID type
        ["钱领域", "01", "110101199003071014", "2018-N1QMS-2205806", "02", "ABCMS", "", ""],  # unknown family
        ["孙资格", "01", "110101199003071014", "2018-N1QMS-2205807", "09", "QMS", "", ""],  # unknown qualification
        ["周注册", "01", "110101199003071014", "N1QMS", "02", "QMS", "", ""],  # bad CCAA number
    )
    users = User.objects.count()
    report = auditor_list.plan_auditor_list(data=data, filename="list.csv")
    assert _actions(report) == ["create", "skip", "refuse", "refuse", "refuse", "refuse", "refuse", "refuse"]
    reasons = [line.reason for line in report.lines]
    assert "row 2" in reasons[1] and "GB 11643" in reasons[2] and "姓名" in reasons[3]
    assert "id_type" in reasons[4] and "认证领域" in reasons[5] and "人员资格" in reasons[6] and "CCAA" in reasons[7]
    assert User.objects.count() == users and not AuditorIdentity.objects.exists()


def test_import_creates_auditors_with_encrypted_ids_and_a_second_import_changes_nothing():
    admin = cb_admin()
    data = _xlsx(ZHANG, LI)
    report = services.auditor_list_import(data=data, filename="list.xlsx", by=admin)
    assert report.applied and _actions(report) == ["create", "create"]
    zhang = AuditorProfile.objects.select_related("user").get(registration_number=ZHANG[3])
    assert (
        zhang.user.full_name == "张审核" and zhang.user.role == "team_leader" and not zhang.user.has_usable_password()
    )
    assert zhang.gender == "male" and zhang.phone == ZHANG[6] and zhang.user.email == ZHANG[7]
    assert sorted((q.family, q.level) for q in zhang.qualifications.all()) == [
        ("EMS", "lead_auditor"),
        ("QMS", "lead_auditor"),
    ]
    assert AuditorIdentity.objects.get(profile=zhang).id_number == ZHANG[2]
    li = AuditorProfile.objects.get(registration_number=LI[3])
    assert li.user.role == "auditor" and li.gender == "female"
    again = auditor_list.plan_auditor_list(data=data, filename="list.xlsx")
    assert _actions(again) == ["skip", "skip"]


def test_an_auditor_present_is_matched_and_updated_never_duplicated():
    from accounts.tests.factories import UserFactory
    from audits.tests.factories import qualified_profile
    from core.access import Role

    admin = cb_admin()
    present = qualified_profile(user=UserFactory(role=Role.AUDITOR, full_name="李审核"))
    AuditorProfile.objects.filter(pk=present.pk).update(registration_number=LI[3])
    identify(present, LI[2])
    profiles = AuditorProfile.objects.count()
    changed = [*LI[:6], "13911111111", "li@example.cn"]
    report = auditor_list.plan_auditor_list(data=_csv(changed), filename="list.csv")
    assert _actions(report) == ["update"] and "phone" in report.lines[0].reason
    services.auditor_list_import(data=_csv(changed), filename="list.csv", by=admin)
    present.refresh_from_db()
    assert AuditorProfile.objects.count() == profiles
    assert present.phone == "13911111111" and present.user.email == "li@example.cn"
    # The same ID number with another auditor's CCAA number: refused, not merged.
    other = qualified_profile()
    clash = [LI[0], "01", LI[2], other.registration_number, "02", "QMS", "", ""]
    line = auditor_list.plan_auditor_list(data=_csv(clash), filename="list.csv").lines[0]
    assert line.action == "refuse" and "two different auditors" in line.reason


def test_page_dry_run_then_import_and_the_command(client, tmp_path):
    admin = cb_admin()
    client.force_login(admin)
    url = reverse("regulator:import_auditors")
    upload = io.BytesIO(_csv(ZHANG))
    upload.name = "list.csv"
    response = client.post(url, {"auditor_list": upload})
    assert response.status_code == 200 and "create" in response.content.decode()
    assert not AuditorProfile.objects.filter(registration_number=ZHANG[3]).exists()
    path = tmp_path / "list.csv"
    path.write_bytes(_csv(ZHANG, LI))
    out = io.StringIO()
    call_command("auditor_list_import", str(path), stdout=out)
    assert "Dry run: create 2" in out.getvalue()
    call_command("auditor_list_import", str(path), "--apply", stdout=out)
    assert AuditorProfile.objects.filter(registration_number__in=[ZHANG[3], LI[3]]).count() == 2
    upload = io.BytesIO(_csv(ZHANG))
    upload.name = "list.csv"
    response = client.post(url, {"auditor_list": upload, "apply": "on"})
    assert "skip" in response.content.decode()
