import type { Rejection } from "./types.js";

/**
 * The error kinds and reasons that offline verification gives, spelled exactly as the engine's
 * `ErrorCode` and `Reason` (reactive-core `core/error`), so that a failed check reads the same
 * whether the client or the engine's `validate` found it. The engine has more reasons than these
 * (for requests and blocks); answers carrying them are typed as plain strings.
 */
export const Codes = {
  INVALID_TRANSACTION: "INVALID_TRANSACTION",
  INVALID_PRECONFIRMATION: "INVALID_PRECONFIRMATION",
  INVALID_PROOF: "INVALID_PROOF",
  INVALID_SIGNATURE: "INVALID_SIGNATURE",
  INVALID_QUANTUM_SIGNATURE: "INVALID_QUANTUM_SIGNATURE",
  PRECONFIRMATION_EXPIRED: "PRECONFIRMATION_EXPIRED",
} as const;

export const Reasons = {
  // Preconfirmation checks.
  ID_MISMATCH: "ID_MISMATCH",
  ROOT_MISMATCH: "ROOT_MISMATCH",
  OUT_OF_RANGE: "OUT_OF_RANGE",
  BAD_SIGNATURE: "BAD_SIGNATURE",
  UNTRUSTED_SIGNER: "UNTRUSTED_SIGNER",
  MISSING_QUANTUM_SIGNATURE: "MISSING_QUANTUM_SIGNATURE",
  BAD_QUANTUM_SIGNATURE: "BAD_QUANTUM_SIGNATURE",
  EXPIRED: "EXPIRED",
  RAW_TRANSACTION_MISMATCH: "RAW_TRANSACTION_MISMATCH",
  // Reading the object itself.
  MISSING_FIELD: "MISSING_FIELD",
  MALFORMED_REQUEST: "MALFORMED_REQUEST",
  MALFORMED_HEX: "MALFORMED_HEX",
  WRONG_LENGTH: "WRONG_LENGTH",
  // Decoding a raw transaction.
  MALFORMED_RLP: "MALFORMED_RLP",
  UNSUPPORTED_TX_TYPE: "UNSUPPORTED_TX_TYPE",
  MISSING_CHAIN_ID: "MISSING_CHAIN_ID",
  GAS_LIMIT_EXCEEDED: "GAS_LIMIT_EXCEEDED",
} as const;

export type VerificationCode = (typeof Codes)[keyof typeof Codes];
export type VerificationReason = (typeof Reasons)[keyof typeof Reasons];

/** A failed check, as the engine's `validate` lists it. */
export interface Failure extends Rejection {
  code: VerificationCode;
  reason: VerificationReason;
}

export function failure(code: VerificationCode, reason: VerificationReason, message: string): Failure {
  return { code, reason, message };
}
