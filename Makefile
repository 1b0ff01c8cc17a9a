# Werkzaam: every target bootstraps .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app run
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium

.PHONY: run test mutate chromium lint bench translations clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

app/translations/%/LC_MESSAGES/messages.mo: app/translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile -d app/translations -l $* >/dev/null

MO := app/translations/nl/LC_MESSAGES/messages.mo app/translations/en/LC_MESSAGES/messages.mo

## run: the app on SQLite with demo data, plus the scheduler process, on http://127.0.0.1:5000
run: $(STAMP) $(MO)
	@mkdir -p instance
	@$(FLASK) db-upgrade
	@$(FLASK) demo
	@$(FLASK) scheduler & sched=$$!; \
	  trap 'kill $$sched 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --host 127.0.0.1 --port 5000

## test: the whole suite on SQLite and on PostgreSQL (browser journeys included)
test: $(STAMP) $(MO) chromium
	$(BIN)/python -m pytest -q -n 2 tests -m "not e2e"
	$(BIN)/python -m pytest -q tests -m e2e
	$(BIN)/python -m pytest -q -n 2 tests --database=postgresql -m "not e2e"

## mutate: break each permission rule of app/security.py in turn; the permission tests must notice
mutate: $(STAMP) $(MO)
	$(BIN)/python scripts/mutate_security.py

chromium:
	@test -x $(CHROMIUM) || { echo "Installing Chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## lint: ruff, then mypy with pyproject.toml's settings (strict) on the app and the test fixtures
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy app config.py
	$(BIN)/mypy tests/conftest.py tests/factories.py tests/*/conftest.py tests/*/helpers.py

## translations: extract strings (from every folder, also _macros/ and _partials/) and update both catalogues
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs ".* __pycache__" -k _l -k lazy_gettext -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

bench: $(STAMP) $(MO)
	@command -v wrk >/dev/null || { echo "Installing wrk, the load generator of bench_log_submit"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@for b in bench/bench_*.py; do $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
