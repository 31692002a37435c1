/**
 * Reads a preconfirmation object (spec section 4) strictly, as the engine's `validate` reads its
 * body: numbers must be whole JSON numbers, strings must be strings, every byte string 0x hex of
 * its size. The first problem is the answer, coded as the engine codes it. It says nothing of
 * whether the preconfirmation is genuine: that is verification's work.
 */
import { abbreviate, decodeHex, fixedHex, MalformedValue } from "./hex.js";
import { Codes, failure, Reasons, type Failure } from "./reasons.js";
import type { LeafValues } from "./crypto.js";
import type { Hex } from "./types.js";

/** Numbers on the wire are JSON numbers that fit in 53 bits. */
export const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_PROOF_LENGTH = 64;
const LONG_MAX = 2n ** 63n - 1n;

export interface ParsedCommitment {
  root: Hex;
  issuedAt: bigint;
  expiresAt: bigint;
  atomic: boolean;
  signer: Hex;
  signature: Uint8Array;
  pqSignature: Uint8Array | null;
}

export interface ParsedPreconfirmation {
  id: Hex;
  leaf: LeafValues;
  proof: Hex[];
  commitment: ParsedCommitment;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; failure: Failure };

const LEAF_FIELDS = {
  id: "text",
  chainId: "number",
  txHash: "text",
  sender: "text",
  nonce: "number",
  sequence: "number",
  previous: "text",
  receivedAt: "number",
  targetSlot: "number",
  proof: "textList",
  commitment: "object",
} as const;

const COMMITMENT_FIELDS = {
  root: "text",
  issuedAt: "number",
  expiresAt: "number",
  atomic: "boolean",
  signer: "text",
  signature: "text",
  pqSignature: "text",
} as const;

type Kind = "text" | "number" | "boolean" | "object" | "textList";

class MissingField extends Error {}

function malformed(message: string): Parsed<never> {
  return { ok: false, failure: failure(Codes.INVALID_PRECONFIRMATION, Reasons.MALFORMED_REQUEST, message) };
}

/** The JSON value as the engine's binder would take it for a field of that kind, or a complaint. */
function typeProblem(path: string, kind: Kind, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case "number":
      if (typeof v === "number" && Number.isInteger(v) && BigInt(v) <= LONG_MAX && BigInt(v) >= -LONG_MAX) return null;
      return `field "${path}" must be a whole JSON number, got ${describe(v)}`;
    case "boolean":
      return typeof v === "boolean" ? null : `field "${path}" must be true or false, got ${describe(v)}`;
    case "text":
      // The binder takes decimals and booleans as their text (then not hex), never a whole number.
      if (typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && !Number.isInteger(v))) return null;
      return `field "${path}" must be a string, got ${describe(v)}`;
    case "object":
      return typeof v === "object" && !Array.isArray(v) ? null : `field "${path}" must be an object`;
    case "textList":
      if (!Array.isArray(v)) return `field "${path}" must be a list`;
      for (let i = 0; i < v.length; i++) {
        const problem = typeProblem(`${path}[${i}]`, "text", v[i]);
        if (problem) return problem;
      }
      return null;
  }
}

function describe(v: unknown): string {
  return typeof v === "string" ? `"${abbreviate(v)}"` : abbreviate(JSON.stringify(v) ?? String(v));
}

function text(field: string, v: unknown): string {
  if (v === null || v === undefined) throw new MissingField(field);
  return String(v);
}

function number(field: string, v: unknown): bigint {
  if (v === null || v === undefined) throw new MissingField(field);
  const n = BigInt(v as number);
  if (n < 0n || n > BigInt(MAX_SAFE)) {
    throw new MalformedValue(`${field} must be between 0 and ${MAX_SAFE}, got ${n}`, "range");
  }
  return n;
}

/** Parses and range-checks every field, in the engine's order, stopping at the first problem. */
export function parsePreconfirmation(body: unknown): Parsed<ParsedPreconfirmation> {
  if (body === null || body === undefined) {
    return {
      ok: false,
      failure: failure(Codes.INVALID_PRECONFIRMATION, Reasons.MISSING_FIELD, "validate needs a JSON object body"),
    };
  }
  if (typeof body !== "object" || Array.isArray(body)) {
    return malformed(`validate needs a JSON object body, got ${Array.isArray(body) ? "array" : typeof body}`);
  }
  const w = body as Record<string, unknown>;
  for (const [field, kind] of Object.entries(LEAF_FIELDS)) {
    const problem = typeProblem(field, kind, w[field]);
    if (problem) return malformed(problem);
  }
  const wc = (w.commitment ?? null) as Record<string, unknown> | null;
  if (wc) {
    for (const [field, kind] of Object.entries(COMMITMENT_FIELDS)) {
      const problem = typeProblem(`commitment.${field}`, kind, wc[field]);
      if (problem) return malformed(problem);
    }
  }
  try {
    if (!wc) throw new MissingField("commitment");
    if (w.proof === null || w.proof === undefined) throw new MissingField("proof");
    const rawProof = w.proof as unknown[];
    if (rawProof.length > MAX_PROOF_LENGTH) {
      return {
        ok: false,
        failure: failure(
          Codes.INVALID_PRECONFIRMATION,
          Reasons.WRONG_LENGTH,
          `proof has ${rawProof.length} hashes, more than ${MAX_PROOF_LENGTH}`,
        ),
      };
    }
    const chainId = number("chainId", w.chainId);
    if (chainId === 0n) {
      throw new MalformedValue(`chainId must be between 1 and ${MAX_SAFE}, got 0`, "range");
    }
    const leaf: LeafValues = {
      chainId,
      txHash: fixedHex("txHash", text("txHash", w.txHash), 32),
      sender: fixedHex("sender", text("sender", w.sender), 20),
      nonce: number("nonce", w.nonce),
      sequence: number("sequence", w.sequence),
      previous: fixedHex("previous", text("previous", w.previous), 32),
      receivedAt: number("receivedAt", w.receivedAt),
      targetSlot: number("targetSlot", w.targetSlot),
    };
    const proof = rawProof.map((h, i) => fixedHex(`proof[${i}]`, text(`proof[${i}]`, h), 32));
    if (wc.atomic === null || wc.atomic === undefined) throw new MissingField("commitment.atomic");
    const commitment: ParsedCommitment = {
      root: fixedHex("commitment.root", text("commitment.root", wc.root), 32),
      issuedAt: number("commitment.issuedAt", wc.issuedAt),
      expiresAt: number("commitment.expiresAt", wc.expiresAt),
      atomic: wc.atomic as boolean,
      signer: fixedHex("commitment.signer", text("commitment.signer", wc.signer), 20),
      signature: decodeHex("commitment.signature", text("commitment.signature", wc.signature)),
      pqSignature:
        wc.pqSignature === null || wc.pqSignature === undefined
          ? null
          : decodeHex("commitment.pqSignature", String(wc.pqSignature)),
    };
    const id = fixedHex("id", text("id", w.id), 32);
    return { ok: true, value: { id, leaf, proof, commitment } };
  } catch (e) {
    if (e instanceof MissingField) {
      return {
        ok: false,
        failure: failure(Codes.INVALID_PRECONFIRMATION, Reasons.MISSING_FIELD, `field "${e.message}" is missing`),
      };
    }
    if (e instanceof MalformedValue) {
      const reason =
        e.kind === "length" ? Reasons.WRONG_LENGTH : e.kind === "range" ? Reasons.OUT_OF_RANGE : Reasons.MALFORMED_HEX;
      return { ok: false, failure: failure(Codes.INVALID_PRECONFIRMATION, reason, e.message) };
    }
    throw e;
  }
}
