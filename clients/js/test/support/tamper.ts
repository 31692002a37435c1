// Ways to alter a genuine preconfirmation, each aimed at one check of verification.
import type { Hex, Preconfirmation } from "@preconf/client";
import { bytesToHex, hexToBytes } from "viem";
import type { Account } from "viem/accounts";
import { DOMAIN, TYPES } from "./preconfer.js";

export type Mutable = Preconfirmation & Record<string, unknown>;

export function copy(p: Preconfirmation): Mutable {
  return structuredClone(p) as Mutable;
}

/**
 * The hex with one bit of byte `index` flipped (counted from the end when negative); a value that
 * is not hex any more (an earlier alteration) gets a digit more instead.
 */
export function flip(hex: string, index = 0): Hex {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(hex)) return `${hex}0` as Hex;
  const bytes = hexToBytes(hex as Hex);
  if (bytes.length === 0) return "0x01";
  const at = (index < 0 ? bytes.length + index : index) % bytes.length;
  bytes[at]! ^= 0x01;
  return bytesToHex(bytes);
}

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The same ECDSA signature with s replaced by n - s and v flipped: valid math, refused by EIP-2. */
export function highS(signature: Hex): Hex {
  const bytes = hexToBytes(signature);
  const s = BigInt(bytesToHex(bytes.subarray(32, 64)));
  bytes.set(hexToBytes(`0x${(N - s).toString(16).padStart(64, "0")}`), 32);
  bytes[64] = bytes[64] === 27 ? 28 : 27;
  return bytesToHex(bytes);
}

/** The commitment as someone else signs it: a genuine signature by a signer nobody trusts. */
export async function resign(p: Mutable, by: Account): Promise<Mutable> {
  const c = p.commitment;
  const message = { root: c.root, issuedAt: BigInt(c.issuedAt), expiresAt: BigInt(c.expiresAt), atomic: c.atomic };
  c.signature = await by.signTypedData!({ domain: DOMAIN, types: TYPES, primaryType: "Commitment", message });
  c.signer = by.address.toLowerCase() as Hex;
  c.pqSignature = null;
  return p;
}
