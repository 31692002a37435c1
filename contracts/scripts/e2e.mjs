#!/usr/bin/env node
// Runs the contracts against the real engine and a real chain: an anvil node of this run's own
// (a fresh chain id and port, through infra/scripts/nodes.sh, with anvil from this folder's
// node_modules) that the engine follows, and the engine (functions and feed, against Redis and
// PostgreSQL) through bin/engine on free ports, signing with a key made for this run. The tests
// (e2e/*.test.mjs) deploy the contracts to that chain and run node's test runner. Everything this
// starts is stopped, and the chain deleted, at the end; the shared nodes are never touched.
//
// Needs the contracts built (scripts/forge.sh build; forge test builds them too).
import { randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, run } from "../../bin/lib/harness.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const repo = join(root, "..");

const [httpPort, feedPort, nodePort] = [await freePort(), await freePort(), await freePort()];
// Even, so that the bundle's second rollup is the next id; far above any real chain id, within 2^53.
const chain = 2 * randomInt(2_000_000_000, 4_000_000_000);
const genesisTimeMs = 1_735_689_600_000;
const runDir = mkdtempSync(join(tmpdir(), "preconf-contracts-"));
const nodeUrl = `http://127.0.0.1:${nodePort}`;
const env = {
  ...process.env,
  PRECONF_NODES: `${chain}:${nodePort}:1`,
  PRECONF_RUN_DIR: runDir,
  PRECONF_ANVIL: join(root, "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"),
  PRECONF_HTTP_PORT: String(httpPort),
  PRECONF_FEED_PORT: String(feedPort),
  PRECONF_ENGINE_DIR: join(repo, ".run", "engine-contracts"),
  PRECONF_SIGNER_PRIVATE_KEY: "0x" + randomBytes(31).toString("hex").padStart(64, "0"),
  PRECONF_SIGNER_PQ_SEED: "0x" + randomBytes(32).toString("hex"),
  // One-second slots on a one-second chain the engine follows; promises may aim ten minutes ahead,
  // so that a machine slowed by other builds never makes one late before the node mines it. The
  // promises here are judged by the contracts, not by the node: their senders are made up and hold
  // nothing, and a fee can never cover the worst-case base fee ten minutes of blocks ahead, so the
  // sender checks are off (they are tested in infra and functions). The tests play the builder
  // themselves (a reversal, a missed slot), so the engine's own delivery is off too.
  PRECONF_ROLLUPS_JSON: JSON.stringify([
    { chainId: chain, name: "anvil", genesisTimeMs, slotDurationMs: 1000, lookaheadSlots: 600, rpcUrl: nodeUrl, stateChecks: false },
    { chainId: chain + 1, name: "beta", genesisTimeMs, slotDurationMs: 12000 },
  ]),
  PRECONF_DELIVERY_ENABLED: "false",
  PRECONF_INFRA_POSTGRES_TIMEOUT: "15s",
  PRECONF_INFRA_REDIS_TIMEOUT: "10s",
  PRECONF_TEST_FUNCTIONS_URL: `http://127.0.0.1:${httpPort}`,
  PRECONF_TEST_NODE_URL: nodeUrl,
  PRECONF_TEST_CHAIN: String(chain),
  PRECONF_TEST_GENESIS_MS: String(genesisTimeMs),
};

const nodes = join(repo, "infra/scripts/nodes.sh");
let status = run(nodes, ["start-node", String(chain)], env, root);
try {
  if (status === 0) status = run(join(repo, "bin/engine"), ["start"], env, repo);
  try {
    if (status === 0) {
      const files = readdirSync(join(root, "e2e"))
        .filter((f) => f.endsWith(".test.mjs"))
        .map((f) => join("e2e", f));
      // One file, its tests in order: later ones use the contracts the first deploys.
      status = run(process.execPath, ["--test", "--test-concurrency=1", ...files], env, root);
    }
  } finally {
    run(join(repo, "bin/engine"), ["stop"], env, repo);
  }
} finally {
  run(nodes, ["wipe-node", String(chain)], env, root);
  rmSync(runDir, { recursive: true, force: true });
}
process.exit(status);
