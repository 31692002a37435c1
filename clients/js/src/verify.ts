/**
 * Verifies a preconfirmation offline, from its own bytes and the signer set you trust: the checks
 * the engine's `validate` makes (reactive-core `PreconfirmationValidator`), in its order, with its
 * error codes and reasons, listing every failed check rather than stopping at the first.
 */
import { bytesToHex } from "viem";
import { commitmentDigest, leafHash, processProof, recoverSigner, verifyMlDsa65 } from "./crypto.js";
import { abbreviate, decodeHex, fixedHex, MalformedValue } from "./hex.js";
import { Codes, failure, Reasons, type Failure } from "./reasons.js";
import { decodeTransaction } from "./transaction.js";
import type { Hex, Info } from "./types.js";
import { parsePreconfirmation, type ParsedCommitment } from "./wire.js";

/** The preconfers whose promises you accept, and the ML-DSA-65 public key of those that co-sign. */
export interface TrustedSigners {
  /** Ethereum addresses, any case. */
  signers: readonly string[];
  /** ML-DSA-65 public keys (0x hex) by signer address, any case. */
  pqKeys?: Readonly<Record<string, string | null | undefined>>;
}

export interface VerifyOptions extends TrustedSigners {
  /** Refuse a commitment without an ML-DSA-65 co-signature (the engine's `require-quantum-signature`). */
  requirePq?: boolean;
  /** The signed transaction (0x hex) the preconfirmation should promise; checked when given. */
  rawTransaction?: string | null;
  /** Unix milliseconds to judge expiry at; the clock's now by default. */
  now?: number;
}

export interface Verification {
  valid: boolean;
  errors: Failure[];
}

interface Trust {
  signers: Set<string>;
  pqKeys: Map<string, Uint8Array>;
}

/** The trust anchors an engine publishes through `info`: its signer and its ML-DSA-65 key. */
export function trustFromInfo(info: Pick<Info, "signer" | "pqPublicKey">): TrustedSigners {
  return { signers: [info.signer], pqKeys: info.pqPublicKey ? { [info.signer]: info.pqPublicKey } : {} };
}

// Reading the trust set costs a hex decode of every 1,952-byte key: do it once per signer list and
// key map, which stay the same objects when a caller spreads them into per-call options.
const signerCache = new WeakMap<readonly string[], Set<string>>();
const keyCache = new WeakMap<object, Map<string, Uint8Array>>();
const NO_KEYS: Readonly<Record<string, string | null | undefined>> = {};

function trustOf(options: TrustedSigners): Trust {
  let signers = signerCache.get(options.signers);
  if (!signers) {
    signers = new Set(options.signers.map((a) => fixedHex("signer", a, 20)));
    signerCache.set(options.signers, signers);
  }
  const given = options.pqKeys ?? NO_KEYS;
  let pqKeys = keyCache.get(given);
  if (!pqKeys) {
    pqKeys = new Map();
    for (const [address, key] of Object.entries(given)) {
      if (key) pqKeys.set(fixedHex("pqKeys address", address, 20), decodeHex(`pqKeys[${address}]`, key));
    }
    keyCache.set(given, pqKeys);
  }
  return { signers, pqKeys };
}

/**
 * Every check that fails, with the engine's code, reason and a sentence naming the value; `valid`
 * when none does. The input is the JSON object as received: it is read as strictly as the engine
 * reads it, and a value that cannot be read is the one failure reported.
 *
 * @throws TypeError when the trust set itself is malformed (a caller's mistake, not the promise's)
 */
export function verifyPreconfirmation(p: unknown, options: VerifyOptions): Verification {
  let trust: Trust;
  try {
    trust = trustOf(options);
  } catch (e) {
    throw new TypeError(`the trusted signer set is malformed: ${(e as Error).message}`);
  }
  const parsed = parsePreconfirmation(p);
  if (!parsed.ok) return { valid: false, errors: [parsed.failure] };
  let rawTransaction: Uint8Array | null = null;
  if (options.rawTransaction !== undefined && options.rawTransaction !== null) {
    try {
      rawTransaction = decodeHex("rawTransaction", options.rawTransaction);
    } catch (e) {
      if (!(e instanceof MalformedValue)) throw e;
      return { valid: false, errors: [failure(Codes.INVALID_TRANSACTION, Reasons.MALFORMED_HEX, e.message)] };
    }
  }

  const { id, leaf, proof, commitment: c } = parsed.value;
  const errors: Failure[] = [];
  const computed = leafHash(leaf);
  if (computed !== id) {
    errors.push(
      failure(Codes.INVALID_PRECONFIRMATION, Reasons.ID_MISMATCH, `id ${id} is not the hash ${computed} of the leaf's fields`),
    );
  }
  if (processProof(computed, proof) !== c.root) {
    errors.push(
      failure(
        Codes.INVALID_PROOF,
        Reasons.ROOT_MISMATCH,
        `the proof of ${proof.length} hashes does not lead from leaf ${computed} to root ${c.root}`,
      ),
    );
  }
  if (c.issuedAt > c.expiresAt) {
    errors.push(
      failure(Codes.INVALID_PRECONFIRMATION, Reasons.OUT_OF_RANGE, `issuedAt ${c.issuedAt} is after expiresAt ${c.expiresAt}`),
    );
  }
  if (leaf.receivedAt > c.issuedAt) {
    errors.push(
      failure(Codes.INVALID_PRECONFIRMATION, Reasons.OUT_OF_RANGE, `receivedAt ${leaf.receivedAt} is after issuedAt ${c.issuedAt}`),
    );
  }
  const signatureFailure = checkSignatures(c, trust, options.requirePq ?? false);
  if (signatureFailure) errors.push(signatureFailure);
  const now = BigInt(Math.floor(options.now ?? Date.now()));
  if (now > c.expiresAt) {
    const at = new Date(Number(c.expiresAt)).toISOString();
    errors.push(
      failure(
        Codes.PRECONFIRMATION_EXPIRED,
        Reasons.EXPIRED,
        `the preconfirmation expired at ${c.expiresAt} (${at}), ${now - c.expiresAt} ms ago`,
      ),
    );
  }
  if (rawTransaction) {
    const decoded = decodeTransaction(rawTransaction);
    if (!decoded.ok) {
      errors.push(decoded.failure);
    } else {
      const tx = decoded.value;
      mismatch(errors, "txHash", leaf.txHash, tx.txHash);
      mismatch(errors, "chainId", leaf.chainId, tx.chainId);
      mismatch(errors, "sender", leaf.sender, tx.sender);
      mismatch(errors, "nonce", leaf.nonce, tx.nonce);
    }
  }
  return { valid: errors.length === 0, errors };
}

/** The one signature failure there is, or null: ECDSA first, then trust, then ML-DSA-65. */
function checkSignatures(c: ParsedCommitment, trust: Trust, requirePq: boolean): Failure | null {
  const digest = commitmentDigest(c);
  const recovered = recoverSigner(digest, c.signature);
  if (recovered === null) {
    return failure(
      Codes.INVALID_SIGNATURE,
      Reasons.BAD_SIGNATURE,
      `signature ${abbreviate(bytesToHex(c.signature))} is not a 65-byte low-s secp256k1 signature with v 27 or 28 that recovers a key`,
    );
  }
  if (recovered !== c.signer) {
    return failure(
      Codes.INVALID_SIGNATURE,
      Reasons.BAD_SIGNATURE,
      `signature recovers signer ${recovered}, not the stated signer ${c.signer}: the commitment was altered or signed by someone else`,
    );
  }
  if (!trust.signers.has(c.signer)) {
    return failure(Codes.INVALID_SIGNATURE, Reasons.UNTRUSTED_SIGNER, `signer ${c.signer} is not a trusted preconfer`);
  }
  if (c.pqSignature) {
    const key = trust.pqKeys.get(c.signer);
    if (!key) {
      return failure(
        Codes.INVALID_QUANTUM_SIGNATURE,
        Reasons.UNTRUSTED_SIGNER,
        `no ML-DSA-65 public key is trusted for signer ${c.signer}`,
      );
    }
    if (!verifyMlDsa65(key, digest, c.pqSignature)) {
      return failure(
        Codes.INVALID_QUANTUM_SIGNATURE,
        Reasons.BAD_QUANTUM_SIGNATURE,
        `pqSignature ${abbreviate(bytesToHex(c.pqSignature))} is not a valid ML-DSA-65 signature of signer ${c.signer} over the commitment digest ${digest}`,
      );
    }
  } else if (requirePq) {
    return failure(
      Codes.INVALID_QUANTUM_SIGNATURE,
      Reasons.MISSING_QUANTUM_SIGNATURE,
      "pqSignature is missing and this validator requires an ML-DSA-65 co-signature",
    );
  }
  return null;
}

function mismatch(errors: Failure[], field: string, promised: Hex | bigint, actual: Hex | bigint): void {
  if (promised !== actual) {
    errors.push(
      failure(
        Codes.INVALID_PRECONFIRMATION,
        Reasons.RAW_TRANSACTION_MISMATCH,
        `rawTransaction has ${field} ${actual} but the preconfirmation promises ${field} ${promised}`,
      ),
    );
  }
}
