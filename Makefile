# make run   - set up, migrate, load the demo once, serve on http://127.0.0.1:5000
# make test  - set up what the tests need and run the suite on SQLite and PostgreSQL
# make bench - the benchmarks, each figure beside the floor it is measured against
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

run: $(STAMP)
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(VENV)/bin/gunicorn --workers 2 --threads 4 --bind 127.0.0.1:5000 --access-logfile - wsgi:app

test: $(STAMP)
	PY=$(PY) scripts/test.sh

bench: $(STAMP)
	PY=$(PY) scripts/bench.sh

lint: $(STAMP)
	$(PY) -m ruff check app tests migrations bench scripts

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
