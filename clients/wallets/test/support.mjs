// What the wallet tests share: where the engine's RPC URL and the node are, the node's funded
// development accounts, and the hand-off of a promised transaction to the node.
import { keccak256 } from "viem";

export const rpcUrl = process.env.PRECONF_TEST_RPC_URL;
export const nodeUrl = process.env.PRECONF_TEST_NODE_URL;
export const chainId = Number(process.env.PRECONF_TEST_CHAIN);
export const feedUrl = process.env.PRECONF_TEST_FEED_URL;

// anvil's well-known development keys (the test mnemonic), funded on the node of this run.
export const devKeys = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
];

export async function rpc(url, method, params = []) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return response.json();
}

/**
 * Hands a promised transaction to the node at once, as the engine's delivery does in lane order
 * moments later: for a test that needs the node to have it now. A second hand-off is harmless.
 */
export async function deliver(raw) {
  const answer = await rpc(nodeUrl, "eth_sendRawTransaction", [raw]);
  // Handed over before (ethers may broadcast twice): the node knows it, in its pool or mined.
  if (answer.error && !(await rpc(nodeUrl, "eth_getTransactionByHash", [keccak256(raw)])).result) {
    throw new Error(`the node refused ${raw.slice(0, 20)}..: ${answer.error.message}`);
  }
}

/** The engine's promise for a transaction, as preconf_getPreconfirmation answers it. */
export async function promiseOf(txHash) {
  const answer = await rpc(rpcUrl, "preconf_getPreconfirmation", [txHash]);
  return answer.result;
}
