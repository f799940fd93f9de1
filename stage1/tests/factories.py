"""Test data of the stage 1 app: a stage 1 audit, documents and reviews built through the services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import UserFactory
from audits.models import AuditType
from audits.tests.factories import audit_for, iso9001
from core.access import Role
from stage1 import services
from stage1.tests.manuals import as_docx, clean_manual, replace_heading


def stage1_audit(user=None, **kwargs):
    kwargs.setdefault("standards", [iso9001()])
    return audit_for(user, audit_type=AuditType.STAGE_1, purpose="stage1", **kwargs)


def manual_docx(*, title_85="生产和服务提供", wrong_84=False):
    manual = clean_manual(["ISO 9001:2015"])
    replace_heading(manual, "8.5", new_title=title_85)
    if wrong_84:
        for n in ("8.4.1", "8.4.2", "8.4.3"):
            replace_heading(manual, n, new_number=n.replace("8.4.", "8.9."))
    return as_docx(manual)


def upload(audit, by, data=None, name="管理手册.docx", document=None):
    return services.stage1_document_upload(
        audit=audit,
        uploaded_file=SimpleUploadedFile(name, data if data is not None else manual_docx()),
        by=by,
        title="管理手册",
        document=document,
    )


def leader_and_audit():
    leader = UserFactory(role=Role.TEAM_LEADER)
    return leader, stage1_audit(leader)
