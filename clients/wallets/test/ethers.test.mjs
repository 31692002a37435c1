// ethers 6: a Wallet on a JsonRpcProvider pointed at the engine sends 20 transactions in a row
// with no nonce handling of its own (ethers asks eth_getTransactionCount "pending" each time);
// every one is preconfirmed, at its nonce, in lane order, and the node includes them in order.
import assert from "node:assert/strict";
import { test } from "node:test";
import { JsonRpcProvider, Network, Wallet } from "ethers";
import { chainId, deliver, devKeys, promiseOf, rpcUrl } from "./support.mjs";

/** The provider a wallet would use, plus the hand-off of each sent transaction to the node. */
class DeliveringProvider extends JsonRpcProvider {
  async send(method, params) {
    const result = await super.send(method, params);
    if (method === "eth_sendRawTransaction") await deliver(params[0]);
    return result;
  }
}

test("a Wallet sends 20 transactions in a row; all are preconfirmed and included in order", async () => {
  const network = Network.from(chainId);
  // ethers answers a repeated read from a 250 ms cache; a promise takes less than that, so the
  // next transaction's pending nonce must be asked again, not taken from the cache.
  const provider = new DeliveringProvider(rpcUrl, network, {
    staticNetwork: network,
    cacheTimeout: -1,
  });
  const wallet = new Wallet(devKeys[1], provider);
  const first = await provider.getTransactionCount(wallet.address, "pending");

  const sent = [];
  for (let i = 0; i < 20; i++) {
    sent.push(await wallet.sendTransaction({ to: "0x000000000000000000000000000000000000dEaD", value: 1n }));
  }

  assert.deepEqual(
    sent.map((t) => t.nonce),
    Array.from({ length: 20 }, (_, i) => first + i),
  );
  const promises = await Promise.all(sent.map((t) => promiseOf(t.hash)));
  promises.forEach((p, i) => {
    assert.equal(p.txHash, sent[i].hash);
    assert.equal(p.nonce, first + i);
    if (i > 0) assert.ok(p.sequence > promises[i - 1].sequence, `lane order at ${i}`);
  });
  const receipts = await Promise.all(sent.map((t) => t.wait(1, 60_000)));
  for (let i = 1; i < receipts.length; i++) {
    const [a, b] = [receipts[i - 1], receipts[i]];
    assert.ok(
      b.blockNumber > a.blockNumber || (b.blockNumber === a.blockNumber && b.index > a.index),
      `included in order at ${i}`,
    );
  }
  assert.ok(receipts.every((r) => r.status === 1));
  provider.destroy();
});
