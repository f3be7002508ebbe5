# make run   - set up, migrate, load the demo once, serve on http://127.0.0.1:5000
# make test  - set up what the tests need and run the suite on SQLite and PostgreSQL
# make e2e   - only the browser tests (tests/e2e), in Debian's Chromium
# make bench - the benchmarks, each figure beside the floor it is measured against
# make bench-quick - every ratio on a small world, a few minutes; make bench-load - a province's load (1M findings)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: run test e2e bench bench-quick bench-load lint clean pwa pwa-test pwa-size

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

# The PWA: npm ci when the lockfile changed, a build when any of its sources changed.
PWA_SRC := $(shell find pwa/src pwa/scripts pwa/public -type f -not -path 'pwa/public/icons/*' -not -name favicon.ico 2>/dev/null) \
	pwa/index.html pwa/vite.config.js pwa/package.json
PWA_DEPS := pwa/node_modules/.package-lock.json
PWA_BUILD := pwa/dist/index.html

$(PWA_DEPS): pwa/package-lock.json
	cd pwa && npm ci --no-audit --no-fund
	touch $@

$(PWA_BUILD): $(PWA_DEPS) $(PWA_SRC)
	cd pwa && npm run build
	touch $@

pwa: $(PWA_BUILD)

pwa-test: $(PWA_DEPS)
	cd pwa && npm test

pwa-size: pwa
	@node pwa/scripts/size.mjs

run: $(STAMP) pwa
	scripts/system-deps.sh || echo 'warning: no Chinese font installed: the quarterly PDF answers 503 (see scripts/system-deps.sh)' >&2
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(VENV)/bin/gunicorn -c gunicorn.conf.py --access-logfile - wsgi:app  # 2 workers x 4 threads, shared counters

test: $(STAMP) pwa pwa-test
	scripts/system-deps.sh
	PY=$(PY) scripts/test.sh

e2e: $(STAMP) pwa
	scripts/e2e-setup.sh
	$(PY) -m pytest tests/e2e

bench: $(STAMP) pwa
	PY=$(PY) scripts/bench.sh

# every ratio on 10,000 findings in a few minutes (bench/quick.py); its figures never go in docs/benchmarks.md
bench-quick: $(STAMP) pwa
	scripts/e2e-setup.sh
	run=$$(mktemp -d /tmp/closeloop-quick.XXXXXX); trap 'scripts/pg.sh stop "$$run" >/dev/null 2>&1; rm -rf "$$run"' EXIT; \
	TMPDIR="$$run" $(PY) -m bench --quick --postgres-url "$$(scripts/pg.sh start "$$run")"

# a province's load on 1,000,000 findings (bench/load.py, about 15 minutes): one host, then two with Redis and S3
bench-load: $(STAMP)
	command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server; }
	run=$$(mktemp -d /tmp/closeloop-load.XXXXXX); trap 'scripts/pg.sh stop "$$run" >/dev/null 2>&1; rm -rf "$$run"' EXIT; \
	TMPDIR="$$run" $(PY) -m bench.load --write-docs --postgres-url "$$(scripts/pg.sh start "$$run")"

lint: $(STAMP)
	$(PY) -m ruff check app tests migrations bench scripts

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache pwa/node_modules pwa/dist
