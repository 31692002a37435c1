#!/usr/bin/env node
// The engine's JSON in the contracts' calldata shape.
//
// - A preconfirmation (spec section 4, as `preconfirm` and `status` serve it) becomes the
//   `Preconfirmation` struct of PreconfirmationVerifier.verify.
// - Violation evidence (docs/slashing.md, from `status` or `reconcile`) names blocks by hash and
//   transactions by index; a contract needs the block's RLP header and a transaction-trie proof. They
//   are fetched from a rollup node (eth_getBlockByHash, eth_getRawTransactionByHash) and checked
//   here against the block's own hash and transactions root before use.
//
// As a command, for `cast`:
//   node scripts/calldata.mjs verify < preconfirmation.json          the tuple argument of verify
//   node scripts/calldata.mjs order-reversed RPC_URL < evidence.json  the four arguments of
//                                                                     slashOrderReversed, one a line
//   node scripts/calldata.mjs challenge-missing RPC_URL < evidence.json   the three arguments of
//                                                                     challengeMissing, one a line
import { encodeRlp, getBytes, keccak256, toBeHex } from "ethers";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The verifier's `Preconfirmation` struct of a preconfirmation as the engine serves it. */
export function promiseArgs(p) {
  return {
    leaf: {
      chainId: p.chainId,
      txHash: p.txHash,
      sender: p.sender,
      nonce: p.nonce,
      sequence: p.sequence,
      previous: p.previous,
      receivedAt: p.receivedAt,
      targetSlot: p.targetSlot,
    },
    proof: p.proof,
    commitment: {
      root: p.commitment.root,
      issuedAt: p.commitment.issuedAt,
      expiresAt: p.commitment.expiresAt,
      atomic: p.commitment.atomic,
      signature: p.commitment.signature,
    },
  };
}

/** The same struct as a `cast` tuple literal. */
export function promiseTuple(p) {
  const a = promiseArgs(p);
  const l = a.leaf;
  const c = a.commitment;
  return (
    `((${l.chainId},${l.txHash},${l.sender},${l.nonce},${l.sequence},${l.previous},${l.receivedAt},${l.targetSlot}),` +
    `[${a.proof.join(",")}],(${c.root},${c.issuedAt},${c.expiresAt},${c.atomic},${c.signature}))`
  );
}

async function rpc(url, method, params) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = await response.json();
  if (body.error || body.result == null) {
    throw new Error(`${method}(${JSON.stringify(params)}) at ${url}: ${JSON.stringify(body.error ?? "no result")}`);
  }
  return body.result;
}

/** A JSON-RPC quantity as RLP wants it: big-endian, no leading zero byte, zero as empty. */
const quantity = (hex) => (BigInt(hex) === 0n ? "0x" : toBeHex(BigInt(hex)));

// The header fields in RLP order, each with how the node's JSON shows it; the later ones exist
// from the fork that added them on (London, Shanghai, Cancun, Prague).
const HEADER_FIELDS = [
  ["parentHash", "bytes"], ["sha3Uncles", "bytes"], ["miner", "bytes"], ["stateRoot", "bytes"],
  ["transactionsRoot", "bytes"], ["receiptsRoot", "bytes"], ["logsBloom", "bytes"],
  ["difficulty", "quantity"], ["number", "quantity"], ["gasLimit", "quantity"], ["gasUsed", "quantity"],
  ["timestamp", "quantity"], ["extraData", "bytes"], ["mixHash", "bytes"], ["nonce", "bytes"],
  ["baseFeePerGas", "quantity"], ["withdrawalsRoot", "bytes"], ["blobGasUsed", "quantity"],
  ["excessBlobGas", "quantity"], ["parentBeaconBlockRoot", "bytes"], ["requestsHash", "bytes"],
];

/** The RLP header of a block as eth_getBlockByHash returns it; fails unless it hashes to the block's hash. */
export function headerRlp(block) {
  const fields = [];
  for (const [name, kind] of HEADER_FIELDS) {
    if (block[name] === undefined) break;
    fields.push(kind === "quantity" ? quantity(block[name]) : block[name]);
  }
  const rlp = encodeRlp(fields);
  if (keccak256(rlp) !== block.hash) {
    throw new Error(`block ${block.hash}: the header encoded from its fields hashes to ${keccak256(rlp)}`);
  }
  return rlp;
}

// ---- The transactions trie (Ethereum yellow paper, appendix D): key rlp(index), value the raw
// transaction. Only what a proof of one key needs: build the path's nodes, list them root first.

const nibblesOf = (hex) => [...getBytes(hex)].flatMap((b) => [b >> 4, b & 15]);

/** Hex-prefix encoding of a path (appendix C). */
function hexPrefix(nibbles, leaf) {
  const odd = nibbles.length % 2;
  const all = [(leaf ? 2 : 0) + odd, ...(odd ? [] : [0]), ...nibbles];
  const bytes = new Uint8Array(all.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (all[2 * i] << 4) | all[2 * i + 1];
  return bytes;
}

/** The node over `items` ({nibbles, value}, paths relative to this node), as an RLP structure. */
function node(items) {
  if (items.length === 1) return [hexPrefix(items[0].nibbles, true), items[0].value];
  const shared = sharedPrefix(items);
  if (shared > 0) {
    return [hexPrefix(items[0].nibbles.slice(0, shared), false), reference(node(drop(items, shared)))];
  }
  const branch = new Array(17).fill("0x");
  for (let n = 0; n < 16; n++) {
    const under = items.filter((i) => i.nibbles.length > 0 && i.nibbles[0] === n);
    if (under.length > 0) branch[n] = reference(node(drop(under, 1)));
  }
  const here = items.find((i) => i.nibbles.length === 0);
  if (here) branch[16] = here.value;
  return branch;
}

function sharedPrefix(items) {
  let k = 0;
  while (items.every((i) => i.nibbles.length > k && i.nibbles[k] === items[0].nibbles[k])) k++;
  return k;
}

const drop = (items, k) => items.map((i) => ({ nibbles: i.nibbles.slice(k), value: i.value }));

/** A child is its node inline when that encodes to under 32 bytes, else the node's hash. */
function reference(child) {
  const encoded = encodeRlp(child);
  return getBytes(encoded).length < 32 ? child : keccak256(encoded);
}

/** The root and the proof (nodes root first) of entry `index` of the trie of `rawTransactions`. */
export function transactionProof(rawTransactions, index) {
  let items = rawTransactions.map((raw, i) => ({ nibbles: nibblesOf(encodeRlp(i === 0 ? "0x" : toBeHex(i))), value: raw }));
  let key = items[index].nibbles;
  const root = keccak256(encodeRlp(node(items)));
  const proof = [];
  for (;;) {
    const n = node(items);
    proof.push(encodeRlp(n));
    if (items.length === 1) return { root, proof };
    const shared = sharedPrefix(items);
    const step = shared > 0 ? shared : 1;
    if (shared === 0) items = items.filter((i) => i.nibbles.length > 0 && i.nibbles[0] === key[0]);
    items = drop(items, step);
    key = key.slice(step);
  }
}

/** Block `hash` from the node, with its RLP header checked against the hash. */
async function block(rpcUrl, hash) {
  const b = await rpc(rpcUrl, "eth_getBlockByHash", [hash, false]);
  return { block: b, header: headerRlp(b) };
}

/** The slasher's `Inclusion` of an evidence inclusion ({blockHash, blockNumber, index, txHash}). */
export async function inclusionArgs(rpcUrl, inclusion) {
  const { block: b, header } = await block(rpcUrl, inclusion.blockHash);
  if (b.transactions[inclusion.index] !== inclusion.txHash) {
    throw new Error(`block ${inclusion.blockHash} has ${b.transactions[inclusion.index]} at ${inclusion.index}, not ${inclusion.txHash}`);
  }
  const raws = [];
  for (const hash of b.transactions) raws.push(await rpc(rpcUrl, "eth_getRawTransactionByHash", [hash]));
  const { root, proof } = transactionProof(raws, inclusion.index);
  if (root !== b.transactionsRoot) {
    throw new Error(`block ${inclusion.blockHash}: its transactions give root ${root}, the header says ${b.transactionsRoot}`);
  }
  return { number: Number(BigInt(b.number)), header, index: inclusion.index, trieProof: proof };
}

/**
 * The three arguments of challengeMissing from NOT_INCLUDED_BY_TARGET_SLOT evidence: the promise,
 * and the number and RLP header of the carried block, the first seen after the target slot.
 */
export async function challengeMissingArgs(rpcUrl, evidence) {
  if (evidence.kind !== "NOT_INCLUDED_BY_TARGET_SLOT") {
    throw new Error(`evidence of kind ${evidence.kind}, not NOT_INCLUDED_BY_TARGET_SLOT`);
  }
  const { header } = await block(rpcUrl, evidence.blocks[0].hash);
  return [promiseArgs(evidence.preconfirmations[0]), evidence.blocks[0].number, header];
}

/** The four arguments of slashOrderReversed from ORDER_REVERSED evidence. */
export async function orderReversedArgs(rpcUrl, evidence) {
  if (evidence.kind !== "ORDER_REVERSED") throw new Error(`evidence of kind ${evidence.kind}, not ORDER_REVERSED`);
  const [overtaken, overtaker] = evidence.preconfirmations;
  const at = (p) => {
    const inclusion = evidence.inclusions.find((i) => i.txHash === p.txHash);
    if (!inclusion) throw new Error(`the evidence has no inclusion of ${p.txHash}`);
    return inclusionArgs(rpcUrl, inclusion);
  };
  return [promiseArgs(overtaken), promiseArgs(overtaker), await at(overtaken), await at(overtaker)];
}

const inclusionTuple = (i) => `(${i.number},${i.header},${i.index},[${i.trieProof.join(",")}])`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, rpcUrl] = process.argv.slice(2);
  const input = JSON.parse(readFileSync(0, "utf8"));
  if (command === "verify") {
    console.log(promiseTuple(input));
  } else if (command === "order-reversed" && rpcUrl) {
    const [, , incA, incB] = await orderReversedArgs(rpcUrl, input);
    const [overtaken, overtaker] = input.preconfirmations;
    console.log([promiseTuple(overtaken), promiseTuple(overtaker), inclusionTuple(incA), inclusionTuple(incB)].join("\n"));
  } else if (command === "challenge-missing" && rpcUrl) {
    const [, number, header] = await challengeMissingArgs(rpcUrl, input);
    console.log([promiseTuple(input.preconfirmations[0]), number, header].join("\n"));
  } else {
    console.error("usage: calldata.mjs verify < preconfirmation.json | calldata.mjs order-reversed|challenge-missing RPC_URL < evidence.json");
    process.exit(2);
  }
}
