// Verifies preconfirmations exactly as a third party would, with standard Ethereum tooling and
// nothing of the engine's: ethers' verifyTypedData for the EIP-712 commitment signature and
// OpenZeppelin's StandardMerkleTree.verify for the inclusion proof; ML-DSA-65 with noble.
//
// Usage: node verify-preconfirmation.mjs FILE [PQ_PUBLIC_KEY_HEX]
// FILE holds a JSON list of preconfirmation objects (spec section 4). Prints one line per
// preconfirmation and exits 1 if any check fails.
import { readFileSync } from "node:fs";
import { TypedDataEncoder, getAddress, getBytes, verifyTypedData } from "ethers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ml_dsa65 } from "@noble/post-quantum/ml-dsa.js";

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

const [file, pqKey] = process.argv.slice(2);
const items = JSON.parse(readFileSync(file, "utf8"));
let failures = 0;
for (const p of items) {
  const c = p.commitment;
  const value = { root: c.root, issuedAt: c.issuedAt, expiresAt: c.expiresAt, atomic: c.atomic };
  const recovered = verifyTypedData(DOMAIN, TYPES, value, c.signature);
  const signatureOk = getAddress(recovered) === getAddress(c.signer);

  const leaf = [p.chainId, p.txHash, p.sender, p.nonce, p.sequence, p.previous, p.receivedAt, p.targetSlot];
  const proofOk = StandardMerkleTree.verify(c.root, LEAF_ENCODING, leaf, p.proof);
  // The id is the leaf hash: rebuild a one-leaf tree and compare.
  const idOk = StandardMerkleTree.of([leaf], LEAF_ENCODING).leafHash(leaf) === p.id;

  let pqOk = true;
  if (pqKey && c.pqSignature) {
    const digest = getBytes(TypedDataEncoder.hash(DOMAIN, TYPES, value));
    pqOk = ml_dsa65.verify(getBytes(c.pqSignature), digest, getBytes(pqKey));
  }
  const ok = signatureOk && proofOk && idOk && pqOk;
  if (!ok) failures++;
  console.log(
    `${ok ? "ok" : "FAIL"} ${p.id} signer=${signatureOk} proof=${proofOk} id=${idOk} mldsa=${pqKey && c.pqSignature ? pqOk : "skipped"}`,
  );
}
console.log(`${items.length - failures} verified, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
