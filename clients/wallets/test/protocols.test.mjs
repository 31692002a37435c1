// Bolt and the eth-fabric Commitments API from ethers 6: requests built from the protocols'
// published shapes and signed as their users sign them; every commitment the engine answers
// recovers, with ethers' own hashing and curve code, to the engine's signer. The published
// reference vectors are reproduced here too, independently of the engine's Java code.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AbiCoder,
  JsonRpcProvider,
  Network,
  Signature,
  SigningKey,
  Wallet,
  concat,
  getAddress,
  keccak256,
  recoverAddress,
  sha256,
  toBeHex,
  zeroPadValue,
} from "ethers";
import { chainId, devKeys, rpc, rpcUrl } from "./support.mjs";

const abi = AbiCoder.defaultAbiCoder();

/** u64 little-endian, as Bolt's digest ends. */
function u64le(n) {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
  return b;
}

const boltDigest = (txs, slot) => keccak256(concat([...txs.map((t) => keccak256(t)), u64le(slot)]));

// eth-fabric, as the reference gateway computes it.
const requestHash = (r) =>
  keccak256(abi.encode(["tuple(uint64,bytes,address)"], [[r.commitment_type, r.payload, r.slasher]]));
const messageHash = (r, hash) =>
  keccak256(
    abi.encode(["uint256", "tuple(uint64,bytes,bytes32,address)"], [3, [r.commitment_type, r.payload, hash, r.slasher]]),
  );
const le32 = (n) => zeroPadValue(toBeHex(BigInt(n)), 32).slice(2).match(/../g).reverse().join("");
function signingRoot(message, signingId, nonce, consensusChain, forkVersion) {
  const info = sha256(concat([sha256(concat([message, signingId])), sha256("0x" + le32(nonce) + le32(consensusChain))]));
  const forkData = concat([forkVersion, new Uint8Array(28), new Uint8Array(32)]);
  const domain = concat(["0x6d6d6f43", sha256(forkData).slice(0, 58)]);
  return sha256(concat([info, domain]));
}

async function engineSigner() {
  return getAddress((await rpc(rpcUrl, "preconf_info")).result.signer);
}

async function nextSlot() {
  return (await rpc(rpcUrl, "slots")).result.slots[0].slot;
}

/** A signed transfer of the wallet's next nonce, as the engine counts it. */
async function transfer(wallet, offset = 0) {
  const network = Network.from(chainId);
  const provider = new JsonRpcProvider(rpcUrl, network, { staticNetwork: network, cacheTimeout: -1 });
  const nonce = await provider.getTransactionCount(wallet.address, "pending");
  const fee = await provider.getFeeData();
  return wallet.signTransaction({
    chainId,
    nonce: nonce + offset,
    to: "0x000000000000000000000000000000000000dEaD",
    value: 1n,
    gasLimit: 21_000n,
    maxFeePerGas: fee.maxFeePerGas * 3n,
    maxPriorityFeePerGas: 2_000_000_000n,
    type: 2,
  });
}

test("Bolt's published example: the digest and the sidecar's signature", () => {
  const tx =
    "0x02f8748242688084773594008506fc23ac008252089470997970c51812dc3a010c7d01b50e0d17dc79c887038d7ea4c6800080c080a07a7368dbabf36e9a2f3c2c12713496af7ba89f0c07cf3e43e141ec0c72fe0784a0121dd9773f9e5c83a4703c809283dbfd63e0f14f9b4ee68bc9456577c008ac22";
  const digest = boltDigest([tx], 3_000_000);
  assert.equal(digest, "0x259eb58ff0dc2096383d7a42acd11e246ecb397313109e456b916b202f06a011");
  const sig = new SigningKey(devKeys[1]).sign(digest);
  assert.equal(
    concat([sig.r, sig.s, toBeHex(sig.yParity, 1)]),
    "0x8cbfd16e81e6841647d1dbb0301b4acd2c385ac9924226b7b0c950c53d8e16117b2ec31f599ede972a595628d508eb67a119947d14fceebac92765f8c7e258ef00",
  );
});

test("bolt_requestInclusion: the commitment recovers to the engine's signer", async () => {
  const user = new Wallet(devKeys[2]);
  const txs = [await transfer(user, 0), await transfer(user, 1)];
  const slot = (await nextSlot()) + 20;
  const digest = boltDigest(txs, slot);
  const header = `${user.address}:${user.signingKey.sign(digest).serialized}`;

  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json", "x-bolt-signature": header },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "bolt_requestInclusion", params: [{ slot, txs }] }),
  });
  const answer = await response.json();

  assert.equal(answer.error, undefined, JSON.stringify(answer.error));
  assert.equal(answer.result.slot, slot);
  assert.deepEqual(answer.result.txs, txs);
  assert.ok(answer.result.signature.endsWith("00") || answer.result.signature.endsWith("01"));
  assert.equal(recoverAddress(digest, Signature.from(answer.result.signature)), await engineSigner());
  assert.deepEqual(
    answer.result.preconfirmations.map((p) => p.txHash),
    txs.map((t) => keccak256(t)),
  );
});

test("eth-fabric's published example: request hash, signing root and signature", () => {
  const request = {
    commitment_type: 1,
    payload: abi.encode(
      ["tuple(uint64,bytes)"],
      [
        [
          1_500_000,
          "0x02f87583088bb080843b9aca008504a817c8008252089470997970c51812dc3a010c7d01b50e0d17dc79c887038d7ea4c6800080c001a0602e015865ad1a0ee33c47c66a34be7ac56c704bbc01718b012912006f300a6aa03448f0c819fa6ffced6a1465dbee3b218fc88c31e692912084efd36932775d4b",
        ],
      ],
    ),
    slasher: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
  };
  const hash = requestHash(request);
  assert.equal(hash, "0x21fc54afae4338f4bd4a35620d33ccd9d3614c8dc120692d8c126cb9c58ed4c3");
  const root = signingRoot(messageHash(request, hash), "0x" + "11".repeat(32), 2n ** 64n - 2n, 560048, "0x10000910");
  assert.equal(root, "0x8aa48cd74151e6b0ec55c4868d1b4dcaa1242a45ee7e554264138100c06383c1");
  const sig = new SigningKey(devKeys[1]).sign(root);
  assert.equal(sig.r, "0xe801d68da201e21d4a855acde4a48a8b14d21bd632b0bc873c0b68ad1d085a25");
  assert.equal(sig.s, "0x1342cb89c85216705cc861f5b11b7215f71a1d6ce4526573abc5464ad8fa9b6a");
  assert.equal(sig.yParity, 0);
});

test("commitmentRequest: both signature forms recover to the engine's signer", async () => {
  const user = new Wallet(devKeys[3]);
  const tx = await transfer(user);
  const request = {
    commitment_type: 1,
    payload: abi.encode(["tuple(uint64,bytes)"], [[(await nextSlot()) + 20, tx]]),
    slasher: Wallet.createRandom().address.toLowerCase(),
  };
  const hash = requestHash(request);

  const reference = (await rpc(rpcUrl, "commitmentRequest", [request])).result;
  assert.ok(reference, "commitmentRequest answered");
  assert.equal(reference.commitment.request_hash, hash);
  // The engine's defaults (preconf.fabric.*): mainnet's chain id and fork, a zero signing id.
  // The nonce is 2^64 - 2, Commit-Boost's default; a JSON number that large loses its last digits in JS.
  assert.equal(reference.nonce, Number(2n ** 64n - 2n));
  const root = signingRoot(messageHash(request, hash), reference.signing_id, 2n ** 64n - 2n, 1, "0x00000000");
  const { r, s, yParity } = reference.signature;
  const signer = await engineSigner();
  assert.equal(
    recoverAddress(root, Signature.from({ r: toBeHex(BigInt(r), 32), s: toBeHex(BigInt(s), 32), yParity: Number(yParity) })),
    signer,
  );

  const rest = await fetch(rpcUrl.replace(/\/rpc\/\d+$/, `/commitments/v0/gateway/commitmentResult/${hash}`));
  assert.equal(rest.status, 200);
  const spec = await rest.json();
  assert.equal(recoverAddress(messageHash(request, hash), spec.signature), signer);
  assert.equal(spec.preconfirmation.txHash, keccak256(tx));
});
