// The engine's fault tests, against the built jars (bin/engine) and Redis and PostgreSQL of this
// run's own (never the shared ones: they are stopped and restarted here). Under load from fresh
// random senders on a rollup of the run's own (no node, so no sender checks), it
//   1. kill -9s the functions process and starts it again: every in-flight transaction must be
//      preconfirmable again within seconds (never a TIMEOUT), and no position may stay open past
//      the sweeper's bound;
//   2. stops Redis, then PostgreSQL, for a few seconds each: every answer meanwhile is a
//      preconfirmation or a clear BACKEND_UNAVAILABLE, and preconfirmations come back after;
//   3. overloads the functions with clients that give up early: no position stays open past the
//      sweeper's bound;
// then checks that every acknowledged preconfirmation is identical in `status`, in the answer to a
// resubmission and in the feed's replay, each exactly once, and prints the figures.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Wallet, keccak256 } from "ethers";
import { freePort } from "../bin/lib/harness.mjs";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const REDIS_PORT = Number(process.env.PRECONF_FAULTS_REDIS_PORT ?? 6413);
const PG_PORT = Number(process.env.PRECONF_FAULTS_PG_PORT ?? 5463);
const CHAIN = 1672001;
const DEADLINE_MS = 10_000; // preconf.engine.preconfirmation-timeout for this run
const SWEEP_BOUND_MS = DEADLINE_MS + 2_000; // plus preconf.sweeper.grace
const KEY_PREFIX = "preconf:";

const runDir = mkdtempSync(join(tmpdir(), "preconf-faults-"));
const [httpPort, feedPort] = [await freePort(), await freePort()];
const http = `http://127.0.0.1:${httpPort}`;
const env = {
  ...process.env,
  PRECONF_REDIS_PORT: String(REDIS_PORT),
  PRECONF_PG_PORT: String(PG_PORT),
  PRECONF_RUN_DIR: runDir,
  QUARKUS_REDIS_HOSTS: `redis://127.0.0.1:${REDIS_PORT}`,
  QUARKUS_DATASOURCE_REACTIVE_URL: `postgresql://127.0.0.1:${PG_PORT}/preconf`,
  QUARKUS_DATASOURCE_JDBC_URL: `jdbc:postgresql://127.0.0.1:${PG_PORT}/preconf`,
  PRECONF_HTTP_PORT: String(httpPort),
  PRECONF_FEED_PORT: String(feedPort),
  PRECONF_ENGINE_DIR: join(runDir, "engine"),
  PRECONF_ROLLUPS_JSON: JSON.stringify([
    { chainId: CHAIN, name: "faults", genesisTimeMs: 1_735_689_600_000, slotDurationMs: 2000, lookaheadSlots: 32 },
  ]),
  PRECONF_ENGINE_PRECONFIRMATION_TIMEOUT: `${DEADLINE_MS / 1000}s`,
};

const figures = {};
const preconfirmsSent = []; // when each preconfirm call was sent
const failures = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => Date.now();
/** Polls `ready` every 50 ms until it holds or `deadline` (unix ms) passes; whether it held. */
async function until(ready, deadline) {
  while (!ready()) {
    if (now() >= deadline) return ready();
    await sleep(50);
  }
  return true;
}
/** Runs one phase, printing and keeping how long it took. */
async function phase(name, run) {
  const started = now();
  try {
    return await run();
  } finally {
    const ms = now() - started;
    (figures.phaseMs ??= {})[name] = ms;
    console.log(`faults: phase ${name} took ${ms} ms`);
  }
}
function check(ok, what) {
  console.log(`faults: ${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
}
function sh(args, what) {
  const r = spawnSync(args[0], args.slice(1), { cwd: repo, env, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) throw new Error(`${what}: ${args.join(" ")} exited with ${r.status}`);
}
const servers = (command) => sh(["infra/scripts/servers.sh", command], `servers ${command}`);
const engine = (command) => sh(["bin/engine", command], `engine ${command}`);
function redis(...args) {
  const r = spawnSync("redis-cli", ["-h", "127.0.0.1", "-p", String(REDIS_PORT), ...args], { encoding: "utf8" });
  return r.stdout.trim();
}
const openPositions = () => Number(redis("HLEN", `${KEY_PREFIX}{lanes}:open:${CHAIN}`));

// ---- transactions and calls ----

/** A signed EIP-1559 transfer from a fresh random sender, nonce 0. */
async function freshTx() {
  const wallet = new Wallet("0x" + randomBytes(32).toString("hex"));
  const raw = await wallet.signTransaction({
    type: 2,
    chainId: CHAIN,
    nonce: 0,
    to: "0x000000000000000000000000000000000000dEaD",
    value: 1n,
    gasLimit: 21_000n,
    maxFeePerGas: 30_000_000_000n,
    maxPriorityFeePerGas: 2_000_000_000n,
  });
  return { raw, hash: keccak256(raw) };
}

/**
 * POSTs a function call; the JSON answer, or {transport: message} when no answer came (refused
 * connection, reset, client timeout), or {badAnswer} for one that is not JSON.
 */
async function call(name, body, timeoutMs = DEADLINE_MS + 5_000) {
  if (name === "preconfirm") preconfirmsSent.push(now());
  try {
    const r = await fetch(`${http}/${name}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await r.text();
    try {
      return JSON.parse(text);
    } catch {
      return { badAnswer: `HTTP ${r.status}: ${text.slice(0, 200)}` };
    }
  } catch (e) {
    return { transport: String(e.cause?.code ?? e.name ?? e) };
  }
}

/** What one preconfirm answer says about its single transaction. */
function outcome(answer) {
  if (answer.transport) return { kind: "transport", detail: answer.transport };
  if (answer.badAnswer) return { kind: "bad", detail: answer.badAnswer };
  const p = answer.preconfirmations?.[0];
  if (p) return { kind: "preconfirmed", p };
  const why = answer.rejected?.[0] ?? answer.error;
  return { kind: "refused", reason: why?.reason ?? "NONE", detail: why?.message };
}

const acked = new Map(); // txHash -> preconfirmation, every one the engine acknowledged
const raws = new Map(); // txHash -> the signed transaction
const calls = []; // every load call, with its outcome
/** Keeps an acknowledged preconfirmation; true when it is the transaction's first. */
function remember(tx, o) {
  if (o.kind !== "preconfirmed") return false;
  const before = acked.get(tx.hash);
  if (before && before.id !== o.p.id) failures.push(`${tx.hash} was promised twice: ${before.id}, ${o.p.id}`);
  acked.set(tx.hash, o.p);
  raws.set(tx.hash, tx.raw);
  return !before;
}

/**
 * Runs `workers` concurrent clients, each sending fresh transactions one after another until
 * `stop()` says so; every call is logged with its outcome.
 */
async function load({ workers, stop, timeoutMs, pauseMs = 0 }) {
  const log = [];
  async function worker() {
    while (!stop()) {
      const tx = await freshTx();
      const sentAt = now();
      const o = outcome(await call("preconfirm", { transactions: [tx.raw] }, timeoutMs));
      const first = remember(tx, o);
      const entry = { tx, sentAt, at: now(), first, ...o };
      log.push(entry);
      calls.push(entry);
      if (pauseMs) await sleep(pauseMs);
      if (o.kind === "transport") await sleep(50); // the process is down: do not spin
    }
  }
  await Promise.all(Array.from({ length: workers }, worker));
  return log;
}

function counts(log) {
  const c = {};
  for (const e of log) {
    const k = e.kind === "refused" ? e.reason : e.kind;
    c[k] = (c[k] ?? 0) + 1;
  }
  return c;
}

// ---- the feed ----

/** A subscriber from the start: when each preconfirmation's frame arrived, by txHash. */
function liveFeed() {
  const arrived = new Map();
  const ws = new WebSocket(`ws://127.0.0.1:${feedPort}/feed?chainId=${CHAIN}`);
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.type === "preconfirmation" && !arrived.has(m.data.txHash)) arrived.set(m.data.txHash, now());
  };
  const opened = new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  return { arrived, opened, close: () => ws.close() };
}

/** Replays the lane from sequence 1 until `through`: every preconfirmation frame, in order. */
function replay(through, timeoutMs = 30_000) {
  return new Promise((resolve) => {
    const frames = [];
    const ws = new WebSocket(`ws://127.0.0.1:${feedPort}/feed?chainId=${CHAIN}&from=1`);
    const done = () => {
      clearTimeout(timer);
      ws.close();
      resolve(frames);
    };
    const timer = setTimeout(done, timeoutMs);
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.type !== "preconfirmation") return;
      frames.push(m.data);
      if (m.data.sequence >= through) done();
    };
    ws.onclose = done;
  });
}

// ---- the phases ----

/**
 * Where the restart's time went, from the restarted functions' log: JVM and Quarkus start to
 * "started in", Flyway's migration, and the log's first and last lines (unix ms).
 */
function startUp(killedAt) {
  const log = readFileSync(join(runDir, "engine", "functions.log"), "utf8").split("\n");
  const at = (line) => {
    const m = line.match(/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3})/);
    return m ? Date.parse(m[1].replace(" ", "T").replace(",", ".") + "Z") : null;
  };
  const stamped = log.filter((l) => at(l) !== null);
  const first = stamped.length ? at(stamped[0]) : null;
  const flywayLines = stamped.filter((l) => l.includes("org.flywaydb"));
  const started = log.find((l) => /started in [\d.]+s/.test(l));
  return {
    quarkusStartedInS: started ? Number(started.match(/started in ([\d.]+)s/)[1]) : null,
    killToFirstLogLineMs: first && first - killedAt,
    flywayMs: flywayLines.length ? at(flywayLines.at(-1)) - at(flywayLines[0]) : null,
  };
}

async function killNine(feed) {
  console.log("faults: kill -9 of the functions process under load");
  let stopLoad = false;
  const loading = load({ workers: 6, stop: () => stopLoad, timeoutMs: DEADLINE_MS + 5_000 });
  await sleep(3_000);
  const pid = Number(readFileSync(join(runDir, "engine", "functions.pid"), "utf8"));
  const killedAt = now();
  process.kill(pid, "SIGKILL");
  // Started again at once, as a supervisor would; bin/engine waits until it is ready.
  const restarting = new Promise((resolve) => {
    const p = spawn("bin/engine", ["start"], { cwd: repo, env, stdio: ["ignore", "inherit", "inherit"] });
    p.on("exit", resolve);
  });
  let firstAnswer = null;
  // Seconds on a quiet machine; a JVM started while other builds share the cores has been seen to
  // take well over a minute, which is measured, not failed.
  while (firstAnswer === null && now() - killedAt < 240_000) {
    const tx = await freshTx();
    const o = outcome(await call("preconfirm", { transactions: [tx.raw] }, 2_000));
    remember(tx, o);
    if (o.kind === "preconfirmed") firstAnswer = now();
    else await sleep(20);
  }
  await restarting;
  figures.killToFirstAnswerMs = firstAnswer && firstAnswer - killedAt;
  figures.startUp = startUp(killedAt);
  check(firstAnswer !== null, `the restarted functions answer (${figures.killToFirstAnswerMs} ms after kill -9)`);

  // In flight at the crash: sent before it, answered by no preconfirmation.
  await sleep(1_000);
  stopLoad = true;
  const log = await loading;
  const inFlight = log.filter((e) => e.sentAt < killedAt && e.at >= killedAt - 50 && e.kind !== "preconfirmed");
  console.log(`faults: ${inFlight.length} transaction(s) in flight at the kill; answers around it: ${JSON.stringify(counts(log))}`);
  // Each is sent again until preconfirmed, for at most the preconfirm deadline twice over once the
  // restarted process answers.
  const again = await Promise.all(
    inFlight.map(async ({ tx }) => {
      const answers = [];
      while (now() - firstAnswer < 2 * DEADLINE_MS) {
        const o = outcome(await call("preconfirm", { transactions: [tx.raw] }));
        answers.push(o.kind === "refused" ? o.reason : o.kind);
        remember(tx, o);
        if (o.kind === "preconfirmed") return { at: now(), answers };
        await sleep(100);
      }
      return { at: null, answers };
    }),
  );
  const latest = again.reduce((m, a) => (a.at === null ? Infinity : Math.max(m, a.at)), firstAnswer);
  figures.inFlightPreconfirmableAgainMs = latest === Infinity ? null : latest - killedAt;
  figures.inFlightAfterFirstAnswerMs = latest === Infinity ? null : latest - firstAnswer;
  // Within seconds of the restarted process's first answer: what the dead process held is free
  // once its heartbeat lapses (preconf.infra.redis.holder-ttl, 5 s), not after the deadline.
  check(latest !== Infinity && latest - firstAnswer < 8_000,
    `every in-flight transaction is preconfirmable again (the last ${figures.inFlightPreconfirmableAgainMs} ms after kill -9, ` +
      `${figures.inFlightAfterFirstAnswerMs} ms after the restarted process first answered)`);
  const timeouts = again.flatMap((a) => a.answers).filter((r) => r === "TIMEOUT").length;
  check(timeouts === 0, `no resubmission of an in-flight transaction answered TIMEOUT (${timeouts})`);

  // The live feed after the restart: how long a promise made then waited to reach a subscriber.
  const after = log.filter((e) => e.kind === "preconfirmed" && e.sentAt > killedAt);
  await until(() => after.every((e) => feed.arrived.has(e.tx.hash)), now() + 2_000);
  const waits = after.map((e) => (feed.arrived.get(e.tx.hash) ?? now()) - e.at);
  figures.feedStallAfterRestartMs = waits.length ? Math.max(0, ...waits) : 0;
  check(after.every((e) => feed.arrived.has(e.tx.hash)), `each of the ${after.length} promises made after the restart reached the live feed`);
  return killedAt;
}

async function restartUnderLoad(server) {
  console.log(`faults: ${server} stopped for 3 s under load`);
  let stopLoad = false;
  const loading = load({ workers: 4, stop: () => stopLoad, timeoutMs: DEADLINE_MS + 5_000, pauseMs: 20 });
  await sleep(1_500);
  const stoppedAt = now();
  servers(`stop-${server}`);
  await sleep(3_000);
  servers(`start-${server}`);
  const startedAt = now();
  let recovered = null;
  while (recovered === null && now() - startedAt < 30_000) {
    const tx = await freshTx();
    const o = outcome(await call("preconfirm", { transactions: [tx.raw] }));
    remember(tx, o);
    if (o.kind === "preconfirmed") recovered = now();
    else await sleep(100);
  }
  await sleep(1_000);
  stopLoad = true;
  const log = await loading;
  const during = log.filter((e) => e.sentAt >= stoppedAt && e.sentAt < startedAt);
  const c = counts(during);
  console.log(`faults: answers to calls sent while ${server} was down: ${JSON.stringify(c)}`);
  const unclear = during.filter((e) => !(e.kind === "preconfirmed" || (e.kind === "refused" && e.reason === "BACKEND_UNAVAILABLE")));
  check(unclear.length === 0,
    `while ${server} was down every answer was a preconfirmation or BACKEND_UNAVAILABLE` +
      (unclear.length ? `; not: ${JSON.stringify(unclear.slice(0, 3).map((e) => [e.kind, e.reason ?? e.detail]))}` : ""));
  check(during.some((e) => e.reason === "BACKEND_UNAVAILABLE"), `the outage of ${server} was answered BACKEND_UNAVAILABLE`);
  figures[`${server}RecoveryMs`] = recovered && recovered - startedAt;
  check(recovered !== null, `preconfirmations again ${figures[`${server}RecoveryMs`]} ms after ${server} came back`);
}

async function overload() {
  console.log("faults: overload (48 clients giving up after 1 s)");
  const until = now() + 6_000;
  const log = await load({ workers: 48, stop: () => now() > until, timeoutMs: 1_000 });
  console.log(`faults: overload answers: ${JSON.stringify(counts(log))}`);
  return now();
}

async function noOpenPositionAfterTheBound(since, what) {
  // A request sent before `since` claims within the deadline, so after since + deadline nothing
  // opens a position any more: from then on, polled until none is open, failed at the bound.
  const quiet = since + DEADLINE_MS - now();
  if (quiet > 0) await sleep(quiet);
  await until(() => openPositions() === 0, since + SWEEP_BOUND_MS + 2_000);
  const open = openPositions();
  check(open === 0, `no lane position open ${SWEEP_BOUND_MS + 2_000} ms after ${what} (${open})`);
  return open;
}

/** Every acknowledged preconfirmation the same in status, a resubmission and the feed's replay. */
async function everyPromiseKept() {
  const all = [...acked.entries()];
  console.log(`faults: checking ${all.length} acknowledged preconfirmations`);
  let statusDiffers = 0;
  let resubmissionDiffers = 0;
  for (let i = 0; i < all.length; i += 16) {
    await Promise.all(
      all.slice(i, i + 16).map(async ([hash, p]) => {
        const s = await call("status", { chainId: CHAIN, txHash: hash });
        if (s.id !== p.id || s.sequence !== p.sequence || s.commitment?.signature !== p.commitment.signature) statusDiffers++;
      }),
    );
  }
  check(statusDiffers === 0, `status gives each acknowledged preconfirmation as acknowledged (${statusDiffers} differ)`);
  for (let i = 0; i < resubmitted.length; i += 16) {
    await Promise.all(
      resubmitted.slice(i, i + 16).map(async (tx) => {
        const o = outcome(await call("preconfirm", { transactions: [tx.raw] }));
        const p = acked.get(tx.hash);
        if (o.kind !== "preconfirmed" || o.p.id !== p.id || o.p.commitment.signature !== p.commitment.signature) resubmissionDiffers++;
      }),
    );
  }
  check(resubmissionDiffers === 0, `a resubmission answers the same preconfirmation (${resubmitted.length} resubmitted, ${resubmissionDiffers} differ)`);

  const through = Math.max(...all.map(([, p]) => p.sequence));
  const frames = await replay(through);
  const seen = new Map();
  for (const f of frames) seen.set(f.txHash, (seen.get(f.txHash) ?? 0) + 1);
  const sequences = frames.map((f) => f.sequence);
  const inOrder = sequences.every((s, i) => i === 0 || s > sequences[i - 1]);
  const missingOrTwice = all.filter(([hash, p]) => seen.get(hash) !== 1 || frames.find((f) => f.txHash === hash)?.id !== p.id);
  check(inOrder && missingOrTwice.length === 0,
    `the feed's replay from 1 carries each acknowledged preconfirmation exactly once, identical, in lane order (${frames.length} frames, ${missingOrTwice.length} missing, twice or different)`);
}

// ---- metrics ----

/** The sum of every sample of `name` whose labels include `labels`, or null when there is none. */
function sample(text, name, labels = {}) {
  let sum = null;
  for (const line of text.split("\n")) {
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? (\S+)/);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum = (sum ?? 0) + Number(m[4]);
  }
  return sum;
}

async function scrape(port) {
  const r = await fetch(`http://127.0.0.1:${port}/q/metrics`);
  return r.text();
}

/**
 * Every metric README lists reads what the run did, on the functions (restarted by the kill -9
 * phase, so counted from `killedAt`) and on the feed (up since the start, one subscriber).
 */
async function metricsTellTheTruth(killedAt, liveFrames) {
  // validate is called by nobody else: three genuine preconfirmations, two tampered ones.
  const some = [...acked.values()].slice(0, 3);
  for (const p of some) await call("validate", p);
  for (const p of some.slice(0, 2)) await call("validate", { ...p, sequence: p.sequence + 1 });
  const refused = await new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${feedPort}/feed?chainId=5`);
    ws.onclose = resolve;
  });
  void refused;

  const f = await scrape(httpPort);
  const since = calls.filter((c) => c.sentAt > killedAt);
  const answered = since.filter((c) => c.kind !== "transport" && c.detail !== "TimeoutError");
  // Signed after the kill, so generated by the restarted process, and nowhere else.
  const newlyAcked = since.filter((c) => c.kind === "preconfirmed" && c.first);
  const sent = preconfirmsSent.filter((t) => t > killedAt).length;
  const backend = since.filter((c) => c.reason === "BACKEND_UNAVAILABLE").length;
  const generated = sample(f, "preconf_generated_total");
  check(generated !== null && generated >= newlyAcked.length && generated <= sent,
    `preconf_generated_total ${generated}: between the ${newlyAcked.length} new preconfirmations acknowledged and the ${sent} preconfirm calls since the restart`);
  const timed = sample(f, "preconf_function_seconds_count", { function: "preconfirm" });
  check(timed !== null && timed >= answered.length,
    `preconf_function_seconds_count{function="preconfirm"} ${timed}: at least the ${answered.length} answers since the restart`);
  const rejected = sample(f, "preconf_rejected_total", { reason: "BACKEND_UNAVAILABLE" });
  check(rejected !== null && rejected >= backend,
    `preconf_rejected_total{reason="BACKEND_UNAVAILABLE"} ${rejected}: at least the ${backend} such answers`);
  const valid = sample(f, "preconf_validated_total", { valid: "true" });
  const invalid = sample(f, "preconf_validated_total", { valid: "false" });
  check(valid === some.length && invalid === 2, `preconf_validated_total{valid} true ${valid}, false ${invalid} (sent ${some.length} and 2)`);
  // A commitment verified once is remembered whole, and group commit lets promises share one: the
  // engine checks each distinct commitment's signatures, not each preconfirmation's.
  const commitments = new Set(some.map((p) => p.commitment.root)).size;
  const checks = sample(f, "preconf_signature_checks_total");
  check(checks !== null && checks >= commitments,
    `preconf_signature_checks_total ${checks}: at least the ${commitments} distinct commitment(s) of the ${some.length} genuine ones`);

  const w = await scrape(feedPort);
  const head = Number(redis("GET", `${KEY_PREFIX}{lanes}:feedhead:${CHAIN}`));
  const position = sample(w, "preconf_feed_lane_position", { chain: String(CHAIN) });
  check(position === head, `preconf_feed_lane_position{chain="${CHAIN}"} ${position}: the lane's feed head ${head}`);
  const connections = sample(w, "preconf_feed_connections");
  check(connections === 1, `preconf_feed_connections ${connections}: the one live subscriber`);
  const unsupported = sample(w, "preconf_feed_refused_total", { reason: "UNSUPPORTED_CHAIN" });
  check(unsupported === 1, `preconf_feed_refused_total{reason="UNSUPPORTED_CHAIN"} ${unsupported}: the one refused handshake`);
  const dispatched = sample(w, "preconf_feed_dispatched_total", { chain: String(CHAIN) });
  const skipped = sample(w, "preconf_feed_skipped_total", { chain: String(CHAIN) }) ?? 0;
  check(dispatched !== null && dispatched >= liveFrames && dispatched <= head,
    `preconf_feed_dispatched_total{chain="${CHAIN}"} ${dispatched}: between the ${liveFrames} frames the live subscriber got and the head ${head} (${skipped} stepped over)`);
  check(skipped <= head - liveFrames,
    `preconf_feed_skipped_total{chain="${CHAIN}"} ${skipped}: none of the ${liveFrames} sequences the subscriber got`);
  const failed = sample(w, "preconf_feed_backend_failures_total") ?? 0;
  check(failed >= 1, `preconf_feed_backend_failures_total ${failed}: the feed noticed the Redis and PostgreSQL outages`);
  const stored = sample(w, "preconf_feed_store_entries_total", { chain: String(CHAIN) }) ?? 0;
  check(stored <= head, `preconf_feed_store_entries_total{chain="${CHAIN}"} ${stored}: no more than the lane holds`);
  const disconnects = sample(w, "preconf_feed_disconnects_total") ?? 0;
  check(disconnects === 0, `preconf_feed_disconnects_total ${disconnects}: nobody was cut`);
}

// Resubmitted at the end: the acknowledged transactions of the kill phase (a sample of the rest).
const resubmitted = [];

let status = 1;
try {
  await phase("start", async () => {
    servers("start");
    engine("start");
  });
  const feed = liveFeed();
  await feed.opened;
  const killedAt = await phase("kill-9", () => killNine(feed));
  for (const hash of acked.keys()) if (resubmitted.length < 200) resubmitted.push({ hash, raw: raws.get(hash) });
  figures.openAfterKill = await phase("open-after-kill", () => noOpenPositionAfterTheBound(killedAt + 5_000, "the kill -9 phase"));
  await phase("redis-outage", () => restartUnderLoad("redis"));
  await phase("pg-outage", () => restartUnderLoad("pg"));
  const overloadEnded = await phase("overload", () => overload());
  figures.openAfterOverload = await phase("open-after-overload", () => noOpenPositionAfterTheBound(overloadEnded, "the overload"));
  await phase("metrics", () => metricsTellTheTruth(killedAt, feed.arrived.size));
  feed.close();
  await phase("promises-kept", () => everyPromiseKept());
  console.log(`faults: figures ${JSON.stringify(figures)}`);
  status = failures.length === 0 ? 0 : 1;
  if (failures.length) console.log(`faults: ${failures.length} failure(s):\n  ${failures.join("\n  ")}`);
} catch (e) {
  console.error(`faults: ${e.stack ?? e}`);
} finally {
  spawnSync("bin/engine", ["stop"], { cwd: repo, env, stdio: "inherit" });
  spawnSync("infra/scripts/servers.sh", ["stop"], { cwd: repo, env, stdio: "inherit" });
  rmSync(runDir, { recursive: true, force: true });
}
process.exit(status);
