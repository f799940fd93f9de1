"""Every exported service action of every app writes all or nothing.

The actions are found, not listed (``core/tests/atomicity.py``): every public function of every
app's service modules whose code — or the code of the project functions it calls — writes.
Each must be decorated with ``@transaction.atomic``, and this is proved by behaviour: in a
realistic case (``<app>/tests/atomic_scenarios.py``, built with the app's factories) the action
is made to fail at its last write, and no row and no stored file it wrote stays.

A function that writes nothing, or writes but must not run in one transaction, is listed with
the reason in its app's ``atomic_scenarios.py``; a new function that is neither an action with
a scenario nor listed fails here, by name.
"""

import importlib
import types

import pytest

from core.tests.atomicity import (
    ServiceFunction,
    assert_all_or_nothing,
    is_atomic,
    project_apps,
    public_functions,
    service_modules,
    writes,
)
from reports.tests.version_factories import fake_render_pdf

# What an app's atomic_scenarios.py lists, each name with its reason.
LISTS = ("READS", "NOT_ATOMIC", "ATOMIC_BLOCK", "HELPER_MODULES")

APPS = {app.label: app for app in project_apps() if service_modules(app)}
FUNCTIONS = {label: public_functions(app) for label, app in APPS.items()}


def declared(label: str) -> types.ModuleType | None:
    """The app's ``tests/atomic_scenarios.py`` (None while it has none)."""
    name = f"{APPS[label].name}.tests.atomic_scenarios"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def listed(label: str, name: str) -> dict:
    return getattr(declared(label), name, {})


def _in_helper_module(function: ServiceFunction) -> bool:
    return function.module in listed(function.app, "HELPER_MODULES")


def _writers(label: str) -> dict[str, ServiceFunction]:
    return {
        name: function
        for name, function in FUNCTIONS[label].items()
        if not _in_helper_module(function) and writes(function.function)
    }


ACTIONS: dict[str, ServiceFunction] = {
    function.key: function
    for label in APPS
    for name, function in _writers(label).items()
    if name not in listed(label, "NOT_ATOMIC")
}


def test_the_service_modules_of_every_app_are_found():
    found = {module.__name__ for app in APPS.values() for module in service_modules(app)}
    assert {
        "standards.services",
        "clients.services",
        "people.services",
        "audits.services.team",
        "findings.services.closure",
        "reports.services",
        "reports.versions.services",
        "certification.services.review",
        "certification.certificate_pdfs.services",
    } <= found
    assert not any(".tests" in name or ".migrations" in name for name in found)


def test_the_actions_are_found_by_what_they_do():
    names = {function.name for function in ACTIONS.values()}
    assert {
        "review_open",
        "decision_approve",
        "certificate_issue",
        "certification_daily",
        "next_serial",
        "client_save",
        "audit_move",
        "nonconformity_respond",
        "report_number_assign",
        "catalogue_load_shipped",
    } <= names
    assert (
        not {
            "eligible_reviewers",
            "review_blockers",
            "independence_check",
            "approval_refusal",
            "team_check",
            "may_issue",
            "pdf_request",  # a cache lock and a task queued on commit: no row
        }
        & names
    )


@pytest.mark.parametrize("label", sorted(APPS))
def test_every_service_function_is_an_action_or_listed_with_its_reason(label):
    functions, writers = FUNCTIONS[label], _writers(label)
    where = f"{APPS[label].name}/tests/atomic_scenarios.py"
    problems = [
        f"{name} is listed in {kind} of {where} without a reason"
        for kind in LISTS
        for name, reason in listed(label, kind).items()
        if not (isinstance(reason, str) and reason.strip())
    ]
    for kind in LISTS[:3]:
        problems += [
            f"{name} is listed in {kind} but is no public service function of {label}"
            for name in listed(label, kind)
            if name not in functions
        ]
    known_modules = {module.__name__ for module in service_modules(APPS[label])}
    problems += [
        f"{module} is listed in HELPER_MODULES but is no service module of {label}"
        for module in listed(label, "HELPER_MODULES")
        if module not in known_modules
    ]
    reads = listed(label, "READS")
    problems += [f"{functions[name]} is listed in READS but writes" for name in reads if name in writers]
    problems += [
        f"{functions[name]} is listed in NOT_ATOMIC but writes nothing"
        for name in listed(label, "NOT_ATOMIC")
        if name in functions and name not in writers
    ]
    problems += [
        f"{functions[name]} is listed in ATOMIC_BLOCK but "
        + ("writes nothing" if name not in writers else "is decorated with @transaction.atomic: unlist it")
        for name in listed(label, "ATOMIC_BLOCK")
        if name in functions and (name not in writers or is_atomic(functions[name].function))
    ]
    problems += [
        f"{function} writes nothing: list it in READS of {where} with why it is there"
        for name, function in functions.items()
        if name not in writers and name not in reads and not _in_helper_module(function)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("label", sorted(APPS))
def test_every_action_has_a_scenario(label):
    actions = {function.name: function for function in ACTIONS.values() if function.app == label}
    scenarios = listed(label, "SCENARIOS")
    where = f"{APPS[label].name}/tests/atomic_scenarios.py"
    missing = [
        f"{actions[name]} writes: give it a scenario_{name}() in {where}" for name in actions if name not in scenarios
    ]
    stale = [f"scenario_{name} in {where} is for no action of {label}" for name in scenarios if name not in actions]
    assert not missing + stale, "\n".join(missing + stale)


DECORATED = sorted(key for key, action in ACTIONS.items() if action.name not in listed(action.app, "ATOMIC_BLOCK"))


@pytest.mark.parametrize("key", DECORATED)
def test_each_action_runs_in_one_transaction(key):
    action = ACTIONS[key]
    assert is_atomic(action.function), f"{key} writes but is not decorated with @transaction.atomic"


@pytest.fixture
def _no_real_pdfs(monkeypatch):
    """The PDF engine's stand-in: actions that render are about rows and files here."""
    monkeypatch.setattr("core.pdf.render_pdf", fake_render_pdf)


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
@pytest.mark.usefixtures("_no_real_pdfs", "_media")
@pytest.mark.parametrize("key", sorted(ACTIONS))
def test_an_action_failing_at_its_last_write_leaves_nothing_written(key):
    action = ACTIONS[key]
    scenario = listed(action.app, "SCENARIOS").get(action.name)
    assert scenario is not None, f"{key} has no scenario"
    assert_all_or_nothing(key, scenario)
