"""The CB's figures (dashboard.figures): each equals the database's counts for a fixture with known
counts, at a fixed number of queries whatever the size; the figures page and its CSVs."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from audits.models import AuditStatus, TeamRole
from audits.tests.factories import AuditFactory, TeamAssignmentFactory, iso14001
from certification.models import CertificateStatus
from certification.tests.factories import CertificateFactory
from core.access import Role
from core.dates import local_today
from dashboard import figures
from findings.models import NonconformityStatus, NonconformityTransition
from findings.tests.factories import make_nc

pytestmark = pytest.mark.django_db

TODAY = local_today()
MONTHS = figures.month_starts(TODAY)
THIS_MONTH, LAST_MONTH = MONTHS[-1], MONTHS[-2]


def _at(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build(times=1):
    """``times`` copies of: certificates 2 valid (QMS) + 1 suspended (EMS) + 1 withdrawn (QMS);
    audits this month 1 planned (leader 2 days default + auditor 1.5 days + expert), 1 cancelled;
    last month 1 decided (leader 2 days); 13 months ago 1 (outside); NCs: major open 10 days old,
    minor open 45 days, minor open 100 days (raised last year or months ago), major closed (raised
    and closed this month), observation open (not counted)."""
    for _copy in range(times):
        CertificateFactory()
        CertificateFactory()
        CertificateFactory(standard=iso14001(), status=CertificateStatus.SUSPENDED)
        CertificateFactory(status=CertificateStatus.WITHDRAWN)

        planned = AuditFactory(start_date=THIS_MONTH, end_date=THIS_MONTH)
        TeamAssignmentFactory(audit=planned, role=TeamRole.LEADER)
        TeamAssignmentFactory(audit=planned, role=TeamRole.AUDITOR, days=Decimal("1.5"))
        TeamAssignmentFactory(audit=planned, role=TeamRole.TECHNICAL_EXPERT)
        cancelled = AuditFactory(start_date=THIS_MONTH, end_date=THIS_MONTH, status=AuditStatus.CANCELLED)
        TeamAssignmentFactory(audit=cancelled, role=TeamRole.LEADER)
        day = LAST_MONTH + datetime.timedelta(days=3)
        done = AuditFactory(start_date=day, end_date=day, status=AuditStatus.DECIDED)
        TeamAssignmentFactory(audit=done, role=TeamRole.LEADER)
        old_day = MONTHS[0] - datetime.timedelta(days=5)
        old = AuditFactory(start_date=old_day, end_date=old_day, status=AuditStatus.CLOSED)
        TeamAssignmentFactory(audit=old, role=TeamRole.LEADER)

        ages = {"major": 10, "minor": 45}
        for grade, age in ages.items():
            nc = make_nc(done, grade=grade)
            type(nc).objects.filter(pk=nc.pk).update(raised_at=_at(TODAY - datetime.timedelta(days=age)))
        nc = make_nc(done, grade="minor", status=NonconformityStatus.RETURNED)
        type(nc).objects.filter(pk=nc.pk).update(raised_at=_at(TODAY - datetime.timedelta(days=100)))
        nc = make_nc(done, grade="observation")
        closed = make_nc(done, grade="major", status=NonconformityStatus.CLOSED)
        type(nc).objects.filter(pk=closed.pk).update(raised_at=_at(THIS_MONTH))
        NonconformityTransition.objects.create(
            nc=closed, action="close", from_status="verified", to_status="closed", by=UserFactory(), at=_at(THIS_MONTH)
        )


def _values(figure, series_index=0):
    return dict(zip(figure.labels, figure.series[series_index].values, strict=True))


def _month_label(first):
    return f"{first:%Y-%m}"


@pytest.mark.parametrize("times", [1, 2])
def test_each_figure_equals_the_database_counts(times):
    build(times)
    by_name = {f.name: f for f in figures.figures(today=TODAY)}

    status = _values(by_name["certificates-by-status"])
    assert status == {
        str(CertificateStatus.VALID.label): 2 * times,
        str(CertificateStatus.SUSPENDED.label): times,
        str(CertificateStatus.WITHDRAWN.label): times,
        str(CertificateStatus.CANCELLED.label): 0,
        str(CertificateStatus.EXPIRED.label): 0,
    }

    standard = by_name["certificates-by-standard"]
    assert standard.labels == ["ISO 14001:2015", "ISO 9001:2015"]
    assert _values(standard, 0) == {"ISO 14001:2015": 0, "ISO 9001:2015": 2 * times}
    assert _values(standard, 1) == {"ISO 14001:2015": times, "ISO 9001:2015": 0}

    audits = by_name["audits-per-month"]
    assert len(audits.labels) == 12 and audits.labels[-1] == _month_label(THIS_MONTH)
    scheduled, done = _values(audits, 0), _values(audits, 1)
    assert scheduled[_month_label(THIS_MONTH)] == times  # the cancelled one does not count
    assert done[_month_label(THIS_MONTH)] == 0
    assert scheduled[_month_label(LAST_MONTH)] == done[_month_label(LAST_MONTH)] == times
    assert sum(scheduled.values()) == 2 * times  # the audit of 13 months ago is outside

    ncs = by_name["ncs-opened-closed"]
    opened, closed = _values(ncs, 0), _values(ncs, 1)
    assert closed == {label: (times if label == _month_label(THIS_MONTH) else 0) for label in ncs.labels}
    # Major and minor only: raised 10, 45 and 100 days ago, and the closed one at the month's start.
    expected_opened = dict.fromkeys(ncs.labels, 0)
    for day in (TODAY - datetime.timedelta(days=a) for a in (10, 45, 100)):
        expected_opened[_month_label(day.replace(day=1))] += times
    expected_opened[_month_label(THIS_MONTH)] += times
    assert opened == expected_opened

    ageing = by_name["nc-ageing"]
    assert ageing.labels == [str(label) for label, _f, _l in figures.AGE_BUCKETS]
    assert ageing.series[0].values == [times, 0, 0, 0]  # major: 10 days (the closed one is not counted)
    assert ageing.series[1].values == [0, times, 0, times]  # minor: 45 and 100 days

    days = by_name["auditor-days"]
    planned, done_days = _values(days, 0), _values(days, 1)
    # This month: leader 2 (the audit's days on site) + auditor 1.5; the expert and the cancelled
    # audit do not count. Last month: leader 2, done.
    assert planned[_month_label(THIS_MONTH)] == Decimal("3.5") * times
    assert done_days[_month_label(THIS_MONTH)] == 0
    assert planned[_month_label(LAST_MONTH)] == done_days[_month_label(LAST_MONTH)] == Decimal(2) * times
    assert sum(planned.values()) == Decimal("5.5") * times


def test_the_nc_ageing_buckets_edges_are_local_days():
    audit = AuditFactory()
    for age in (0, 30, 31, 60, 61, 90, 91):
        nc = make_nc(audit, grade="major")
        # Raised just after midnight of the CB's local day: the same local day, whatever UTC says.
        type(nc).objects.filter(pk=nc.pk).update(raised_at=_at(TODAY - datetime.timedelta(days=age), hour=0))
    assert figures.nc_ageing(TODAY).series[0].values == [2, 2, 2, 1]


@pytest.mark.parametrize("times", [1, 3])
def test_all_figures_cost_seven_queries_whatever_the_size(times, django_assert_num_queries):
    build(times)
    with django_assert_num_queries(7):
        figures.figures(today=TODAY)
    with django_assert_num_queries(len(figures.START_PAGE_FIGURES)):  # one query each
        figures.figures(figures.START_PAGE_FIGURES, today=TODAY)


def test_the_figures_page_query_count_does_not_grow(client):
    admin = UserFactory(role=Role.CB_ADMIN)
    client.force_login(admin)
    url = reverse("figures:figures")
    build(1)
    client.get(url)  # warm caches (navigation rules)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    build(2)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(large) == len(small)
    body = response.content.decode()
    for name in figures.FIGURES:
        assert f'data-testid="figure-{name}"' in body
        assert reverse("figures:figure_csv", args=[name]) in body
    assert body.count("<svg") == len(figures.FIGURES) and "style=" not in body


def test_a_figure_as_csv_is_its_table(client):
    build(1)
    client.force_login(UserFactory(role=Role.COMMITTEE))
    response = client.get(reverse("figures:figure_csv", args=["certificates-by-status"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="certificates-by-status-' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    figure = figures.certificates_by_status(TODAY)
    assert rows[0] == [str(h) for h in figure.headings]
    assert rows[1:] == [[str(cell) for cell in row] for row in figure.rows]
    assert client.get(reverse("figures:figure_csv", args=["no-such-figure"])).status_code == 404


def test_csv_cells_never_run_as_formulas():
    from dashboard.chart_views import as_csv

    figure = figures.Figure(
        name="x",
        title="t",
        kind="bar",
        label_heading="=HYPERLINK()",
        labels=["=1+1", "@SUM(A1)", "-2"],
        series=[figures.charts.Series("+n", [1, 2, 3])],
    )
    text = as_csv(figure).content.decode("utf-8")[1:]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["'=HYPERLINK()", "'+n"]
    assert [row[0] for row in rows[1:]] == ["'=1+1", "'@SUM(A1)", "'-2"]


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.TEAM_LEADER, Role.CLIENT])
def test_only_administrators_and_the_committee_see_the_figures(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("figures:figures")).status_code == 403
    assert client.get(reverse("figures:figure_csv", args=["nc-ageing"])).status_code == 403


def test_the_start_page_include_shows_the_small_figures_with_a_link():
    from django.template.loader import render_to_string

    build(1)
    small = figures.figures(figures.START_PAGE_FIGURES, today=TODAY)
    html = render_to_string("dashboard/includes/admin_charts.html", {"small_figures": small})
    assert html.count("<svg") == len(figures.START_PAGE_FIGURES)
    assert reverse("figures:figures") in html


def test_figures_in_chinese_and_english(client):
    client.force_login(UserFactory(role=Role.CB_ADMIN))
    build(1)
    client.post(reverse("set_language"), {"language": "en"})
    english = client.get(reverse("figures:figures")).content.decode()
    assert "Certificates by status" in english and "Valid" in english
    client.post(reverse("set_language"), {"language": "zh-hans"})
    chinese = client.get(reverse("figures:figures")).content.decode()
    assert "证书" in chinese and "有效" in chinese and "Certificates by status" not in chinese
