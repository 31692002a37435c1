/**
 * The feed (spec section 7, README "The feed") as an async iterator that survives the network: one
 * socket per lane, so that each resumes with `from` on its own; a reconnect after any drop, a 4008
 * "too slow" or a node stopping (1001), from the lane's next sequence; no sequence yielded twice;
 * a skipped sequence reported as a gap; each preconfirmation verified as it is yielded when a
 * signer set is given; and a cursor a caller can persist and pass back as `from`.
 */
import { verifyPreconfirmation, type TrustedSigners, type Verification } from "./verify.js";
import type { Hex, Preconfirmation, StatusChange } from "./types.js";

// Handlers typed as methods are compared both ways, so that each implementation's own event types fit.
type Handler<E> = { handle(event: E): void }["handle"] | null;

/** The part of the WebSocket API the subscription uses: the browser's, Node 22's or the ws package's. */
export interface FeedSocket {
  onopen: Handler<unknown>;
  onmessage: Handler<{ data: unknown }>;
  onclose: Handler<{ code: number; reason: string }>;
  onerror: Handler<unknown>;
  close(code?: number, reason?: string): void;
}
export type FeedSocketConstructor = new (url: string) => FeedSocket;

export interface SubscribeOptions {
  /** The feed's WebSocket URL, e.g. ws://127.0.0.1:8090/feed under bin/run. */
  url: string;
  /** The lanes to follow, one socket each. */
  chainIds: readonly number[];
  /** Only this sender's preconfirmations and status changes (the feed filters; gaps are then not judged). */
  sender?: string;
  /** Where to resume: the next sequence of each lane (a number when there is one lane), as {@link FeedSubscription.cursor} gave it. */
  from?: number | Readonly<Record<number, number | null | undefined>>;
  /** Verify each preconfirmation against these signers; its event then carries `verification`. */
  verify?: (TrustedSigners & { requirePq?: boolean }) | null;
  /** An API key, sent as the `apiKey` parameter. */
  apiKey?: string;
  /** The WebSocket class; the global one by default (browsers, Node 22+). */
  WebSocket?: FeedSocketConstructor;
  /** First reconnect delay, doubled on each failed attempt up to `maxDelayMs` (250 ms and 10 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Silence after which a socket is taken for dead and replaced: 45 s, three missed heartbeats. */
  idleTimeoutMs?: number;
  /** Events held for a slow consumer before the sockets pause; they resume from the cursor. */
  maxBuffered?: number;
  signal?: AbortSignal;
}

export type FeedEvent =
  | {
      type: "preconfirmation";
      chainId: number;
      sequence: number;
      preconfirmation: Preconfirmation;
      /** Whether `previous` names the transaction yielded at sequence - 1; null when that is unknown. */
      linked: boolean | null;
      verification?: Verification;
    }
  | { type: "status"; chainId: number; change: StatusChange }
  /**
   * Sequences `from`..`to` of the lane were never delivered: voided positions, or lost history.
   * Both null when a connection dropped without a word before the lane delivered anything: its
   * position was never learned, so what the drop cost cannot be told (the feed tells no position
   * to a live subscriber except in close reasons).
   */
  | { type: "gap"; chainId: number; from: number | null; to: number | null }
  | {
      type: "connection";
      chainId: number;
      state: "open" | "closed";
      /** The sequence the socket resumes (open) or will resume (closed) from, when known. */
      from: number | null;
      code?: number;
      reason?: string;
      /** When the next attempt starts, for a closed socket. */
      retryInMs?: number;
    }
  /** An error frame the feed sent before closing (spec section 7). */
  | { type: "error"; chainId: number; code: string; reason: string; message: string };

/** The feed refused the subscription itself (bad parameters, unknown API key): retrying cannot help. */
export class FeedRefusedError extends Error {
  constructor(
    readonly chainId: number,
    readonly code: string | undefined,
    readonly reason: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "FeedRefusedError";
  }
}

export interface FeedSubscription extends AsyncIterableIterator<FeedEvent> {
  /** Per lane, the sequence after the last one yielded (delivered or reported as a gap); null before any. */
  cursor(): Record<number, number | null>;
  close(): void;
}

const REFUSED = 1008;
const TOO_SLOW = 4008;
const CLIENT_PAUSE = 4000;
const CLIENT_IDLE = 4001;

interface Queued {
  event: FeedEvent;
  /** The lane's cursor once this event is yielded. */
  advance?: { lane: Lane; to: number };
}

interface Lane {
  chainId: number;
  socket: FeedSocket | null;
  /** The next sequence expected from the socket. */
  received: number | null;
  /** The next sequence after the last yielded event. */
  cursor: number | null;
  lastTxHash: Hex | null;
  attempt: number;
  lastError: { code: string; reason: string; message: string } | null;
  /** Whether the current socket opened: only a socket that was live can have missed anything. */
  opened: boolean;
  idle: ReturnType<typeof setTimeout> | null;
  retry: ReturnType<typeof setTimeout> | null;
}

function socketClass(given: FeedSocketConstructor | undefined): FeedSocketConstructor {
  const found = given ?? (globalThis as { WebSocket?: FeedSocketConstructor }).WebSocket;
  if (!found) throw new TypeError("no WebSocket class: pass options.WebSocket (the ws package's, say) on Node before 22");
  return found;
}

export function subscribe(options: SubscribeOptions): FeedSubscription {
  const Socket = socketClass(options.WebSocket);
  if (!options.chainIds || options.chainIds.length === 0) {
    throw new TypeError("subscribe needs at least one chainId: one socket follows each lane");
  }
  const initialDelay = options.initialDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 10_000;
  const idleTimeout = options.idleTimeoutMs ?? 45_000;
  const maxBuffered = options.maxBuffered ?? 1024;
  const judgeGaps = !options.sender;
  const verify = options.verify ?? null;

  const queue: Queued[] = [];
  const waiting: Array<{ resolve: (r: IteratorResult<FeedEvent>) => void; reject: (e: Error) => void }> = [];
  let closed = false;
  let paused = false;
  let fatal: Error | null = null;

  const lanes = options.chainIds.map((chainId): Lane => {
    const from = typeof options.from === "number" ? options.from : (options.from?.[chainId] ?? null);
    if (typeof options.from === "number" && options.chainIds.length !== 1) {
      throw new TypeError("from as a number needs exactly one chainId; pass a map of chainId to sequence");
    }
    return {
      chainId,
      socket: null,
      received: from,
      cursor: from,
      lastTxHash: null,
      attempt: 0,
      lastError: null,
      opened: false,
      idle: null,
      retry: null,
    };
  });

  function push(item: Queued): void {
    const waiter = waiting.shift();
    if (waiter) {
      waiter.resolve({ value: yielded(item), done: false });
      return;
    }
    queue.push(item);
    if (!paused && queue.length > maxBuffered) {
      // The consumer is behind: stop reading rather than hold an unbounded backlog, and pick up
      // from each lane's next sequence once it has caught up. A lane that has delivered nothing has
      // no sequence to pick up from, and keeps reading.
      paused = true;
      for (const lane of lanes) {
        if (lane.received !== null) drop(lane, CLIENT_PAUSE, "paused: the consumer is behind");
      }
    }
  }

  function yielded(item: Queued): FeedEvent {
    if (item.advance) item.advance.lane.cursor = item.advance.to;
    const e = item.event;
    if (e.type === "preconfirmation" && verify) {
      return { ...e, verification: verifyPreconfirmation(e.preconfirmation, verify) };
    }
    return e;
  }

  function urlFor(lane: Lane): string {
    const u = new URL(options.url);
    u.searchParams.set("chainId", String(lane.chainId));
    if (options.sender) u.searchParams.set("sender", options.sender);
    if (lane.received !== null) u.searchParams.set("from", String(lane.received));
    if (options.apiKey) u.searchParams.set("apiKey", options.apiKey);
    return u.toString();
  }

  function connect(lane: Lane): void {
    lane.retry = null;
    if (closed || (paused && lane.received !== null)) return;
    lane.lastError = null;
    const socket = new Socket(urlFor(lane));
    lane.socket = socket;
    lane.opened = false;
    socket.onopen = () => {
      lane.opened = true;
      armIdle(lane);
      push({ event: { type: "connection", chainId: lane.chainId, state: "open", from: lane.received } });
    };
    socket.onmessage = (m) => {
      armIdle(lane);
      lane.attempt = 0;
      onFrame(lane, typeof m.data === "string" ? m.data : new TextDecoder().decode(m.data as ArrayBuffer));
    };
    socket.onerror = () => {
      // Always followed by onclose, which decides what happens next.
    };
    socket.onclose = (c) => onClosed(lane, c.code, c.reason);
  }

  function armIdle(lane: Lane): void {
    if (lane.idle) clearTimeout(lane.idle);
    lane.idle = setTimeout(() => drop(lane, CLIENT_IDLE, `no frame for ${idleTimeout} ms`), idleTimeout);
  }

  /** Detaches and closes a lane's socket now, without waiting for the peer's close frame. */
  function drop(lane: Lane, code: number, reason: string): void {
    const socket = lane.socket;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    try {
      socket.close(code, reason);
    } catch {
      // Already closing.
    }
    onClosed(lane, code, reason);
  }

  function onClosed(lane: Lane, code: number, reason: string): void {
    if (lane.idle) clearTimeout(lane.idle);
    lane.idle = null;
    lane.socket = null;
    if (closed) return;
    if (code === REFUSED) {
      const e = lane.lastError;
      fatal = new FeedRefusedError(lane.chainId, e?.code, e?.reason, e?.message ?? `the feed refused chain ${lane.chainId}: ${reason}`);
      finish();
      return;
    }
    if (lane.received === null) {
      // Nothing received yet: the node's close reason says where this connection was (from=<n>).
      const hinted = /from=(\d+)/.exec(reason ?? "");
      if (hinted) lane.received = Number(hinted[1]);
      else if (lane.opened && judgeGaps) {
        push({ event: { type: "gap", chainId: lane.chainId, from: null, to: null } });
      }
    }
    if (paused && code === CLIENT_PAUSE) {
      push({ event: { type: "connection", chainId: lane.chainId, state: "closed", from: lane.received, code, reason } });
      return;
    }
    const delay = code === TOO_SLOW ? 0 : Math.min(maxDelay, initialDelay * 2 ** lane.attempt) * (0.5 + Math.random() / 2);
    lane.attempt++;
    push({
      event: { type: "connection", chainId: lane.chainId, state: "closed", from: lane.received, code, reason, retryInMs: Math.round(delay) },
    });
    lane.retry = setTimeout(() => connect(lane), delay);
  }

  function onFrame(lane: Lane, text: string): void {
    let m: { type?: string; data?: unknown; code?: string; reason?: string; message?: string };
    try {
      m = JSON.parse(text);
    } catch {
      return; // Not a frame of the contract; nothing in it to act on.
    }
    if (m.type === "preconfirmation") {
      onPreconfirmation(lane, m.data as Preconfirmation);
    } else if (m.type === "status") {
      push({ event: { type: "status", chainId: lane.chainId, change: m.data as StatusChange } });
    } else if (m.type === "error") {
      lane.lastError = { code: m.code ?? "", reason: m.reason ?? "", message: m.message ?? "" };
      push({ event: { type: "error", chainId: lane.chainId, ...lane.lastError } });
    }
  }

  function onPreconfirmation(lane: Lane, p: Preconfirmation): void {
    const s = p?.sequence;
    if (typeof s !== "number" || !Number.isSafeInteger(s)) return;
    const expected = lane.received;
    if (expected !== null && s < expected) return; // already delivered, before a reconnect
    let linked: boolean | null = null;
    if (judgeGaps && expected !== null && s > expected) {
      push({ event: { type: "gap", chainId: lane.chainId, from: expected, to: s - 1 }, advance: { lane, to: s } });
    } else if (judgeGaps && expected !== null && lane.lastTxHash !== null && typeof p.previous === "string") {
      linked = p.previous.toLowerCase() === lane.lastTxHash;
    }
    lane.received = s + 1;
    lane.lastTxHash = typeof p.txHash === "string" ? (p.txHash.toLowerCase() as Hex) : null;
    push({
      event: { type: "preconfirmation", chainId: lane.chainId, sequence: s, preconfirmation: p, linked },
      advance: { lane, to: s + 1 },
    });
  }

  function finish(): void {
    closed = true;
    for (const lane of lanes) {
      if (lane.retry) clearTimeout(lane.retry);
      lane.retry = null;
      drop(lane, 1000, "unsubscribed");
    }
    // Waiters exist only while the queue is empty. The first sees the error, if any; the rest the end.
    for (const waiter of waiting.splice(0)) {
      if (fatal) {
        waiter.reject(fatal);
        fatal = null;
      } else {
        waiter.resolve({ value: undefined, done: true });
      }
    }
  }

  function resumeIfCaughtUp(): void {
    if (paused && !closed && queue.length <= maxBuffered / 2) {
      paused = false;
      for (const lane of lanes) if (!lane.socket && !lane.retry) connect(lane);
    }
  }

  options.signal?.addEventListener("abort", () => finish(), { once: true });
  for (const lane of lanes) connect(lane);

  const subscription: FeedSubscription = {
    next(): Promise<IteratorResult<FeedEvent>> {
      const item = queue.shift();
      if (item) {
        resumeIfCaughtUp();
        return Promise.resolve({ value: yielded(item), done: false });
      }
      if (fatal) {
        const error = fatal;
        fatal = null;
        return Promise.reject(error);
      }
      if (closed) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return(): Promise<IteratorResult<FeedEvent>> {
      finish();
      queue.length = 0;
      return Promise.resolve({ value: undefined, done: true });
    },
    cursor() {
      return Object.fromEntries(lanes.map((l) => [l.chainId, l.cursor]));
    },
    close() {
      finish();
    },
    [Symbol.asyncIterator]() {
      return subscription;
    },
  };
  return subscription;
}
