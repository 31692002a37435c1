// The contracts against the real engine on a real chain (scripts/e2e.mjs sets both up): promises
// the engine issued verify through eth_call to the deployed verifier; an equivocation signed with
// the engine's key is slashed; an order reversal the chain really made, proven with the evidence
// the engine recorded, is slashed; and a promise the chain honoured cannot be slashed.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, test } from "node:test";
import {
  AbiCoder,
  ContractFactory,
  HDNodeWallet,
  JsonRpcProvider,
  NonceManager,
  Wallet,
  keccak256,
  parseEther,
  parseUnits,
} from "ethers";
import { challengeMissingArgs, inclusionArgs, orderReversedArgs, promiseArgs } from "../scripts/calldata.mjs";

const functionsUrl = process.env.PRECONF_TEST_FUNCTIONS_URL;
const nodeUrl = process.env.PRECONF_TEST_NODE_URL;
const chain = Number(process.env.PRECONF_TEST_CHAIN);
const genesisTimeMs = Number(process.env.PRECONF_TEST_GENESIS_MS);
const engineKey = process.env.PRECONF_SIGNER_PRIVATE_KEY;

const provider = new JsonRpcProvider(nodeUrl, chain, { staticNetwork: true, pollingInterval: 250 });
/** anvil's funded development accounts (its well-known test mnemonic). */
const devAccount = (i) =>
  HDNodeWallet.fromPhrase("test test test test test test test test test test test junk", undefined, `m/44'/60'/0'/0/${i}`).connect(provider);
const deployer = new NonceManager(devAccount(0));
const challenger = devAccount(9);

/** Short, so that the test sees an unanswered challenge through. */
const CHALLENGE_WINDOW_S = 5;
const LEAF_ENCODING = ["uint64", "bytes32", "address", "uint64", "uint64", "bytes32", "uint64", "uint64"];
const DOMAIN = { name: "Preconfirmation", version: "1" };
const TYPES = {
  Commitment: [
    { name: "root", type: "bytes32" },
    { name: "issuedAt", type: "uint64" },
    { name: "expiresAt", type: "uint64" },
    { name: "atomic", type: "bool" },
  ],
};

async function call(fn, body) {
  const response = await fetch(`${functionsUrl}/${fn}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, `${fn}: HTTP ${response.status}`);
  return response.json();
}

const currentSlot = () => Math.floor((Date.now() - genesisTimeMs) / 1000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function preconfirm(raws, atomic = false, slotsAhead = 120) {
  const r = await call("preconfirm", { transactions: raws, atomic, targetSlot: atomic ? null : currentSlot() + slotsAhead });
  assert.deepEqual(r.rejected, [], JSON.stringify(r.rejected));
  assert.equal(r.preconfirmations.length, raws.length);
  return r.preconfirmations;
}

/** A signed 1-wei transfer from `wallet` on `chainId`, at its next nonce by the node unless given. */
async function transfer(wallet, chainId = chain, nonce = undefined) {
  return wallet.signTransaction({
    type: 2,
    chainId,
    nonce: nonce ?? (await provider.getTransactionCount(wallet.address, "pending")),
    to: "0x000000000000000000000000000000000000dEaD",
    value: 1n,
    gasLimit: 21_000n,
    maxFeePerGas: parseUnits("20", "gwei"),
    maxPriorityFeePerGas: parseUnits("1", "gwei"),
  });
}

function artifact(name) {
  const a = JSON.parse(readFileSync(new URL(`../out/${name}.sol/${name}.json`, import.meta.url), "utf8"));
  return new ContractFactory(a.abi, a.bytecode.object, deployer);
}

async function deploy(name, ...args) {
  const c = await artifact(name).deploy(...args);
  await c.waitForDeployment();
  return c;
}

async function send(txPromise) {
  const receipt = await (await txPromise).wait();
  assert.equal(receipt.status, 1);
  return receipt;
}

/** Fails unless `promise` reverts with the custom error `name`. */
async function revertsWith(promise, name) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.revert?.name, name, `reverted with ${e.revert?.name ?? e.shortMessage}`);
    return true;
  });
}

/**
 * Waits for a block on top of block `number`: a contract reads block hashes through BLOCKHASH,
 * which knows only blocks below the one it runs in.
 */
async function awaitBlockAbove(number) {
  while ((await provider.getBlockNumber()) <= number) await sleep(250);
}

async function awaitStatus(txHash, accept, what) {
  const deadline = Date.now() + 90_000;
  let s;
  do {
    s = await call("status", { chainId: chain, txHash });
    if (accept(s)) return s;
    await sleep(250);
  } while (Date.now() < deadline);
  assert.fail(`status of ${txHash} never showed ${what}: ${JSON.stringify(s)}`);
}

let verifier;
let slasher;
let signer;

before(async () => {
  const info = await call("info", {});
  signer = info.signer;
  const owner = await deployer.getAddress();
  verifier = await deploy("PreconfirmationVerifier", owner);
  const oracle = await deploy("NativeBlockHashOracle");
  slasher = await deploy("PreconfSlasher", owner, await verifier.getAddress(), await oracle.getAddress(), "0x0000000000000000000000000000000000000000", parseEther("1"), CHALLENGE_WINDOW_S, 7 * 24 * 3600);
  await send(slasher.setClock(chain, genesisTimeMs, 1000));
  await send(verifier.registerSigner(signer, 0, (1n << 64n) - 1n, keccak256(info.pqPublicKey)));
  await send(slasher.bond(signer, { value: parseEther("5") }));
});

/** Checks that the verifier returns the promise's facts, signed by the engine. */
async function assertVerifies(p) {
  const f = await verifier.verify(promiseArgs(p));
  assert.equal(f.id, p.id);
  assert.equal(f.signer.toLowerCase(), signer);
  assert.deepEqual(
    [f.chainId, f.txHash, f.sender.toLowerCase(), f.nonce, f.sequence, f.targetSlot, f.expiresAt, f.atomic],
    [BigInt(p.chainId), p.txHash, p.sender, BigInt(p.nonce), BigInt(p.sequence), BigInt(p.targetSlot), BigInt(p.commitment.expiresAt), p.commitment.atomic],
  );
}

let single;

describe("promises the engine issued verify on chain", () => {
  test("a single preconfirmation, and not once a field is changed", async (t) => {
    [single] = await preconfirm([await transfer(devAccount(1))]);
    assert.deepEqual(single.proof, []);
    await assertVerifies(single);
    t.diagnostic(`verify, single leaf: ${await verifier.verify.estimateGas(promiseArgs(single))} gas with the transaction's 21,000 and calldata`);
    await revertsWith(verifier.verify(promiseArgs({ ...single, nonce: single.nonce + 1 })), "LeafNotUnderRoot");
    const other = { ...single, commitment: { ...single.commitment, expiresAt: single.commitment.expiresAt + 1 } };
    await revertsWith(verifier.verify(promiseArgs(other)), "SignerNotValidAt");
  });

  test("every leaf of a 100-transaction commitment, and not with a flipped proof node", async (t) => {
    const sender = Wallet.createRandom();
    const raws = [];
    for (let nonce = 0; nonce < 100; nonce++) raws.push(await transfer(sender, chain, nonce));
    const ps = await preconfirm(raws);
    assert.equal(new Set(ps.map((p) => p.commitment.root)).size, 1);
    for (const p of ps) await assertVerifies(p);
    t.diagnostic(`verify, a leaf of 100: ${await verifier.verify.estimateGas(promiseArgs(ps[42]))} gas with the transaction's 21,000 and calldata`);
    const flipped = [...ps[42].proof];
    flipped[3] = flipped[3].slice(0, -1) + (flipped[3].endsWith("0") ? "1" : "0");
    await revertsWith(verifier.verify(promiseArgs({ ...ps[42], proof: flipped })), "LeafNotUnderRoot");
  });

  test("both legs of an atomic cross-rollup bundle", async () => {
    const ps = await preconfirm([await transfer(devAccount(1), chain, 500), await transfer(devAccount(1), chain + 1, 0)], true);
    assert.deepEqual(ps.map((p) => p.chainId), [chain, chain + 1]);
    for (const p of ps) {
      assert.equal(p.commitment.atomic, true);
      await assertVerifies(p);
    }
  });
});

/** A transfer from `x` promised, then one from `y`: two positions of the lane, in that order. */
async function laneNeighbours(x, y) {
  const [rawFirst, rawSecond] = [await transfer(x), await transfer(y)];
  const [first] = await preconfirm([rawFirst]);
  const [second] = await preconfirm([rawSecond]);
  assert.ok(first.sequence < second.sequence);
  return [
    [rawFirst, first],
    [rawSecond, second],
  ];
}

describe("broken promises are slashed, kept ones are not", () => {
  test("an equivocation signed with the engine's key: one lane position, two transactions", async () => {
    // The engine never equivocates by itself: this is what a second engine sharing its key and not
    // its lanes would sign, a different transaction at the single promise's position.
    const stranger = Wallet.createRandom();
    const raw = await transfer(stranger, chain, 0);
    const values = [chain, keccak256(raw), stranger.address.toLowerCase(), 0, single.sequence, single.previous, single.receivedAt, single.targetSlot];
    const id = keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(LEAF_ENCODING, values)));
    const c = { root: id, issuedAt: single.commitment.issuedAt, expiresAt: single.commitment.expiresAt, atomic: false };
    const twin = {
      id, chainId: chain, txHash: values[1], sender: values[2], nonce: 0, sequence: single.sequence,
      previous: single.previous, receivedAt: single.receivedAt, targetSlot: single.targetSlot, proof: [],
      commitment: { ...c, signer, signature: await new Wallet(engineKey).signTypedData(DOMAIN, TYPES, c) },
    };
    await assertVerifies(twin);

    const [honest] = await preconfirm([await transfer(devAccount(1), chain, 900)]);
    await revertsWith(slasher.judgeEquivocation(promiseArgs(single), promiseArgs(honest)), "NoConflict");

    const before = await slasher.bonds(signer);
    await send(slasher.connect(challenger).slashEquivocation(promiseArgs(single), promiseArgs(twin)));
    assert.equal(before - (await slasher.bonds(signer)), parseEther("1"));
    // The judgement still holds, the other way round too; slashing it a second time does not.
    const [key] = await slasher.judgeEquivocation(promiseArgs(twin), promiseArgs(single));
    assert.ok(await slasher.slashed(key));
    await revertsWith(slasher.slashEquivocation.staticCall(promiseArgs(twin), promiseArgs(single)), "AlreadySlashed");
  });

  test("two promised transactions of one lane delivered in the wrong order: the engine's evidence slashes", async () => {
    const [[rawA, a], [rawB, b]] = await laneNeighbours(devAccount(2), devAccount(3));

    // The node takes transactions first come, first served: b ahead of a.
    const sentB = await provider.broadcastTransaction(rawB);
    const sentA = await provider.broadcastTransaction(rawA);
    const [minedB, minedA] = [await sentB.wait(), await sentA.wait()];
    assert.ok(minedB.blockNumber < minedA.blockNumber || (minedB.blockNumber === minedA.blockNumber && minedB.index < minedA.index));

    const s = await awaitStatus(a.txHash, (s) => s.violations?.some((v) => v.kind === "ORDER_REVERSED"), "ORDER_REVERSED");
    assert.equal(s.status, "VIOLATED");
    const evidence = s.violations.find((v) => v.kind === "ORDER_REVERSED").evidence;
    await awaitBlockAbove(Math.max(...evidence.inclusions.map((i) => i.blockNumber)));
    const args = await orderReversedArgs(nodeUrl, evidence);

    const before = await slasher.bonds(signer);
    await send(slasher.connect(challenger).slashOrderReversed(...args));
    assert.equal(before - (await slasher.bonds(signer)), parseEther("1"));
    await revertsWith(slasher.slashOrderReversed.staticCall(...args), "AlreadySlashed");
  });

  test("two promised transactions included in lane order, on time, cannot be slashed", async () => {
    const [[rawC, c], [rawD, d]] = await laneNeighbours(devAccount(4), devAccount(5));
    await (await provider.broadcastTransaction(rawC)).wait();
    await (await provider.broadcastTransaction(rawD)).wait();
    const included = (s) => s.status === "INCLUDED" || s.status === "FINALIZED";
    const [sc, sd] = [await awaitStatus(c.txHash, included, "INCLUDED"), await awaitStatus(d.txHash, included, "INCLUDED")];
    assert.deepEqual([sc.violations ?? [], sd.violations ?? []], [[], []]);
    await awaitBlockAbove(sd.finality.blockNumber);
    const incC = await inclusionArgs(nodeUrl, { ...sc.finality, txHash: c.txHash });
    const incD = await inclusionArgs(nodeUrl, { ...sd.finality, txHash: d.txHash });

    await revertsWith(slasher.judgeOrderReversed(promiseArgs(c), promiseArgs(d), incC, incD), "IncludedInOrder");
    await revertsWith(slasher.judgeIncludedLate(promiseArgs(c), incC), "NotLate");
    await revertsWith(slasher.judgeEquivocation(promiseArgs(c), promiseArgs(d)), "NoConflict");
  });

  test("a transaction missed its target slot: the engine's evidence opens a challenge, its late inclusion slashes once", async () => {
    const raw = await transfer(devAccount(6));
    const [p] = await preconfirm([raw], false, 5);
    const s = await awaitStatus(p.txHash, (s) => s.violations?.some((v) => v.kind === "NOT_INCLUDED_BY_TARGET_SLOT"), "NOT_INCLUDED_BY_TARGET_SLOT");
    const evidence = s.violations.find((v) => v.kind === "NOT_INCLUDED_BY_TARGET_SLOT").evidence;
    assert.deepEqual(evidence.inclusions, []);
    await awaitBlockAbove(evidence.blocks[0].number);
    await send(slasher.connect(challenger).challengeMissing(...(await challengeMissingArgs(nodeUrl, evidence))));

    // The transaction comes after all: a late inclusion is no answer to the challenge, it is the breach.
    await (await provider.broadcastTransaction(raw)).wait();
    const included = await awaitStatus(p.txHash, (s) => s.finality !== undefined, "an inclusion");
    await awaitBlockAbove(included.finality.blockNumber);
    const late = await inclusionArgs(nodeUrl, { ...included.finality, txHash: p.txHash });
    await revertsWith(slasher.rebutMissing.staticCall(promiseArgs(p), late), "NotLate");
    const before = await slasher.bonds(signer);
    await send(slasher.connect(challenger).slashIncludedLate(promiseArgs(p), late));
    assert.equal(before - (await slasher.bonds(signer)), parseEther("1"));

    // One deadline, one slash: the unanswered challenge cannot take the bond again.
    await sleep((CHALLENGE_WINDOW_S + 2) * 1000);
    await revertsWith(slasher.settleMissing.staticCall(p.id), "AlreadySlashed");
  });
});
