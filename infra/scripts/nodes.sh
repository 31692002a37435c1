#!/usr/bin/env bash
# Starts and stops the local rollup nodes (anvil, from Foundry) that the engine follows and hands
# transactions to: one node per default rollup, on loopback only.
#
# Like servers.sh, it needs nothing installed beforehand and is idempotent: anvil is installed
# (pinned) into the repository's .run/ folder on first use, a node that already answers on its
# port with the right chain id is reused, never restarted, and only nodes this script started
# (marker files in .run/) are ever stopped. Each node keeps its chain in a state file under .run/
# (written on a clean stop and every PRECONF_NODE_STATE_INTERVAL seconds), so a node restarted
# here comes back with its blocks, receipts and balances.
#
# Usage: infra/scripts/nodes.sh start|stop|status
#                               start-node|stop-node|restart-node CHAIN
#                               freeze-node|thaw-node|wipe-node CHAIN
#                               url CHAIN
#
# The single-node commands are for outage tests. stop-node exits 3 when the node answers but was
# not started by this script (so a test can tell it cannot simulate an outage). freeze-node stops
# the process (SIGSTOP) without closing its port: calls reach it and hang, as with a node that is
# up but does not answer; thaw-node lets it go on. wipe-node stops the node and deletes its chain,
# for tests that run a throw-away chain of their own. url prints the node's JSON-RPC URL.
#
# Environment:
#   PRECONF_NODES                the nodes, "CHAIN:PORT:BLOCK_SECONDS ..."; by default the two
#                                default rollups with their slot durations:
#                                "167000:8545:2 167001:8546:12"
#   PRECONF_NODE_BLOCK_TIME      block time in seconds for every node, overriding the list (to
#                                shorten it in tests, e.g. 1)
#   PRECONF_NODE_STATE_INTERVAL  seconds between state dumps while running (default 10)
#   PRECONF_ANVIL                an anvil binary to use instead of the pinned one
#   PRECONF_RUN_DIR              where anvil, the chains, logs and markers go (default <repository>/.run)
set -euo pipefail

ANVIL_VERSION=1.7.1
NODES="${PRECONF_NODES:-167000:8545:2 167001:8546:12}"
BLOCK_TIME="${PRECONF_NODE_BLOCK_TIME:-}"
STATE_INTERVAL="${PRECONF_NODE_STATE_INTERVAL:-10}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN="${PRECONF_RUN_DIR:-$ROOT/.run}"
ANVIL_HOME="$RUN/anvil-$ANVIL_VERSION"
ANVIL="${PRECONF_ANVIL:-$ANVIL_HOME/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil}"

say() { echo "nodes.sh: $*"; }
fail() {
  echo "nodes.sh: $*" >&2
  exit 1
}

# Sets PORT and BLOCKS for chain $1 from the node list; fails for a chain not in it.
lookup() {
  local entry chain port blocks
  for entry in $NODES; do
    IFS=: read -r chain port blocks <<<"$entry"
    [[ "$chain" =~ ^[0-9]+$ && "$port" =~ ^[0-9]+$ && "$blocks" =~ ^[0-9]+$ ]] ||
      fail "PRECONF_NODES entry \"$entry\" is not CHAIN:PORT:BLOCK_SECONDS"
    if [ "$chain" = "$1" ]; then
      PORT="$port"
      BLOCKS="${BLOCK_TIME:-$blocks}"
      return 0
    fi
  done
  fail "chain $1 has no node here; nodes: $NODES (set PRECONF_NODES)"
}

chains() {
  local entry
  for entry in $NODES; do echo "${entry%%:*}"; done
}

url() { echo "http://127.0.0.1:$PORT"; }
dir() { echo "$RUN/anvil-$1"; }
marker() { echo "$RUN/anvil-$1-$PORT.started-by-script"; }

rpc() {
  curl -s --max-time "${2:-1}" -H 'content-type: application/json' \
    -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":[]}" "$(url)" 2>/dev/null
}

# The chain id (decimal) the node on PORT answers with, or nothing.
answering_chain() {
  local hex
  hex="$(rpc eth_chainId | sed -n 's/.*"result":"0x\([0-9a-fA-F]*\)".*/\1/p')"
  [ -n "$hex" ] && echo "$((16#$hex))"
}

# The pid this script recorded for chain $1, when that process is still the anvil on PORT.
our_pid() {
  local m pid
  m="$(marker "$1")"
  [ -f "$m" ] || return 1
  pid="$(cat "$m")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] &&
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "anvil .*--port $PORT " && echo "$pid"
}

install_anvil() {
  [ -x "$ANVIL" ] && return 0
  [ -n "${PRECONF_ANVIL:-}" ] && fail "PRECONF_ANVIL=$ANVIL is not an executable"
  command -v npm >/dev/null 2>&1 || fail "npm is needed to install anvil $ANVIL_VERSION and is missing"
  local started=$SECONDS
  say "installing anvil $ANVIL_VERSION into $ANVIL_HOME (npm)"
  mkdir -p "$ANVIL_HOME"
  npm install --prefix "$ANVIL_HOME" --no-audit --no-fund --loglevel=error \
    "@foundry-rs/anvil-linux-amd64@$ANVIL_VERSION" >"$ANVIL_HOME/npm.log" 2>&1 ||
    fail "npm install of anvil $ANVIL_VERSION failed; see $ANVIL_HOME/npm.log"
  [ -x "$ANVIL" ] || fail "anvil still missing at $ANVIL after npm install"
  say "anvil $ANVIL_VERSION installed in $((SECONDS - started)) s"
}

start_node() {
  local chain="$1" answering d pid log
  lookup "$chain"
  answering="$(answering_chain || true)"
  if [ -n "$answering" ]; then
    [ "$answering" = "$chain" ] ||
      fail "port $PORT answers as chain $answering, not $chain; free it or set PRECONF_NODES"
    say "chain $chain: a node already answers on $(url); reusing it"
    return 0
  fi
  if pid="$(our_pid "$chain")"; then
    fail "chain $chain: the node this script started (pid $pid) runs but does not answer on $(url); frozen? (thaw-node $chain)"
  fi
  install_anvil
  d="$(dir "$chain")"
  log="$d/anvil.log"
  mkdir -p "$d"
  echo "--- $(date -u +%FT%TZ) start: chain $chain, port $PORT, block time ${BLOCKS}s" >>"$log"
  local started=$SECONDS
  # A session of its own: Ctrl-C in the terminal that ran bin/run must not reach the node, which
  # stays up for the next run like Redis and PostgreSQL. No pipe is inherited, so a caller reading
  # this script's output is not held open by the node, nor is the lock below.
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$d/pid" \
    "$ANVIL" --host 127.0.0.1 --port "$PORT" --chain-id "$chain" --block-time "$BLOCKS" \
    --order fifo --state "$d/state.json" --state-interval "$STATE_INTERVAL" \
    </dev/null >>"$log" 2>&1 9>&- &
  for _ in $(seq 1 300); do
    if [ "$(answering_chain || true)" = "$chain" ]; then
      cp "$d/pid" "$(marker "$chain")"
      say "chain $chain: anvil started on $(url) in $((SECONDS - started)) s (block time ${BLOCKS}s, chain in $d/state.json)"
      return 0
    fi
    if [ -f "$d/pid" ] && ! kill -0 "$(cat "$d/pid")" 2>/dev/null; then
      fail "chain $chain: anvil exited at start; see $log: $(tail -3 "$log" | tr '\n' ' ')"
    fi
    sleep 0.1
  done
  fail "chain $chain: anvil does not answer on $(url) after 30 s; see $log"
}

# $2 = "strict": exit 3 when the node answers but is not ours.
stop_node() {
  local chain="$1" pid
  lookup "$chain"
  if ! pid="$(our_pid "$chain")"; then
    rm -f "$(marker "$chain")"
    if [ -n "$(answering_chain || true)" ]; then
      say "chain $chain: the node on $(url) was not started by this script; leaving it alone"
      if [ "${2:-}" = strict ]; then exit 3; fi
    else
      say "chain $chain: no node runs on $(url)"
    fi
    return 0
  fi
  # A frozen node cannot handle SIGTERM until it runs again.
  kill -CONT "$pid" 2>/dev/null || true
  # SIGTERM: anvil writes its state file on the way out, which is what a restart loads.
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "chain $chain: anvil (pid $pid) did not stop in 15 s; killing it (its chain is as of the last state dump)"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
  fi
  rm -f "$(marker "$chain")"
  say "chain $chain: node on $(url) stopped"
}

signal_node() {
  local chain="$1" signal="$2" what="$3" pid
  lookup "$chain"
  pid="$(our_pid "$chain")" || fail "chain $chain: the node on $(url) was not started by this script"
  kill "-$signal" "$pid"
  say "chain $chain: node on $(url) $what"
}

status() {
  local chain rc=0 block
  for chain in $(chains); do
    lookup "$chain"
    if [ "$(answering_chain || true)" = "$chain" ]; then
      block="$(rpc eth_blockNumber | sed -n 's/.*"result":"0x\([0-9a-fA-F]*\)".*/\1/p')"
      say "chain $chain: up on $(url), block $((16#${block:-0}))"
    else
      say "chain $chain: down on $(url)"
      rc=1
    fi
  done
  return $rc
}

mkdir -p "$RUN"
# One invocation at a time per checkout: bin/test, bin/run and tests may all ask at once.
exec 9>"$RUN/nodes.lock"
flock 9

command="${1:-}"
if [[ "$command" == *-node || "$command" == url ]]; then
  [ -n "${2:-}" ] || fail "usage: $0 $command CHAIN"
fi
case "$command" in
  start) for c in $(chains); do start_node "$c"; done ;;
  stop) for c in $(chains); do stop_node "$c"; done ;;
  status) status ;;
  start-node) start_node "$2" ;;
  stop-node) stop_node "$2" strict ;;
  restart-node)
    stop_node "$2" strict
    start_node "$2"
    ;;
  freeze-node) signal_node "$2" STOP "frozen: it takes connections and answers nothing" ;;
  thaw-node) signal_node "$2" CONT "thawed" ;;
  wipe-node)
    stop_node "$2" strict
    rm -rf "$(dir "$2")"
    say "chain $2: chain deleted ($(dir "$2"))"
    ;;
  url)
    lookup "$2"
    url
    ;;
  *)
    echo "usage: $0 start|stop|status|start-node|stop-node|restart-node|freeze-node|thaw-node|wipe-node|url [CHAIN]" >&2
    exit 2
    ;;
esac
