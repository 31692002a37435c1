// subscribe() against the real feed, directly and through a relay that does to the connection what
// networks and overloaded nodes do: drop it, cut it, close it with 4008, repeat or lose a frame.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { FeedRefusedError, subscribe, trustFromInfo, type FeedEvent, type FeedSubscription, type TrustedSigners } from "@preconf/client";
import WebSocket from "ws";
import { alpha, beta, engine, feedUrl, promise } from "./support/engine.js";
import { feedProxy, type FeedProxy } from "./support/proxy.js";

let trust: TrustedSigners;
let proxy: FeedProxy;

before(async () => {
  trust = trustFromInfo(await engine.info());
  proxy = await feedProxy(feedUrl);
});
after(() => proxy.stop());

/** Reads events until `until` says stop, failing after `ms`. */
async function read(sub: FeedSubscription, until: (seen: FeedEvent[]) => boolean, ms = 30_000): Promise<FeedEvent[]> {
  const seen: FeedEvent[] = [];
  const deadline = Date.now() + ms;
  while (!until(seen)) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`gave up after ${ms} ms; saw ${JSON.stringify(seen.map(brief))}`);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((r) => (timer = setTimeout(() => r("late"), left)));
    const next = await Promise.race([sub.next(), late]).finally(() => clearTimeout(timer));
    if (next === "late") continue;
    if (next.done) break;
    seen.push(next.value);
  }
  return seen;
}

const brief = (e: FeedEvent) =>
  e.type === "preconfirmation" ? `p${e.sequence}` : e.type === "gap" ? `gap${e.from}-${e.to}` : e.type === "connection" ? `${e.state}${e.code ?? ""}` : e.type;
const promises = (events: FeedEvent[]) => events.filter((e) => e.type === "preconfirmation");
const sequences = (events: FeedEvent[]) => promises(events).map((e) => e.sequence);
const opened = (events: FeedEvent[]) => events.filter((e) => e.type === "connection" && e.state === "open").length;

async function live(sub: FeedSubscription, lanes = 1): Promise<void> {
  await read(sub, (seen) => opened(seen) >= lanes);
}

describe("subscribe", () => {
  test("yields each new preconfirmation in lane order, verified and linked, and moves its cursor", async () => {
    const sub = subscribe({ url: feedUrl, chainIds: [alpha], verify: trust, WebSocket });
    try {
      await live(sub);
      const made = [await promise(alpha), await promise(alpha), await promise(alpha)];
      const events = promises(await read(sub, (seen) => promises(seen).length >= 3));
      assert.deepEqual(
        events.map((e) => e.sequence),
        made.map((m) => m.p.sequence),
      );
      assert.deepEqual(
        events.map((e) => e.preconfirmation.id),
        made.map((m) => m.p.id),
      );
      for (const e of events) assert.deepEqual(e.verification, { valid: true, errors: [] });
      assert.deepEqual(
        events.map((e) => e.linked),
        [null, true, true],
      );
      assert.deepEqual(sub.cursor(), { [alpha]: made[2]!.p.sequence + 1 });
    } finally {
      sub.close();
    }
  });

  test("resumes from a persisted cursor with exactly what it missed", async () => {
    const first = subscribe({ url: feedUrl, chainIds: [alpha], WebSocket });
    await live(first);
    const a = await promise(alpha);
    await read(first, (seen) => sequences(seen).includes(a.p.sequence));
    const cursor = first.cursor();
    first.close();

    const missed = [await promise(alpha), await promise(alpha)];
    const second = subscribe({ url: feedUrl, chainIds: [alpha], from: cursor, verify: trust, WebSocket });
    try {
      const events = await read(second, (seen) => promises(seen).length >= 2);
      assert.deepEqual(
        sequences(events),
        missed.map((m) => m.p.sequence),
      );
      assert.ok(promises(events).every((e) => e.verification?.valid && e.linked !== false));
      assert.ok(!events.some((e) => e.type === "gap"));
    } finally {
      second.close();
    }
  });

  test("after a 4008 it reconnects at once from its next sequence, and a repeated frame is not yielded twice", async () => {
    const sub = subscribe({ url: proxy.url, chainIds: [alpha], WebSocket });
    try {
      await live(sub);
      const a = await promise(alpha);
      proxy.once((frame) => (frame.type === "preconfirmation" ? "repeat" : "pass"));
      const b = await promise(alpha);
      const before = await read(sub, (seen) => sequences(seen).includes(b.p.sequence));
      assert.deepEqual(sequences(before), [a.p.sequence, b.p.sequence]);
      const next = b.p.sequence + 1;
      proxy.closeAll(4008, `subscriber too slow: 1024 messages unsent; reconnect with from=${next}`);
      const c = await promise(alpha);
      const events = await read(sub, (seen) => sequences(seen).includes(c.p.sequence));
      const closed = events.find((e) => e.type === "connection" && e.state === "closed");
      assert.deepEqual(closed && closed.type === "connection" && [closed.code, closed.retryInMs], [4008, 0]);
      assert.equal(proxy.connections.at(-1), `?chainId=${alpha}&from=${next}`);
      assert.deepEqual(sequences(events), [c.p.sequence]);
    } finally {
      sub.close();
    }
  });

  test("a cut connection is replaced with backoff and loses nothing promised meanwhile", async () => {
    const sub = subscribe({ url: proxy.url, chainIds: [alpha, beta], WebSocket, initialDelayMs: 500 });
    try {
      await live(sub, 2);
      const before = await promise(alpha);
      const beforeBeta = await promise(beta);
      await read(sub, (seen) => sequences(seen).includes(before.p.sequence) && sequences(seen).includes(beforeBeta.p.sequence));
      proxy.cutAll();
      const meanwhile = [await promise(alpha), await promise(beta), await promise(alpha)];
      const events = await read(sub, (seen) => promises(seen).length >= 3);
      assert.deepEqual(
        promises(events).map((e) => [e.chainId, e.sequence]).sort(),
        meanwhile.map((m) => [m.p.chainId, m.p.sequence]).sort(),
      );
      assert.ok(proxy.connections.includes(`?chainId=${alpha}&from=${before.p.sequence + 1}`), proxy.connections.join(" "));
      assert.ok(!events.some((e) => e.type === "gap"));
    } finally {
      sub.close();
    }
  });

  test("a lane cut without a word before it delivered anything reports a gap of unknown extent", async () => {
    const sub = subscribe({ url: proxy.url, chainIds: [beta], WebSocket, initialDelayMs: 100 });
    try {
      await live(sub);
      proxy.cutAll();
      const events = await read(sub, (seen) => opened(seen) >= 1 && seen.some((e) => e.type === "gap"));
      assert.deepEqual(events.find((e) => e.type === "gap"), { type: "gap", chainId: beta, from: null, to: null });
      assert.deepEqual(sub.cursor(), { [beta]: null });
    } finally {
      sub.close();
    }
  });

  test("a consumer that falls behind pauses the sockets and resumes from its cursor, losing nothing", async () => {
    const sub = subscribe({ url: proxy.url, chainIds: [alpha], WebSocket, maxBuffered: 2 });
    try {
      await live(sub);
      const first = await promise(alpha);
      await read(sub, (seen) => sequences(seen).includes(first.p.sequence));
      const connections = proxy.connections.length;
      const made = [];
      for (let i = 0; i < 6; i++) made.push(await promise(alpha));
      // Nothing read meanwhile: the third event queued paused the socket.
      const events = await read(sub, (seen) => promises(seen).length >= 6);
      assert.deepEqual(
        sequences(events),
        made.map((m) => m.p.sequence),
      );
      assert.ok(proxy.connections.length > connections, "the socket was closed and opened again");
      assert.ok(!events.some((e) => e.type === "gap"));
    } finally {
      sub.close();
    }
  });

  test("a sequence that never arrives is reported as a gap, and the cursor moves past it", async () => {
    const sub = subscribe({ url: proxy.url, chainIds: [alpha], WebSocket });
    try {
      await live(sub);
      const a = await promise(alpha);
      await read(sub, (seen) => sequences(seen).includes(a.p.sequence));
      proxy.once((frame) => (frame.type === "preconfirmation" ? "drop" : "pass"));
      const lost = await promise(alpha);
      const c = await promise(alpha);
      const events = await read(sub, (seen) => sequences(seen).includes(c.p.sequence));
      const gap = events.find((e) => e.type === "gap");
      assert.deepEqual(gap, { type: "gap", chainId: alpha, from: lost.p.sequence, to: lost.p.sequence });
      assert.deepEqual(sequences(events), [c.p.sequence]);
      assert.deepEqual(sub.cursor(), { [alpha]: c.p.sequence + 1 });
    } finally {
      sub.close();
    }
  });

  test("a refused subscription ends the iteration with the feed's coded error", async () => {
    const sub = subscribe({ url: feedUrl, chainIds: [5], WebSocket });
    await assert.rejects(
      read(sub, () => false),
      (e: unknown) => e instanceof FeedRefusedError && e.reason === "UNSUPPORTED_CHAIN" && /chain id 5 /.test(e.message),
    );
  });
});
