"""Rules of the code's shape that no linter states: statuses change only through a lifecycle
machine, and no application module grows past the size a reader can hold."""

import re
from pathlib import Path

from django.apps import apps as django_apps
from django.conf import settings

from core.lifecycle import machines

BASE_DIR = Path(settings.BASE_DIR)
# Every app of ours (those that live in this repository), a new one included without listing it.
APPS = tuple(
    config.name.split(".")[0] for config in django_apps.get_app_configs() if Path(config.path).is_relative_to(BASE_DIR)
)

# A background job's status (a report render, a stage 1 document review, a certificate PDF) is the
# job's progress, not a lifecycle anybody decides: it is written with conditional updates under a
# row lock in these modules (docs/architecture.md).
STATUS_WRITERS_ALLOWED = {
    "core/lifecycle.py",
    "reports/versions/services.py",
    "stage1/services/review.py",
    "certification/certificate_pdfs/services.py",
}
JOB_PROGRESS_MODELS = (("reports", "RenderJob"), ("stage1", "DocumentReview"), ("certification", "CertificatePdfJob"))

STATUS_WRITE = re.compile(r"\.status\s*=(?!=)|\.update\([^)]*\bstatus\s*=")


def _application_modules():
    for app in APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            relative = path.relative_to(BASE_DIR).as_posix()
            if "/tests/" in relative or "/migrations/" in relative:
                continue
            yield relative, path.read_text(encoding="utf-8")


def test_only_the_lifecycle_mechanism_writes_a_status():
    offenders = [
        f"{name}:{number}: {line.strip()}"
        for name, text in _application_modules()
        if name not in STATUS_WRITERS_ALLOWED
        for number, line in enumerate(text.splitlines(), start=1)
        if STATUS_WRITE.search(line)
    ]
    assert offenders == [], "a status changes only through core.lifecycle.Machine.move:\n" + "\n".join(offenders)


def test_every_model_with_a_status_has_a_machine():
    from django.apps import apps

    governed = {machine.model for machine in machines().values()}
    with_status = {
        model
        for model in apps.get_models()
        if model._meta.app_label in APPS
        and not model.__name__.startswith("Historical")
        and any(f.name == "status" and getattr(f, "choices", None) for f in model._meta.get_fields())
    }
    exempt = {apps.get_model(*name) for name in JOB_PROGRESS_MODELS}
    assert with_status - exempt <= governed, sorted(m.__name__ for m in with_status - exempt - governed)


def test_no_application_module_is_longer_than_600_lines():
    long = [f"{name}: {text.count(chr(10))}" for name, text in _application_modules() if text.count("\n") > 600]
    assert long == [], long


# A day is the CB's local day (TIME_ZONE): "today" and the day of a stored moment come from
# core.dates, the one place that converts. date.today() is the server's day, timezone.now().date()
# and datetime.now() the UTC or server one: on a server in UTC, between 16:00 and 24:00 UTC they
# are the day before Shanghai's.
LOCAL_DAY_HELPERS = {"core/dates.py"}
NON_LOCAL_DAY = re.compile(
    r"\bdate\.today\(\)|\bnow\(\)\.date\(\)|\bdatetime\.now\(\)|\butcnow\(\)|\btimezone\.localdate\("
)


def test_every_day_is_taken_from_the_local_calendar_helpers():
    offenders = [
        f"{name}:{number}: {line.strip()}"
        for name, text in _application_modules()
        if name not in LOCAL_DAY_HELPERS
        for number, line in enumerate(text.splitlines(), start=1)
        if NON_LOCAL_DAY.search(line)
    ]
    assert offenders == [], "take today and a moment's day from core.dates (the CB's time zone):\n" + "\n".join(
        offenders
    )


def test_the_local_day_guard_catches_each_form():
    for line in (
        "today = datetime.date.today()",
        "day = timezone.now().date()",
        "stamp = datetime.datetime.now()",
        "day = timezone.localdate()",
    ):
        assert NON_LOCAL_DAY.search(line), line
    assert not NON_LOCAL_DAY.search("issued_at = datetime.datetime.now(datetime.UTC)")


# A test's parameters are computed once, when pytest collects the tests; a "today" computed there is
# the day of collection, and a run that crosses the CB's midnight (16:00 UTC for Beijing) tests
# yesterday's dates against today's rules. Compute days inside the test (or in a fixture).
DAY_CALL = re.compile(r"\b(local_today|today|now|localdate|utcnow)\(")


def _parametrize_arguments(tree):
    import ast

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "parametrize":
            yield node


def test_no_test_parameter_is_computed_from_today():
    import ast

    offenders = []
    for path in sorted(BASE_DIR.rglob("test_*.py")):
        relative = path.relative_to(BASE_DIR).as_posix()
        if relative.startswith((".venv/", "node_modules/")):
            continue
        text = path.read_text(encoding="utf-8")
        if "parametrize" not in text:
            continue
        for call in _parametrize_arguments(ast.parse(text)):
            source = ast.get_source_segment(text, call) or ""
            if DAY_CALL.search(source):
                offenders.append(f"{relative}:{call.lineno}")
    assert offenders == [], "compute today inside the test, not in its parameters:\n" + "\n".join(offenders)


def test_the_parameter_guard_catches_a_day_in_parametrize():
    import ast

    text = "import pytest\n@pytest.mark.parametrize('day', [local_today() + delta])\ndef test_x(day): pass\n"
    calls = list(_parametrize_arguments(ast.parse(text)))
    assert calls and DAY_CALL.search(ast.get_source_segment(text, calls[0]))
