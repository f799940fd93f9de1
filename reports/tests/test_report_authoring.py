"""Writing a report: who may write which topic, concurrent edits, the lifecycle and its lock."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audits.models import AuditStatus, AuditTransition, TeamRole
from core.access import Role
from reports import services
from reports.models import ReportEvent, ReportStatus, TopicConflict

from .factories import ReportSetup, UserFactory, fill_report, member, shipped_standard

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def setup():
    s = ReportSetup()
    s.assign("context_of_organization", s.auditor)
    return s


# --- who may write which topic ---------------------------------------------------------------------


def test_topics_start_assigned_to_the_team_leader():
    s = ReportSetup()
    assert {c.assignee_id for c in s.report.topics.all()} == {s.leader.pk}


def test_the_assignee_writes_their_topic(setup):
    content = setup.content("context_of_organization")
    saved = services.topic_save(content=content, text="组织环境识别充分", version=0, by=setup.auditor_user)
    assert (saved.text, saved.version, saved.saved_by) == ("组织环境识别充分", 1, setup.auditor_user)


def test_the_leader_writes_any_topic(setup):
    content = setup.content("context_of_organization")
    saved = services.topic_save(content=content, text="组长补充", version=0, by=setup.leader_user)
    assert saved.text == "组长补充"


def test_another_team_member_cannot_write_a_topic_assigned_to_someone_else(setup):
    content = setup.content("interested_parties")  # still the leader's
    with pytest.raises(PermissionDenied):
        services.topic_save(content=content, text="不是我的", version=0, by=setup.auditor_user)
    content.refresh_from_db()
    assert content.text == "" and content.version == 0


def test_a_refused_topic_save_over_http_is_403_and_nothing_is_written(client, setup):
    content = setup.content("interested_parties")
    client.force_login(setup.auditor_user)
    response = client.post(reverse("reports:topic_save", args=[content.pk]), {"text": "x", "version": 0}, **HTMX)
    assert response.status_code == 403
    content.refresh_from_db()
    assert content.text == ""


def test_a_version_too_large_for_the_database_is_refused_not_a_500(client, setup):
    content = setup.content("context_of_organization")
    client.force_login(setup.auditor_user)
    url = reverse("reports:topic_save", args=[content.pk])
    response = client.post(url, {"text": "x", "version": str(10**30)}, **HTMX)
    assert response.status_code == 400
    content.refresh_from_db()
    assert content.text == "" and not TopicConflict.objects.exists()


def test_an_auditor_not_on_the_team_gets_404(client, setup):
    outsider = UserFactory(role=Role.AUDITOR)
    client.force_login(outsider)
    content = setup.content("context_of_organization")
    assert client.get(reverse("reports:editor", args=[setup.report.pk])).status_code == 404
    assert client.post(reverse("reports:topic_save", args=[content.pk]), {"text": "x", "version": 0}).status_code == 404


def test_only_the_leader_assigns_topics(setup):
    content = setup.content("policy")
    with pytest.raises(PermissionDenied):
        services.topic_assign(content=content, assignee=setup.auditor, by=setup.auditor_user)
    services.topic_assign(content=content, assignee=setup.auditor, by=setup.leader_user)
    assert setup.content("policy").assignee == setup.auditor


def test_topics_are_assigned_to_this_audits_team_only(setup):
    other = ReportSetup()
    with pytest.raises(ValidationError) as refused:
        services.topic_assign(content=setup.content("policy"), assignee=other.auditor, by=setup.leader_user)
    assert refused.value.code == "not_team"


def test_cb_admin_reads_the_report_but_cannot_write(client, setup, make_user):
    admin = make_user(role=Role.CB_ADMIN)
    client.force_login(admin)
    page = client.get(reverse("reports:editor", args=[setup.report.pk]))
    assert page.status_code == 200
    assert 'data-testid="topic-text"' not in page.content.decode()
    with pytest.raises(PermissionDenied):
        services.topic_save(content=setup.content("policy"), text="x", version=0, by=admin)


# --- autosave and concurrent edits ------------------------------------------------------------------


def test_autosave_answers_with_the_new_version_and_the_text_survives_a_reload(client, setup):
    content = setup.content("context_of_organization")
    client.force_login(setup.auditor_user)
    url = reverse("reports:topic_save", args=[content.pk])
    response = client.post(url, {"text": "第一稿", "version": 0}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="version" value="1"' in body and 'hx-swap-oob="true"' in body
    response = client.post(url, {"text": "第二稿", "version": 1}, **HTMX)
    assert response.status_code == 200 and 'value="2"' in response.content.decode()
    page = client.get(reverse("reports:editor", args=[setup.report.pk])).content.decode()
    assert "第二稿" in page


def test_the_second_save_from_the_same_version_is_refused_and_both_texts_are_kept(setup):
    content = setup.content("context_of_organization")
    services.topic_save(content=content, text="组员的文字", version=0, by=setup.auditor_user)
    with pytest.raises(services.TopicConflictError):
        services.topic_save(content=content, text="组长的文字", version=0, by=setup.leader_user)
    content.refresh_from_db()
    assert content.text == "组员的文字" and content.version == 1  # nothing overwritten
    conflict = TopicConflict.objects.get(content=content)
    assert (conflict.text, conflict.by, conflict.base_version, conflict.current_version) == (
        "组长的文字",
        setup.leader_user,
        0,
        1,
    )


def test_a_conflict_over_http_is_409_and_shows_both_texts(client, setup):
    content = setup.content("context_of_organization")
    services.topic_save(content=content, text="先保存的文字", version=0, by=setup.auditor_user)
    client.force_login(setup.leader_user)
    response = client.post(
        reverse("reports:topic_save", args=[content.pk]), {"text": "后保存的文字", "version": 0}, **HTMX
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "先保存的文字" in body and "后保存的文字" in body and 'data-testid="conflict-panel"' in body


def test_saving_the_merged_text_from_the_current_version_resolves_the_conflict(setup):
    content = setup.content("context_of_organization")
    services.topic_save(content=content, text="A", version=0, by=setup.auditor_user)
    with pytest.raises(services.TopicConflictError):
        services.topic_save(content=content, text="B", version=0, by=setup.leader_user)
    merged = services.topic_save(content=content, text="A\nB", version=1, by=setup.leader_user)
    assert merged.text == "A\nB" and merged.version == 2
    conflict = TopicConflict.objects.get(content=content)
    assert conflict.resolved_at is not None and conflict.text == "B"  # kept, marked resolved


def test_repeated_autosaves_of_a_stale_editor_keep_one_conflict_copy(setup):
    content = setup.content("context_of_organization")
    services.topic_save(content=content, text="A", version=0, by=setup.auditor_user)
    for text in ("B", "BB", "BBB"):
        with pytest.raises(services.TopicConflictError):
            services.topic_save(content=content, text=text, version=0, by=setup.leader_user)
    assert list(TopicConflict.objects.values_list("text", flat=True)) == ["BBB"]


# --- submission, completion and the lifecycle -----------------------------------------------------------


def test_submit_is_refused_while_the_report_is_incomplete(setup):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=setup.report, by=setup.leader_user)
    assert exc.value.code == "incomplete"
    setup.report.refresh_from_db()
    assert setup.report.status == ReportStatus.DRAFT


def test_completion_lists_the_empty_topics_and_their_owners(client, setup):
    client.force_login(setup.leader_user)
    page = client.get(reverse("reports:completion", args=[setup.report.pk])).content.decode()
    assert "组织及其环境的识别情况" in page and setup.auditor.name in page
    assert 'data-testid="incomplete"' in page


def test_submit_over_http_while_incomplete_shows_the_reason(client, setup):
    client.force_login(setup.leader_user)
    response = client.post(reverse("reports:submit", args=[setup.report.pk]), follow=True)
    assert "报告尚未完成" in response.content.decode()
    setup.report.refresh_from_db()
    assert setup.report.status == ReportStatus.DRAFT


def test_a_complete_report_is_submitted_and_approved_by_the_leader(setup):
    fill_report(setup)
    services.report_submit(report=setup.report, by=setup.auditor_user)  # a team member submits to the leader
    with pytest.raises(PermissionDenied):
        services.report_approve(report=setup.report, by=setup.auditor_user)  # only the leader approves
    services.report_approve(report=setup.report, by=setup.leader_user)
    setup.report.refresh_from_db()
    assert setup.report.status == ReportStatus.APPROVED and setup.report.approved_by == setup.leader_user
    assert list(ReportEvent.objects.filter(report=setup.report).values_list("action", flat=True)) == [
        "create",
        "submit",
        "approve",
    ]


def test_the_audit_status_follows_the_report(setup):
    audit = setup.audit
    audit.refresh_from_db()
    assert audit.status == AuditStatus.REPORT_DRAFTED
    fill_report(setup)
    services.report_submit(report=setup.report, by=setup.leader_user)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED
    services.report_approve(report=setup.report, by=setup.leader_user)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.APPROVED
    services.report_reopen(report=setup.report, by=setup.leader_user, reason="补充证据")
    audit.refresh_from_db()
    assert audit.status == AuditStatus.REPORT_DRAFTED
    assert list(AuditTransition.objects.filter(audit=audit).values_list("to_status", flat=True))[-4:] == [
        "report_drafted",
        "submitted",
        "approved",
        "report_drafted",
    ]


def test_a_returned_topic_must_be_revised_before_resubmission(setup):
    fill_report(setup)
    services.report_submit(report=setup.report, by=setup.leader_user)
    content = setup.content("context_of_organization")
    services.report_return(report=setup.report, by=setup.leader_user, comments={content: "请补充组织环境的证据"})
    setup.report.refresh_from_db()
    assert setup.report.status == ReportStatus.RETURNED
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=setup.report, by=setup.leader_user)
    assert exc.value.code == "incomplete"
    content.refresh_from_db()
    services.topic_save(
        content=content, text=content.text + "\n补充：查营业执照。", version=content.version, by=setup.auditor_user
    )
    assert content.comments.get().addressed_at is not None
    services.report_submit(report=setup.report, by=setup.leader_user)
    services.report_approve(report=setup.report, by=setup.leader_user)


def test_returning_needs_a_comment_on_at_least_one_topic(setup):
    fill_report(setup)
    services.report_submit(report=setup.report, by=setup.leader_user)
    with pytest.raises(ValidationError) as refused:
        services.report_return(report=setup.report, by=setup.leader_user, comments={})
    assert refused.value.code == "no_comment"
    with pytest.raises(PermissionDenied):
        services.report_return(report=setup.report, by=setup.auditor_user, comments={setup.content("policy"): "x"})
    setup.report.refresh_from_db()
    assert setup.report.status == ReportStatus.SUBMITTED


# --- the lock after approval ----------------------------------------------------------------------


@pytest.fixture
def approved(setup):
    fill_report(setup)
    services.report_submit(report=setup.report, by=setup.leader_user)
    services.report_approve(report=setup.report, by=setup.leader_user)
    setup.report.refresh_from_db()
    return setup


def test_an_approved_report_is_locked(approved, client):
    content = approved.content("context_of_organization")
    for user in (approved.auditor_user, approved.leader_user):
        with pytest.raises(ValidationError) as exc:
            services.topic_save(content=content, text="改", version=content.version, by=user)
        assert exc.value.code == "wrong_status"
    fld = approved.field("programme_issues")
    with pytest.raises(ValidationError) as refused:
        services.report_values_save(
            report=approved.report,
            values={fld.pk: "改"},
            version=approved.report.choices_version,
            by=approved.leader_user,
        )
    assert refused.value.code == "wrong_status"
    client.force_login(approved.auditor_user)
    page = client.get(reverse("reports:editor", args=[approved.report.pk])).content.decode()
    assert 'data-testid="locked-banner"' in page and 'data-testid="topic-text"' not in page


def test_reopening_needs_the_leader_and_a_reason_and_is_recorded(approved):
    with pytest.raises(PermissionDenied):
        services.report_reopen(report=approved.report, by=approved.auditor_user, reason="x")
    with pytest.raises(ValidationError) as refused:
        services.report_reopen(report=approved.report, by=approved.leader_user, reason="  ")
    assert refused.value.code == "no_reason"
    services.report_reopen(report=approved.report, by=approved.leader_user, reason="客户补交了证据")
    event = ReportEvent.objects.filter(report=approved.report).latest("pk")
    assert (event.action, event.by, event.note, event.from_status, event.to_status) == (
        "reopen",
        approved.leader_user,
        "客户补交了证据",
        "approved",
        "reopened",
    )
    content = approved.content("context_of_organization")
    saved = services.topic_save(
        content=content, text="重新打开后修改", version=content.version, by=approved.auditor_user
    )
    assert saved.text == "重新打开后修改"


# --- choices ------------------------------------------------------------------------------------------


def test_choices_accept_only_the_fields_options(setup):
    fld = setup.field("recommendation")
    with pytest.raises(ValidationError):
        services.report_values_save(
            report=setup.report,
            values={fld.pk: "recommend_everything"},
            version=setup.report.choices_version,
            by=setup.auditor_user,
        )
    services.report_values_save(
        report=setup.report,
        values={fld.pk: "defer_recommendation"},
        version=setup.report.choices_version,
        by=setup.auditor_user,
    )
    assert setup.report.values.get(field=fld).value == "defer_recommendation"


def test_facts_cannot_be_typed_into_the_report(setup):
    fld = setup.field("cb_name", "auditor_info")
    with pytest.raises(ValidationError):
        services.report_values_save(
            report=setup.report, values={fld.pk: "别的机构"}, version=setup.report.choices_version, by=setup.leader_user
        )


def test_a_stale_choices_form_is_refused(client, setup):
    fld = setup.field("objectives_achieved")
    version = setup.report.choices_version
    services.report_values_save(report=setup.report, values={fld.pk: "achieved"}, version=version, by=setup.leader_user)
    with pytest.raises(ValidationError) as exc:
        services.report_values_save(
            report=setup.report, values={fld.pk: "not_achieved"}, version=version, by=setup.auditor_user
        )
    assert exc.value.code == "stale"
    assert setup.report.values.get(field=fld).value == "achieved"


def test_the_choices_page_saves_radio_and_checkbox_rows(client, setup):
    client.force_login(setup.auditor_user)
    url = reverse("reports:choices", args=[setup.report.pk])
    page = client.get(url).content.decode()
    recommendation = setup.field("recommendation")
    systems = setup.field("recommendation_systems")
    assert page.count(f'name="f{recommendation.pk}"') == 8
    response = client.post(
        url,
        {
            "version": setup.report.choices_version,
            f"f{recommendation.pk}": "recommend_certification",
            f"f{systems.pk}": ["QMS"],
        },
    )
    assert response.status_code == 302
    values = {v.field_id: v.value for v in setup.report.values.all()}
    assert values[recommendation.pk] == "recommend_certification" and values[systems.pk] == ["QMS"]


# --- not applicable -----------------------------------------------------------------------------------


def _preview_topic(client, report, key, user):
    client.force_login(user)
    page = client.get(reverse("reports:preview", args=[report.pk])).content.decode()
    start = page.index(f'data-topic="{key}"')
    return page[start : page.index("</div>\n</div>", start) if "</div>\n</div>" in page[start:] else start + 2000]


def test_topics_of_families_outside_the_criteria_print_not_applicable(client):
    s = ReportSetup()  # QMS only
    snippet = _preview_topic(client, s.report, "environmental_aspects", s.leader_user)
    assert 'data-applicable="0"' in snippet and "不适用" in snippet
    snippet = _preview_topic(client, s.report, "emergency_preparedness", s.leader_user)  # EMS + OHSMS
    assert 'data-applicable="0"' in snippet
    snippet = _preview_topic(client, s.report, "context_of_organization", s.leader_user)
    assert 'data-applicable="1"' in snippet


def test_topics_of_an_audited_family_are_written_not_marked_not_applicable(client):
    s = ReportSetup(standards=[shipped_standard("ISO 9001"), shipped_standard("ISO 14001")])
    content = s.content("environmental_aspects")
    services.topic_save(content=content, text="识别了环境因素32项", version=0, by=s.leader_user)
    snippet = _preview_topic(client, s.report, "environmental_aspects", s.leader_user)
    assert 'data-applicable="1"' in snippet and "识别了环境因素32项" in snippet
    snippet = _preview_topic(client, s.report, "ohs_hazards", s.leader_user)
    assert 'data-applicable="0"' in snippet and "不适用" in snippet


def test_not_applicable_topics_are_not_required(setup):
    from reports.selectors import report_completion

    missing = {i.anchor for i in report_completion(report=setup.report).missing}
    ems_topic = setup.content("environmental_aspects").topic
    assert f"topic-{ems_topic.pk}" not in missing


# --- visibility of drafts -----------------------------------------------------------------------------


def test_client_users_and_the_committee_never_see_a_draft(client, setup, make_user):
    client_user = make_user(role=Role.CLIENT, client=setup.audit.client)
    committee = make_user(role=Role.COMMITTEE)
    url = reverse("reports:preview", args=[setup.report.pk])
    for user in (client_user, committee):
        client.force_login(user)
        assert client.get(url).status_code == 404
    fill_report(setup)
    services.report_submit(report=setup.report, by=setup.leader_user)
    services.report_approve(report=setup.report, by=setup.leader_user)
    for user in (client_user, committee):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_another_clients_user_never_sees_the_report(client, setup, make_user):
    fill_report(setup)
    services.report_submit(report=setup.report, by=setup.leader_user)
    services.report_approve(report=setup.report, by=setup.leader_user)
    client.force_login(make_user(role=Role.CLIENT))
    assert client.get(reverse("reports:preview", args=[setup.report.pk])).status_code == 404


def test_the_preview_of_a_draft_is_marked_draft(client, setup):
    client.force_login(setup.leader_user)
    page = client.get(reverse("reports:preview", args=[setup.report.pk])).content.decode()
    assert "report-draft-mark" in page


def test_a_member_added_later_can_be_given_topics(setup):
    late = member(setup.audit, role=TeamRole.AUDITOR)
    with pytest.raises(PermissionDenied):  # not theirs yet
        services.topic_save(
            content=setup.content("management_review"), text="管理评审", version=0, by=late.profile.user
        )
    services.topic_assign(content=setup.content("management_review"), assignee=late, by=setup.leader_user)
    assert setup.content("management_review").assignee == late
    saved = services.topic_save(
        content=setup.content("management_review"), text="管理评审", version=0, by=late.profile.user
    )
    assert (saved.text, saved.saved_by) == ("管理评审", late.profile.user)
    assert setup.content("management_review").text == "管理评审"
