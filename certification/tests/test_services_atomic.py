"""Every service action of certification writes all or nothing.

The actions are found, not listed: every public function of the units of
``certification.services`` (``base`` holds the helpers they share) whose code — or the code of
the service functions it calls — saves, creates, deletes or moves a record. Each must run in one
transaction (its row locks need one too: SQLite ignores select_for_update, so only PostgreSQL
would show a missing one), and this is proved by behaviour: the action is made to fail at its
last write, and nothing it wrote before stays.
"""

import ast
import datetime
import importlib
import inspect
import pkgutil
import textwrap
import types
from collections.abc import Callable

import pytest
from django.apps import apps
from django.db import connection, transaction

from certification import services
from certification.models import (
    CertificateStatus,
    Decision,
    DecisionStatus,
    DecisionType,
    ReviewIssue,
)
from certification.models.review import CHECKLIST_KEYS

from .factories import (
    CommitteeFlagFactory,
    certified_client,
    committee_user,
    iso9001,
    pass_review,
    review_cast,
    withdrawal_reason,
)

# Calls that write whatever they are called on.
WRITE_METHODS = {
    "save",
    "create",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
    "delete",
    "move",
    "record_creation",
    "audit_move",
    "audit_follow",
}
# Calls that write when made on a related manager or a queryset (``decision.standards.set``,
# ``….filter(…).update``), not on a local container (``errors.update``, ``done.add``).
RELATION_WRITES = {"set", "add", "remove", "clear", "update"}
SHARED_HELPERS = "certification.services.base"


def service_functions() -> dict[str, Callable]:
    """Every public function of the units of certification.services."""
    found = {}
    for info in pkgutil.iter_modules(services.__path__):
        module = importlib.import_module(f"{services.__name__}.{info.name}")
        if module.__name__ == SHARED_HELPERS:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == module.__name__:
                found[name] = function
    return found


def _callee(node: ast.AST, namespace: dict) -> list[Callable]:
    """The service functions a call may reach (names, module attributes, tables of functions)."""
    target = None
    if isinstance(node, ast.Name):
        target = namespace.get(node.id)
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner = namespace.get(node.value.id)
        if isinstance(owner, types.ModuleType):
            target = getattr(owner, node.attr, None)
    elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        table = namespace.get(node.value.id)
        if isinstance(table, dict):
            return [f for f in table.values() if inspect.isfunction(f)]
    return [target] if inspect.isfunction(target) else []


def writes(function: Callable, seen: set | None = None) -> bool:
    """Whether the function, or a certification service function it calls, writes."""
    function = inspect.unwrap(function)
    seen = seen if seen is not None else set()
    if function in seen or not function.__module__.startswith(services.__name__):
        return False
    seen.add(function)
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = node.func
        if isinstance(called, ast.Attribute):
            if called.attr in WRITE_METHODS:
                return True
            if called.attr in RELATION_WRITES and not isinstance(called.value, ast.Name):
                return True
        if any(writes(f, seen) for f in _callee(called, function.__globals__)):
            return True
    return False


def is_atomic(function: Callable) -> bool:
    """Decorated with ``@transaction.atomic`` (the wrapper closes over an ``Atomic``)."""
    return any(isinstance(cell.cell_contents, transaction.Atomic) for cell in function.__closure__ or ())


ACTIONS = sorted(name for name, function in service_functions().items() if writes(function))


def test_the_actions_are_found_by_what_they_do():
    functions = service_functions()
    assert {"review_open", "decision_approve", "certificate_issue", "certification_daily", "next_serial"} <= set(
        ACTIONS
    )
    assert not {"eligible_reviewers", "review_blockers", "independence_check", "approval_refusal"} & set(ACTIONS)
    assert set(ACTIONS) < set(functions)


@pytest.mark.parametrize("name", ACTIONS)
def test_each_action_runs_in_one_transaction(name):
    assert is_atomic(service_functions()[name]), f"{name} writes but is not decorated with @transaction.atomic"


# --- proved by behaviour ----------------------------------------------------------------------


class Failure(Exception):
    pass


def _is_write(sql: str) -> bool:
    return sql.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE", "REPLACE")


def count_writes(call: Callable) -> int:
    """How many rows-writing statements the action issues (its writes rolled back afterwards)."""
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += _is_write(sql)
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(counter):
        call()
        transaction.set_rollback(True)
    return count


def failing_at_write(n: int):
    """The n-th write statement fails."""
    count = 0

    def fail(execute, sql, params, many, context):
        nonlocal count
        if _is_write(sql):
            count += 1
            if count == n:
                raise Failure(sql[:80])
        return execute(sql, params, many, context)

    return connection.execute_wrapper(fail)


def snapshot() -> dict[str, list]:
    """Every row of the certification and audits tables (their history tables included)."""
    rows = {}
    for label in ("certification", "audits"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = list(model._base_manager.order_by("pk").values())
    return rows


def today() -> datetime.date:
    return services._today()


def _review_ready():
    """An open review with its reviewer assigned and every point answered."""
    cast = review_cast()
    review = services.review_open(audit=cast.audit, by=cast.admin)
    services.reviewer_assign(review=review, reviewer=cast.reviewer, by=cast.admin)
    for key in CHECKLIST_KEYS:
        services.review_answer(review=review, point=key, answer="yes", remark="已核查", by=cast.reviewer)
    return cast, review


def _fresh(obj):
    return type(obj)._base_manager.get(pk=obj.pk)


def _opened_grant():
    cast = review_cast()
    review = pass_review(cast)
    decision = services.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )
    return cast, decision


def _evaluated_grant():
    cast, decision = _opened_grant()
    services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="", evaluated_on=today(), by=cast.evaluator
    )
    return cast, decision


def _approved_without_certificates():
    """A grant approved as far as its own row goes, its effects not applied yet."""
    cast, decision = _evaluated_grant()
    Decision.objects.filter(pk=decision.pk).update(
        status=DecisionStatus.APPROVED, approval_conclusion="approve", approved_by=cast.approver, approved_on=today()
    )
    return cast, decision


def scenario_review_open():
    cast = review_cast()
    return lambda: services.review_open(audit=_fresh(cast.audit), by=cast.admin)


def scenario_reviewer_assign():
    cast = review_cast()
    review = services.review_open(audit=cast.audit, by=cast.admin)
    return lambda: services.reviewer_assign(review=_fresh(review), reviewer=cast.reviewer, by=cast.admin)


def scenario_review_answer():
    cast = review_cast()
    review = services.review_open(audit=cast.audit, by=cast.admin)
    services.reviewer_assign(review=review, reviewer=cast.reviewer, by=cast.admin)
    return lambda: services.review_answer(
        review=_fresh(review), point=CHECKLIST_KEYS[0], answer="yes", remark="已核查", by=cast.reviewer
    )


def scenario_review_issue_raise():
    cast, review = _review_ready()
    return lambda: services.review_issue_raise(review=_fresh(review), text="请说明", by=cast.reviewer)


def scenario_review_issue_respond():
    cast, review = _review_ready()
    issue = services.review_issue_raise(review=review, text="请说明", by=cast.reviewer)
    return lambda: services.review_issue_respond(issue=_fresh(issue), response="已说明", by=cast.leader)


def scenario_review_issue_resolve():
    cast, review = _review_ready()
    issue = services.review_issue_raise(review=review, text="请说明", by=cast.reviewer)
    services.review_issue_respond(issue=issue, response="已说明", by=cast.leader)
    return lambda: services.review_issue_resolve(issue=ReviewIssue.objects.get(pk=issue.pk), by=cast.reviewer)


def scenario_review_conclude():
    cast, review = _review_ready()
    return lambda: services.review_conclude(review=_fresh(review), passed=True, remark="通过", by=cast.reviewer)


def scenario_decision_open():
    cast = review_cast()
    review = pass_review(cast)
    return lambda: services.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )


def scenario_decision_evaluate():
    cast, decision = _opened_grant()
    return lambda: services.decision_evaluate(
        decision=_fresh(decision), conclusion="agree", remarks="同意", evaluated_on=today(), by=cast.evaluator
    )


def scenario_decision_remarks_save():
    cast, decision = _opened_grant()
    return lambda: services.decision_remarks_save(
        decision=_fresh(decision), closing_meeting_differences="无", other_remarks="无", by=cast.evaluator
    )


def scenario_decision_approve():
    cast, decision = _evaluated_grant()
    return lambda: services.decision_approve(
        decision=_fresh(decision), conclusion="approve", remarks="批准", approved_on=today(), by=cast.approver
    )


def scenario_decision_effect():
    cast, decision = _approved_without_certificates()
    return lambda: services.decision_effect(decision=_fresh(decision), by=cast.approver, issued_on=today())


def scenario_certificate_issue():
    cast, decision = _approved_without_certificates()
    return lambda: services.certificate_issue(
        decision=_fresh(decision),
        programme=_fresh(cast.audit.programme),
        standard=iso9001(),
        issued_on=today(),
        expires_on=today() + datetime.timedelta(days=1000),
        scope_zh="基础软件服务",
        by=cast.approver,
    )


def scenario_certificate_status_change():
    certificate = certified_client().certificate
    by = committee_user()
    return lambda: services.certificate_status_change(
        certificate=_fresh(certificate),
        to_status=CertificateStatus.WITHDRAWN,
        by=by,
        reason=withdrawal_reason(),
        effective_on=today(),
    )


def scenario_next_serial():
    return lambda: services.next_serial(year=2031, standard_code="Q1")


def scenario_certification_daily():
    certified_client(issued_on=datetime.date(2020, 1, 6))  # expired long ago
    return lambda: services.certification_daily(today=today())


def scenario_flag_resolve():
    certified = certified_client()
    flag = CommitteeFlagFactory(certificate=certified.certificate)
    decision = certified.decision  # answers the flag: the decision is written too
    by = committee_user()
    return lambda: services.flag_resolve(flag=_fresh(flag), by=by, resolution="已决定", decision=_fresh(decision))


SCENARIOS = {name.removeprefix("scenario_"): f for name, f in globals().items() if name.startswith("scenario_")}


def test_every_action_has_a_scenario():
    assert set(SCENARIOS) == set(ACTIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ACTIONS)
def test_an_action_failing_at_its_last_write_leaves_nothing_written(name):
    call = SCENARIOS[name]()
    before = snapshot()
    writes = count_writes(call)
    assert snapshot() == before
    assert writes >= 2, f"{name}: {writes} write(s), nothing to leave half-written"
    with pytest.raises(Failure), failing_at_write(writes):
        call()
    assert snapshot() == before
