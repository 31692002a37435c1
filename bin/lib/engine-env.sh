# Sourced by bin/run and bin/engine: the environment both start the engine with.
#
# Nodes: with the default rollups (no PRECONF_ROLLUPS_JSON), one local node per rollup is started
# or reused through infra/scripts/nodes.sh, and NODE_URLS holds the java options that give both
# processes its URL (preconf.rollups[i].rpc-url): the functions check senders and follow blocks
# there, the feed's process delivers the promised transactions to it. Rollups of the caller's own
# (PRECONF_ROLLUPS_JSON) bring their own "rpcUrl".
#
# Keys: PRECONF_SIGNER_PRIVATE_KEY and PRECONF_SIGNER_PQ_SEED (0x hex) when set; otherwise a local
# development key pair, generated once into .run/dev-keys.env and reused, so the signer stays the
# same across restarts. Never use it for anything real.
if [ -z "${PRECONF_SIGNER_PRIVATE_KEY:-}" ]; then
  mkdir -p .run
  if [ ! -f .run/dev-keys.env ]; then
    # The top bit cleared keeps the key below the curve order.
    key="0x$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n' | sed 's/^./0/')"
    seed="0x$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')"
    printf 'PRECONF_SIGNER_PRIVATE_KEY=%s\nPRECONF_SIGNER_PQ_SEED=%s\n' "$key" "$seed" >.run/dev-keys.env
    chmod 600 .run/dev-keys.env
    echo "generated a local development key pair in .run/dev-keys.env (never use it for anything real)"
  fi
  set -a
  . .run/dev-keys.env
  set +a
fi

# The feed's page (GET / on the feed's port) asks the functions for `info` from the browser, so
# the functions answer that origin's cross-origin calls (CORS), and no other.
feed_port="${PRECONF_FEED_PORT:-8090}"
export QUARKUS_HTTP_CORS_ENABLED="${QUARKUS_HTTP_CORS_ENABLED:-true}"
export QUARKUS_HTTP_CORS_ORIGINS="${QUARKUS_HTTP_CORS_ORIGINS:-http://127.0.0.1:$feed_port,http://localhost:$feed_port}"

NODE_URLS=()
if [ -z "${PRECONF_ROLLUPS_JSON:-}" ]; then
  infra/scripts/nodes.sh start
  # The default rollups of application.properties, by index.
  for rollup in 0:167000 1:167001; do
    NODE_URLS+=("-Dpreconf.rollups[${rollup%%:*}].rpc-url=$(infra/scripts/nodes.sh url "${rollup#*:}")")
  done
fi
