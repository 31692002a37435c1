// The client's cryptography against values that independent implementations produced:
// @openzeppelin/merkle-tree (leaves, proofs), ethers (EIP-712 digests and signatures, transactions)
// and @noble/post-quantum (ML-DSA-65), committed in reactive-core/src/test/resources/vectors.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  Codes,
  commitmentDigest,
  decodeTransactionHex,
  leafHash,
  processProof,
  Reasons,
  recoverSigner,
  verifyMlDsa65,
  type Hex,
} from "@preconf/client";
import { hexToBytes } from "viem";
import { REPO, vectors } from "./support/repo.js";

interface MerkleVectors {
  trees: {
    leafCount: number;
    root: Hex;
    leaves: {
      chainId: string;
      txHash: Hex;
      sender: Hex;
      nonce: string;
      sequence: string;
      previous: Hex;
      receivedAt: string;
      targetSlot: string;
      leafHash: Hex;
      proof: Hex[];
    }[];
  }[];
}

describe("Merkle leaves and proofs match @openzeppelin/merkle-tree", () => {
  for (const tree of vectors<MerkleVectors>("merkle.json").trees) {
    test(`${tree.leafCount} leaves`, () => {
      for (const l of tree.leaves) {
        const hash = leafHash({
          chainId: BigInt(l.chainId),
          txHash: l.txHash,
          sender: l.sender,
          nonce: BigInt(l.nonce),
          sequence: BigInt(l.sequence),
          previous: l.previous,
          receivedAt: BigInt(l.receivedAt),
          targetSlot: BigInt(l.targetSlot),
        });
        assert.equal(hash, l.leafHash);
        assert.equal(processProof(hash, l.proof), tree.root);
      }
    });
  }

  test("a proof with one sibling changed leads elsewhere", () => {
    const tree = vectors<MerkleVectors>("merkle.json").trees.find((t) => t.leafCount === 7)!;
    const leaf = tree.leaves[3]!;
    const proof = [...leaf.proof];
    proof[0] = `0x${"00".repeat(31)}01`;
    assert.notEqual(processProof(leaf.leafHash, proof), tree.root);
  });
});

interface Eip712Vectors {
  cases: { root: Hex; issuedAt: string; expiresAt: string; atomic: boolean; address: Hex; digest: Hex; signature: Hex }[];
}

describe("EIP-712 digests and signatures match ethers", () => {
  const { cases } = vectors<Eip712Vectors>("eip712.json");

  test("digest and signer of every case", () => {
    for (const c of cases) {
      const digest = commitmentDigest({
        root: c.root,
        issuedAt: BigInt(c.issuedAt),
        expiresAt: BigInt(c.expiresAt),
        atomic: c.atomic,
      });
      assert.equal(digest, c.digest);
      assert.equal(recoverSigner(digest, hexToBytes(c.signature)), c.address.toLowerCase());
    }
  });

  test("a high-s twin, a v outside {27, 28} and a short signature recover no one", () => {
    const c = cases[1]!;
    const sig = hexToBytes(c.signature);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(`0x${Buffer.from(sig.subarray(32, 64)).toString("hex")}`);
    const twin = Uint8Array.from(sig);
    twin.set(hexToBytes(`0x${(n - s).toString(16).padStart(64, "0")}`), 32);
    twin[64] = sig[64] === 27 ? 28 : 27;
    assert.equal(recoverSigner(c.digest, twin), null);
    const v29 = Uint8Array.from(sig);
    v29[64] = 29;
    assert.equal(recoverSigner(c.digest, v29), null);
    assert.equal(recoverSigner(c.digest, sig.subarray(0, 64)), null);
  });
});

describe("ML-DSA-65 verification matches @noble/post-quantum", () => {
  const { cases } = vectors<{ cases: { message: Hex; publicKey: Hex; signature: Hex }[] }>("mldsa.json");

  test("every signature verifies over its message", () => {
    for (const c of cases) {
      assert.equal(verifyMlDsa65(hexToBytes(c.publicKey), c.message, hexToBytes(c.signature)), true);
    }
  });

  test("another message, a flipped byte or a wrong size does not", () => {
    const [a, b] = cases as [(typeof cases)[0], (typeof cases)[0]];
    assert.equal(verifyMlDsa65(hexToBytes(a.publicKey), b.message, hexToBytes(a.signature)), false);
    const flipped = hexToBytes(a.signature);
    flipped[100] ^= 1;
    assert.equal(verifyMlDsa65(hexToBytes(a.publicKey), a.message, flipped), false);
    assert.equal(verifyMlDsa65(hexToBytes(a.publicKey).subarray(1), a.message, hexToBytes(a.signature)), false);
  });
});

interface TransactionVectors {
  vectors: { name: string; raw: Hex; hash: Hex; from: Hex; chainId: number; nonce: number }[];
  rejections: { name: string; raw: string; reason: string }[];
}

describe("raw transactions decode as the engine decodes them", () => {
  const { vectors: valid, rejections } = vectors<TransactionVectors>("transactions.json");

  test("hash, sender, chain id and nonce of every ethers vector", () => {
    for (const v of valid) {
      const decoded = decodeTransactionHex(v.raw);
      assert.ok(decoded.ok, `${v.name}: ${decoded.ok ? "" : decoded.failure.message}`);
      assert.deepEqual(decoded.value, {
        txHash: v.hash,
        sender: v.from.toLowerCase(),
        chainId: BigInt(v.chainId),
        nonce: BigInt(v.nonce),
      });
    }
  });

  test("every refused encoding gets the engine's reason", () => {
    for (const r of rejections) {
      const decoded = decodeTransactionHex(r.raw);
      assert.equal(decoded.ok, false, r.name);
      if (!decoded.ok) {
        assert.equal(decoded.failure.code, Codes.INVALID_TRANSACTION, r.name);
        assert.equal(decoded.failure.reason, r.reason, `${r.name}: ${decoded.failure.message}`);
      }
    }
  });
});

test("every code and reason the client gives is one the engine defines", () => {
  const java = (file: string) => readFileSync(join(REPO, "reactive-core/src/main/java/io/preconf/core/error", file), "utf8");
  const names = (source: string) => new Set(source.match(/^\s{2}([A-Z][A-Z0-9_]+)[,\s]*$/gm)!.map((l) => l.replace(/[,\s]/g, "")));
  const codes = names(java("ErrorCode.java"));
  const reasons = names(java("Reason.java"));
  for (const c of Object.values(Codes)) assert.ok(codes.has(c), `ErrorCode has no ${c}`);
  for (const r of Object.values(Reasons)) assert.ok(reasons.has(r), `Reason has no ${r}`);
});
