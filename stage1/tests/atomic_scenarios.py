"""The stage 1 app's actions, each in a realistic case, for the all-or-nothing test
(``auditbody/tests/test_services_atomic.py``, machinery in ``core/tests/atomicity.py``)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import UserFactory
from core.access import Role
from core.tests.atomicity import leaves_files, scenarios, single_write
from stage1 import services
from stage1.models import AreaOfConcern, DocumentReview, ReviewProposal, ReviewStatus

from .factories import leader_and_audit, manual_docx, upload

READS = {
    "clause_of": "finds the clause a proposal names; writes nothing",
    "evidence_text": "formats a proposal's evidence for its area of concern; writes nothing",
    "may_upload": "the upload rule, also asked by the pages; writes nothing",
    "may_review": "the review rule, also asked by the pages; writes nothing",
    "previous_review": "finds the review a new one is compared with; writes nothing",
}
NOT_ATOMIC = {
    "stage1_review_run": "the Celery task's body: it commits its progress as it goes (claim, progress, result);"
    " the result itself is stored in one transaction (_store)",
}
ATOMIC_BLOCK: dict[str, str] = {}
HELPER_MODULES: dict[str, str] = {}


@leaves_files("the upload is stored before its row is written; nothing removes it when the row fails")
def scenario_stage1_document_upload():
    leader, audit = leader_and_audit()
    first = upload(audit, leader)
    return lambda: services.stage1_document_upload(
        audit=audit,
        uploaded_file=SimpleUploadedFile("管理手册.docx", manual_docx(title_85="和服务提供")),
        by=leader,
        document=first.document,
    )


def scenario_stage1_review_request():
    leader, audit = leader_and_audit()
    version = upload(audit, leader)
    return lambda: services.stage1_review_request(version=version, by=leader)


def _proposal():
    leader, audit = leader_and_audit()
    version = upload(audit, leader)
    review = DocumentReview.objects.create(version=version, requested_by=leader, status=ReviewStatus.DONE)
    proposal = ReviewProposal.objects.create(
        review=review,
        position=0,
        kind="title_deviation",
        clause="8.5",
        standard="ISO 9001:2015",
        template="%(found)s",
        params={"found": "和服务提供"},
        evidence=[{"text": "8.5 和服务提供", "line": 80, "page": None, "where": "body"}],
        key="k",
    )
    return leader, audit, proposal


def scenario_stage1_proposal_confirm():
    leader, _audit, proposal = _proposal()
    return lambda: services.stage1_proposal_confirm(proposal=proposal, by=leader)


@single_write("the proposal's decision is one row")
def scenario_stage1_proposal_dismiss():
    leader, _audit, proposal = _proposal()
    return lambda: services.stage1_proposal_dismiss(proposal=proposal, by=leader, reason="wording only")


@single_write("an area of concern written by hand is one row")
def scenario_stage1_concern_add():
    leader, audit = leader_and_audit()
    return lambda: services.stage1_concern_add(audit=audit, by=leader, text="GB/T 28001 still cited")


@single_write("the answer is one row")
def scenario_stage1_concern_answer():
    leader, audit = leader_and_audit()
    concern = AreaOfConcern.objects.create(audit=audit, text="GB/T 28001 still cited", created_by=leader)
    client_user = UserFactory(role=Role.CLIENT, client=audit.client)
    return lambda: services.stage1_concern_answer(concern=concern, by=client_user, answer="Migrated to ISO 45001")


SCENARIOS = scenarios(globals())
