// Foundry's cast against the engine's RPC URL: `cast send` signs with the engine's pending nonce,
// fee cap and gas (the tip above the rollup's minimum), is preconfirmed, and waits for the receipt the node gives once the engine's
// delivery hands the transaction over; `cast receipt` reads the same receipt back.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { promiseOf, rpcUrl } from "./support.mjs";

const cast = join(dirname(fileURLToPath(import.meta.url)), "../node_modules/@foundry-rs/cast-linux-amd64/bin/cast");
const run = async (...args) => JSON.parse((await promisify(execFile)(cast, args, { timeout: 120_000 })).stdout);

// anvil's development key 4, used by no other test file.
const key = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";

test("cast send is preconfirmed and included; cast receipt reads the receipt back", async () => {
  const sent = await run(
    "send", "--rpc-url", rpcUrl, "--private-key", key, "--json", "--timeout", "90",
    // The rollup's minimum tip is 0.001 gwei; cast's own estimate from a quiet node is 1 wei, and
    // its fee cap then a few wei: both are given, as a wallet's user would.
    "--gas-price", "10gwei", "--priority-gas-price", "2gwei",
    "0x000000000000000000000000000000000000dEaD", "--value", "1",
  );

  assert.equal(sent.status, "0x1", JSON.stringify(sent));
  const promise = await promiseOf(sent.transactionHash);
  assert.equal(promise.txHash, sent.transactionHash);
  assert.ok(promise.sequence >= 1, JSON.stringify(promise));
  const receipt = await run("receipt", "--rpc-url", rpcUrl, "--json", sent.transactionHash);
  assert.equal(receipt.blockHash, sent.blockHash);
  assert.equal(receipt.transactionHash, sent.transactionHash);
});
