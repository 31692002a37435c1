// The client against the real engine: its three calls, its verdict on the engine's own promises,
// and agreement with the engine's `validate` on every check and on random genuine and tampered
// copies.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  EngineHttpError,
  trustFromInfo,
  verifyPreconfirmation,
  type Info,
  type Preconfirmation,
  type TrustedSigners,
} from "@preconf/client";
import { preconfActions } from "@preconf/client/viem";
import { createWalletClient, defineChain, http, keccak256 } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { alpha, beta, engine, feedUrl, functionsUrl, transfer, type SignedTransfer } from "./support/engine.js";
import { copy, flip, highS, resign, type Mutable } from "./support/tamper.js";

const verdict = (v: { valid: boolean; errors: { code: string; reason: string }[] }) => ({
  valid: v.valid,
  errors: v.errors.map((e) => `${e.code}/${e.reason}`),
});

let info: Info;
let trust: TrustedSigners;
/** Genuine promises with the transaction each one promises. */
const issued: { p: Preconfirmation; tx: SignedTransfer }[] = [];

before(async () => {
  info = await engine.info();
  trust = trustFromInfo(info);
});

describe("the engine's functions over HTTP", () => {
  test("info names the signer, its ML-DSA-65 key and this run's rollups", () => {
    assert.match(info.signer, /^0x[0-9a-f]{40}$/);
    assert.match(info.pqPublicKey!, /^0x[0-9a-f]{3904}$/);
    assert.deepEqual(
      info.rollups.map((r) => [r.chainId, r.name, r.slotDurationMs]),
      [
        [alpha, "alpha", 2000],
        [beta, "beta", 12000],
      ],
    );
  });

  test("preconfirm promises one transaction, status finds it, and the promise verifies offline", async () => {
    const tx = await transfer(alpha);
    const r = await engine.preconfirm([tx.raw]);
    assert.deepEqual(r.rejected, []);
    const [p] = r.preconfirmations as [Preconfirmation];
    assert.equal(p.txHash, tx.txHash);
    assert.equal(p.sender, tx.sender);
    assert.deepEqual(verifyPreconfirmation(p, { ...trust, rawTransaction: tx.raw }), { valid: true, errors: [] });
    const status = await engine.status(alpha, tx.txHash);
    assert.ok("status" in status, JSON.stringify(status));
    assert.equal(status.status, "PRECONFIRMED");
    assert.equal(status.id, p.id);
    issued.push({ p, tx });
  });

  test("an atomic cross-rollup request: one commitment, proofs that verify for every leaf", async () => {
    const txs = [await transfer(alpha), await transfer(beta), await transfer(alpha)];
    const r = await engine.preconfirm(
      txs.map((t) => t.raw),
      { atomic: true },
    );
    assert.equal(r.preconfirmations.length, 3);
    const roots = new Set(r.preconfirmations.map((p) => p.commitment.root));
    assert.equal(roots.size, 1);
    for (const [i, p] of r.preconfirmations.entries()) {
      assert.equal(p.commitment.atomic, true);
      assert.ok(p.proof.length > 0);
      assert.deepEqual(verdict(verifyPreconfirmation(p, { ...trust, rawTransaction: txs[i]!.raw })), { valid: true, errors: [] });
      issued.push({ p, tx: txs[i]! });
    }
  });

  test("a refused transaction is a value naming why, and status of an unknown one says not found", async () => {
    const r = await engine.preconfirm(["0x02c0"]);
    assert.deepEqual(r.preconfirmations, []);
    assert.equal(r.rejected[0]!.reason, "MALFORMED_RLP");
    const tx = await transfer(alpha);
    const s = await engine.status(alpha, tx.txHash);
    assert.equal(s.found, false);
    assert.equal(s.found === false && s.error.reason, "NOT_FOUND");
  });

  test("a transport failure throws, naming the function and status", async () => {
    const wrong = (await import("@preconf/client")).createEngineClient({ url: `${functionsUrl}/nowhere` });
    await assert.rejects(wrong.info(), (e: unknown) => e instanceof EngineHttpError && e.status === 404 && e.fn === "info");
  });

  test("as viem actions: sign with the client's account, preconfirm, look up, verify", async () => {
    const chain = defineChain({
      id: alpha,
      name: "alpha",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: ["http://127.0.0.1:9"] } },
    });
    const client = createWalletClient({ account: privateKeyToAccount(generatePrivateKey()), chain, transport: http() }).extend(
      preconfActions({ url: functionsUrl, feedUrl }),
    );
    const r = await client.preconfirmTransaction({
      to: "0x000000000000000000000000000000000000c0de",
      value: 1n,
      nonce: 0,
      gas: 21_000n,
      maxFeePerGas: 2n * 10n ** 9n,
      maxPriorityFeePerGas: 10n ** 7n,
    });
    const [p] = r.preconfirmations as [Preconfirmation];
    assert.equal(p.chainId, alpha);
    assert.equal(p.sender, client.account.address.toLowerCase());
    const status = await client.getPreconfirmationStatus({ txHash: p.txHash });
    assert.equal("status" in status && status.status, "PRECONFIRMED");
    assert.equal(client.verifyPreconfirmation(p, trustFromInfo(await client.getPreconfInfo())).valid, true);
  });
});

describe("the client and the engine's validate agree", () => {
  async function both(p: unknown, rawTransaction?: string) {
    const engineSays = await engine.validate(p, rawTransaction);
    const clientSays = verifyPreconfirmation(p, { ...trust, rawTransaction: rawTransaction ?? null });
    return { engine: verdict(engineSays), client: verdict(clientSays) };
  }

  test("on each check, one altered copy at a time", async () => {
    const { p, tx } = issued[1]!;
    const other = issued[2]!;
    const untrusted = privateKeyToAccount(keccak256("0x01"));
    const cases: [string, (q: Mutable) => unknown, string?][] = [
      ["genuine", () => {}],
      ["genuine with its transaction", () => {}, tx.raw],
      ["id", (q) => (q.id = flip(q.id))],
      ["leaf field", (q) => (q.nonce += 1)],
      ["proof", (q) => (q.proof[0] = flip(q.proof[0]!))],
      ["root", (q) => (q.commitment.root = flip(q.commitment.root))],
      ["issuedAt after expiresAt", (q) => (q.commitment.issuedAt = q.commitment.expiresAt + 1)],
      ["receivedAt after issuedAt", (q) => (q.receivedAt = q.commitment.issuedAt + 1)],
      ["high-s signature", (q) => (q.commitment.signature = highS(q.commitment.signature))],
      ["stated signer", (q) => (q.commitment.signer = untrusted.address.toLowerCase() as `0x${string}`)],
      ["untrusted signer", (q) => resign(q, untrusted)],
      ["ML-DSA-65 signature", (q) => (q.commitment.pqSignature = flip(q.commitment.pqSignature!, 99))],
      ["no ML-DSA-65 signature", (q) => (q.commitment.pqSignature = null)],
      ["expired", (q) => (q.commitment.expiresAt = Date.now() - 600_000)],
      ["another transaction", () => {}, other.tx.raw],
      ["a transaction that does not decode", () => {}, tx.raw.slice(0, -4)],
      ["a transaction that is not hex", () => {}, "0xnot-hex"],
      ["a missing field", (q) => delete (q.commitment as unknown as Record<string, unknown>).signature],
      ["a short hash", (q) => (q.previous = q.previous.slice(0, 40) as `0x${string}`)],
      ["a number as a string", (q) => ((q as any).sequence = String(q.sequence))],
      ["a number out of range", (q) => (q.targetSlot = -5)],
    ];
    for (const [name, alter, raw] of cases) {
      const q = copy(p);
      await alter(q);
      const { engine: e, client: c } = await both(q, raw);
      assert.deepEqual(c, e, `${name}: the client says ${JSON.stringify(c)}, the engine ${JSON.stringify(e)}`);
      assert.equal(c.valid, name.startsWith("genuine") || name === "no ML-DSA-65 signature", name);
    }
  });

  test("on 200 random genuine and tampered cases", async (t) => {
    // More genuine promises, so that cases differ in batch shape, lane and proof length.
    for (let i = 0; i < 3; i++) {
      const txs = [await transfer(alpha), await transfer(beta), await transfer(beta), await transfer(alpha)];
      const r = await engine.preconfirm(txs.map((t) => t.raw));
      r.preconfirmations.forEach((p, k) => issued.push({ p, tx: txs[k]! }));
    }
    const random = seeded(20261205);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const untrusted = privateKeyToAccount(keccak256("0x02"));
    const hexFields = ["id", "txHash", "sender", "previous"] as const;
    const numberFields = ["chainId", "nonce", "sequence", "receivedAt", "targetSlot"] as const;
    const mutations: ((q: Mutable, donor: Preconfirmation) => unknown)[] = [
      (q) => {
        const f = pick(hexFields);
        q[f] = flip(q[f], Math.floor(random() * 20));
      },
      (q) => {
        const f = pick(numberFields);
        q[f] = Math.max(0, q[f] + pick([-1, 1, 1000]));
      },
      (q) => q.proof.length > 0 && (q.proof[0] = flip(q.proof[0]!, Math.floor(random() * 32))),
      (q, donor) => (q.proof = [...donor.proof]),
      (q) => q.proof.push(q.id),
      (q) => (q.commitment.root = flip(q.commitment.root, Math.floor(random() * 32))),
      (q) => (q.commitment.atomic = !q.commitment.atomic),
      (q) => (q.commitment.issuedAt += pick([-5, 7, 3_600_001])),
      (q) => (q.commitment.expiresAt = pick([Date.now() - 3_600_000, q.commitment.issuedAt - 1, q.commitment.expiresAt + 1])),
      (q) => (q.commitment.signature = flip(q.commitment.signature, Math.floor(random() * 65))),
      (q) => (q.commitment.signature = highS(q.commitment.signature)),
      (q, donor) => (q.commitment.signature = donor.commitment.signature),
      (q) => resign(q, untrusted),
      (q) => (q.commitment.pqSignature = flip(q.commitment.pqSignature ?? "0x00", Math.floor(random() * 3309))),
      (q, donor) => (q.commitment.pqSignature = donor.commitment.pqSignature),
      (q) => (q.commitment.pqSignature = null),
      (q) => delete q[pick(["id", "txHash", "proof", "commitment"] as const)],
      (q) => (q.sender = q.sender.slice(0, 30) as `0x${string}`),
      (q) => (q.txHash = `0x${"zz"}${q.txHash.slice(4)}`),
    ];
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 200; i++) {
      const { p, tx } = pick(issued);
      const donor = pick(issued).p;
      const q = copy(p);
      const changes = random() < 0.3 ? 0 : 1 + Math.floor(random() * 3);
      for (let k = 0; k < changes; k++) {
        try {
          await pick(mutations)(q, donor);
        } catch {
          // An earlier change removed the part this one alters.
        }
      }
      const raw = pick([undefined, undefined, undefined, tx.raw, pick(issued).tx.raw, tx.raw.slice(0, -2), "0x1"]);
      const { engine: e, client: c } = await both(q, raw);
      assert.deepEqual(c, e, `case ${i} (${changes} changes): the client says ${JSON.stringify(c)}, the engine ${JSON.stringify(e)}`);
      if (c.valid) accepted++;
      else refused++;
    }
    t.diagnostic(`both accepted ${accepted} cases and refused ${refused}, with the same reasons`);
    assert.ok(accepted >= 30 && refused >= 100, `accepted ${accepted}, refused ${refused}`);
  });
});

/** A small deterministic generator (mulberry32), so that a failing case can be run again. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
