#!/usr/bin/env bash
# End-to-end benchmark, every figure of the engine's throughput targets in one command: starts
# real Redis and PostgreSQL (infra/scripts/servers.sh, on ports of their own so that nobody else's
# servers are touched), the functions over HTTP on 127.0.0.1 and the feed node beside them (as
# bin/run starts them), drives them open loop with pre-signed transactions from a generator in C
# (bench/loadgen/loadgen.c: cheaper per request than the engine, so it does not eat the engine's
# cores), reads the CPU of every process over each scenario, stops everything it started and
# writes benchmarks/e2e.md.
#
# The run, in order (kind:rate per second:seconds):
#   warm-up, fsync relaxed, not reported                                   E2E_WARMUP
#   durable storage (fsync on, as servers.sh runs them):
#     warm-up, not reported (default: 20 s at the first sustained rate)     E2E_WARMUP_DURABLE
#     the sustained rates                                                  E2E_SUSTAINED
#     the peak: single requests at each rate of E2E_STEPS for E2E_STEP_SECONDS, up to the first
#       whose p99 passes E2E_BREAK_P99_MS or whose errors pass E2E_BREAK_ERRORS_PCT; the peak is
#       the most answered per second in any step
#     twice the peak offered for E2E_OVERLOAD_SECONDS; positions voided read from PostgreSQL
#     100-transaction batches                                              E2E_BATCH
#     validation warm-up, not reported (default: each of E2E_VALIDATE, at most 5 s; the cached
#       batch form at 200 requests/s or more)
#                                                                          E2E_WARMUP_VALIDATE
#     validation: cold (one body per commitment no validation has verified yet: atomic requests
#       issued for it first) and cached (leaves of the commitments the cold runs verified), one
#       preconfirmation per request (validate, validate-cached) and E2E_VALIDATE_PER per request
#       in the batch form (validate-batch, validate-batch-cached)          E2E_VALIDATE
#   relaxed storage (Redis appendfsync everysec, PostgreSQL synchronous_commit off)  E2E_RELAXED
#   relaxed, under JFR, for the profile                                    E2E_PROFILE
# then the crypto floor (core JMH, CoreBenchmark.crypto*) on the same machine (E2E_FLOOR=0 skips).
#
# Environment:
#   PRECONF_SKIP_BUILD=1      use the jars and classes already built
#   E2E_WARMUP, E2E_WARMUP_DURABLE, E2E_WARMUP_VALIDATE, E2E_SUSTAINED, E2E_BATCH,
#   E2E_VALIDATE, E2E_RELAXED,
#   E2E_PROFILE               scenario lists (space separated kind:rate:seconds; empty skips)
#   E2E_STEPS, E2E_STEP_SECONDS, E2E_OVERLOAD_SECONDS, E2E_BREAK_P99_MS, E2E_BREAK_ERRORS_PCT
#                             the peak search (E2E_STEPS empty skips it and the overload)
#   E2E_BACKEND               preconf.engine.secp256k1-backend for the run (default: native)
#   E2E_ISSUE_RATE            the rate at which a cold validation scenario first issues the
#                             atomic preconfirmations it validates (default 500 per second)
#   E2E_VALIDATE_PER          preconfirmations per request of the batch validations (default 100)
#   E2E_FEED_JAR              the feed node to run (default: the websocket module's, as built;
#                             another build of it compares two feed nodes under the same run)
#   E2E_FEED_FOLLOWERS        WebSocket subscribers following every lane during the run (default
#                             0: the node serves nobody); their frame counts go to feed-followers.txt
#   E2E_JFR                   scenario names (space separated, e.g. 'validate-batch
#                             validate-batch-cached') each measured under a JFR recording of its
#                             own (jfr-NAME.jfr and its summary jfr-NAME.md in target/e2e); those
#                             scenarios' figures then carry the recording's cost
#   E2E_PERF                  scenario names each profiled machine-wide by `perf record -a -g`
#                             (perf-NAME.md in target/e2e: each process's share of the machine,
#                             and where its samples ran: its own functions, the kernel's fsyncs
#                             and sends, the JVMs' compiled code); skipped without perf. Those
#                             scenarios' figures then carry perf's own cost
#   E2E_TIMES                 scenario names whose every request's due and answer instants go to
#                             times-NAME-RATE.tsv in target/e2e, summarised in its .md: the
#                             latency of each 100 ms of the scenario and where its slowest 1 %
#                             lie (a few stalls or spread over the run); with perf, every fsync
#                             of the machine over the scenario is traced too (fsync-NAME-RATE.tsv)
#                             and each slow window shows Redis's and PostgreSQL's slowest
#   E2E_GENERATOR_ALONE=0     skip the generator's runs alone: after each reported scenario it
#                             sends the same bodies at the same rate to a server that does nothing
#                             (`loadgen serve`, on E2E_ALONE_PORT, default the HTTP port + 2), and
#                             the report sets what it costs by itself beside what it cost there
#   E2E_ENGINE_JAVA_OPTS      JVM options of the engine's process (default: none, as bin/run starts
#                             it; the report prints the flags it ran with)
#   E2E_QUIET_LOAD            wait (up to 10 min) for the 1-minute load to drop below this first
#   E2E_OUT                   where the report goes (default benchmarks/e2e.md)
#   E2E_REPORT_ONLY=1         rewrite the report from the last run's files, measure nothing
#   E2E_REDIS_SCRIPTS=1       time each Redis script from a slow log of every command (costs CPU)
#   PRECONF_ENGINE_ROUND_MAX_REQUESTS, and any other PRECONF_* setting, reach the engine as they
#                             are (1: rounds of one request, so per round = per request)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. bench/lib/common.sh
. bench/lib/timing.sh
. bench/lib/threads.sh
command_line="bench/e2e.sh${*:+ $*}"
for v in E2E_WARMUP E2E_WARMUP_DURABLE E2E_WARMUP_VALIDATE E2E_SUSTAINED E2E_STEPS E2E_STEP_SECONDS E2E_OVERLOAD_SECONDS E2E_BATCH \
  E2E_VALIDATE E2E_RELAXED E2E_PROFILE E2E_BREAK_P99_MS E2E_BREAK_ERRORS_PCT E2E_BACKEND E2E_FLOOR \
  E2E_FEED_JAR E2E_FEED_FOLLOWERS E2E_ISSUE_RATE E2E_VALIDATE_PER E2E_JFR E2E_PERF E2E_TIMES E2E_ENGINE_JAVA_OPTS \
  E2E_GENERATOR_ALONE PRECONF_ENGINE_ROUND_MAX_REQUESTS; do
  [ -n "${!v+x}" ] && command_line="$v='${!v}' $command_line"
done

export PRECONF_REDIS_PORT="${PRECONF_REDIS_PORT:-6392}"
export PRECONF_PG_PORT="${PRECONF_PG_PORT:-5442}"
export PRECONF_RUN_DIR="$root/.run/e2e"
http_port="${E2E_HTTP_PORT:-8188}"
feed_port="${E2E_FEED_PORT:-8189}"
alone_port="${E2E_ALONE_PORT:-$((http_port + 2))}"
backend="${E2E_BACKEND:-native}"
out="${E2E_OUT:-benchmarks/e2e.md}"
work="$root/target/e2e"
warmup="${E2E_WARMUP-single:100:10 single:300:60 batch:3:5 validate:500:10 validate-cached:2000:5 validate-batch:5:5 validate-batch-cached:50:5}"
sustained="${E2E_SUSTAINED-single:500:30 single:2000:20}"
first_rate=$(awk '{ split($1, s, ":"); print s[2] }' <<<"$sustained")
warmup_durable="${E2E_WARMUP_DURABLE-${first_rate:+single:$first_rate:20}}"
steps="${E2E_STEPS-100 200 300 500 750 1000 1500 2000 3000 4000}"
step_seconds="${E2E_STEP_SECONDS:-10}"
overload_seconds="${E2E_OVERLOAD_SECONDS:-20}"
break_p99_ms="${E2E_BREAK_P99_MS:-50}"
break_errors_pct="${E2E_BREAK_ERRORS_PCT:-1}"
batch="${E2E_BATCH-batch:5:30}"
validate="${E2E_VALIDATE-validate:1000:10 validate-cached:3000:10 validate-batch:10:10 validate-batch-cached:50:10}"
# Each validation scenario for at most 5 s, right before the measured ones (see below). The cached
# batch form at 200 requests/s or more: its per-request paths (the body's chunks, the list of
# reports, the answer's text) run once per 100 leaves, and C2 compiles a method only after some 600
# calls, so with fewer the JIT compiled them inside the measured run (its compiler threads took 31 %
# of the engine's CPU there after a warm-up of 250 requests).
warmup_validate="${E2E_WARMUP_VALIDATE-$(for spec in $validate; do
  IFS=: read -r kind rate seconds <<<"$spec"
  [ "$kind" = validate-batch-cached ] && [ "$rate" -lt 200 ] && rate=200
  printf '%s:%s:%s ' "$kind" "$rate" $((seconds < 5 ? seconds : 5))
done)}"
warmup_validate="${warmup_validate% }"
validate_per="${E2E_VALIDATE_PER:-100}"
relaxed="${E2E_RELAXED-single:500:20}"
profile="${E2E_PROFILE-single:500:10}"
loadgen=bench/target/loadgen
tsv="$work/e2e.tsv"
# RequestBodies, JfrTop and E2eReport: the bench module's classes, on the functions jar's classpath
# (the core's TransactionBuilder, Jackson).
tools="bench/target/classes:$(ls functions/target/functions-*-runner.jar 2>/dev/null | head -1 || true)"
write_report() {
  java -cp "$tools" io.preconf.bench.E2eReport \
    "$out" "$tsv" "$work/profile.md" "$work/validate-profile.md" <"$work/facts.txt"
}
# E2E_REPORT_ONLY=1 rewrites the report from the last run's files in target/e2e (after a change to
# the report's layout or verdicts); it measures nothing.
if [ "${E2E_REPORT_ONLY:-}" = "1" ]; then
  write_report
  echo "e2e: rewrote $out from $work"
  exit 0
fi

mkdir -p "$work" benchmarks
rm -rf "${work:?}"/*

if [ "${PRECONF_SKIP_BUILD:-}" != "1" ]; then
  ./mvnw -B -q package -DskipTests -pl functions,websocket,bench -am
  ./mvnw -B -q -pl reactive-core -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
fi
jar=$(ls functions/target/functions-*-runner.jar | head -1)
tools="bench/target/classes:$jar"
feed_jar="${E2E_FEED_JAR:-websocket/target/quarkus-app/quarkus-run.jar}"
followers="${E2E_FEED_FOLLOWERS:-0}"
issue_rate="${E2E_ISSUE_RATE:-500}"

build_loadgen "$work"
wait_quiet "${E2E_QUIET_LOAD:-}"

# Fresh servers for every run: the figures must not depend on what an earlier run left behind.
infra/scripts/servers.sh stop >/dev/null
rm -rf "$PRECONF_RUN_DIR"
infra/scripts/servers.sh start

engine_pid=
feed_pid=
follower_pids=
stop_engine() {
  for pid in $follower_pids $engine_pid $feed_pid; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  engine_pid=
  feed_pid=
  follower_pids=
}
cleanup() {
  [ -n "${perf_pid:-}" ] && kill -INT "$perf_pid" 2>/dev/null
  [ -n "${serve_pid:-}" ] && kill "$serve_pid" 2>/dev/null
  stop_engine
  infra/scripts/servers.sh stop >/dev/null || true
}
trap cleanup EXIT INT TERM

# The server of the generator's runs alone: it answers every request at once and does nothing else.
serve_pid=
if [ "${E2E_GENERATOR_ALONE:-1}" != "0" ]; then
  "$loadgen" serve port="$alone_port" >"$work/serve.log" 2>&1 &
  serve_pid=$!
fi

# A throw-away key pair for this run only. The rollups are the defaults with the per-slot caps
# raised: at thousands of requests per second the default cap (1,000 per 2 s slot) would refuse
# most of them by policy, which measures the cap and not the engine.
export PRECONF_SIGNER_PRIVATE_KEY="0x0$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n' | cut -c2-)"
export PRECONF_SIGNER_PQ_SEED="0x$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')"
export PRECONF_ROLLUPS_JSON='[{"chainId":167000,"name":"alpha","genesisTimeMs":1735689600000,"slotDurationMs":2000,"maxPreconfirmationsPerSlot":1000000,"maxGasPerSlot":1000000000000000},{"chainId":167001,"name":"beta","genesisTimeMs":1735689600000,"slotDurationMs":12000,"maxPreconfirmationsPerSlot":1000000,"maxGasPerSlot":1000000000000000}]'
export PRECONF_ENGINE_SECP256K1_BACKEND="$backend"
export QUARKUS_HTTP_HOST=127.0.0.1
export QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$PRECONF_REDIS_PORT"
export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$PRECONF_PG_PORT/preconf"
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PRECONF_PG_PORT/preconf"

load_before=$(cat /proc/loadavg)
# One load generator is one client far above any sensible per-client limit: the engine's own
# throughput is measured here, so the limits are off.
# shellcheck disable=SC2086 # E2E_ENGINE_JAVA_OPTS is a list of options
PRECONF_LIMITS_ENABLED=false PRECONF_HTTP_PORT="$http_port" java ${E2E_ENGINE_JAVA_OPTS:-} -jar "$jar" >"$work/engine.log" 2>&1 &
engine_pid=$!
PRECONF_FEED_PORT="$feed_port" java -jar "$feed_jar" >"$work/feed.log" 2>&1 &
feed_pid=$!

wait_ready() { # name pid port log
  for _ in $(seq 1 360); do
    curl -sf "http://127.0.0.1:$3/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { tail -30 "$4"; echo "e2e: the $1 died" >&2; exit 1; }
    sleep 0.5
  done
  echo "e2e: the $1 is not ready after 3 min" >&2
  exit 1
}
wait_ready engine "$engine_pid" "$http_port" "$work/engine.log"
wait_ready "feed node" "$feed_pid" "$feed_port" "$work/feed.log"
for i in $(seq 1 "$followers"); do
  java -Xmx64m -cp "$tools" io.preconf.bench.FeedFollower port="$feed_port" \
    out="$work/feed-follower-$i.txt" >"$work/feed-follower-$i.log" 2>&1 &
  follower_pids="$follower_pids $!"
done
engine_jvm_flags=$(jcmd "$engine_pid" VM.flags 2>/dev/null | tail -1 | tr -s ' ' | cut -c1-1000)

redis_cli=(redis-cli -h 127.0.0.1 -p "$PRECONF_REDIS_PORT")
pg_bin="${PRECONF_PG_BIN:-/usr/lib/postgresql/15/bin}"
psql=("$pg_bin/psql" -h 127.0.0.1 -p "$PRECONF_PG_PORT" -U postgres -d preconf -qtA)
redis_pid=$("${redis_cli[@]}" info server | tr -d '\r' | awk -F: '/^process_id:/ { print $2 }')
pg_pid=$(head -1 "$PRECONF_RUN_DIR/pg-$PRECONF_PG_PORT/data/postmaster.pid")
procs="engine:$engine_pid,redis:$redis_pid,postgres:$pg_pid,feed:$feed_pid"

fsync_probe() {
  local t0 t1
  t0=$(date +%s%N)
  dd if=/dev/zero of="$work/fsync.probe" bs=4k count=100 oflag=dsync 2>/dev/null
  t1=$(date +%s%N)
  rm -f "$work/fsync.probe"
  awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f", ns / 100 / 1e6 }'
}
relax() {
  "${redis_cli[@]}" config set appendfsync everysec >/dev/null
  "${psql[@]}" -c "alter system set synchronous_commit = off" -c "select pg_reload_conf()" >/dev/null
}
# Back to exactly how infra/scripts/servers.sh runs them.
harden() {
  "${redis_cli[@]}" config set appendfsync always >/dev/null
  "${psql[@]}" -c "alter system reset synchronous_commit" -c "select pg_reload_conf()" >/dev/null
}
# Rewrites Redis's AOF and waits for the rewrite to finish: the warm-up leaves a log several times
# the size of the data it holds, and without this the first durable scenario wrote several times
# the bytes per request of the next and carried a p99 ten times higher (bench/README.md).
compact_aof() {
  "${redis_cli[@]}" bgrewriteaof >/dev/null
  local i
  for i in $(seq 1 600); do
    "${redis_cli[@]}" info persistence \
      | grep -Eq '^aof_rewrite_(in_progress|scheduled):1' || return 0
    sleep 0.1
  done
  echo "e2e: Redis's AOF rewrite did not finish within 60 s" >&2
  return 1
}
voided() { "${psql[@]}" -c "select count(*) from void_positions"; }
# What Redis has written to disk so far (its AOF appends and rewrites, the rewrites' children
# counted once reaped), and what its AOF has appended since its last rewrite with the number of
# rewrites: the appends of a scenario are known exactly when no rewrite ran during it.
redis_disk() { awk '/^write_bytes:/ { print $2 }' "/proc/$redis_pid/io"; }
# Redis's CPU so far, user and system (clock ticks): system is mostly its AOF writes and fsyncs and
# its sockets.
redis_cpu() { awk '{ print $14, $15 }' "/proc/$redis_pid/stat"; }
aof_appended() {
  "${redis_cli[@]}" info persistence | tr -d '\r' | awk -F: '
    { v[$1] = $2 } END { printf "%d %d", v["aof_current_size"] - v["aof_base_size"], v["aof_rewrites"] }'
}
# E2E_REDIS_SCRIPTS=1: Redis's time in each Lua script over each reported scenario, from a slow
# log that keeps every command (it costs Redis some CPU, so the run's other figures are not the
# plain engine's then).
# Without it, INFO commandstats of each reported scenario is kept in the work folder all the same.
redis_scripts_start() {
  "${redis_cli[@]}" config resetstat >/dev/null
  [ "${E2E_REDIS_SCRIPTS:-}" = 1 ] || return 0
  "${redis_cli[@]}" config set slowlog-max-len 1000000 >/dev/null
  "${redis_cli[@]}" config set slowlog-log-slower-than 0 >/dev/null
  "${redis_cli[@]}" slowlog reset >/dev/null
}
redis_scripts_figure() { # NAME
  "${redis_cli[@]}" info commandstats | tr -d '\r' >"$work/commandstats-$1.txt"
  [ "${E2E_REDIS_SCRIPTS:-}" = 1 ] || return 0
  "${redis_cli[@]}" config set slowlog-log-slower-than 10000 >/dev/null
  local names=() f
  for f in infra/src/main/resources/io/preconf/infra/redis/*.lua; do
    names+=("$(sha1sum "$f" | cut -c1-40)=$(basename "$f" .lua)")
  done
  # Each slow log entry: [id, time, microseconds, [command, sha, ...], client, name].
  "${redis_cli[@]}" --json slowlog get -1 | grep -o '\[[0-9]*,[0-9]*,[0-9]*,\["evalsha","[0-9a-f]*"' |
    awk -F, -v ok="$(field ok)" -v names="${names[*]}" -v name="$1" '
      BEGIN { n = split(names, pair, " "); for (i = 1; i <= n; i++) { split(pair[i], kv, "="); script[kv[1]] = kv[2] } }
      { sha = $5; gsub(/"/, "", sha); calls[sha]++; us[sha] += $3 }
      END { printf "%s:", name
        for (sha in calls) printf " %s %d calls, %.0f us each, %.0f us per answered request;", \
          (sha in script ? script[sha] : sha), calls[sha], us[sha] / calls[sha], us[sha] / ok
        printf " " }' >>"$work/redis-scripts.txt"
  "${redis_cli[@]}" slowlog reset >/dev/null
}
# Appends "scenario: disk bytes and AOF bytes per answered request" to the run's Redis figures.
redis_disk_figure() { # NAME DISK_BEFORE AOF_BEFORE CPU_BEFORE
  local ok disk aof_now
  ok=$(field ok)
  disk=$(($(redis_disk) - $2))
  aof_now=$(aof_appended)
  awk -v name="$1" -v ok="$ok" -v disk="$disk" -v before="$3" -v now="$aof_now" \
    -v cpu0="$4" -v cpu1="$(redis_cpu)" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    split(cpu0, c0, " "); split(cpu1, c1, " ")
    split(before, b, " "); split(now, n, " ")
    aof = n[2] == b[2] ? sprintf("%.0f B appended to the AOF", (n[1] - b[1]) / ok) \
      : sprintf("AOF appends not known (%d rewrites ran)", n[2] - b[2])
    if (ok > 0) printf "%s %.0f B written to disk, %s, CPU %.3f ms user + %.3f ms system; ", \
      name, disk / ok, aof, (c1[1] - c0[1]) * 1000 / hz / ok, (c1[2] - c0[2]) * 1000 / hz / ok }' \
    >>"$work/redis-disk.txt"
}

# PostgreSQL's WAL position and committed transactions so far, as "LSN COMMITS".
pg_mark() {
  "${psql[@]}" -F' ' -c "select pg_current_wal_lsn(), xact_commit from pg_stat_database where datname = current_database()"
}
# Appends "scenario: WAL bytes and transactions per answered request" to the run's PostgreSQL
# figures. The WAL is exact (LSN difference); the transaction count is the statistics' (read-only
# ones included, possibly a second late).
# The engine's context switches so far, all its threads, voluntary and not.
engine_switches() {
  { cat /proc/"$engine_pid"/task/*/status 2>/dev/null || true; } |
    awk '/^(voluntary|nonvoluntary)_ctxt_switches:/ { n += $2 } END { print n + 0 }'
}
# The engine's context switches so far by kind of thread (its name without numbers), one
# "name count" a line.
# A thread that ends while it is read is left out.
engine_switches_by_thread() {
  local t name
  for t in /proc/"$engine_pid"/task/*; do
    { name=$(tr -d '0-9' <"$t/comm" | tr ' ' _); } 2>/dev/null || continue
    awk -v name="$name" '/^(voluntary|nonvoluntary)_ctxt_switches:/ { n += $2 }
      END { print name, n + 0 }' "$t/status" 2>/dev/null || true
  done | awk '{ n[$1] += $2 } END { for (k in n) print k, n[k] }'
}
# Appends "scenario: the engine's CPU per answered request, in ms, and by kind of thread" to the
# run's figures (bench/lib/threads.sh), from the readings before and after the scenario.
threads_cpu_figure() { # NAME BY_THREAD_BEFORE BY_THREAD_AFTER
  local ok
  ok=$(field ok)
  [ "$ok" -gt 0 ] || return 0
  threads_cpu_entry "$1" "$ok" "$2" "$3" >>"$work/engine-threads-cpu.txt"
}
# Appends "scenario: the engine's context switches per answered request, and those of the threads
# that switched most" to the run's figures (threads that ended during the scenario are not counted).
switches_figure() { # NAME BEFORE BY_THREAD_BEFORE
  local ok
  ok=$(field ok)
  engine_switches_by_thread >"$work/switches-after.txt"
  awk -v name="$1" -v ok="$ok" -v n="$(($(engine_switches) - $2))" 'BEGIN {
    if (ok > 0) printf "%s %.2f (", name, n / ok }' >>"$work/engine-switches.txt"
  awk -v ok="$ok" 'NR == FNR { before[$1] = $2; next } { d[$1] = $2 - before[$1] }
    END { if (ok > 0) for (k in d) if (d[k] / ok >= 0.05) printf "%s %.2f\n", k, d[k] / ok }' \
    "$3" "$work/switches-after.txt" | sort -k2 -rn | head -8 | paste -sd, - | tr -d '\n' \
    >>"$work/engine-switches.txt"
  [ "$ok" -gt 0 ] && printf '); ' >>"$work/engine-switches.txt"
  return 0
}
pg_wal_figure() { # NAME MARK_BEFORE
  local ok now wal
  ok=$(field ok)
  now=$(pg_mark)
  wal=$("${psql[@]}" -c "select pg_wal_lsn_diff('${now%% *}', '${2%% *}')")
  awk -v name="$1" -v ok="$ok" -v wal="$wal" -v before="${2##* }" -v after="${now##* }" 'BEGIN {
    if (ok > 0) printf "%s %.0f B of WAL, %.3f transactions; ", name, wal / ok, (after - before) / ok }' \
    >>"$work/pg-wal.txt"
}

# One scenario: writes its bodies (signing is the client's work, done before the clock starts),
# drives the engine, appends a row to the TSV (warm-ups to another file), lets the engine drain.
#   run_scenario NAME KIND RATE SECONDS STORAGE
run_scenario() {
  local name=$1 kind=$2 rate=$3 seconds=$4 storage=$5 count=$(($3 * $4))
  local path=/preconfirm expect=1 note=- table="$tsv"
  case "$kind" in
    single) java -cp "$tools" io.preconf.bench.RequestBodies signed out="$work/bodies.txt" count="$count" ;;
    batch)
      java -cp "$tools" io.preconf.bench.RequestBodies signed out="$work/bodies.txt" count="$count" per=100
      expect=100
      ;;
    validate | validate-batch)
      # cold: one preconfirmation of each commitment no validation has verified yet. Rounds share
      # one commitment among their non-atomic requests, so the cold run first issues its own:
      # single-transaction atomic requests, each with a commitment of its own (at E2E_ISSUE_RATE,
      # kept, not reported). cached: leaves of the commitments the cold runs verified. A batch
      # scenario's requests carry E2E_VALIDATE_PER preconfirmations each.
      local which=cold per=1
      case "$name" in *-cached) which=cached ;; esac
      [ "$kind" = validate-batch ] && per=$validate_per
      local leaves=$((count * per))
      if [ "$which" = cold ]; then
        # Whole seconds at the issue rate: a few more than the leaves when they are not a
        # multiple of it (the generator sends rate x seconds bodies); only the leaves are kept.
        local issue_seconds=$(((leaves + issue_rate - 1) / issue_rate))
        java -cp "$tools" io.preconf.bench.RequestBodies signed out="$work/bodies.txt" \
          count=$((issue_seconds * issue_rate)) atomic=true
        "$loadgen" run port="$http_port" path=/preconfirm bodies="$work/bodies.txt" \
          rate="$issue_rate" seconds="$issue_seconds" expect=1 \
          out="$work/issue.tsv" scenario="issue-for-$name" storage="$storage" kind=single \
          keep="$work/issued-atomic.txt" keep_max="$leaves" >>"$work/issue.log"
        sleep 2
      fi
      if [ ! -s "$work/issued-atomic.txt" ]; then
        echo "e2e: $name skipped: no preconfirmation was issued for it" | tee -a "$work/loadgen.log"
        return 0
      fi
      note=$(java -cp "$tools" io.preconf.bench.RequestBodies validations \
        responses="$work/issued-atomic.txt" out="$work/bodies.txt" count="$leaves" \
        verified="$work/verified-roots.txt" kind="$which" per="$per")
      local have_bodies
      have_bodies=$(wc -l <"$work/bodies.txt")
      if [ "$have_bodies" -eq 0 ]; then
        echo "e2e: $name skipped: no commitment left for it ($note)" | tee -a "$work/loadgen.log"
        return 0
      fi
      if [ "$have_bodies" -lt "$count" ]; then
        # Fewer distinct commitments were kept than the scenario asks for: a shorter run at the
        # same rate, never a body twice.
        [ "$have_bodies" -lt "$rate" ] && rate=$have_bodies
        seconds=$((have_bodies / rate))
        note="$note; $((rate * seconds)) of them sent in ${seconds} s, not $4, for want of commitments"
      fi
      local unsent=$(((have_bodies - rate * seconds) * per))
      if [ "$which" = cold ] && [ "$unsent" -gt 0 ]; then
        # The roots of bodies never sent were not verified: a cached run must not count on them.
        head -n -"$unsent" "$work/verified-roots.txt" >"$work/verified-roots.sent"
        mv "$work/verified-roots.sent" "$work/verified-roots.txt"
      fi
      path=/validate
      expect=0
      ;;
    *) echo "e2e: unknown scenario kind $kind" >&2; exit 1 ;;
  esac
  case "$name" in warmup-*) table="$work/warmup.tsv" ;; esac
  local disk_before aof_before cpu_before pg_before switches_before
  # After the stat reset of redis_scripts_start, which zeroes Redis's rewrite counter.
  [ "$table" = "$tsv" ] && redis_scripts_start
  disk_before=$(redis_disk)
  aof_before=$(aof_appended)
  cpu_before=$(redis_cpu)
  local jfr=
  case " ${E2E_JFR:-} " in *" $name "*) jfr="$work/jfr-$name.jfr" ;; esac
  if [ -n "$jfr" ]; then
    jcmd "$engine_pid" JFR.start name="$name" settings=profile filename="$jfr" >/dev/null
    sleep 3 # starting a recording stalls the engine briefly
  fi
  pg_before=$(pg_mark)
  switches_before=$(engine_switches)
  engine_switches_by_thread >"$work/switches-before.txt"
  # Started last, so that it holds the scenario and not the marks above.
  perf_pid=
  case " ${E2E_PERF:-} " in *" $name "*)
    if command -v perf >/dev/null; then
      perf record -F 499 -e cpu-clock -a -g -o "$work/perf-$name.data" >"$work/perf-$name.log" 2>&1 &
      perf_pid=$!
      sleep 1
    else
      echo "e2e: E2E_PERF asks for a profile of $name, but perf is not installed" | tee -a "$work/loadgen.log"
    fi ;;
  esac
  local times=() fsync_pid= fsync_mark=
  case " ${E2E_TIMES:-} " in *" $name "*)
    times=(times="$work/times-$name-$rate.tsv")
    if command -v perf >/dev/null; then
      perf record -e syscalls:sys_enter_fdatasync -e syscalls:sys_exit_fdatasync \
        -e syscalls:sys_enter_fsync -e syscalls:sys_exit_fsync -a \
        -o "$work/fsync-$name-$rate.data" >"$work/fsync-$name-$rate.log" 2>&1 &
      fsync_pid=$!
      sleep 1
      fsync_mark=$(fsync_mark "$work/fsync-mark")
    fi ;;
  esac
  # The engine's threads read right around the generator's run, so that they cover the window its
  # own CPU figures cover and not the recordings started and stopped around it.
  threads_cpu "$engine_pid" >"$work/threads-cpu-before.txt"
  "$loadgen" run port="$http_port" path="$path" bodies="$work/bodies.txt" rate="$rate" \
    seconds="$seconds" expect="$expect" procs="$procs" out="$table" scenario="$name" \
    storage="$storage" kind="$kind" note="$note" "${times[@]}" | tee -a "$work/loadgen.log"
  threads_cpu "$engine_pid" >"$work/threads-cpu-after.txt"
  if [ -n "$fsync_pid" ]; then
    kill -INT "$fsync_pid" 2>/dev/null || true
    wait "$fsync_pid" || true
    { perf script -i "$work/fsync-$name-$rate.data" -F comm,tid,time,event 2>/dev/null || true; } |
      fsync_durations "$fsync_mark" >"$work/fsync-$name-$rate.tsv"
  fi
  if [ ${#times[@]} -gt 0 ]; then
    times_summary "$work/times-$name-$rate.tsv" "$work/fsync-$name-$rate.tsv" \
      >"$work/times-$name-$rate.md"
  fi
  [ -n "$jfr" ] && jcmd "$engine_pid" JFR.stop name="$name" >/dev/null
  if [ -n "$perf_pid" ]; then
    # perf may have ended already (not allowed to profile the machine: its log says so).
    kill -INT "$perf_pid" 2>/dev/null || true
    wait "$perf_pid" || true
    perf_pid=
    { perf script -i "$work/perf-$name.data" -F comm,pid,ip,sym,dso 2>/dev/null || true; } |
      java -cp "$tools" io.preconf.bench.PerfTop 30 engine:"$engine_pid" "feed node:$feed_pid" \
        >"$work/perf-$name.md"
  fi
  [ "$table" = "$tsv" ] && redis_disk_figure "$name" "$disk_before" "$aof_before" "$cpu_before"
  [ "$table" = "$tsv" ] && redis_scripts_figure "$name"
  [ "$table" = "$tsv" ] && pg_wal_figure "$name" "$pg_before"
  [ "$table" = "$tsv" ] && switches_figure "$name" "$switches_before" "$work/switches-before.txt"
  [ "$table" = "$tsv" ] && threads_cpu_figure "$name" "$work/threads-cpu-before.txt" \
    "$work/threads-cpu-after.txt"
  if [ "$table" = "$tsv" ] && [ -n "$serve_pid" ]; then
    # The same bodies at the same rate to a server that does nothing: the generator by itself.
    # After every figure of the engine's is read, so that none of them holds this run.
    "$loadgen" run port="$alone_port" path="$path" bodies="$work/bodies.txt" rate="$rate" \
      seconds="$seconds" expect=0 out="$work/alone.tsv" scenario="$name" storage="$storage" \
      kind="$kind" note=alone >>"$work/alone.log" ||
      echo "e2e: the generator's run alone for $name failed; see $work/alone.log" | tee -a "$work/loadgen.log"
  fi
  # What an overloaded scenario left queued in the engine must not land in the next one.
  sleep 5
}

# The figures of the last row: field NAME
field() { awk -F'\t' -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i } END { print $col[name] }' "$tsv"; }

run_list() { # STORAGE PREFIX LIST
  local spec kind
  for spec in $3; do
    IFS=: read -r kind rate seconds <<<"$spec"
    run_scenario "$2$kind" "${kind%-cached}" "$rate" "$seconds" "$1"
  done
}

fsync_ms=$(fsync_probe)
relax
run_list relaxed warmup- "$warmup"
harden
# Then at the first sustained rate with fsync on: slower storage makes bigger rounds, whose paths the
# relaxed warm-up left to the JIT, which then compiled them inside the first durable scenario.
run_list durable warmup- "$warmup_durable"
compact_aof
run_list durable "" "$sustained"

peak=0
peak_rate=0
held_rate=0
broke=
for rate in $steps; do
  run_scenario step single "$rate" "$step_seconds" durable
  answered=$(field achieved_rps)
  awk -v a="$answered" -v p="$peak" 'BEGIN { exit !(a > p) }' && { peak=$answered; peak_rate=$rate; }
  broke=$(awk -v p99="$(field p99_ms)" -v e="$(field errors)" -v n="$(field requests)" \
    -v maxp="$break_p99_ms" -v maxe="$break_errors_pct" -v r="$rate" 'BEGIN {
      if (p99 > maxp) printf "at %d/s: p99 %.2f ms > %s ms", r, p99, maxp
      else if (100 * e / n > maxe) printf "at %d/s: errors %.1f%% > %s%%", r, 100 * e / n, maxe }')
  [ -n "$broke" ] && break
  held_rate=$rate
done
overload_voided=-
overload_rate=$(awk -v p="$peak" 'BEGIN { printf "%d", 2 * p + 0.5 }')
if [ "$overload_rate" -gt 0 ]; then
  voided_before=$(voided)
  run_scenario overload single "$overload_rate" "$overload_seconds" durable
  overload_voided=$(($(voided) - voided_before))
fi
run_list durable "" "$batch"
# The validations' paths warmed again, not reported: after the preconfirm scenarios C2 compiled the
# ML-DSA verifier and the body reader inside the measured cold validations, whatever the first
# warm-up had done (0.200 against 0.164 ms of engine CPU per cold validation, bench/README.md).
run_list durable warmup- "$warmup_validate"
run_list durable "" "$validate"
# The cached-leaf validations once more under JFR, for where their time goes (the figure above is
# not profiled).
validate_profile=$(printf '%s\n' $validate | grep '^validate-cached:' | tail -1 || true)
if [ -n "$profile" ] && [ -n "$validate_profile" ]; then
  jcmd "$engine_pid" JFR.start name=validate settings=profile filename="$work/validate.jfr" >/dev/null
  sleep 3 # starting a recording stalls the engine briefly
  run_list durable profile- "$validate_profile"
  jcmd "$engine_pid" JFR.stop name=validate >/dev/null
fi

relax
run_list relaxed "" "$relaxed"
if [ -n "$profile" ]; then
  jcmd "$engine_pid" JFR.start name=e2e settings=profile filename="$work/e2e.jfr" >/dev/null
  sleep 3 # starting a recording stalls the engine briefly
  run_list relaxed profile- "$profile"
  jcmd "$engine_pid" JFR.stop name=e2e >/dev/null
fi
fsync_ms_after=$(fsync_probe)
voided_total=$(voided)
load_after=$(cat /proc/loadavg)
backend_line=$(grep -h -m1 -i "secp256k1 backend" "$work/engine.log" || echo "(not logged)")
stop_engine
for f in "$work"/feed-follower-*.txt; do
  [ -f "$f" ] && echo "$(basename "$f" .txt): $(cat "$f")"
done >"$work/feed-followers.txt"
infra/scripts/servers.sh stop >/dev/null

# The crypto floor, measured now on the same machine under the same load: the core's JMH
# crypto rows (Bouncy Castle and libsecp256k1), after the engine has stopped.
if [ "${E2E_FLOOR:-1}" = "1" ] && [ -f reactive-core/target/test-classpath.txt ]; then
  cp="reactive-core/target/test-classes:reactive-core/target/classes:$(cat reactive-core/target/test-classpath.txt)"
  floor_load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  timeout 600 java -cp "$cp" org.openjdk.jmh.Main 'CoreBenchmark.crypto' -f 1 -wi 2 -w 2 -i 3 -r 2 \
    -rf json -rff "$work/floor.json" >"$work/floor.log" 2>&1 || echo "e2e: the JMH floor run failed; see $work/floor.log"
  floor_load="before: $floor_load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
fi

if [ -f "$work/e2e.jfr" ]; then
  java -cp "$tools" io.preconf.bench.JfrTop "$work/e2e.jfr" 25 >"$work/profile.md"
fi
if [ -f "$work/validate.jfr" ]; then
  java -cp "$tools" io.preconf.bench.JfrTop "$work/validate.jfr" 25 >"$work/validate-profile.md"
fi
for f in "$work"/jfr-*.jfr; do
  [ -f "$f" ] && java -cp "$tools" io.preconf.bench.JfrTop "$f" 30 >"${f%.jfr}.md"
done

cat >"$work/facts.txt" <<EOF
written=$(date -u +%Y-%m-%dT%H:%M:%SZ)
command=$command_line
warmup=$warmup
warmup_durable=$warmup_durable
warmup_validate=$warmup_validate
sustained=$sustained
steps=$steps (each ${step_seconds} s; a step breaks at p99 above $break_p99_ms ms or errors above $break_errors_pct %)
peak=$peak
peak_rate=$peak_rate
held_rate=$held_rate
broke=${broke:-no step broke}
overload_voided=$overload_voided
voided_total=$voided_total
batch=$batch
validate=$validate
validate_per=$validate_per
relaxed=$relaxed
profile=$profile
selftest=$(tail -1 "$work/selftest.log")
fsync=$fsync_ms ms before the run and $fsync_ms_after ms after it
$(machine_facts "$pg_bin")
load_before=$load_before
load_after=$load_after
backend=$backend ($backend_line)
floor=$work/floor.json
generator_alone=$([ -s "$work/alone.tsv" ] && echo "$work/alone.tsv")
floor_load=${floor_load:-}
engine_flags=$engine_jvm_flags
feed_followers=$followers
redis_disk=$(cat "$work/redis-disk.txt" 2>/dev/null)
redis_scripts=$(cat "$work/redis-scripts.txt" 2>/dev/null)
pg_wal=$(cat "$work/pg-wal.txt" 2>/dev/null)
engine_switches=$(cat "$work/engine-switches.txt" 2>/dev/null)
engine_threads_cpu=$(cat "$work/engine-threads-cpu.txt" 2>/dev/null)
EOF
write_report
echo "e2e: wrote $out"
