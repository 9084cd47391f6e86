# Common Ground: `make run` starts the app with demo data; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Django 6.1 needs Python 3.12+. The first interpreter found that is new enough wins:
# PYTHON from the environment, python3.13/python3.12 on PATH, then pyenv's installed versions.
PYTHON_FOR_VENV = $(shell bin/find-python)

.PHONY: help venv deps npm static run test lint typecheck fmt browser clean benchmark pdf-libs bench bench-impact bench-national fuzz load audit layout

help:
	@echo "make run    set up and start Common Ground with demo data on http://127.0.0.1:8000/"
	@echo "make test   install what the tests need and run lint, migrations check and pytest"

$(VENV)/.created:
	@interp="$(PYTHON_FOR_VENV)"; \
	if [ -z "$$interp" ]; then echo "Python 3.12 or newer is needed (install it, or set PYTHON=/path/to/python3.12)" >&2; exit 1; fi; \
	echo "Creating $(VENV) with $$interp"; \
	"$$interp" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	touch $@

venv: $(VENV)/.created

$(VENV)/.deps: $(VENV)/.created requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

deps: $(VENV)/.deps

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

npm: node_modules/.package-lock.json

static: deps npm
	$(PY) manage.py collectstatic --noinput --verbosity 0

# The embedded default: SQLite and Celery's filesystem broker under var/, no server needed.
run: deps npm
	@bin/run-embedded

browser:
	@bin/ensure-chromium

# WeasyPrint (PDF exports) needs Debian's Pango.
pdf-libs:
	@bin/ensure-pdf-libs

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: deps
	$(VENV)/bin/mypy

fmt: deps
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Tests run against the real PostgreSQL and Redis on their standard local ports, one pytest-xdist
# worker per core (TEST_WORKERS=1 for one process), each with its own test database and broker
# database (config/settings/test.py); a test file's tests all run on one worker (--dist loadfile).
TEST_WORKERS ?= auto
test: deps npm browser pdf-libs lint typecheck audit
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Every page of the access matrix at 1280 and 390 px in a real browser (a few minutes).
layout: deps npm browser
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -m layout tests/browser/test_every_page_fits.py $(PYTEST_ARGS)

# Every benchmark but the national-scale one (bench-national: tens of minutes and several GB).
benchmark: deps npm
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest benchmarks --ignore=benchmarks/test_national_scale.py -s -p no:cacheprovider $(PYTEST_ARGS)

# The crime import benchmark (a generated 500,000-row police.uk file against a raw COPY), then bench-impact
# (BENCH_CRIME_ROWS changes the size). Results in var/benchmarks/crime_import.json.
bench: deps
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest benchmarks/test_crime_import.py -s -p no:cacheprovider $(PYTEST_ARGS)
	$(MAKE) bench-impact

# The impact report over 100,000 problems and 1,000,000 crime rows (generated with COPY).
# Results in var/benchmarks/impact_report.json.
bench-impact: deps
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest benchmarks/test_impact_report.py -s -p no:cacheprovider $(PYTEST_ARGS)

# The list, home, partner and report pages over 43 forces, 1,000,000 problems, 200,000 shares and
# 10,000,000 crime rows (generated with COPY; BENCH_NATIONAL_* change the sizes), their query counts
# asserted equal to a small data set's. Results in var/benchmarks/national_scale.json.
bench-national: deps
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest benchmarks/test_national_scale.py -s -p no:cacheprovider $(PYTEST_ARGS)

# The reliability drills with every core busy (a busy loop per core, BUSY_CPU): the real-worker
# reminder tests (slow mail server, killed worker, cut database connection, flushed Redis) and the
# Redis drills (a redis-server the tests start, stop and freeze on a port of their own).
.PHONY: drills
drills: deps
	BUSY_CPU=$${BUSY_CPU:-$$(nproc)} DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -m "celery_worker or drill" tests/core/test_reminders_worker.py tests/core/test_celery_worker.py tests/core/test_health.py tests/test_drills.py -p no:cacheprovider $(PYTEST_ARGS)

# Every form fuzzed with at least 200 generated examples each (make test runs a small sample of the same).
fuzz: deps
	DJANGO_SETTINGS_MODULE=config.settings.test HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest tests/fuzz -p no:cacheprovider $(PYTEST_ARGS)

# Signed-in sessions of mixed roles against gunicorn at 5, 10, 20 and 40 sessions (benchmarks/load.py).
# Makes its own database (LOAD_DATABASE_URL); results in var/benchmarks/load.json.
load: deps npm
	$(PY) benchmarks/load.py

# Known vulnerabilities in the pinned Python and npm dependencies fail the build (bin/audit-deps).
# A lookup service that cannot be reached is reported as NOT CHECKED; AUDIT_STRICT=1 makes that fail too.
audit: deps npm
	bin/audit-deps

clean:
	rm -rf var staticfiles .pytest_cache .mypy_cache .ruff_cache
