"""Proving that service actions write all or nothing: the machinery behind
``auditbody/tests/test_services_atomic.py``, usable by any app's tests.

*Found, not listed.* The service modules are every ``services`` module of a project app and
every module below a ``services`` package (``clients/services.py``, ``audits/services/team.py``,
``reports/versions/services.py`` …). Their public functions are sorted by reading their code:
a function *writes* when it — or a project function it calls — saves, creates, deletes or
moves a record (``writes``). Every writing function is an action and must be decorated with
``@transaction.atomic`` (``is_atomic``), unless its app lists it as deliberately not atomic.

*Proved by behaviour.* An app's scenario builds a realistic case with the factories and returns
the call; ``assert_all_or_nothing`` runs it once to count its write statements (rolled back),
then again with its last write failing, and requires every row of every table — history and
many-to-many tables included — and the files in storage to be as they were.

Each app declares in ``<app>/tests/atomic_scenarios.py``:

* ``SCENARIOS``: ``scenarios(globals())``, the ``scenario_<function>()`` of each action;
* ``READS``: public service functions that write nothing, each with why it is there;
* ``NOT_ATOMIC``: functions that write but must not run in one transaction, each with why;
* ``ATOMIC_BLOCK``: functions not decorated whose writes all run in one
  ``with transaction.atomic()`` block, each with why (their scenarios still prove it);
* ``HELPER_MODULES``: service modules of helpers the actions share (not actions), with why.

A scenario may be marked ``@single_write(why)`` (its action writes one row, so there is nothing
to leave half-written but the failing write is still checked) or ``@leaves_files(why)`` (its
action stores an upload that nothing removes when a later write fails: its rows are checked, its
files are not). A mark that no longer holds fails, so none outlives its reason.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import os
import pkgutil
import textwrap
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.cache.backends.base import BaseCache
from django.db import connection, transaction
from django.utils.connection import ConnectionProxy

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

Scenario = Callable[[], Callable[[], Any]]


# --- finding the actions ---------------------------------------------------------------------------


def project_apps() -> list[AppConfig]:
    """The project's own apps (not Django's nor a library's)."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        app
        for app in apps.get_app_configs()
        if Path(app.path).resolve().is_relative_to(base) and "site-packages" not in Path(app.path).parts
    ]


@functools.cache
def _project_packages() -> frozenset[str]:
    return frozenset(app.name.split(".")[0] for app in project_apps())


def service_modules(app: AppConfig) -> list[types.ModuleType]:
    """Every ``services`` module of the app, and every module below a ``services`` package."""
    found: list[types.ModuleType] = []

    def visit(package: types.ModuleType, inside_services: bool) -> None:
        for info in pkgutil.iter_modules(package.__path__):
            if info.name in ("tests", "migrations"):
                continue
            services = inside_services or info.name == "services"
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            if services:
                found.append(module)
            if info.ispkg:
                visit(module, services)

    visit(app.module, False)
    return found


@dataclass(frozen=True)
class ServiceFunction:
    app: str  # the app's label
    module: str
    name: str
    function: Callable[..., Any]

    @property
    def key(self) -> str:
        return f"{self.module}.{self.name}"

    def __str__(self) -> str:
        return self.key


def public_functions(app: AppConfig) -> dict[str, ServiceFunction]:
    """{name: ServiceFunction} of the app's service modules' public functions (those defined
    there, not imported)."""
    found: dict[str, ServiceFunction] = {}
    for module in service_modules(app):
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function) or function.__module__ != module.__name__:
                continue
            if name in found:
                raise AssertionError(f"{app.label}: {found[name]} and {module.__name__}.{name} share a name")
            found[name] = ServiceFunction(app.label, module.__name__, name, function)
    return found


def _callee(node: ast.AST, namespace: dict[str, Any]) -> list[Callable[..., Any]]:
    """The functions a call may reach (names, module attributes, tables of functions)."""
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


def _is_cache(node: ast.AST, namespace: dict[str, Any]) -> bool:
    """``cache.add``, ``cache.delete``: the cache is not the database."""
    return isinstance(node, ast.Name) and isinstance(namespace.get(node.id), (BaseCache, ConnectionProxy))


def writes(function: Callable[..., Any], seen: set[Callable[..., Any]] | None = None) -> bool:
    """Whether the function, or a project function it calls, writes to the database (or a file
    through a model's ``FileField``)."""
    function = inspect.unwrap(function)
    seen = seen if seen is not None else set()
    if function in seen or function.__module__.split(".")[0] not in _project_packages():
        return False
    seen.add(function)
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = node.func
        if isinstance(called, ast.Attribute):
            if _is_cache(called.value, function.__globals__):
                continue
            if called.attr in WRITE_METHODS:
                return True
            if called.attr in RELATION_WRITES and not isinstance(called.value, ast.Name):
                return True
        if any(writes(f, seen) for f in _callee(called, function.__globals__)):
            return True
    return False


def is_atomic(function: Callable[..., Any]) -> bool:
    """Decorated with ``@transaction.atomic`` (the wrapper closes over an ``Atomic``)."""
    return any(isinstance(cell.cell_contents, transaction.Atomic) for cell in function.__closure__ or ())


def scenarios(namespace: dict[str, Any]) -> dict[str, Scenario]:
    """{action name: scenario} of a module's ``scenario_<action>`` functions."""
    return {name.removeprefix("scenario_"): f for name, f in namespace.items() if name.startswith("scenario_")}


# --- proving it by behaviour -----------------------------------------------------------------------


class Failure(Exception):
    """The write the test made fail."""


def is_write(sql: str) -> bool:
    return sql.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE", "REPLACE")


def count_writes(call: Callable[[], Any]) -> int:
    """How many row-writing statements the call issues (its writes rolled back afterwards)."""
    count = 0

    def counter(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal count
        count += is_write(sql)
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(counter):
        call()
        transaction.set_rollback(True)
    return count


@contextmanager
def failing_at_write(n: int) -> Iterator[None]:
    """The n-th write statement fails."""
    count = 0

    def fail(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal count
        if is_write(sql):
            count += 1
            if count == n:
                raise Failure(sql[:80])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (history and many-to-many tables included)."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in tables
    }


def changed_tables(before: dict[str, list[dict[str, Any]]], after: dict[str, list[dict[str, Any]]]) -> list[str]:
    return [
        f"{label} ({len(rows)} → {len(after.get(label, []))} rows)"
        for label, rows in before.items()
        if after.get(label) != rows
    ]


def stored_files() -> set[str]:
    """The files under MEDIA_ROOT."""
    root = Path(settings.MEDIA_ROOT)
    return {str(Path(folder, name).relative_to(root)) for folder, _dirs, names in os.walk(root) for name in names}


def leaves_files(reason: str) -> Callable[[Scenario], Scenario]:
    """Mark a scenario whose action stores a file that nothing removes when a later write fails
    (the code promises no more); ``reason`` says why. Its rows are still checked."""

    def mark(scenario: Scenario) -> Scenario:
        scenario.leaves_files = reason  # type: ignore[attr-defined]
        return scenario

    return mark


def single_write(reason: str) -> Callable[[Scenario], Scenario]:
    """Mark a scenario whose action writes one row and nothing else; ``reason`` says why. Its
    failing write must still leave nothing."""

    def mark(scenario: Scenario) -> Scenario:
        scenario.single_write = reason  # type: ignore[attr-defined]
        return scenario

    return mark


def assert_all_or_nothing(name: str, scenario: Scenario) -> None:
    """Build the scenario, run its call once to count its writes (rolled back), then again with
    its last write failing: every row and every stored file must be as before."""
    call = scenario()
    before, files_before = snapshot(), stored_files()
    count = count_writes(call)
    assert snapshot() == before, f"{name}: the counting run was not rolled back"
    written = stored_files() - files_before
    for path in written:  # the counting run's files: its rows were rolled back
        os.remove(Path(settings.MEDIA_ROOT, path))
    if getattr(scenario, "single_write", ""):
        assert count == 1, f"{name} is marked as writing one row but made {count} writes: unmark its scenario"
    else:
        assert count >= 2 or (count and written), f"{name}: {count} write(s), nothing to leave half-written"
    try:
        with failing_at_write(count):
            call()
    except Failure:
        # Outside a test every statement of an action that is not atomic commits on its own; here
        # the test's transaction was marked for rollback by the failing save: keep what the action
        # left, as autocommit would, to see it.
        transaction.set_rollback(False)
    else:
        raise AssertionError(f"{name}: the failing write did not make the action fail (an error was swallowed)")
    after = snapshot()
    assert after == before, f"{name} failed at its last write but left rows written: {changed_tables(before, after)}"
    files_after = stored_files()
    assert files_before <= files_after, f"{name} failed but removed stored files: {sorted(files_before - files_after)}"
    left = files_after - files_before
    if getattr(scenario, "leaves_files", ""):
        assert left, f"{name} is marked as leaving files behind but left none: unmark its scenario"
    else:
        assert not left, f"{name} failed at its last write but left files in storage: {sorted(left)}"
