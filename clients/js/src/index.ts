/**
 * Client of the preconfirmation engine (docs/spec/preconfirmation-v1.md): its functions over
 * HTTP, offline verification of every promise with the engine's own reasons, and the feed as a
 * resumable async iterator. viem actions are in `@preconf/client/viem`.
 */
export type * from "./types.js";
export { Codes, Reasons, type Failure, type VerificationCode, type VerificationReason } from "./reasons.js";
export { createEngineClient, EngineHttpError, type EngineClient, type EngineOptions, type PreconfirmOptions } from "./http.js";
export {
  trustFromInfo,
  verifyPreconfirmation,
  type TrustedSigners,
  type Verification,
  type VerifyOptions,
} from "./verify.js";
export {
  FeedRefusedError,
  subscribe,
  type FeedEvent,
  type FeedSocket,
  type FeedSocketConstructor,
  type FeedSubscription,
  type SubscribeOptions,
} from "./feed.js";
export { commitmentDigest, leafHash, processProof, recoverSigner, verifyMlDsa65, type LeafValues } from "./crypto.js";
export { decodeTransactionHex, type DecodedTransaction } from "./transaction.js";
