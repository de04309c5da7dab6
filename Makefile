# PerfHub's two commands: `make demo` and `make test`. Both build what they need first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Two pytest workers: the suite runs in about half the time on a 2-core machine.
TEST_WORKERS ?= 2

.PHONY: demo test install assets serve bench backup restore clean

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
	@echo "PerfHub is at http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

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
	rm -rf $(VENV) node_modules static/build static/vendor staticfiles perfhub.sqlite3
