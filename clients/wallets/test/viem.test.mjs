// viem pointed at the engine's RPC URL: raw sends are preconfirmed, the pending nonce counts the
// promises, the node's or not yet, receipts come from the node, and EIP-7966's synchronous send
// answers the receipt.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createPublicClient, createWalletClient, defineChain, http, parseGwei } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { chainId, deliver, devKeys, nodeUrl, promiseOf, rpcUrl } from "./support.mjs";

const chain = defineChain({
  id: chainId,
  name: "preconf-test",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [rpcUrl] } },
});
const engine = createPublicClient({ chain, transport: http(rpcUrl) });
const node = createPublicClient({ chain, transport: http(nodeUrl) });
const account = privateKeyToAccount(devKeys[0]);
const wallet = createWalletClient({ account, chain, transport: http(rpcUrl) });

function transfer(nonce) {
  return wallet.signTransaction({
    to: "0x000000000000000000000000000000000000dEaD",
    value: 1n,
    nonce,
    gas: 21_000n,
    maxFeePerGas: parseGwei("30"),
    maxPriorityFeePerGas: parseGwei("1"),
  });
}

test("the pending nonce counts several promises, whether or not the node has them yet", async () => {
  const start = await engine.getTransactionCount({ address: account.address, blockTag: "pending" });
  const raws = [];
  for (let i = 0; i < 3; i++) {
    const nonce = await engine.getTransactionCount({ address: account.address, blockTag: "pending" });
    assert.equal(nonce, start + i);
    const raw = await transfer(nonce);
    const hash = await engine.sendRawTransaction({ serializedTransaction: raw });
    assert.equal((await promiseOf(hash)).txHash, hash);
    raws.push(raw);
  }
  assert.equal(
    await engine.getTransactionCount({ address: account.address, blockTag: "pending" }),
    start + 3,
  );
  // The feed's process hands them to the node on its own; the node counts them once it has them.
  for (const raw of raws) await deliver(raw);
  assert.equal(
    await node.getTransactionCount({ address: account.address, blockTag: "pending" }),
    start + 3,
  );
});

test("a raw send is preconfirmed, a resubmission answers the hash again, and the receipt comes", async () => {
  const nonce = await engine.getTransactionCount({ address: account.address, blockTag: "pending" });
  const raw = await transfer(nonce);

  const hash = await engine.sendRawTransaction({ serializedTransaction: raw });
  const again = await engine.sendRawTransaction({ serializedTransaction: raw });
  await deliver(raw);
  const receipt = await engine.waitForTransactionReceipt({ hash, pollingInterval: 250 });

  assert.equal(again, hash);
  assert.equal(receipt.status, "success");
  assert.equal(receipt.transactionHash, hash);
  const promise = await promiseOf(hash);
  assert.equal(promise.nonce, nonce);
});

test("sendRawTransactionSync answers the node's receipt", async () => {
  const nonce = await engine.getTransactionCount({ address: account.address, blockTag: "pending" });
  const raw = await transfer(nonce);

  const sync = engine.sendRawTransactionSync({ serializedTransaction: raw, timeout: 8_000 });
  // Once the engine has promised it, hand it to the node, as a delivery would.
  for (let i = 0; i < 100 && !(await promiseOf(hashOf(raw)))?.txHash; i++) await sleep(50);
  await deliver(raw);
  const receipt = await sync;

  assert.equal(receipt.status, "success");
  assert.equal(receipt.transactionHash, hashOf(raw));
});

test("sendRawTransactionSync times out with EIP-7966's code 4 and the hash", async () => {
  const nonce = await engine.getTransactionCount({ address: account.address, blockTag: "pending" });
  const raw = await transfer(nonce);
  await assert.rejects(
    engine.sendRawTransactionSync({ serializedTransaction: raw, timeout: 300 }),
    (e) => {
      const cause = e.walk((c) => c.code === 4);
      assert.ok(cause, String(e));
      assert.equal(cause.data ?? cause.cause?.data, hashOf(raw));
      return true;
    },
  );
  await deliver(raw);
});

import { keccak256 } from "viem";
function hashOf(raw) {
  return keccak256(raw);
}
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
