// The whole loop on a real node, with no hand-off by the test: ten funded senders, each sending
// its twenty nonces in order, the ten at once. The engine promises every one, its feed's process
// delivers them to the node in lane order, and the follower sees each included and then final;
// every status change reaches a feed subscriber.
import assert from "node:assert/strict";
import { test } from "node:test";
import { mnemonicToAccount } from "viem/accounts";
import { chainId, feedUrl, nodeUrl, rpc, rpcUrl } from "./support.mjs";

const SENDERS = 10;
const NONCES = 20;
const functionsUrl = rpcUrl.replace(/\/rpc\/\d+$/, "");
// The rollup's slots (scripts/test.mjs): 1 s from this genesis, as the node's blocks.
const GENESIS_MS = 1_735_689_600_000;
const SLOT_MS = 1000;
// A promise by the current slot leaves no time to deliver when the node makes one block a slot;
// each transaction asks for a slot a few blocks ahead, as a client wanting a promise the node can
// keep does.
const SLOTS_AHEAD = 4;

async function call(name, body) {
  const response = await fetch(`${functionsUrl}/${name}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return response.json();
}

const status = (txHash) => call("status", { chainId, txHash });

/** Status frames of this chain's feed, by transaction, in the order they arrived. */
function watchFeed() {
  const seen = new Map();
  const socket = new WebSocket(`${feedUrl}?chainId=${chainId}`);
  socket.addEventListener("message", (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type !== "status") return;
    const list = seen.get(frame.data.txHash) ?? [];
    list.push(frame.data.status);
    seen.set(frame.data.txHash, list);
  });
  const open = new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve, { once: true });
    socket.addEventListener("error", reject, { once: true });
  });
  return { seen, open, close: () => socket.close() };
}

async function sendInOrder(account) {
  const first = Number.parseInt((await rpc(nodeUrl, "eth_getTransactionCount", [account.address, "pending"])).result, 16);
  const sent = [];
  for (let i = 0; i < NONCES; i++) {
    const raw = await account.signTransaction({
      chainId,
      type: "eip1559",
      to: "0x000000000000000000000000000000000000dEaD",
      value: 1n,
      gas: 21_000n,
      maxFeePerGas: 50_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
      nonce: first + i,
    });
    const targetSlot = Math.floor((Date.now() - GENESIS_MS) / SLOT_MS) + SLOTS_AHEAD;
    const answer = await call("preconfirm", { transactions: [raw], targetSlot });
    assert.deepEqual(answer.rejected, [], `${account.address} nonce ${first + i}`);
    sent.push(answer.preconfirmations[0].txHash);
  }
  return sent;
}

async function untilFinal(txHash, deadline) {
  for (;;) {
    const s = await status(txHash);
    if (s.status === "FINALIZED") return s;
    assert.ok(["PRECONFIRMED", "INCLUDED"].includes(s.status), `${txHash} at sequence ${s.sequence}: ${s.status}`);
    assert.ok(Date.now() < deadline, `${txHash} not final in time: ${s.status}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

test("200 transactions from 10 senders: promised, delivered, included once in lane order, final, each change on the feed", async () => {
  const feed = watchFeed();
  await feed.open;
  try {
    const accounts = Array.from({ length: SENDERS }, (_, i) =>
      mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: i }),
    );
    const hashes = (await Promise.all(accounts.map(sendInOrder))).flat();
    assert.equal(new Set(hashes).size, SENDERS * NONCES);

    const deadline = Date.now() + 180_000;
    const final = await Promise.all(hashes.map((h) => untilFinal(h, deadline)));
    const receipts = await Promise.all(hashes.map(async (h) => (await rpc(nodeUrl, "eth_getTransactionReceipt", [h])).result));

    const placed = final
      .map((s, i) => ({ sequence: s.sequence, hash: hashes[i], receipt: receipts[i], finality: s.finality }))
      .sort((a, b) => a.sequence - b.sequence);
    placed.forEach(({ hash, receipt, finality }) => {
      assert.equal(receipt.status, "0x1", `${hash} succeeded`);
      assert.equal(finality.blockNumber, Number.parseInt(receipt.blockNumber, 16), `${hash} at the node's block`);
      assert.equal(finality.index, Number.parseInt(receipt.transactionIndex, 16), `${hash} at the node's index`);
    });
    for (let i = 1; i < placed.length; i++) {
      const [a, b] = [placed[i - 1].finality, placed[i].finality];
      assert.ok(
        b.blockNumber > a.blockNumber || (b.blockNumber === a.blockNumber && b.index > a.index),
        `block order is lane order at sequence ${placed[i].sequence}`,
      );
    }
    // Included exactly once: each sender's nonce on the node moved by exactly its twenty.
    for (const account of accounts) {
      const mined = (await rpc(nodeUrl, "eth_getTransactionCount", [account.address, "latest"])).result;
      const pending = (await rpc(nodeUrl, "eth_getTransactionCount", [account.address, "pending"])).result;
      assert.equal(mined, pending, `${account.address}: nothing left pending`);
    }

    // The feed relays each change; allow it a moment past the last status read.
    const feedDeadline = Date.now() + 10_000;
    while (hashes.some((h) => (feed.seen.get(h) ?? []).length < 2) && Date.now() < feedDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const h of hashes) {
      assert.deepEqual(feed.seen.get(h), ["INCLUDED", "FINALIZED"], `status changes of ${h} on the feed`);
    }
  } finally {
    feed.close();
  }
});
