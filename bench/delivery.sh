#!/usr/bin/env bash
# Delivery benchmark: how long from a preconfirm request to the rollup's node holding the
# transaction (accepted into its pool) and to the block that includes it, at a steady open-loop
# rate. Starts everything it measures on ports of its own and stops only what it started:
#   - Redis and PostgreSQL (infra/scripts/servers.sh) on 6421 / 5471;
#   - an anvil node of its own (infra/scripts/nodes.sh), chain 1672101 on 8601, one block per slot;
#   - the engine as bin/engine starts it: the functions on 8604 and the feed's process, whose
#     delivery forwarder hands each lane to the node, on 8605; one rollup, its senders checked on
#     the node (state checks on), the per-client limits off (one generator is one client);
# then fresh senders funded on the node, their transfers signed beforehand (each sender's nonces
# in order), the node watched through its own subscriptions (bench/src/.../NodeWatch.java) and the
# C generator (bench/loadgen) sending the bodies open loop. Writes benchmarks/delivery.md.
#
# Environment:
#   DELIVERY_RATE (100), DELIVERY_SECONDS (60), DELIVERY_SENDERS (50), DELIVERY_BLOCK_SECONDS (2,
#   the rollup's slot), DELIVERY_WARMUP_SECONDS (15 at the same rate from senders of its own, not
#   reported: a fresh JVM's first seconds are its compiler's), DELIVERY_QUIET_LOAD (wait for the 1-minute load to drop below it first),
#   DELIVERY_OUT (benchmarks/delivery.md), PRECONF_SKIP_BUILD=1 (use the jars already built)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. bench/lib/common.sh
command_line="bench/delivery.sh"
for v in DELIVERY_RATE DELIVERY_SECONDS DELIVERY_SENDERS DELIVERY_BLOCK_SECONDS DELIVERY_WARMUP_SECONDS; do
  [ -n "${!v+x}" ] && command_line="$v='${!v}' $command_line"
done

rate="${DELIVERY_RATE:-100}"
seconds="${DELIVERY_SECONDS:-60}"
warmup_seconds="${DELIVERY_WARMUP_SECONDS:-15}"
senders="${DELIVERY_SENDERS:-50}"
block_seconds="${DELIVERY_BLOCK_SECONDS:-2}"
out="${DELIVERY_OUT:-benchmarks/delivery.md}"
chain=1672101
node_port=8601
work="$root/target/delivery"
export PRECONF_REDIS_PORT=6421 PRECONF_PG_PORT=5471 PRECONF_RUN_DIR="$work/run"
export PRECONF_NODES="$chain:$node_port:$block_seconds"
export PRECONF_HTTP_PORT=8604 PRECONF_FEED_PORT=8605 PRECONF_ENGINE_DIR="$work/engine"
# The repository's pinned anvil when it is installed already; otherwise nodes.sh installs it.
pinned="$root/.run/anvil-1.7.1/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
[ -x "$pinned" ] && export PRECONF_ANVIL="${PRECONF_ANVIL:-$pinned}"
pg_bin="${PRECONF_PG_BIN:-/usr/lib/postgresql/15/bin}"

mkdir -p benchmarks
rm -rf "$work"
mkdir -p "$work"
if [ "${PRECONF_SKIP_BUILD:-}" != "1" ]; then
  ./mvnw -B -q package -DskipTests -pl functions,websocket,bench -am
fi
tools="bench/target/classes:$(ls functions/target/functions-*-runner.jar | head -1)"
build_loadgen "$work"
wait_quiet "${DELIVERY_QUIET_LOAD:-}"

watch_pid=
cleanup() {
  if [ -n "$watch_pid" ]; then
    kill "$watch_pid" 2>/dev/null || true
    wait "$watch_pid" 2>/dev/null || true
  fi
  bin/engine stop >/dev/null || true
  infra/scripts/nodes.sh stop >/dev/null || true
  infra/scripts/servers.sh stop >/dev/null || true
}
trap cleanup EXIT INT TERM

infra/scripts/servers.sh start
infra/scripts/nodes.sh start
node_url="http://127.0.0.1:$node_port"
rpc() { curl -sf -H 'content-type: application/json' "$node_url" -d "$1"; }

# A throw-away signer for this run; the rollup's slots are the node's blocks.
export PRECONF_SIGNER_PRIVATE_KEY="0x0$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n' | cut -c2-)"
export PRECONF_SIGNER_PQ_SEED="0x$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')"
export PRECONF_ROLLUPS_JSON="[{\"chainId\":$chain,\"name\":\"delivery-bench\",\"genesisTimeMs\":0,\"slotDurationMs\":$((block_seconds * 1000)),\"rpcUrl\":\"$node_url\"}]"
export PRECONF_LIMITS_ENABLED=false
export QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$PRECONF_REDIS_PORT"
export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$PRECONF_PG_PORT/preconf"
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PRECONF_PG_PORT/preconf"
PRECONF_SKIP_BUILD=1 bin/engine start

# Signing is the client's work, done before the clock starts; funding too (100 ether each).
#   bodies NAME SECONDS
bodies() {
  java -cp "$tools" io.preconf.bench.RequestBodies senders out="$work/$1-bodies.txt" \
    count=$((rate * $2)) senders="$senders" chain="$chain" hashes="$work/$1-hashes.txt" \
    addresses="$work/$1-senders.txt"
  while read -r address; do
    rpc "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"anvil_setBalance\",\"params\":[\"$address\",\"0x56bc75e2d63100000\"]}" >/dev/null
  done <"$work/$1-senders.txt"
}
bodies run "$seconds"
if [ "$warmup_seconds" -gt 0 ]; then
  bodies warmup "$warmup_seconds"
  "$loadgen" run port="$PRECONF_HTTP_PORT" path=/preconfirm bodies="$work/warmup-bodies.txt" \
    rate="$rate" seconds="$warmup_seconds" expect=1 scenario=warmup | tee "$work/warmup.log"
  sleep $((2 * block_seconds))
fi

java -cp "$tools" io.preconf.bench.NodeWatch port="$node_port" pending="$work/pending.tsv" \
  included="$work/included.tsv" >"$work/watch.log" 2>&1 &
watch_pid=$!
for _ in $(seq 1 40); do grep -q subscribed "$work/watch.log" && break; sleep 0.25; done
grep -q subscribed "$work/watch.log" || { cat "$work/watch.log"; echo "delivery: the node watcher did not subscribe" >&2; exit 1; }

engine_pid=$(cat "$PRECONF_ENGINE_DIR/functions.pid")
feed_pid=$(cat "$PRECONF_ENGINE_DIR/feed.pid")
redis_pid=$(redis-cli -h 127.0.0.1 -p "$PRECONF_REDIS_PORT" info server | tr -d '\r' | awk -F: '/^process_id:/ { print $2 }')
pg_pid=$(head -1 "$PRECONF_RUN_DIR/pg-$PRECONF_PG_PORT/data/postmaster.pid")
node_pid=$(cat "$PRECONF_RUN_DIR/anvil-$chain-$node_port.started-by-script")
node_cpu_before=$(cpu_seconds "$node_pid")
load_before=$(cat /proc/loadavg)
"$loadgen" run port="$PRECONF_HTTP_PORT" path=/preconfirm bodies="$work/run-bodies.txt" rate="$rate" \
  seconds="$seconds" expect=1 procs="engine:$engine_pid,redis:$redis_pid,postgres:$pg_pid,feed:$feed_pid" \
  out="$work/delivery.tsv" scenario=delivery storage=durable kind=single times="$work/times.tsv" |
  tee "$work/loadgen.log"
load_after=$(cat /proc/loadavg)

# The last promises reach a block a few slots later.
promised=$(awk -F'\t' '$4 == 1' "$work/times.tsv" | wc -l)
for _ in $(seq 1 $((block_seconds * 15))); do
  [ "$(wc -l <"$work/included.tsv")" -ge "$promised" ] && break
  sleep 1
done
node_cpu=$(awk -v a="$node_cpu_before" -v b="$(cpu_seconds "$node_pid")" 'BEGIN { printf "%.1f", b - a }')
watch_cpu_ms=$(awk -v s="$(cpu_seconds "$watch_pid")" 'BEGIN { printf "%.0f", s * 1000 }')

{
  echo "written=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "command=$command_line"
  echo "rate=$rate"
  echo "seconds=$seconds"
  echo "warmup=$warmup_seconds"
  echo "senders=$senders"
  echo "node=chain $chain, one block every $block_seconds s (the rollup's slot), --order fifo"
  echo "watch_cpu_ms=$watch_cpu_ms"
  echo "node_cpu=The node (anvil) used $node_cpu s of CPU from the start of sending to the last inclusion."
  echo "load_before=$load_before"
  echo "load_after=$load_after"
  echo "anvil=$("${PRECONF_ANVIL:-anvil}" --version 2>/dev/null | head -1)"
  machine_facts "$pg_bin"
} >"$work/facts.txt"
java -cp "$tools" io.preconf.bench.DeliveryReport out="$out" hashes="$work/run-hashes.txt" \
  times="$work/times.tsv" pending="$work/pending.tsv" included="$work/included.tsv" \
  tsv="$work/delivery.tsv" <"$work/facts.txt"
echo "delivery: wrote $out"
