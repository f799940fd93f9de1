"""Django set up in this process as the in-process benchmarks use it (``import in_process`` first):
the project on ``sys.path``, production-like settings (``DEBUG`` off, so templates are cached and
static files come from the collected manifest) that Django's test client can still reach."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "auditbody.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")  # DEBUG=0 wants one
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client speaks plain HTTP
os.environ.setdefault("STATIC_ROOT", "/tmp/bench_static")  # collected by the benchmark, as in production

import django  # noqa: E402

django.setup()
