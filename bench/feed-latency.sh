#!/usr/bin/env bash
# Measures the feed's delivery latency to many subscribers on loopback and writes
# benchmarks/feed-latency.md: machine, versions, command and figures.
#
# Usage: bench/feed-latency.sh [subscribers] [requests] [interval-ms] [warm-up]
#        (defaults: 1000 200 100 300)
#
# It starts (or reuses) the local Redis and PostgreSQL through infra/scripts/servers.sh, runs
# FeedLatencyBenchmark (a @QuarkusTest excluded from `mvn test`), and needs nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."

subscribers="${1:-1000}"
requests="${2:-200}"
interval="${3:-100}"
warmup="${4:-300}"
results="$(pwd)/websocket/target/feed-latency-results.md"
out=benchmarks/feed-latency.md
command="bench/feed-latency.sh $subscribers $requests $interval $warmup"

# Many sockets in one process.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

rm -f "$results"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
./mvnw -B -q -pl websocket -am test-compile surefire:test@default-test \
  -Dtest=FeedLatencyBenchmark -DexcludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfeed.bench.subscribers="$subscribers" -Dfeed.bench.requests="$requests" \
  -Dfeed.bench.interval-ms="$interval" -Dfeed.bench.warmup="$warmup" -Dfeed.bench.out="$results"
[ -f "$results" ] || { echo "the benchmark wrote no results ($results)" >&2; exit 1; }

cpu="$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
{
  echo "# Feed delivery latency"
  echo
  echo "Written by \`$command\` on $(date -u '+%Y-%m-%d %H:%M UTC')."
  echo
  echo "## Machine and versions"
  echo
  echo "- CPU: ${cpu:-unknown}, $(nproc) cores; memory $(free -g | awk '/^Mem:/ {print $2}') GB; $(uname -sr)"
  echo "- Java: $(java -version 2>&1 | head -1)"
  echo "- Quarkus $(sed -n 's:.*<quarkus.version>\(.*\)</quarkus.version>.*:\1:p' pom.xml), Vert.x $(ls ~/.m2/repository/io/vertx/vertx-core 2>/dev/null | sort -V | tail -1)"
  echo "- $(redis-server --version | cut -d' ' -f1-3), $(/usr/lib/postgresql/15/bin/postgres --version)"
  echo
  echo "## Setup"
  echo
  echo "One JVM holds the engine, the feed node (Quarkus, WebSockets Next) and the $subscribers"
  echo "subscribers: plain WebSocket connections (NIO, the RFC 6455 handshake, frames parsed where"
  echo "they lie) read by two threads of their own, connected to 127.0.0.1 and all following one"
  echo "lane. Redis and PostgreSQL run beside it on the same machine. The engine preconfirms one transaction per request, one request every"
  echo "$interval ms, $requests measured after $warmup of warm-up (the JIT compilers are still busy"
  echo "after a few dozen), once with post-quantum signatures on and once off. Load average before"
  echo "the run: $load_before. Each (request, subscriber) pair is one sample:"
  echo
  echo "- *preconfirm → frame*: from the preconfirm call to the frame's arrival at the subscriber;"
  echo "  it includes the engine's own work (decode, sequence in Redis, sign, record in PostgreSQL,"
  echo "  append to the log)."
  echo "- *publish → frame*: from the engine's call to append the recorded preconfirmation to the"
  echo "  lane's Redis log to the arrival; the feed's own share (the append, the node's wake-up,"
  echo "  fan-out, sockets, the client's read)."
  echo
  echo "Frames are about 7.4 KB with post-quantum signatures on (the ML-DSA-65 signature is 3,309"
  echo "bytes, so 6,618 hex characters) and about 0.8 KB with them off."
  echo
  echo "## Figures"
  echo
  cat "$results"
  echo
  cat bench/feed-latency-notes.md
} >"$out"
echo "wrote $out"
