"""Client facts the report template may print."""

import pytest

from audits.tests.factories import AuditFactory
from reports.facts import audit_facts

pytestmark = pytest.mark.django_db


def test_the_report_has_the_ohs_representative_as_a_fact():
    audit = AuditFactory(client__ohs_representative="张启帆")
    assert audit_facts(audit)["client.ohs_representative"] == "张启帆"
