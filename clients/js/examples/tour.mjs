// The client's calls against a running engine (bin/run, or bin/engine start), as the README shows
// them: info, preconfirm, status, offline verification of a genuine and an altered promise, and the
// feed. Run after `npm run build`: node examples/tour.mjs [FUNCTIONS_URL] [FEED_URL]
import { createEngineClient, subscribe, trustFromInfo, verifyPreconfirmation } from "@preconf/client";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import WebSocket from "ws";

const [functionsUrl = "http://127.0.0.1:8080", feedUrl = "ws://127.0.0.1:8090/feed"] = process.argv.slice(2);
const show = (label, value) => console.log(`${label}:`, JSON.stringify(value, null, 1).replace(/\n\s*/g, " "));

const engine = createEngineClient({ url: functionsUrl });
const info = await engine.info();
show("info", { signer: info.signer, pqPublicKey: `${info.pqPublicKey.slice(0, 10)}…`, rollups: info.rollups.map((r) => r.name) });
const trust = trustFromInfo(info);
const chainId = info.rollups[0].chainId;

// Follow the lane while promising, then stop at the first preconfirmation.
const feed = subscribe({ url: feedUrl, chainIds: [chainId], verify: trust, WebSocket });
await feed.next(); // {type: "connection", state: "open"}

const account = privateKeyToAccount(generatePrivateKey());
const rawTransaction = await account.signTransaction({
  chainId, nonce: 0, to: "0x000000000000000000000000000000000000c0de", value: 1n,
  gas: 21_000n, maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 10_000_000n,
});
const { preconfirmations: [p], rejected } = await engine.preconfirm([rawTransaction], { atomic: false });
show("preconfirm", { id: p.id, sequence: p.sequence, targetSlot: p.targetSlot, rejected });

const status = await engine.status(chainId, p.txHash);
show("status", "status" in status ? { status: status.status, sequence: status.sequence } : status.error);

show("verify", verifyPreconfirmation(p, { ...trust, requirePq: true, rawTransaction }));
show("verify, targetSlot + 1", verifyPreconfirmation({ ...p, targetSlot: p.targetSlot + 1 }, trust));

for await (const e of feed) {
  if (e.type !== "preconfirmation") continue;
  show("feed", { type: e.type, sequence: e.sequence, valid: e.verification.valid, cursor: feed.cursor() });
  break; // leaving the loop closes the subscription
}
