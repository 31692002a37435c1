# Sourced by bin/run and bin/engine: the environment both start the engine with.
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
