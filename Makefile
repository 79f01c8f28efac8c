# The two commands that matter: `make run` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
STAMP := $(VENV)/.installed
MO_FILES := $(patsubst %.po,%.mo,$(wildcard portal/translations/*/LC_MESSAGES/messages.po))

.DEFAULT_GOAL := help
.PHONY: help setup run db seed test test-pg lint fmt i18n-extract bench serve-prod clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d portal/translations -f -D messages 2>&1 | grep -v '^compiling' || true
	@touch $(MO_FILES)

setup: $(STAMP) $(MO_FILES) ## create .venv, install the project, compile the translations

db: setup ## migrate instance/portal.sqlite3 and load the demo data (once)
	$(FLASK) db upgrade
	$(FLASK) calendar seed
	$(FLASK) seed-demo

run: db ## serve the portal with its scheduler on http://127.0.0.1:5000
	PORTAL_RUN_SCHEDULER=1 $(FLASK) run --host 127.0.0.1 --port 5000 --no-reload

serve-prod: setup ## production layout: gunicorn workers on PostgreSQL, Redis, one scheduler (port 8000)
	bash deploy/serve-prod.sh

bench: setup ## generate the small and large data sets on PostgreSQL, load both servers, write bench/results.json and the README table
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python -m bench.run

seed: setup ## load the demo data (idempotent)
	$(FLASK) seed-demo

test: setup ## run the whole suite (SQLite; PostgreSQL when PORTAL_TEST_DATABASE_URL is set)
	$(BIN)/pytest

test-pg: setup ## run the suite against the local PostgreSQL
	PORTAL_TEST_DATABASE_URL=$${PORTAL_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/pytest

lint: setup ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: setup ## ruff format and fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

i18n-extract: setup ## extract messages and update the zh_CN and en catalogues
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o portal/translations/messages.pot --no-location --sort-output --ignore-dirs='.* __pycache__ *.egg-info' .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --ignore-obsolete

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
