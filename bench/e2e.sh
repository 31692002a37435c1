#!/usr/bin/env bash
# End-to-end benchmark: starts real Redis and PostgreSQL (infra/scripts/servers.sh, on ports of
# their own so that nobody else's servers are touched), starts the functions over HTTP on
# 127.0.0.1, drives them open-loop with pre-signed transactions (LoadGen, in the bench module),
# profiles one run with JFR, stops everything it started and writes benchmarks/e2e.md.
#
# Environment:
#   PRECONF_SKIP_BUILD=1        use the functions jar and the bench classes already built
#   E2E_WARMUP, E2E_DURABLE, E2E_RELAXED
#                               override the scenario lists of the warm-up and the two measured
#                               passes (kind:rate:seconds, see LoadGen; empty skips the pass)
#   E2E_BACKEND                 preconf.engine.secp256k1-backend for the run (default: native)
#   E2E_QUIET_LOAD              wait (up to 10 min) for the 1-minute load to drop below this first
#   E2E_OUT                     where the report goes (default benchmarks/e2e.md)
#   E2E_REPORT_ONLY=1           rewrite the report from the last run's files, measure nothing
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
command_line="bench/e2e.sh${*:+ $*}"
[ -n "${E2E_WARMUP+x}" ] && command_line="E2E_WARMUP='$E2E_WARMUP' $command_line"
[ -n "${E2E_DURABLE+x}" ] && command_line="E2E_DURABLE='$E2E_DURABLE' $command_line"
[ -n "${E2E_RELAXED+x}" ] && command_line="E2E_RELAXED='$E2E_RELAXED' $command_line"
[ -n "${E2E_BACKEND:-}" ] && command_line="E2E_BACKEND=$E2E_BACKEND $command_line"

export PRECONF_REDIS_PORT="${PRECONF_REDIS_PORT:-6392}"
export PRECONF_PG_PORT="${PRECONF_PG_PORT:-5442}"
export PRECONF_RUN_DIR="$root/.run/e2e"
http_port="${E2E_HTTP_PORT:-8188}"
backend="${E2E_BACKEND:-native}"
out="${E2E_OUT:-benchmarks/e2e.md}"
work="$root/target/e2e"
# Pass 1 keeps the servers as infra/scripts/servers.sh runs them: every Redis write and every
# PostgreSQL commit waits for fsync. Pass 2 relaxes exactly that (Redis fsyncs once a second,
# PostgreSQL commits asynchronously) to show what the engine costs apart from the disk.
# The warm-up runs with fsync relaxed, so that the JIT and the caches warm up at the rates
# measured later without the disk in the way. The scenario most likely to overload the engine
# runs last in each pass.
warmup="${E2E_WARMUP-warmup-single:100:15,warmup-single:300:30,warmup-batch:3:10,warmup-validate:500:6}"
durable="${E2E_DURABLE-single:100:30,single:500:30,validate:1000:10,validate:2000:6,batch:5:30,single:1000:30}"
# The profiled run goes last: JFR leaves the JIT recompiling for a while after it stops.
relaxed="${E2E_RELAXED-single:100:30,single:500:30,batch:5:30,batch:10:30,single:1000:30,profile-single:500:20}"
# LoadGen, JfrTop and E2eReport: the bench module's classes, built with the functions below.
tools=bench/target/classes
write_report() {
  java -cp "$tools" io.preconf.bench.E2eReport \
    "$out" "$work/e2e.tsv" "$work/profile.md" <"$work/facts.txt"
}
# E2E_REPORT_ONLY=1 rewrites the report from the last run's files in target/e2e (after a change to
# the report's layout or verdicts); it measures nothing.
if [ "${E2E_REPORT_ONLY:-}" = "1" ]; then
  write_report
  echo "e2e: rewrote $out from $work"
  exit 0
fi

mkdir -p "$work" benchmarks
rm -f "$work"/*

if [ "${PRECONF_SKIP_BUILD:-}" != "1" ]; then
  ./mvnw -B -q package -DskipTests -pl functions,bench -am
  ./mvnw -B -q -pl reactive-core -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
fi
jar=$(ls functions/target/functions-*-runner.jar | head -1)

if [ -n "${E2E_QUIET_LOAD:-}" ]; then
  for _ in $(seq 1 60); do
    awk -v max="$E2E_QUIET_LOAD" '{ exit !($1 <= max) }' /proc/loadavg && break
    echo "e2e: load $(cut -d' ' -f1-3 /proc/loadavg) is above $E2E_QUIET_LOAD; waiting"
    sleep 10
  done
fi

# Fresh servers for every run: the figures must not depend on what an earlier run left behind.
infra/scripts/servers.sh stop >/dev/null
rm -rf "$PRECONF_RUN_DIR"
infra/scripts/servers.sh start

engine_pid=
cleanup() {
  if [ -n "$engine_pid" ] && kill -0 "$engine_pid" 2>/dev/null; then
    kill "$engine_pid" 2>/dev/null || true
    wait "$engine_pid" 2>/dev/null || true
  fi
  infra/scripts/servers.sh stop >/dev/null || true
}
trap cleanup EXIT INT TERM

# A throw-away key pair for this run only. The rollups are the defaults with the per-slot caps
# raised: at 1,000 requests per second the default cap (1,000 per 2 s slot) would refuse half of
# them by policy, which measures the cap and not the engine.
key="0x0$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n' | cut -c2-)"
seed="0x$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')"
rollups='[{"chainId":167000,"name":"alpha","genesisTimeMs":1735689600000,"slotDurationMs":2000,"maxPreconfirmationsPerSlot":1000000,"maxGasPerSlot":1000000000000000},{"chainId":167001,"name":"beta","genesisTimeMs":1735689600000,"slotDurationMs":12000,"maxPreconfirmationsPerSlot":1000000,"maxGasPerSlot":1000000000000000}]'

load_before=$(cat /proc/loadavg)
# One load generator is one client far above any sensible per-client limit: the engine's own
# throughput is measured here, so the limits are off.
PRECONF_LIMITS_ENABLED=false \
  PRECONF_SIGNER_PRIVATE_KEY="$key" PRECONF_SIGNER_PQ_SEED="$seed" PRECONF_ROLLUPS_JSON="$rollups" \
  PRECONF_ENGINE_SECP256K1_BACKEND="$backend" \
  QUARKUS_HTTP_HOST=127.0.0.1 PRECONF_HTTP_PORT="$http_port" \
  QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$PRECONF_REDIS_PORT" \
  QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$PRECONF_PG_PORT/preconf" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PRECONF_PG_PORT/preconf" \
  java -jar "$jar" >"$work/engine.log" 2>&1 &
engine_pid=$!

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$http_port/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$engine_pid" 2>/dev/null || { tail -30 "$work/engine.log"; echo "e2e: the engine died" >&2; exit 1; }
  sleep 0.5
done
curl -sf "http://127.0.0.1:$http_port/q/health/ready" >/dev/null || { echo "e2e: engine not ready after 60 s" >&2; exit 1; }
engine_jvm_flags=$(jcmd "$engine_pid" VM.flags 2>/dev/null | tail -1 | tr -s ' ' | cut -c1-400)

fsync_probe() {
  local t0 t1
  t0=$(date +%s%N)
  dd if=/dev/zero of="$work/fsync.probe" bs=4k count=100 oflag=dsync 2>/dev/null
  t1=$(date +%s%N)
  rm -f "$work/fsync.probe"
  awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f", ns / 100 / 1e6 }'
}

# The generator gets the functions jar's classpath (the core's TransactionBuilder, Jackson,
# HdrHistogram), and is bounded: each scenario ends by itself; the timeout is a last resort.
drive() {
  [ -z "$2" ] && return 0
  timeout 1800 java -Xmx2g -cp "$tools:$jar" io.preconf.bench.LoadGen \
    url="http://127.0.0.1:$http_port" pid="$engine_pid" out="$work/e2e.tsv" jfr="$work/e2e.jfr" \
    storage="$1" scenarios="$2" | tee -a "$work/loadgen.log"
}

redis_cli=(redis-cli -h 127.0.0.1 -p "$PRECONF_REDIS_PORT")
psql=("${PRECONF_PG_BIN:-/usr/lib/postgresql/15/bin}/psql" -h 127.0.0.1 -p "$PRECONF_PG_PORT" -U postgres -qtA)
relax() {
  "${redis_cli[@]}" config set appendfsync everysec >/dev/null
  "${psql[@]}" -c "alter system set synchronous_commit = off" -c "select pg_reload_conf()" >/dev/null
}
# Back to exactly how infra/scripts/servers.sh runs them.
harden() {
  "${redis_cli[@]}" config set appendfsync always >/dev/null
  "${psql[@]}" -c "alter system reset synchronous_commit" -c "select pg_reload_conf()" >/dev/null
}

fsync_ms=$(fsync_probe)
relax
drive warmup "$warmup"
harden
drive durable "$durable"
relax
drive relaxed "$relaxed"
fsync_ms_after=$(fsync_probe)

load_after=$(cat /proc/loadavg)
backend_line=$(grep -h -m1 -i "secp256k1 backend" "$work/engine.log" || echo "(not logged)")
kill "$engine_pid"
wait "$engine_pid" 2>/dev/null || true
engine_pid=
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

cat >"$work/facts.txt" <<EOF
written=$(date -u +%Y-%m-%dT%H:%M:%SZ)
command=$command_line
warmup=$warmup
durable=$durable
relaxed=$relaxed
fsync=$fsync_ms ms before the run and $fsync_ms_after ms after it
machine=$(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uname -sr)
load_before=$load_before
load_after=$load_after
java=$(java -version 2>&1 | head -2 | tr '\n' ' ')
quarkus=$(grep -m1 '<quarkus.version>' pom.xml | sed 's/.*>\(.*\)<.*/\1/')
redis=$(redis-server --version | cut -d' ' -f3 | tr -d 'v=')
postgresql=$("${PRECONF_PG_BIN:-/usr/lib/postgresql/15/bin}/postgres" --version | cut -d' ' -f3)
backend=$backend ($backend_line)
floor=$work/floor.json
floor_load=${floor_load:-}
engine_flags=$engine_jvm_flags
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!benchmarks' || echo ' (with uncommitted changes)')
EOF
write_report
echo "e2e: wrote $out"
