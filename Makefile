# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install migrate demo bench translations clean

$(STAMP): setup.cfg pyproject.toml
	bash .ci/system-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## make run: venv, install, migrate the SQLite default, load the demo if empty, serve on 127.0.0.1:5000
run: export COREP_ENV = development
run: $(STAMP)
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty --logins-file instance/demo-logins.txt
	@echo
	@echo "corep-drafts is at http://$(HOST):$(PORT)/"
	@test -f instance/demo-logins.txt && cat instance/demo-logins.txt || true
	@echo
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --access-logfile - app:app

## make test: venv, install, every test (TEST_DATABASE_URL selects PostgreSQL; COREP_BROWSER_TESTS=1 the browser)
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make translations: extract every marked string into corep_drafts/translations/messages.pot
translations: $(STAMP)
	$(BIN)/pybabel extract --mapping babel.cfg --keywords _l --output corep_drafts/translations/messages.pot --project corep-drafts .

bench: $(STAMP)
	$(BIN)/python bench/text_engine.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
