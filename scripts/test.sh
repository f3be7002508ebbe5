#!/usr/bin/env bash
# The whole suite: lint, then every test on SQLite (the browser tests in tests/e2e included) and, side by side
# with it, the database tests again on PostgreSQL.
#
# Why side by side: each pass is one pytest process that keeps about one core busy. On a 2-core machine they
# took 7.7 + 7.0 min one after the other and 9.0 min together (CI's limit is 30, and a slower day doubles them).
# Each has its own temporary folder (pytest cleans old numbered folders under its base), every server a test
# starts takes a free port, and the PostgreSQL pass prints its output when it ends, in one piece.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
run=$(mktemp -d /tmp/closeloop-test.XXXXXX)
mkdir -p "$run/sqlite" "$run/postgresql"
trap 'kill "${pg_pass:-}" 2>/dev/null || true; scripts/pg.sh stop "$run" || true; rm -rf "$run"' EXIT

echo "== ruff"
"$PY" -m ruff check app tests migrations bench scripts
echo "== browser test prerequisites (Chromium, npm)"
scripts/e2e-setup.sh
pg_url=$(scripts/pg.sh start "$run")
echo "== pytest on PostgreSQL (in the background; its output follows the SQLite pass's)"
TMPDIR="$run/postgresql" TEST_DATABASE_URL="$pg_url" \
  "$PY" -m pytest tests/integration tests/api "$@" >"$run/postgresql.log" 2>&1 &
pg_pass=$!
echo "== pytest on SQLite"
sqlite_rc=0
TMPDIR="$run/sqlite" env -u TEST_DATABASE_URL "$PY" -m pytest "$@" || sqlite_rc=$?
pg_rc=0
wait "$pg_pass" || pg_rc=$?
pg_pass=
echo "== pytest on PostgreSQL"
cat "$run/postgresql.log"
echo "== exit: SQLite pass $sqlite_rc, PostgreSQL pass $pg_rc"
[ "$sqlite_rc" = 0 ] && [ "$pg_rc" = 0 ]
