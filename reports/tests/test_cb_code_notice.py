"""A CB without its code is told so where report numbers are printed (the report's PDF panel)
and where numbers are configured (the admin of the CB and of the numbering policy), instead of
silently numbering reports "CB-…" and certificates "000…"."""

import pytest
from django.urls import reverse

from audits.models import CertificationBody

from .factories import ReportSetup

pytestmark = pytest.mark.django_db


def _set_code(code):
    cb = CertificationBody.objects.current()
    cb.cb_code = code
    cb.save()


@pytest.mark.parametrize("code,told", [("", True), ("168", False)])
def test_the_report_pdf_panel_tells_a_cb_without_its_code(client, code, told):
    setup = ReportSetup()
    _set_code(code)
    client.force_login(setup.leader_user)
    page = client.get(reverse("reports:versions_panel", args=[setup.report.pk])).content.decode()
    assert ('data-testid="cb-code-missing"' in page) is told


@pytest.mark.parametrize(
    "url_name", ["admin:certification_certificationpolicy_changelist", "admin:audits_certificationbody_changelist"]
)
def test_the_admin_where_numbers_are_configured_tells_a_cb_without_its_code(admin_client, url_name):
    ReportSetup()
    _set_code("")
    told = "认证机构尚未设置机构代码"  # the notice, in the default language
    assert told in admin_client.get(reverse(url_name)).content.decode()
    _set_code("168")
    assert told not in admin_client.get(reverse(url_name)).content.decode()
