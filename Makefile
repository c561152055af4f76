# Samen: `make run` sets everything up and serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# make test runs the tests in parallel (pytest-xdist): one worker per core (at most 8) unless PYTEST_WORKERS says
# how many; PYTEST_WORKERS=0 runs them in one process (as --pdb needs). PYTEST_ARGS goes to pytest as it is.
PYTEST_WORKERS ?= auto

.PHONY: run test bench loadtest rehearsal screenshots setup tools lint translations demo worker clean help

help:
	@echo "make run    - set up and serve Samen with a demo municipality on http://$(HOST):$(PORT)"
	@echo "make test   - set up and run the whole test suite (unit, integration, browser + axe)"
	@echo "make screenshots - full-page PNGs of every page each demo login reaches, at 1280 and 360 px, in var/screenshots (index.html)"
	@echo "make bench  - every household page, the login floor and a reference page against a bare page: req/s, p50/p99, server CPU ms and queries per request, ratios, targets met (about 10 min)"
	@echo "             BENCH=households: the coordinator's pages at 1k and 100k households, Wie keek with 10 and 100k log entries"
	@echo "             BENCH=audit: the access log's write path (bench/audit.py); BENCH_ARGS=\"--seconds 2 --warmup 1\" for a short run"
	@echo "             BENCH=pulse: the network pulse's facilitator dashboard (1,000 professionals x 26 rounds) against a raw SQL aggregate (bench/pulse.py)"
	@echo "             BENCH=socialmap: the social map's search at 50,000 services against the raw full-text query, SQLite and PostgreSQL (bench/socialmap.py)"
	@echo "make loadtest - 16 clients writing for 60 s on SQLite and on PostgreSQL: requests, errors, lost writes, access log check"
	@echo "make rehearsal - two app nodes and two RQ workers on one PostgreSQL and one Redis, one node and one worker killed halfway"

tools:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 or newer is missing: install python3 (with venv)."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed; $(PYTHON) is $$($(PYTHON) --version)."; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { echo "The Python venv module is missing: install python3-venv."; exit 1; }
	@command -v node >/dev/null || { echo "Node.js is missing: install nodejs (it is only used to fetch the NL Design System CSS)."; exit 1; }
	@command -v npm >/dev/null || { echo "npm is missing: install npm."; exit 1; }
	@command -v git >/dev/null || { echo "git is missing: install git."; exit 1; }

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: tools $(VENV)/.installed node_modules/.installed translations

translations: $(VENV)/.installed
	@DEBUG=true $(PY) manage.py compile_translations

demo: setup
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py demo_municipality

run: demo
	@echo "Samen runs on http://$(HOST):$(PORT)  (stop with Ctrl+C)"
	@DEBUG=true $(PY) manage.py demo_logins --url http://$(HOST):$(PORT)
	@DEBUG=true $(PY) manage.py worker --reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	@command -v xgettext >/dev/null || { echo "GNU gettext is missing: install gettext (the tests check every Dutch translation with it)."; exit 1; }
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(if $(filter auto,$(PYTEST_WORKERS)),--maxprocesses 8) $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

bench: setup
	$(if $(filter audit,$(BENCH)),$(PY) bench/audit.py,$(if $(filter pulse,$(BENCH)),$(PY) bench/pulse.py,$(if $(filter socialmap,$(BENCH)),$(PY) bench/socialmap.py,$(PY) bench/run.py $(if $(BENCH),--suite $(BENCH))))) $(BENCH_ARGS)

loadtest: setup
	$(PY) bench/loadtest.py $(LOADTEST_ARGS)

rehearsal: setup
	$(PY) bench/rehearsal.py $(REHEARSAL_ARGS)

screenshots: setup
	$(PY) -m tests_e2e.screenshots

clean:
	rm -rf $(VENV) node_modules var
