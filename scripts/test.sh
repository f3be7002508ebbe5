#!/usr/bin/env bash
# The whole suite: lint, then every test on SQLite (the browser tests in tests/e2e included), then the database
# tests again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
run=$(mktemp -d /tmp/closeloop-test.XXXXXX)
export TMPDIR="$run"
trap 'scripts/pg.sh stop "$run" || true; rm -rf "$run"' EXIT

echo "== ruff"
"$PY" -m ruff check app tests migrations bench scripts
echo "== browser test prerequisites (Chromium, npm)"
scripts/e2e-setup.sh
echo "== pytest on SQLite"
"$PY" -m pytest "$@"
echo "== pytest on PostgreSQL"
TEST_DATABASE_URL=$(scripts/pg.sh start "$run")
export TEST_DATABASE_URL
"$PY" -m pytest tests/integration tests/api "$@"
