# innoclub — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2
# pytest processes for `make test` (pytest-xdist); "auto" is one per core.
TEST_WORKERS ?= auto
MANAGE := $(BIN)/python manage.py

# `make run` and `make serve` use the demo dataset on SQLite unless told otherwise.
RUN_ENV := DEBUG=$${DEBUG:-true} INNOCLUB_DEMO_MODE=$${INNOCLUB_DEMO_MODE:-true}
SERVE_ENV := DEBUG=false INNOCLUB_DEMO_MODE=$${INNOCLUB_DEMO_MODE:-true} \
	SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}"
# Tests run with production settings (DEBUG off, hashed static files, 2FA for staff).
TEST_ENV := DEBUG=false INNOCLUB_DEMO_MODE=false SECRET_KEY=test-only-not-secret-$$(hostname) \
	INNOCLUB_VAR_DIR=$(CURDIR)/var/test

.PHONY: help install run serve worker test lint typecheck pytest messages static system-deps runtime-deps clean

help:
	@echo "make run    – install, migrate, seed demo data, serve on http://127.0.0.1:$(PORT) (SQLite)"
	@echo "make test   – ruff, mypy, migration check and the whole pytest suite incl. browser tests"
	@echo "make serve  – production-like server (gunicorn, DEBUG off) on the same database"
	@echo "make messages – update the translation catalogues after changing texts"

# --- Installation (stamps keep a second run fast) ---------------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed var/secret_key compiled-messages

var/secret_key: | $(VENV)/.installed
	mkdir -p var
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# gettext's msgfmt compiles the catalogues; Debian's package provides it.
.PHONY: compiled-messages
# gettext compiles the translations; Pango is what WeasyPrint renders badge PDFs with.
runtime-deps:
	@command -v msgfmt >/dev/null && ldconfig -p | grep -q libpangoft2-1.0 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null)

compiled-messages: runtime-deps
	@$(RUN_ENV) $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

messages: $(VENV)/.installed
	$(RUN_ENV) $(MANAGE) makemessages -l de -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=benchmarks

# --- Running ------------------------------------------------------------------
run: install
	$(RUN_ENV) $(MANAGE) migrate --no-input -v 0
	$(RUN_ENV) $(MANAGE) seed_demo
	@echo
	@echo "  innoclub runs on http://127.0.0.1:$(PORT)/"
	@echo "  Demo accounts (password: innoclub-demo):"
	@echo "    geschaeftsstelle@demo.innoclub.de  – Geschäftsstelle (club office)"
	@echo "    mitglied@demo.innoclub.de          – Mitglied (member)"
	@echo "    gast@demo.innoclub.de              – Gast (guest)"
	@echo "  E-mails are written to var/mail/."
	@echo
	@$(RUN_ENV) $(MANAGE) db_worker --queue-name '*' -v 0 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:$(PORT)

serve: install
	$(SERVE_ENV) $(MANAGE) collectstatic --no-input -v 0
	$(SERVE_ENV) $(MANAGE) migrate --no-input -v 0
	@$(SERVE_ENV) nice -n 10 $(MANAGE) db_worker --queue-name '*' -v 0 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	metrics="$${INNOCLUB_VAR_DIR:-var}/prometheus"; rm -rf "$$metrics"; mkdir -p "$$metrics"; \
	$(SERVE_ENV) PROMETHEUS_MULTIPROC_DIR="$$metrics" \
		$(BIN)/gunicorn innoclub.wsgi --workers $(WORKERS) --bind 127.0.0.1:$(PORT) \
		--graceful-timeout 10

worker: install
	$(RUN_ENV) $(MANAGE) db_worker --queue-name '*'

# --- Tests ---------------------------------------------------------------------
# Browser tests drive Debian's chromium; the Nu HTML checker needs a Java runtime;
# the backup tests on PostgreSQL call pg_dump and pg_restore (postgresql-client).
system-deps:
	@command -v chromium >/dev/null && command -v java >/dev/null && command -v msgfmt >/dev/null \
		&& command -v pg_restore >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium default-jre-headless gettext fonts-dejavu-core postgresql-client >/dev/null)

test: install system-deps
	@mkdir -p var/test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/mypy innoclub tests
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run
	$(TEST_ENV) $(MANAGE) collectstatic --no-input -v 0
	$(TEST_ENV) $(BIN)/pytest -n $(TEST_WORKERS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(TEST_ENV) $(BIN)/mypy innoclub tests

clean:
	rm -rf var/test var/static .pytest_cache .mypy_cache .ruff_cache

# --- Benchmarks ------------------------------------------------------------------
# benchmarks/pages.py loads the pages with wrk; Debian's package provides it.
.PHONY: bench-deps bench-pages bench-soak
bench-deps:
	@command -v wrk >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)

# Page speed on the large dataset (builds it: minutes). Options in BENCH_ARGS, e.g.
# make bench-pages BENCH_ARGS="--dataset demo --duration 3"; all of them: --help.
bench-pages: install bench-deps
	$(BIN)/python benchmarks/pages.py $(BENCH_ARGS)

# Load and soak: mixed traffic from 8 users for 10 minutes on the demo dataset (SQLite), e.g.
# make bench-soak BENCH_ARGS="--duration 90 --database-url postgres://postgres@127.0.0.1:5432/innoclub_soak".
bench-soak: install
	$(BIN)/python benchmarks/soak.py $(BENCH_ARGS)
