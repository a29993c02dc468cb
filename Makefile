# Terreau — every target is a one-liner; `make run` and `make test` work on a fresh machine.
PYTHON ?= $(shell for p in python3.12 python3.13 $$HOME/.pyenv/versions/3.12*/bin/python3 $$HOME/.pyenv/versions/3.13*/bin/python3 python3; do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
DEV_ENV := DEBUG=1
PORT ?= 8000

.PHONY: run install migrate demo test test-fast test-browser lint format messages check-messages bench chromium clean

run: install migrate demo  ## Set up and serve http://127.0.0.1:$(PORT) (make run PORT=8200) on SQLite with demo data, with a task worker (e-mails, PDFs)
	export SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}; \
	$(DEV_ENV) $(MANAGE) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:$(PORT)

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

install: $(VENV)/.installed  ## Create .venv and install the project with its dev tools

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

migrate:
	$(DEV_ENV) $(MANAGE) migrate --no-input

demo:  ## Load the demo data once (does nothing when it is already there)
	$(DEV_ENV) $(MANAGE) load_demo

chromium:  ## Debian's Chromium for the browser tests, and the fonts and Pango the PDFs need, when missing
	@test -x /usr/bin/chromium -a -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; }

test: install chromium  ## The whole suite (DATABASE_URL=postgres://… to run it on PostgreSQL)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

test-fast: ## The suite without browser journeys
	$(BIN)/python -m pytest -q -m "not browser"

test-browser: chromium
	$(BIN)/python -m pytest -q -m browser

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

messages:  ## Extract each app's UI strings (APP=name for one app), fill English, compile
	@command -v xgettext >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
	for app in $(if $(APP),src/terreau/$(APP)/apps.py,src/terreau/*/apps.py); do (cd $$(dirname $$app) && mkdir -p locale && DEBUG=1 DJANGO_SETTINGS_MODULE=terreau.settings $(abspath $(BIN))/django-admin makemessages -l fr -l en --no-obsolete --ignore 'static/vendor/*' >/dev/null) || exit 1; done
	$(BIN)/python -m terreau.core.check_messages --compile

check-messages:  ## Fail when a catalogue has untranslated or fuzzy strings
	$(BIN)/python -m terreau.core.check_messages

bench:  ## Benchmarks that print figures (see bench/README.md)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info
