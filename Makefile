# The two commands: `make demo` and `make test`. Both set up everything they need on a fresh
# machine (virtual environment, npm packages, compiled assets, Chromium for browser tests) and
# skip any step whose inputs have not changed, so second runs are fast.

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2
export TEST_POSTGRES_URL

.PHONY: demo test lint unit bench assets setup chromium postgres-check clean help

help:
	@echo "make demo   - run the whole system with seeded data on SQLite, and print the address"
	@echo "make test   - run every test (SQLite, PostgreSQL, Chromium) and the lint checks"
	@echo "make bench  - run the benchmarks and save figures under bench/results/"

setup: $(STAMPS)/venv $(STAMPS)/assets

$(STAMPS)/venv: pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) is needed: apt-get install python3.11 python3.11-venv"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# This machine's pip configuration names local package folders that may not exist; pip
	@# warns once per package about them, which hides real errors, so those lines are dropped.
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]' \
	  2> >(grep -v "^WARNING: Location 'file:" >&2)
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/npm: package.json package-lock.json
	@command -v npm >/dev/null || { echo "make: npm is needed: apt-get install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/assets: $(STAMPS)/venv $(STAMPS)/npm scripts/build_assets.py config/landlord.yaml $(wildcard portal/assets_src/*)
	$(PY) scripts/build_assets.py
	@touch $@

assets: $(STAMPS)/assets

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "make: installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "make: browser tests need Debian's Chromium: run 'sudo apt-get install chromium'"; exit 1; \
	  fi; \
	fi

postgres-check: $(STAMPS)/venv
	@$(PY) scripts/check_postgres.py "$(TEST_POSTGRES_URL)"

lint: $(STAMPS)/venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check --quiet .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

test: $(STAMPS)/assets chromium postgres-check lint
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup -q --durations=15

unit: $(STAMPS)/venv
	$(VENV)/bin/pytest -q -m "unit or web"

demo: $(STAMPS)/assets
	@$(PY) scripts/demo.py

bench: $(STAMPS)/assets
	$(PY) -m bench

clean:
	rm -rf $(STAMPS) portal/static/dist instance/assets-build
