/**
 * The commitment's cryptography, each function a few lines that mirror one spec: the OpenZeppelin
 * Merkle leaf and proof, the EIP-712 digest, secp256k1 recovery held to EIP-2, and ML-DSA-65.
 * Tested against the vectors that ethers, @openzeppelin/merkle-tree and @noble/post-quantum
 * produced (reactive-core/src/test/resources/vectors).
 */
import { secp256k1 } from "@noble/curves/secp256k1";
import { ml_dsa65 } from "@noble/post-quantum/ml-dsa.js";
import { concat, encodeAbiParameters, hashTypedData, hexToBytes, keccak256, toHex } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import type { Hex } from "./types.js";

/** The leaf's values in spec order (section 2), uint64 fields as bigint. */
export interface LeafValues {
  chainId: bigint;
  txHash: Hex;
  sender: Hex;
  nonce: bigint;
  sequence: bigint;
  previous: Hex;
  receivedAt: bigint;
  targetSlot: bigint;
}

const LEAF_ENCODING = [
  { type: "uint64" },
  { type: "bytes32" },
  { type: "address" },
  { type: "uint64" },
  { type: "uint64" },
  { type: "bytes32" },
  { type: "uint64" },
  { type: "uint64" },
] as const;

/**
 * `keccak256(keccak256(abi.encode(values)))`: the leaf of OpenZeppelin's StandardMerkleTree.
 * @see https://github.com/OpenZeppelin/merkle-tree/blob/v1.0.8/src/hashes.ts
 */
export function leafHash(l: LeafValues): Hex {
  const encoded = encodeAbiParameters(LEAF_ENCODING, [
    l.chainId,
    l.txHash,
    l.sender,
    l.nonce,
    l.sequence,
    l.previous,
    l.receivedAt,
    l.targetSlot,
  ]);
  return keccak256(keccak256(encoded));
}

/**
 * Folds a proof into a leaf with the commutative pair hash `keccak256(min(a,b) ++ max(a,b))`.
 * @see https://github.com/OpenZeppelin/openzeppelin-contracts/blob/v5.0.0/contracts/utils/cryptography/MerkleProof.sol
 */
export function processProof(leaf: Hex, proof: readonly Hex[]): Hex {
  let computed = leaf.toLowerCase() as Hex;
  for (const raw of proof) {
    const sibling = raw.toLowerCase() as Hex;
    computed = computed <= sibling ? keccak256(concat([computed, sibling])) : keccak256(concat([sibling, computed]));
  }
  return computed;
}

export const COMMITMENT_DOMAIN = { name: "Preconfirmation", version: "1" } as const;
export const COMMITMENT_TYPES = {
  Commitment: [
    { name: "root", type: "bytes32" },
    { name: "issuedAt", type: "uint64" },
    { name: "expiresAt", type: "uint64" },
    { name: "atomic", type: "bool" },
  ],
} as const;

/**
 * The EIP-712 digest the preconfer signs (spec section 3).
 * @see https://eips.ethereum.org/EIPS/eip-712
 */
export function commitmentDigest(c: { root: Hex; issuedAt: bigint; expiresAt: bigint; atomic: boolean }): Hex {
  return hashTypedData({
    domain: COMMITMENT_DOMAIN,
    types: COMMITMENT_TYPES,
    primaryType: "Commitment",
    message: { root: c.root, issuedAt: c.issuedAt, expiresAt: c.expiresAt, atomic: c.atomic },
  });
}

const N = secp256k1.CURVE.n;

/**
 * The address that signed `digest`, or null when the signature is not 65 bytes `r ++ s ++ v`
 * with `v` in {27, 28}, `r` in 1..n-1, `s` in 1..n/2 (EIP-2), or determines no key.
 * @see https://eips.ethereum.org/EIPS/eip-2
 */
export function recoverSigner(digest: Hex, signature: Uint8Array): Hex | null {
  if (signature.length !== 65) return null;
  const v = signature[64]!;
  if (v !== 27 && v !== 28) return null;
  const r = BigInt(toHex(signature.subarray(0, 32)));
  const s = BigInt(toHex(signature.subarray(32, 64)));
  if (r <= 0n || r >= N || s <= 0n || s > N / 2n) return null;
  try {
    const point = new secp256k1.Signature(r, s).addRecoveryBit(v - 27).recoverPublicKey(digest.slice(2));
    return publicKeyToAddress(toHex(point.toRawBytes(false))).toLowerCase() as Hex;
  } catch {
    return null;
  }
}

export const ML_DSA_65_PUBLIC_KEY_SIZE = 1952;
export const ML_DSA_65_SIGNATURE_SIZE = 3309;

/**
 * ML-DSA-65 (FIPS 204, pure, empty context) over the 32-byte digest; false for a wrong signature
 * and for a key or signature of the wrong size.
 * @see https://csrc.nist.gov/pubs/fips/204/final
 */
export function verifyMlDsa65(publicKey: Uint8Array, digest: Hex, signature: Uint8Array): boolean {
  if (publicKey.length !== ML_DSA_65_PUBLIC_KEY_SIZE || signature.length !== ML_DSA_65_SIGNATURE_SIZE) {
    return false;
  }
  try {
    return ml_dsa65.verify(signature, hexToBytes(digest), publicKey);
  } catch {
    return false;
  }
}
