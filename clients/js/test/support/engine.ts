// The real engine these tests run against, started by scripts/test.mjs through bin/engine on free
// ports, serving two rollups whose chain ids are this run's own.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { createEngineClient, type Hex } from "@preconf/client";
import { keccak256 } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { REPO } from "./repo.js";

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests with npm test, which starts the engine`);
  return v;
}

export const functionsUrl = required("PRECONF_TEST_FUNCTIONS_URL");
export const feedUrl = required("PRECONF_TEST_FEED_URL");
export const pageUrl = feedUrl.replace(/^ws/, "http").replace(/\/feed$/, "/");
export const [alpha, beta] = JSON.parse(required("PRECONF_TEST_CHAINS")) as [number, number];
// The operator key bin/engine was started with lets these tests call reconcile.
export const engine = createEngineClient({
  url: functionsUrl,
  headers: { "x-api-key": required("PRECONF_RECONCILE_API_KEYS") },
});

/** Runs bin/engine with this run's environment (ports, rollups): stop-feed, start-feed, restart-feed. */
export async function engineScript(command: string): Promise<void> {
  await promisify(execFile)(join(REPO, "bin/engine"), [command], { cwd: REPO, env: process.env });
}

export interface SignedTransfer {
  raw: Hex;
  txHash: Hex;
  sender: Hex;
  nonce: number;
}

/** An EIP-1559 transfer signed by viem from a fresh key (or `key`), for a served chain. */
export async function transfer(chainId: number, o: { nonce?: number; key?: Hex } = {}): Promise<SignedTransfer> {
  const account = privateKeyToAccount(o.key ?? generatePrivateKey());
  const nonce = o.nonce ?? 0;
  const raw = await account.signTransaction({
    chainId,
    nonce,
    to: "0x000000000000000000000000000000000000c0de",
    value: 1n,
    gas: 21_000n,
    maxFeePerGas: 2n * 10n ** 9n,
    maxPriorityFeePerGas: 10n ** 7n,
  });
  return { raw, txHash: keccak256(raw), sender: account.address.toLowerCase() as Hex, nonce };
}

/** Preconfirms one fresh transfer, failing the test when the engine refuses it. */
export async function promise(chainId: number) {
  const tx = await transfer(chainId);
  const r = await engine.preconfirm([tx.raw]);
  if (r.preconfirmations.length !== 1) throw new Error(`not preconfirmed: ${JSON.stringify(r.rejected ?? r.error)}`);
  return { tx, p: r.preconfirmations[0]! };
}
