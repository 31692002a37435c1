#!/usr/bin/env bash
# Starts and stops the local Redis and PostgreSQL that the engine and its tests use.
#
# There is no systemd on the machines this runs on and nothing is started by hand, so the
# script installs Redis when missing, creates the PostgreSQL cluster itself under the
# repository's .run/ folder (git-ignored), and is idempotent: a server that already answers on
# its port is reused, never restarted. It only ever stops what it started itself (marker files
# in .run/), so it cannot take down a server some other checkout or person is using.
#
# Usage: infra/scripts/servers.sh start|stop|status
#                                 start-redis|stop-redis|restart-redis
#                                 start-pg|stop-pg|restart-pg
#                                 wipe-redis
#
# The single-server commands are for outage tests. stop-redis and stop-pg exit 3 when the server
# answers but was not started by this script (so a test can tell it cannot simulate an outage);
# wipe-redis restarts Redis without its data, as after a crash of a Redis without persistence.
#
# Environment:
#   PRECONF_REDIS_PORT  Redis port on 127.0.0.1            (default 6390)
#   PRECONF_PG_PORT     PostgreSQL port on 127.0.0.1       (default 5439)
#   PRECONF_PG_BIN      PostgreSQL 15 binaries             (default /usr/lib/postgresql/15/bin)
#   PRECONF_RUN_DIR     where data, logs and pid files go  (default <repository>/.run)
set -euo pipefail

REDIS_PORT="${PRECONF_REDIS_PORT:-6390}"
PG_PORT="${PRECONF_PG_PORT:-5439}"
PG_BIN="${PRECONF_PG_BIN:-/usr/lib/postgresql/15/bin}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN="${PRECONF_RUN_DIR:-$ROOT/.run}"
DB_NAME=preconf

REDIS_DIR="$RUN/redis-$REDIS_PORT"
PG_DIR="$RUN/pg-$PG_PORT"
PG_DATA="$PG_DIR/data"
# Both servers keep their pid files inside their own folders; the marker says "this script
# started the server on this port", which is what stop relies on.
REDIS_MARKER="$RUN/redis-$REDIS_PORT.started-by-script"
PG_MARKER="$RUN/pg-$PG_PORT.started-by-script"

say() { echo "servers.sh: $*"; }
fail() {
  echo "servers.sh: $*" >&2
  exit 1
}

redis_answers() {
  command -v redis-cli >/dev/null 2>&1 &&
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
}

pg_answers() {
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" >/dev/null 2>&1
}

install_redis() {
  command -v redis-server >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || fail "redis-server is not installed and installing it needs root"
  say "installing redis-server (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null || fail "apt-get update failed; cannot install redis-server"
  apt-get install -y -q redis-server >/dev/null || fail "apt-get install redis-server failed"
  command -v redis-server >/dev/null 2>&1 || fail "redis-server still missing after install"
}

start_redis() {
  if redis_answers; then
    say "redis already answers on 127.0.0.1:$REDIS_PORT; reusing it"
    return 0
  fi
  install_redis
  mkdir -p "$REDIS_DIR"
  # appendonly with fsync on every write: the lane heads live here, and a restart that came
  # back with a lane head older than what was already promised would hand out a sequence
  # twice. A lost data set is recovered from PostgreSQL; a silently stale one is not detectable.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
    --appendonly yes --appendfsync always --save "" \
    --protected-mode yes ||
    fail "redis-server did not start on 127.0.0.1:$REDIS_PORT; see $REDIS_DIR/redis.log"
  for _ in $(seq 1 50); do
    if redis_answers; then
      touch "$REDIS_MARKER"
      say "redis started on 127.0.0.1:$REDIS_PORT (data in $REDIS_DIR)"
      return 0
    fi
    sleep 0.1
  done
  fail "redis-server on 127.0.0.1:$REDIS_PORT does not answer ping after 5 s; see $REDIS_DIR/redis.log"
}

# $1 = "strict": fail (exit 3) when the server answers but is not ours.
stop_redis() {
  if [ ! -f "$REDIS_MARKER" ]; then
    say "redis on port $REDIS_PORT was not started by this script; leaving it alone"
    if [ "${1:-}" = strict ] && redis_answers; then exit 3; fi
    return 0
  fi
  if redis_answers; then
    # SHUTDOWN (not NOSAVE): with appendonly the log is already on disk, so a restart keeps data.
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  fi
  for _ in $(seq 1 50); do
    redis_answers || break
    sleep 0.1
  done
  redis_answers && fail "redis on 127.0.0.1:$REDIS_PORT did not stop"
  rm -f "$REDIS_MARKER"
  say "redis on port $REDIS_PORT stopped"
}

as_postgres() { runuser -u postgres -- "$@"; }

start_pg() {
  if pg_answers; then
    say "postgresql already answers on 127.0.0.1:$PG_PORT; reusing it"
    ensure_database
    return 0
  fi
  [ -x "$PG_BIN/pg_ctl" ] || fail "PostgreSQL binaries not found in $PG_BIN (set PRECONF_PG_BIN)"
  id postgres >/dev/null 2>&1 || fail "the postgres user does not exist; install postgresql-15"
  # The postgres user must be able to reach the folder through every parent.
  chmod o+x "$RUN" "$ROOT" 2>/dev/null || true
  if ! runuser -u postgres -- test -x "$RUN"; then
    # A checkout under a private folder (say /root): keep the cluster where postgres can reach.
    PG_DIR="/var/tmp/preconf-pg-$PG_PORT"
    PG_DATA="$PG_DIR/data"
    say "postgres cannot reach $RUN; keeping the cluster in $PG_DIR"
  fi
  mkdir -p "$PG_DIR"
  chown postgres:postgres "$PG_DIR"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" --auth=trust --username=postgres \
      --encoding=UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 ||
      fail "initdb into $PG_DATA failed; see $PG_DIR/initdb.log"
  fi
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/postgres.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k /tmp -c fsync=on" start >/dev/null ||
    fail "postgresql did not start on 127.0.0.1:$PG_PORT; see $PG_DIR/postgres.log"
  pg_answers || fail "postgresql on 127.0.0.1:$PG_PORT does not answer pg_isready; see $PG_DIR/postgres.log"
  echo "$PG_DATA" >"$PG_MARKER"
  say "postgresql started on 127.0.0.1:$PG_PORT (data in $PG_DATA)"
  ensure_database
}

ensure_database() {
  local psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qtA)
  if [ "$("${psql[@]}" -c "select 1 from pg_database where datname = '$DB_NAME'" 2>/dev/null)" != "1" ]; then
    "${psql[@]}" -c "create database $DB_NAME" >/dev/null 2>&1 ||
      [ "$("${psql[@]}" -c "select 1 from pg_database where datname = '$DB_NAME'")" = "1" ] ||
      fail "could not create database $DB_NAME on 127.0.0.1:$PG_PORT"
    say "created database $DB_NAME"
  fi
}

stop_pg() {
  if [ ! -f "$PG_MARKER" ]; then
    say "postgresql on port $PG_PORT was not started by this script; leaving it alone"
    if [ "${1:-}" = strict ] && pg_answers; then exit 3; fi
    return 0
  fi
  local data
  data="$(cat "$PG_MARKER")"
  data="${data:-$PG_DATA}"
  if [ -n "$data" ] && [ -f "$data/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null ||
      fail "postgresql on 127.0.0.1:$PG_PORT did not stop"
  fi
  rm -f "$PG_MARKER"
  say "postgresql on port $PG_PORT stopped"
}

status() {
  local rc=0
  if redis_answers; then say "redis: up on 127.0.0.1:$REDIS_PORT"; else say "redis: down on 127.0.0.1:$REDIS_PORT"; rc=1; fi
  if pg_answers; then say "postgresql: up on 127.0.0.1:$PG_PORT"; else say "postgresql: down on 127.0.0.1:$PG_PORT"; rc=1; fi
  return $rc
}

mkdir -p "$RUN"
case "${1:-}" in
  start) start_redis; start_pg ;;
  stop) stop_redis; stop_pg ;;
  status) status ;;
  start-redis) start_redis ;;
  stop-redis) stop_redis strict ;;
  restart-redis) stop_redis strict; start_redis ;;
  wipe-redis)
    stop_redis strict
    rm -rf "$REDIS_DIR"
    start_redis
    ;;
  start-pg) start_pg ;;
  stop-pg) stop_pg strict ;;
  restart-pg) stop_pg strict; start_pg ;;
  *)
    echo "usage: $0 start|stop|status|start-redis|stop-redis|restart-redis|start-pg|stop-pg|restart-pg|wipe-redis" >&2
    exit 2
    ;;
esac
