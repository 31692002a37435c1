/**
 * The engine's functions over HTTP (spec section 5): `POST <url>/<name>` with a JSON body, the same
 * JSON as on AWS Lambda. Expected refusals are values in the answer; only a transport failure or a
 * non-2xx answer throws.
 */
import type {
  Block,
  Hex,
  Info,
  Preconfirmation,
  PreconfirmResult,
  ReconcileResult,
  Rejection,
  StatusResult,
  ValidateResult,
} from "./types.js";

export interface EngineOptions {
  /** Where the functions answer, e.g. http://127.0.0.1:8080 under bin/run. */
  url: string;
  /** Headers sent with every call (an API gateway's key, say). */
  headers?: Readonly<Record<string, string>>;
  /** How long one call may take; 30 s by default. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface PreconfirmOptions {
  /** All or none: with any transaction refused, nothing is promised and nothing consumed. */
  atomic?: boolean;
  /** The slot to promise inclusion by; the engine's choice when absent. */
  targetSlot?: number | null;
}

/** A call that did not get a JSON answer with a 2xx status. */
export class EngineHttpError extends Error {
  constructor(
    readonly fn: string,
    readonly status: number,
    readonly error: Rejection | undefined,
    message: string,
  ) {
    super(message);
    this.name = "EngineHttpError";
  }
}

export interface EngineClient {
  /** Promises signed transactions (0x hex, as eth_sendRawTransaction takes them). */
  preconfirm(transactions: readonly string[], options?: PreconfirmOptions): Promise<PreconfirmResult>;
  /** The held promise of a transaction with its status, or a not-found answer naming why. */
  status(chainId: number, txHash: string): Promise<StatusResult>;
  /** The signer, its ML-DSA-65 public key and the served rollups. */
  info(): Promise<Info>;
  /** The engine's own verdict on a preconfirmation (compare {@link verifyPreconfirmation}). */
  validate(preconfirmation: Preconfirmation | unknown, rawTransaction?: string): Promise<ValidateResult>;
  /** Hands the engine one rollup block to settle promises with (docs/finality.md). */
  reconcile(block: Block): Promise<ReconcileResult>;
}

export function createEngineClient(options: EngineOptions): EngineClient {
  const base = options.url.replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function call<T>(fn: string, body: unknown): Promise<T> {
    const response = await doFetch(`${base}/${fn}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...options.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new EngineHttpError(fn, response.status, undefined, `${fn} answered HTTP ${response.status} with no JSON: ${text.slice(0, 200)}`);
    }
    if (!response.ok) {
      const error = (json as { error?: Rejection }).error;
      const why = error ? `${error.code}/${error.reason}: ${error.message}` : text.slice(0, 200);
      throw new EngineHttpError(fn, response.status, error, `${fn} answered HTTP ${response.status}: ${why}`);
    }
    return json as T;
  }

  return {
    preconfirm: (transactions, o = {}) =>
      call("preconfirm", { transactions, atomic: o.atomic ?? false, targetSlot: o.targetSlot ?? null }),
    status: (chainId, txHash) => call("status", { chainId, txHash: txHash as Hex }),
    info: () => call("info", {}),
    validate: (preconfirmation, rawTransaction) =>
      call(
        "validate",
        rawTransaction === undefined ? preconfirmation : { ...(preconfirmation as object), rawTransaction },
      ),
    reconcile: (block) => call("reconcile", block),
  };
}
