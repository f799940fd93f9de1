"""The regulator app's actions, each in a realistic case, for the all-or-nothing test
(``auditbody/tests/test_services_atomic.py``)."""

import datetime

from audits.tests.factories import AuditFactory
from certification.tests.pdf_factories import cb_admin
from clients.tests.factories import ClientFactory
from core.tests.atomicity import scenarios
from regulator import services
from regulator.models import ClientRegistration

from .factories import reportable
from .test_import import certificate_workbook

READS = {}


def scenario_submission_export_month():
    reportable(issued_on=datetime.date(2026, 3, 5))
    admin = cb_admin()
    return lambda: services.submission_export_month(month=datetime.date(2026, 3, 1), by=admin)


def scenario_submission_export_plans():
    audit = AuditFactory()
    admin = cb_admin()
    return lambda: services.submission_export_plans(start=audit.start_date, end=audit.end_date, by=admin, draft=True)


def scenario_submission_export_certsearch():
    reportable(issued_on=datetime.date(2026, 3, 5))
    admin = cb_admin()
    return lambda: services.submission_export_certsearch(by=admin, draft=True)


def scenario_plan_number_assign():
    audit = AuditFactory()
    admin = cb_admin()
    return lambda: services.plan_number_assign(audit=audit, by=admin)


def scenario_record_save():
    client = ClientFactory()
    admin = cb_admin()
    return lambda: services.record_save(
        instance=ClientRegistration(client=client, credit_code="91350100M000100Y43"), by=admin
    )


def scenario_workbook_import():
    admin = cb_admin()
    data = certificate_workbook()
    return lambda: services.workbook_import(data=data, source="past.xlsx", by=admin)


SCENARIOS = scenarios(globals())
