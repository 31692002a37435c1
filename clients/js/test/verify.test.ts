// Offline verification against the tests' own preconfer: each check shown to pass on a genuine
// promise and to fail, with the engine's code and reason, on a copy altered to break it.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { trustFromInfo, verifyPreconfirmation, type Hex, type Preconfirmation, type VerifyOptions } from "@preconf/client";
import { keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { leaf, preconfer, type Preconfer } from "./support/preconfer.js";
import { copy, flip, highS, resign } from "./support/tamper.js";

const reasons = (p: unknown, o: VerifyOptions) => verifyPreconfirmation(p, o).errors.map((e) => `${e.code}/${e.reason}`);

describe("verifyPreconfirmation", () => {
  let issuer: Preconfer;
  let trust: VerifyOptions;
  let batch: Preconfirmation[];
  let p: Preconfirmation;
  let raw: Hex;
  let otherRaw: Hex;

  before(async () => {
    issuer = preconfer("verify-test");
    trust = trustFromInfo({ signer: issuer.address, pqPublicKey: issuer.pqPublicKey });
    const account = privateKeyToAccount(keccak256(toHex("verify-test/sender")));
    const tx = { chainId: 167000, nonce: 4, to: account.address, value: 1n, gas: 21000n, maxFeePerGas: 10n ** 9n, maxPriorityFeePerGas: 10n ** 6n };
    raw = await account.signTransaction(tx);
    otherRaw = await account.signTransaction({ ...tx, nonce: 5 });
    batch = await issuer.issue([
      leaf(1),
      leaf(2, { txHash: keccak256(raw), sender: account.address.toLowerCase() as Hex, nonce: 4 }),
      leaf(3),
    ]);
    p = batch[1]!;
  });

  test("accepts every leaf of a genuine three-leaf commitment", () => {
    for (const each of batch) assert.deepEqual(verifyPreconfirmation(each, trust), { valid: true, errors: [] });
  });

  test("accepts the EIP-55 spelling of addresses, as the engine does", () => {
    const q = copy(p);
    q.sender = q.sender.toUpperCase().replace("0X", "0x") as Hex;
    assert.deepEqual(reasons(q, trust), []);
  });

  test("an id that is not the leaf's hash: ID_MISMATCH", () => {
    const q = copy(p);
    q.id = flip(q.id);
    assert.deepEqual(reasons(q, trust), ["INVALID_PRECONFIRMATION/ID_MISMATCH"]);
  });

  test("a leaf field changed: the id and the proof no longer hold", () => {
    const q = copy(p);
    q.targetSlot += 1;
    assert.deepEqual(reasons(q, trust), ["INVALID_PRECONFIRMATION/ID_MISMATCH", "INVALID_PROOF/ROOT_MISMATCH"]);
  });

  test("a proof sibling changed: ROOT_MISMATCH", () => {
    const q = copy(p);
    q.proof[0] = flip(q.proof[0]!);
    assert.deepEqual(reasons(q, trust), ["INVALID_PROOF/ROOT_MISMATCH"]);
  });

  test("another root: the proof misses it and the signature recovers someone else", () => {
    const q = copy(p);
    q.commitment.root = flip(q.commitment.root, -1);
    const v = verifyPreconfirmation(q, trust);
    assert.deepEqual(
      v.errors.map((e) => e.reason),
      ["ROOT_MISMATCH", "BAD_SIGNATURE"],
    );
    assert.match(v.errors[1]!.message, /not the stated signer/);
  });

  test("issuedAt after expiresAt: OUT_OF_RANGE, and the signature no longer covers the commitment", () => {
    const q = copy(p);
    q.commitment.issuedAt = q.commitment.expiresAt + 1;
    assert.deepEqual(reasons(q, trust), ["INVALID_PRECONFIRMATION/OUT_OF_RANGE", "INVALID_SIGNATURE/BAD_SIGNATURE"]);
  });

  test("a position received after the commitment was issued: OUT_OF_RANGE alone, though genuinely signed", async () => {
    const [late] = await issuer.issue([leaf(9, { receivedAt: Date.now() + 60_000 })]);
    const v = verifyPreconfirmation(late, trust);
    assert.deepEqual(v.errors.map((e) => e.reason), ["OUT_OF_RANGE"]);
    assert.match(v.errors[0]!.message, /^receivedAt \d+ is after issuedAt \d+$/);
  });

  test("a high-s signature: BAD_SIGNATURE, as EIP-2 refuses it", () => {
    const q = copy(p);
    q.commitment.signature = highS(q.commitment.signature);
    const v = verifyPreconfirmation(q, trust);
    assert.deepEqual(v.errors.map((e) => e.reason), ["BAD_SIGNATURE"]);
    assert.match(v.errors[0]!.message, /not a 65-byte low-s secp256k1 signature/);
  });

  test("another stated signer: BAD_SIGNATURE naming both", () => {
    const q = copy(p);
    q.commitment.signer = "0x000000000000000000000000000000000000dead";
    const v = verifyPreconfirmation(q, trust);
    assert.deepEqual(v.errors.map((e) => e.reason), ["BAD_SIGNATURE"]);
    assert.ok(v.errors[0]!.message.includes(issuer.address) && v.errors[0]!.message.includes("0x000000000000000000000000000000000000dead"));
  });

  test("genuinely signed by a key nobody trusts: UNTRUSTED_SIGNER", async () => {
    const q = await resign(copy(p), privateKeyToAccount(keccak256(toHex("someone else"))));
    assert.deepEqual(reasons(q, trust), ["INVALID_SIGNATURE/UNTRUSTED_SIGNER"]);
  });

  test("an ML-DSA-65 signature with a flipped bit: BAD_QUANTUM_SIGNATURE", () => {
    const q = copy(p);
    q.commitment.pqSignature = flip(q.commitment.pqSignature!, 1000);
    assert.deepEqual(reasons(q, trust), ["INVALID_QUANTUM_SIGNATURE/BAD_QUANTUM_SIGNATURE"]);
  });

  test("no ML-DSA-65 key trusted for a co-signing signer: UNTRUSTED_SIGNER of the quantum kind", () => {
    assert.deepEqual(reasons(p, { signers: [issuer.address] }), ["INVALID_QUANTUM_SIGNATURE/UNTRUSTED_SIGNER"]);
  });

  test("no co-signature: accepted, unless one is required (MISSING_QUANTUM_SIGNATURE)", () => {
    const q = copy(p);
    q.commitment.pqSignature = null;
    assert.deepEqual(reasons(q, trust), []);
    assert.deepEqual(reasons(q, { ...trust, requirePq: true }), ["INVALID_QUANTUM_SIGNATURE/MISSING_QUANTUM_SIGNATURE"]);
  });

  test("judged after expiresAt: EXPIRED, naming when", () => {
    const v = verifyPreconfirmation(p, { ...trust, now: p.commitment.expiresAt + 5 });
    assert.deepEqual(v.errors.map((e) => `${e.code}/${e.reason}`), ["PRECONFIRMATION_EXPIRED/EXPIRED"]);
    assert.match(v.errors[0]!.message, /expired at \d+ \(.*Z\), 5 ms ago/);
    assert.deepEqual(reasons(p, { ...trust, now: p.commitment.expiresAt }), []);
  });

  test("the raw transaction it promises passes; another one is named field by field", () => {
    assert.deepEqual(reasons(p, { ...trust, rawTransaction: raw }), []);
    const v = verifyPreconfirmation(p, { ...trust, rawTransaction: otherRaw });
    assert.deepEqual(v.errors.map((e) => e.reason), ["RAW_TRANSACTION_MISMATCH", "RAW_TRANSACTION_MISMATCH"]);
    assert.match(v.errors[0]!.message, /^rawTransaction has txHash 0x[0-9a-f]{64} but the preconfirmation promises txHash/);
    assert.match(v.errors[1]!.message, /^rawTransaction has nonce 5 but the preconfirmation promises nonce 4$/);
  });

  test("a raw transaction that does not decode, or is not hex, is coded as the engine codes it", () => {
    assert.deepEqual(reasons(p, { ...trust, rawTransaction: raw.slice(0, -2) }), ["INVALID_TRANSACTION/MALFORMED_RLP"]);
    // Bad hex is refused before any other check, as the engine's validate reads it first.
    const q = copy(p);
    q.id = flip(q.id);
    assert.deepEqual(reasons(q, { ...trust, rawTransaction: "0xzz" }), ["INVALID_TRANSACTION/MALFORMED_HEX"]);
  });

  test("lists every failed check at once", () => {
    const q = copy(p);
    q.id = flip(q.id);
    q.commitment.pqSignature = flip(q.commitment.pqSignature!, 7);
    assert.deepEqual(reasons(q, { ...trust, now: q.commitment.expiresAt + 1, rawTransaction: otherRaw }), [
      "INVALID_PRECONFIRMATION/ID_MISMATCH",
      "INVALID_QUANTUM_SIGNATURE/BAD_QUANTUM_SIGNATURE",
      "PRECONFIRMATION_EXPIRED/EXPIRED",
      "INVALID_PRECONFIRMATION/RAW_TRANSACTION_MISMATCH",
      "INVALID_PRECONFIRMATION/RAW_TRANSACTION_MISMATCH",
    ]);
  });

  describe("reads the object as strictly as the engine", () => {
    const cases: [string, (q: Record<string, any>) => void, string][] = [
      ["a missing field", (q) => delete q.txHash, "MISSING_FIELD"],
      ["a missing commitment field", (q) => delete q.commitment.atomic, "MISSING_FIELD"],
      ["a hash of 31 bytes", (q) => (q.previous = q.previous.slice(0, -2)), "WRONG_LENGTH"],
      ["a non-hex character", (q) => (q.sender = `0xzz${q.sender.slice(4)}`), "MALFORMED_HEX"],
      ["hex without 0x", (q) => (q.txHash = q.txHash.slice(2)), "MALFORMED_HEX"],
      ["a number sent as a string", (q) => (q.nonce = String(q.nonce)), "MALFORMED_REQUEST"],
      ["a number with a fraction", (q) => (q.sequence = 7.5), "MALFORMED_REQUEST"],
      ["a hash sent as a number", (q) => (q.txHash = 7), "MALFORMED_REQUEST"],
      ["atomic as a string", (q) => (q.commitment.atomic = "false"), "MALFORMED_REQUEST"],
      ["chain id 0", (q) => (q.chainId = 0), "OUT_OF_RANGE"],
      ["a negative slot", (q) => (q.targetSlot = -1), "OUT_OF_RANGE"],
      ["a number beyond 53 bits", (q) => (q.receivedAt = 2 ** 53), "OUT_OF_RANGE"],
      ["a proof of 65 hashes", (q) => (q.proof = Array(65).fill(q.id)), "WRONG_LENGTH"],
    ];
    for (const [name, alter, reason] of cases) {
      test(`${name}: ${reason}`, () => {
        const q = copy(p);
        alter(q);
        const v = verifyPreconfirmation(q, trust);
        assert.equal(v.valid, false);
        assert.deepEqual(v.errors.map((e) => `${e.code}/${e.reason}`), [`INVALID_PRECONFIRMATION/${reason}`], v.errors[0]?.message);
      });
    }

    test("not an object at all", () => {
      assert.deepEqual(reasons(null, trust), ["INVALID_PRECONFIRMATION/MISSING_FIELD"]);
      assert.deepEqual(reasons([p], trust), ["INVALID_PRECONFIRMATION/MALFORMED_REQUEST"]);
    });
  });

  test("a malformed trust set is the caller's error, not the promise's", () => {
    assert.throws(() => verifyPreconfirmation(p, { signers: ["0x1234"] }), TypeError);
  });
});
