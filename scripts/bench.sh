#!/usr/bin/env bash
# The benchmarks (make bench): SQLite always, and PostgreSQL too when it is installed (or BENCH_POSTGRES=1,
# which installs it through scripts/pg.sh if missing; BENCH_POSTGRES=0 skips it). Writes docs/benchmarks.md.
# Exits non-zero only when a benchmark breaks; a ratio that misses its target prints MISS.
#   BENCH_ROWS=1000000     bulk findings for the list benchmarks (default one million, on both databases)
#   BENCH_ARGS="..."       more arguments for python -m bench (e.g. --only list, --rounds 6)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
run=$(mktemp -d /tmp/closeloop-bench.XXXXXX)
export TMPDIR="$run"  # the databases live here, never in the repository
trap 'scripts/pg.sh stop "$run" >/dev/null 2>&1 || true; rm -rf "$run"' EXIT

scripts/system-deps.sh  # the Chinese font the documents benchmark renders with (and poppler), as make test has them
scripts/e2e-setup.sh  # Chromium for Lighthouse (the pwa benchmark)

pg_installed() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }

args=(--write-docs --rows "${BENCH_ROWS:-1000000}")
want_pg=${BENCH_POSTGRES:-auto}
if [ "$want_pg" = 1 ] || { [ "$want_pg" = auto ] && pg_installed; }; then
  args+=(--postgres-url "$(scripts/pg.sh start "$run")")
else
  echo "(PostgreSQL skipped: not installed; BENCH_POSTGRES=1 installs and runs it)" >&2
fi
# shellcheck disable=SC2086  # BENCH_ARGS is a list of words on purpose
"$PY" -m bench "${args[@]}" ${BENCH_ARGS:-}
