# PerfHub's two commands: `make demo` and `make test`. Both build what they need first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Two pytest workers: the suite runs in about half the time on a 2-core machine.
TEST_WORKERS ?= 2

.PHONY: demo test install assets serve bench backup restore clean worker

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

assets: install
	bin/build-assets $(BIN)/python

demo: assets
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "PerfHub is at http://127.0.0.1:$(PORT)/, its background worker beside it (Ctrl-C stops both)"
	$(BIN)/python manage.py run_huey --workers 1 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The background worker alone (imports, reminders, e-mails, papers): docs/operations.md
worker: install
	$(BIN)/python manage.py run_huey

test: assets
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# make backup FILE=perfhub.backup; make restore FILE=perfhub.backup DATABASE_URL=<a new, empty database>
backup: install
	$(BIN)/python bin/database backup $(FILE)

restore: install
	$(BIN)/python bin/database restore $(FILE)

bench: assets
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/api.py

clean:
	rm -rf $(VENV) node_modules static/build static/vendor staticfiles perfhub.sqlite3 perfhub-queue.sqlite3*
