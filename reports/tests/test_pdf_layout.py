"""The report's print layout over a long report: every field and topic of the shipped template
filled with long text (Chinese paragraphs, long English words, an unbroken identifier, a URL),
many nonconformities and itinerary lines, rendered in both languages (about 150 pages each) and
read back page by page by the layout checker (core/tests/pdf_layout.py): no text beyond the
text box, no heading or table header row as the last line of a page.

The seed demo's report gets the same check in auditbody/tests/test_seed_report_pdf.py.
"""

import pytest
from django.db import transaction

from core.tests.pdf_layout import layout_problems
from reports import services
from reports.models import FieldType
from reports.versions.render import load_report, render_report

from .factories import ReportSetup, shipped_standard
from .version_factories import add_nonconformity, add_plan

# The renders are built once, in a module fixture; the mark makes pytest-django create the test
# database for it.
pytestmark = pytest.mark.django_db

# Long English words the PDF must neither hyphenate oddly nor let run past the margin, an
# identifier with no break opportunity at all, and a URL.
LATIN = (
    "Specification nonconformity internationalization responsibilities "
    "DOC-QMS-PROC-0001-REV-A-CONTROLLED-COPY-FOR-INTERNAL-DISTRIBUTION-ONLY-0123456789 "
    "https://intranet.example.invalid/quality/management/system/records/2020/01/08/audit-evidence.pdf "
    + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" * 2
    + " "
)
PARAGRAPH = (
    "查：公司于2019年5月20日依据ISO9001-2015版标准对《质量手册》、《程序文件》进行修订，目前版本为A/1版，"
    "由管理者代表审核，总经理批准后发布。文件更改采用局部修改、换页、换版等方式。"
)


def long_text(key, paragraphs=5):
    return "\n".join(f"{key} {n}. {PARAGRAPH * 3} {LATIN}" for n in range(paragraphs))


def fill_long(setup):
    """Every team-typed field and every topic of the report, with long text."""
    report = setup.report
    for content in report.topics.select_related("topic"):
        services.topic_save(
            content=content, text=long_text(content.topic.key), version=content.version, by=setup.leader_user
        )
    values, details = {}, {}
    for fld in services.editable_fields(report.template):
        if fld.type == FieldType.TABLE:
            columns = [c["key"] for c in fld.columns]
            if fld.source:
                continue  # rows come from the records
            values[fld.pk] = [{c: long_text(c, 1) for c in columns if c != "source"} for _ in range(3)]
        elif fld.type == FieldType.TEXT:
            values[fld.pk] = long_text(fld.key, 1)
        elif fld.type == FieldType.MULTICHOICE:
            keys = [o.key for o in fld.options.all()]
            values[fld.pk] = keys
            details[fld.pk] = {k: long_text(k, 1)[:300] for k in keys}
    report.refresh_from_db()
    services.report_values_save(
        report=report, values=values, details=details, version=report.choices_version, by=setup.leader_user
    )


@pytest.fixture(scope="module")
def long_pdfs(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        setup = ReportSetup(standards=[shipped_standard(code) for code in ("ISO 9001", "ISO 14001", "ISO 45001")])
        fill_long(setup)
        for n in range(1, 16):
            add_nonconformity(setup, statement=long_text(f"NC{n}", 2), evidence=long_text("evidence", 2), number=n)
        add_plan(setup, 40, text=long_text("process", 1)[:160])
        report = load_report(setup.report.pk)
        renders = {
            language: render_report(report=report, language=language, number="CB-Q-2020-0001", draft=False, issue=1)
            for language in ("zh-hans", "en")
        }
        transaction.set_rollback(True)
    return renders


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_page_of_a_long_report_has_text_outside_the_text_box_or_a_stranded_heading(long_pdfs, language):
    render = long_pdfs[language]
    assert render.result.pages >= 140
    assert layout_problems(render.result.pdf) == []
