import pytest

from reports.template_loader import default_template, load_report_template

from .factories import ensure_shipped_standards


@pytest.fixture
def report_template(db):
    """The shipped default template with its clause links resolved."""
    ensure_shipped_standards()
    load_report_template()  # idempotent: completes clause links if standards came later
    return default_template()
