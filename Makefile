# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
# gthread: each open live vote page holds one thread (README, "Live updates"). One worker, since
# on SQLite live updates are broadcast within one process; with PostgreSQL, WORKERS=4 is fine.
WORKERS ?= 1
THREADS ?= 64
# `make run` with SMTP_HOST set: seconds between two sends of the mail outbox.
MAIL_EVERY ?= 60

.PHONY: run test lint audit install migrate demo bench translations compile-translations clean

CATALOGUES := $(wildcard corep_drafts/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

$(STAMP): setup.cfg pyproject.toml
	bash .ci/system-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) $(COMPILED)

## the interface languages: each catalogue compiled (the .mo files are build output, not committed)
%/LC_MESSAGES/messages.mo: %/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics --input-file $< --output-file $@ --locale $(notdir $*)

compile-translations: $(COMPILED)

## make run: venv, install, migrate the SQLite default, load the demo if empty, serve on 127.0.0.1:5000
## (one gthread worker with 64 threads; WORKERS=, THREADS= change them); with SMTP_HOST set, also
## send the mail outbox every MAIL_EVERY seconds
run: export COREP_ENV = development
run: $(STAMP) $(COMPILED)
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty --logins-file instance/demo-logins.txt
	@echo
	@echo "corep-drafts is at http://$(HOST):$(PORT)/"
	@test -f instance/demo-logins.txt && cat instance/demo-logins.txt || true
	@echo
	@# With SMTP_HOST set, a loop beside the server drains the mail outbox every minute (what cron
	@# does in production); it stops with the server. Without it, notifications stay on the site.
	@shell_pid=$$$$; drain_pid=; \
	if [ -n "$$SMTP_HOST" ]; then \
	    echo "Mail: the outbox is sent through $$SMTP_HOST every $(MAIL_EVERY) s."; \
	    ( while kill -0 $$shell_pid 2>/dev/null; do \
	        $(FLASK) notifications send; sleep $(MAIL_EVERY); done ) & drain_pid=$$!; \
	else \
	    echo "Mail is not configured (SMTP_HOST is unset): notifications stay on the site."; \
	fi; \
	trap 'test -z "$$drain_pid" || kill $$drain_pid 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers $(WORKERS) --worker-class gthread \
	    --threads $(THREADS) --access-logfile - app:app

## make test: venv, install, every test (TEST_DATABASE_URL selects PostgreSQL; COREP_BROWSER_TESTS=1 the browser)
test: $(STAMP) $(COMPILED)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make lint: ruff's checks and its formatting, over the whole code base (pyproject.toml)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make audit: bandit over the package (medium and high findings fail; each accepted one carries
## `# nosec BXXX  # why` on its line), then pip-audit of the installed dependencies against
## PyPI's vulnerability data (accepted exceptions: .ci/pip-audit-accepted.txt)
audit: $(STAMP)
	$(BIN)/bandit --recursive corep_drafts --severity-level medium --quiet
	$(BIN)/python .ci/audit_dependencies.py

## make translations: extract every marked string into messages.pot and merge it into each
## catalogue (new entries arrive untranslated: the catalogue test names them until translated)
translations: $(STAMP)
	$(BIN)/pybabel extract --mapping babel.cfg --keywords _l --keywords lazy_pgettext:1c,2 \
	    --add-comments TRANSLATORS: --sort-by-file --width 100 \
	    --output corep_drafts/translations/messages.pot --project corep-drafts .
	$(BIN)/pybabel update --input-file corep_drafts/translations/messages.pot \
	    --output-dir corep_drafts/translations --width 100 --ignore-obsolete
	$(BIN)/python tests/catalogue_check.py --fill-english

## make bench: one table of every benchmark target (bench/all.py): the text engine, the
## application beside a bare Flask + SQLAlchemy app on 2-worker gunicorn servers, and a quick
## congress with its live pages, on SQLite and on PostgreSQL if 127.0.0.1:5432 answers (about
## 15 min); BENCH_ARGS=--quick for a smaller application run, --congress-full for the full
## congress (figures: bench/README.md)
bench: $(STAMP) $(COMPILED)
	$(BIN)/python bench/all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
