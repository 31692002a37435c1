// Runs the wallet-client tests against the real engine: a rollup node of this run's own (anvil,
// through infra/scripts/nodes.sh, on a chain id and port nobody else uses, one-second blocks),
// then the functions and the feed through bin/engine on free ports, serving that chain with the
// node's URL, so that reads are the node's. Stops and deletes only what it started.
import { randomInt } from "node:crypto";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, run } from "../../../bin/lib/harness.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const repo = join(root, "../..");

const [httpPort, feedPort, nodePort] = [await freePort(), await freePort(), await freePort()];
// Above 10^12 like the Java tests' throw-away chains, so no ledger has blocks of it yet.
const chainId = 2_000_000_000_000 + randomInt(1_000_000_000);
const nodeUrl = `http://127.0.0.1:${nodePort}`;
const env = {
  ...process.env,
  PRECONF_NODES: `${chainId}:${nodePort}:1`,
  PRECONF_HTTP_PORT: String(httpPort),
  PRECONF_FEED_PORT: String(feedPort),
  PRECONF_ENGINE_DIR: join(repo, ".run", "engine-wallets"),
  PRECONF_ROLLUPS_JSON: JSON.stringify([
    {
      chainId,
      name: "wallets",
      genesisTimeMs: 1_735_689_600_000,
      slotDurationMs: 1000,
      lookaheadSlots: 600,
      rpcUrl: nodeUrl,
    },
  ]),
  PRECONF_INFRA_POSTGRES_TIMEOUT: "15s",
  PRECONF_INFRA_REDIS_TIMEOUT: "10s",
  PRECONF_TEST_RPC_URL: `http://127.0.0.1:${httpPort}/rpc/${chainId}`,
  PRECONF_TEST_NODE_URL: nodeUrl,
  PRECONF_TEST_FEED_URL: `ws://127.0.0.1:${feedPort}/feed`,
  PRECONF_TEST_CHAIN: String(chainId),
};

const nodes = join(repo, "infra/scripts/nodes.sh");
let status = run("bash", [nodes, "start-node", String(chainId)], env, repo);
try {
  if (status === 0) status = run(join(repo, "bin/engine"), ["start"], env, repo);
  try {
    if (status === 0) {
      const files = readdirSync(join(root, "test"))
        .filter((f) => f.endsWith(".test.mjs"))
        .map((f) => join("test", f));
      // One file at a time: the clients share the node's funded accounts.
      status = run(process.execPath, ["--experimental-websocket", "--test", "--test-concurrency=1", ...files], env, root);
    }
  } finally {
    run(join(repo, "bin/engine"), ["stop"], env, repo);
  }
} finally {
  run("bash", [nodes, "wipe-node", String(chainId)], env, repo);
}
process.exit(status);
