/**
 * The wire shapes of docs/spec/preconfirmation-v1.md: byte strings are 0x hex, chain ids, nonces,
 * sequences, slots and millisecond times are JSON numbers within 53 bits, wei amounts are decimal
 * strings.
 */

export type Hex = `0x${string}`;

/** The signed EIP-712 commitment over one request's Merkle root (spec section 3). */
export interface Commitment {
  root: Hex;
  issuedAt: number;
  expiresAt: number;
  atomic: boolean;
  signer: Hex;
  signature: Hex;
  /** ML-DSA-65 over the same digest, or null when the preconfer does not co-sign. */
  pqSignature: Hex | null;
}

/** One preconfirmation (spec section 4): the leaf, its proof and the signed commitment. */
export interface Preconfirmation {
  id: Hex;
  chainId: number;
  txHash: Hex;
  sender: Hex;
  nonce: number;
  sequence: number;
  previous: Hex;
  receivedAt: number;
  targetSlot: number;
  proof: Hex[];
  commitment: Commitment;
}

/** One failed check or refused input: the engine's error kind, its narrowing reason, a sentence. */
export interface Rejection {
  code: string;
  reason: string;
  message: string;
}

/** A transaction `preconfirm` did not promise, by its index in the request. */
export interface RejectedTransaction extends Rejection {
  index: number;
}

export interface PreconfirmResult {
  preconfirmations: Preconfirmation[];
  rejected: RejectedTransaction[];
  /** A refusal of the whole request (bad body), when there was one. */
  error?: Rejection;
}

export interface Rollup {
  chainId: number;
  name: string;
  slotDurationMs: number;
  genesisTimeMs: number;
  currentSlot: number;
  lookaheadSlots: number;
  gasLimit: number;
  minPriorityFeeWei: string;
  maxPreconfirmationsPerSlot: number;
  maxGasPerSlot: number;
}

export interface Info {
  signer: Hex;
  pqPublicKey: Hex | null;
  rollups: Rollup[];
  version: string;
}

export type Status =
  | "PRECONFIRMED"
  | "INCLUDED"
  | "FINALIZED"
  | "VIOLATED"
  | "EXPIRED"
  /** The rollup's node refused the transaction when the engine handed it over. */
  | "DELIVERY_FAILED"
  | (string & {});

/** Where a promised transaction landed. */
export interface Finality {
  blockNumber: number;
  blockHash: Hex;
  index: number;
}

export interface RecordedViolation {
  kind: string;
  reason: string;
  blockHash: Hex;
  detectedAt: number;
  retracted: number | null;
  evidence: unknown;
}

/** `status` of a held promise: the preconfirmation, its status and, once included, where. */
export interface FoundStatus extends Preconfirmation {
  found?: undefined;
  status: Status;
  finality?: Finality;
  violations?: RecordedViolation[];
}

export interface NotFoundStatus {
  found: false;
  /** The lane position reserved for the transaction and voided, when that is why. */
  voidedSequence?: number;
  error: Rejection;
}

export type StatusResult = FoundStatus | NotFoundStatus;

export interface ValidateResult {
  valid: boolean;
  errors: Rejection[];
}

/** One rollup block for `reconcile` (docs/finality.md). */
export interface Block {
  chainId: number;
  number: number;
  hash: Hex;
  parentHash: Hex;
  slot?: number;
  timestamp?: number;
  transactions: Hex[];
}

export interface StatusChange {
  chainId: number;
  txHash: Hex;
  sequence: number;
  status: Status;
  finality?: Finality;
  reason?: string;
  time: number;
}

export interface ReconcileResult {
  outcome: "APPLIED" | "DUPLICATE" | "REFUSED";
  block?: { chainId: number; number: number; hash: Hex; slot: number };
  reorg?: { height: number; replaced: Hex; replacement: Hex; orphaned: Hex[] };
  changes?: StatusChange[];
  violations?: unknown[];
  error?: Rejection;
}
