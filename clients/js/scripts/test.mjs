// Runs the client's tests: offline against known answers, then against the real engine (Redis,
// PostgreSQL, the functions and the feed) started through bin/engine on free ports, serving two
// rollups whose chain ids are this run's own so that no other run's lanes mix in, and the page in
// headless Chromium (installed through apt-get when missing). Stops only the engine it started.
import { randomBytes, randomInt } from "node:crypto";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, run } from "../../../bin/lib/harness.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const repo = join(root, "../..");

const [httpPort, feedPort] = [await freePort(), await freePort()];
// Even, so that the pair shares all but the last bit; far above any real chain id, within 2^53.
const alpha = 2 * randomInt(2_000_000_000, 4_000_000_000);
const genesisTimeMs = 1_735_689_600_000;
const env = {
  ...process.env,
  PRECONF_HTTP_PORT: String(httpPort),
  PRECONF_FEED_PORT: String(feedPort),
  PRECONF_ENGINE_DIR: join(repo, ".run", "engine-client-js"),
  PRECONF_ROLLUPS_JSON: JSON.stringify([
    { chainId: alpha, name: "alpha", genesisTimeMs, slotDurationMs: 2000 },
    { chainId: alpha + 1, name: "beta", genesisTimeMs, slotDurationMs: 12000 },
  ]),
  // Heartbeats often enough that a dead socket shows within the tests' patience; backend bounds
  // that a machine busy with other builds does not reach (these tests are about the client).
  PRECONF_FEED_HEARTBEAT_INTERVAL: "2s",
  PRECONF_INFRA_POSTGRES_TIMEOUT: "15s",
  PRECONF_INFRA_REDIS_TIMEOUT: "10s",
  // reconcile needs an operator key; a fresh one per run.
  PRECONF_RECONCILE_API_KEYS: `client-js-${randomBytes(12).toString("hex")}`,
  PRECONF_TEST_FUNCTIONS_URL: `http://127.0.0.1:${httpPort}`,
  PRECONF_TEST_FEED_URL: `ws://127.0.0.1:${feedPort}/feed`,
  PRECONF_TEST_CHAINS: JSON.stringify([alpha, alpha + 1]),
};

let status = run("bash", [join(root, "scripts/chromium.sh")], env, root);
if (status !== 0) process.exit(status);
env.CHROMIUM ??= "/usr/bin/chromium";

status = run(join(repo, "bin/engine"), ["start"], env, repo);
try {
  if (status === 0) {
    const files = readdirSync(join(root, "build/test"))
      .filter((f) => f.endsWith(".test.js"))
      .map((f) => join("build/test", f));
    // One file at a time: the engine tests share its lanes, and one restarts the feed node.
    status = run(process.execPath, ["--test", "--test-concurrency=1", ...files], env, root);
  }
} finally {
  run(join(repo, "bin/engine"), ["stop"], env, repo);
}
process.exit(status);
