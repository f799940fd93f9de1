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


def scenario_auditor_list_import():
    from .test_auditor_list import LI, ZHANG, _xlsx

    admin = cb_admin()
    data = _xlsx(ZHANG, LI)
    return lambda: services.auditor_list_import(data=data, filename="auditors.xlsx", by=admin)


def scenario_workbook_import():
    """The certificate sheet with its result sheet: the team members are the last writes."""
    from .test_import import _known_auditor, workbook_with_results

    admin = cb_admin()
    _known_auditor()
    data = workbook_with_results(
        [{"AUDIT_STAGE": "0101", "AUDIT_START": "2019-12-16 08:30:00", "AUDIT_END": "2019-12-16 17:00:00"}, {}]
    )
    return lambda: services.workbook_import(data=data, source="past.xlsx", by=admin)


def scenario_plan_sheet_import():
    """A past plan sheet of two rows to create: the second row's team members are the last writes."""
    from . import test_plans_import as plans

    admin = cb_admin()
    plans.known_people()
    data = plans.plan_sheet([plans.ROWS[0], plans.ROWS[-1]])
    return lambda: services.plan_sheet_import(data=data, source="plans.xlsx", by=admin)


SCENARIOS = scenarios(globals())
