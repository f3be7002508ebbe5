#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a free loopback port, for the tests and the benchmarks.
#   scripts/pg.sh start DIR   -> prints the DATABASE_URL; DIR holds the cluster
#   scripts/pg.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}; run=${2:?run directory}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

ensure_installed() {
  if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
    echo "installing PostgreSQL (apt)..." >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
}

as_postgres() {  # initdb and pg_ctl refuse to run as root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    ensure_installed
    port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    mkdir -p "$run/pg"; chmod 755 "$run"
    [ "$(id -u)" = 0 ] && chown postgres: "$run/pg"
    as_postgres "$pgbin/initdb" -D "$run/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    as_postgres "$pgbin/pg_ctl" -D "$run/pg/data" -l "$run/pg/server.log" -w -t 30 start \
      -o "-p $port -k $run/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100" >/dev/null
    "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -q \
      -c "CREATE ROLE app LOGIN PASSWORD 'app'" -c "CREATE DATABASE appdb OWNER app" >/dev/null
    echo "postgresql+psycopg://app:app@127.0.0.1:$port/appdb"
    ;;
  stop)
    [ -d "$run/pg/data" ] && as_postgres "$pgbin/pg_ctl" -D "$run/pg/data" -m fast -w stop >/dev/null || true
    rm -rf "$run/pg"
    ;;
esac
