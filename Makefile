# auditbody — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# What WeasyPrint and Chinese PDFs need (measured: without libharfbuzz-subset0 every render takes
# 15 s more; without fonts-noto-cjk Chinese prints as boxes; DejaVu has the ☑/☐ glyphs the CJK
# fonts lack), poppler-utils and chromium for the tests, gettext to compile translations.
DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
	fonts-dejavu-core poppler-utils chromium gettext

.PHONY: install system-packages python-packages messages run test test-postgres worker lint format backup restore bench-load

install: system-packages python-packages messages

system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

python-packages: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

messages: python-packages
	$(PY) manage.py compilemessages --ignore=.venv -v 0

# The web server and a real Celery worker on an embedded broker (files under .run/, no server to
# install), so PDFs render in the background as in production (Procfile.dev, honcho).
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	CELERY_BROKER_URL=filesystem:// $(VENV)/bin/honcho -f Procfile.dev start

# Two test processes (pytest-xdist) on the default set-up; TEST_WORKERS=0 runs them in one.
TEST_WORKERS ?= 2

test: install
	$(PY) -m pytest -n $(TEST_WORKERS)

# Static guard-rails (pyproject.toml): lint and format, the layers contract, types of the rule
# modules, models in step with migrations, Django's system checks.
lint: python-packages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

format: python-packages
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The same suite on the real services (see README, "Running on PostgreSQL, Redis and Celery"),
# but for the database-agnostic request matrices `make test` runs (PG_SELECT= runs them too).
PG_SELECT ?= -m "not request_matrix"

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} $(PY) -m pytest -n $(TEST_WORKERS) $(PG_SELECT)

worker: install
	$(VENV)/bin/celery -A auditbody worker --loglevel=info --max-tasks-per-child=50 --max-memory-per-child=1048576

# Backups and recovery (README "Backups and recovery"): the configured database (pg_dump, or the
# SQLite backup API) and MEDIA_ROOT into backups/<YYYYmmdd-HHMMSS>/ (BACKUP_DIR to put it
# elsewhere); `make restore BACKUP=backups/<folder>` puts one back and checks every stored PDF.
backup: python-packages
	$(PY) manage.py backup

restore: python-packages
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=backups/<YYYYmmdd-HHMMSS>"; exit 2; }
	$(PY) manage.py restore "$(BACKUP)" --yes

# The load test (README "Performance at a CB's size") on a make_data database, e.g.
#   make bench-load DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_mid LOAD_ARGS="--users 20 --run-time 60s"
# locust comes from requirements-bench.txt, installed here only: make install and CI never need it.
bench-load: python-packages
	$(PY) -m pip install -q -r requirements-bench.txt
	DATABASE_URL=$(DATABASE_URL) bench/load $(LOAD_ARGS)
