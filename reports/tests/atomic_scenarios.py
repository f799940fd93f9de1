"""The reports app's actions, each in a realistic case, for the all-or-nothing test
(``auditbody/tests/test_services_atomic.py``, machinery in ``core/tests/atomicity.py``)."""

from audits.models import AuditStatus, TeamRole
from core.tests.atomicity import scenarios, single_write
from reports import services
from reports.models import Report, TopicConflict, TopicContent, VersionKind
from reports.versions import services as version_services

from .factories import (
    AuditFactory,
    CertificationBodyFactory,
    ReportSetup,
    ensure_shipped_standards,
    fill_report,
    member,
    shipped_standard,
)
from .version_factories import approved_setup

READS = {
    "editable_fields": "the fields the team types, for the editor; writes nothing",
    "default_language": "the language a report is rendered in; writes nothing",
    "may_render_draft": "a who-check; writes nothing",
    "may_issue": "a who-check; writes nothing",
    "issue_refusal": "why a report may not be issued now, for pages; writes nothing",
    "issued_in_force": "the issue in force; writes nothing",
    "version_label": "a version's label; writes nothing",
    "stale_after": "a setting read (how long before a render is taken for dead); writes nothing",
    "resend_after": "a setting read (how long before an unsent job is sent again); writes nothing",
}
NOT_ATOMIC = {
    "render_job_run": (
        "the Celery task's body: claims the job (one transaction), renders outside any transaction, stores the "
        "version with its file (another, through core.issued.storing) and records a failure or a retry on the "
        "job; each step must commit on its own so that the job shows its progress and a failed render its reason"
    ),
    "render_now": "requests a render (one transaction) and runs it as the task would (render_job_run)",
    "render_jobs_resume": (
        "the beat job: reclaims each render job whose worker died in a transaction of its own (one job's "
        "failure must not keep the others waiting) and sends the jobs again after commit"
    ),
}
ATOMIC_BLOCK = {
    "topic_save": (
        "a stale save keeps the refused text as a TopicConflict that must be committed before the error is "
        "raised, which a decorator would roll back; every write is inside one `with transaction.atomic()` block"
    ),
}
HELPER_MODULES: dict[str, str] = {}

TOPIC = "context_of_organization"


def _fresh(obj):
    return type(obj)._base_manager.get(pk=obj.pk)


def _submitted():
    setup = ReportSetup()
    fill_report(setup)
    services.report_submit(report=_fresh(setup.report), by=setup.leader_user)
    return setup


# --- writing ---------------------------------------------------------------------------------------


def scenario_report_start():
    ensure_shipped_standards()
    CertificationBodyFactory()
    audit = AuditFactory(standards=[shipped_standard("ISO 9001")], status=AuditStatus.IN_PROGRESS)
    leader = member(audit, role=TeamRole.LEADER)
    member(audit, role=TeamRole.AUDITOR)
    return lambda: services.report_start(audit=_fresh(audit), by=leader.profile.user)


def scenario_topic_assign():
    setup = ReportSetup()
    content = setup.content(TOPIC)
    return lambda: services.topic_assign(content=_fresh(content), assignee=setup.auditor, by=setup.leader_user)


def scenario_topic_save():
    # The leader revises a topic the report was returned for, over an earlier conflict copy of
    # theirs: the text, its history, the comment addressed and the copy resolved.
    setup = _submitted()
    content = setup.content(TOPIC)
    services.report_return(report=_fresh(setup.report), by=setup.leader_user, comments={content: "请补充证据"})
    TopicConflict.objects.create(
        content=content, by=setup.leader_user, base_version=0, current_version=content.version, text="旧稿"
    )

    def call():
        current = TopicContent.objects.get(pk=content.pk)
        return services.topic_save(
            content=current, text=current.text + "（已补充证据）", version=current.version, by=setup.leader_user
        )

    return call


def scenario_report_values_save():
    setup = ReportSetup()
    fields = list(services.editable_fields(setup.report.template))
    choices = [f for f in fields if f.is_choice and f.type == "choice"][:2]
    texts = [f for f in fields if f.type == "text"][:1]
    values = {f.pk: f.options.first().key for f in choices} | {f.pk: "说明" for f in texts}
    assert len(values) == 3

    def call():
        report = _fresh(setup.report)
        return services.report_values_save(
            report=report, values=values, version=report.choices_version, by=setup.auditor_user, language="en"
        )

    return call


# --- lifecycle -------------------------------------------------------------------------------------


def scenario_report_submit():
    setup = ReportSetup()
    fill_report(setup)
    return lambda: services.report_submit(report=_fresh(setup.report), by=setup.auditor_user)


def scenario_report_return():
    setup = _submitted()
    comments = {setup.content(TOPIC).pk: "请补充证据", setup.content("policy").pk: "方针未覆盖EMS"}
    return lambda: services.report_return(
        report=_fresh(setup.report), by=setup.leader_user, comments=comments, comment="请修改"
    )


def scenario_report_approve():
    setup = _submitted()
    return lambda: services.report_approve(report=_fresh(setup.report), by=setup.leader_user)


def scenario_report_reopen():
    setup = approved_setup()
    return lambda: services.report_reopen(report=_fresh(setup.report), by=setup.leader_user, reason="客户补交了证据")


# --- PDFs ------------------------------------------------------------------------------------------


@single_write("the report's number is one row")
def scenario_report_number_assign():
    setup = approved_setup()
    return lambda: version_services.report_number_assign(report=Report.objects.get(pk=setup.report.pk))


def scenario_render_request():
    setup = approved_setup()
    return lambda: version_services.render_request(
        report=_fresh(setup.report), by=setup.leader_user, kind=VersionKind.ISSUED, language="zh-hans"
    )


SCENARIOS = scenarios(globals())
