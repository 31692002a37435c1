// The feed's page in headless Chromium, against the real engine: rows appear verified and in lane
// order, a status change lands, a frame altered in flight shows as not verified, and after the feed
// node restarts the page resumes with no gap. It saves a screenshot under target/.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Preconfirmation } from "@preconf/client";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { keccak256, toHex } from "viem";
import { alpha, beta, engine, engineScript, feedUrl, functionsUrl, pageUrl, transfer } from "./support/engine.js";
import { feedProxy, type FeedProxy } from "./support/proxy.js";
import { REPO } from "./support/repo.js";

const GENESIS_MS = 1_735_689_600_000;
const WAIT = { timeout: 60_000 };

let browser: Browser;
let page: Page;
let proxy: FeedProxy;

before(async () => {
  proxy = await feedProxy(feedUrl);
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1600, height: 480 });
  page.on("pageerror", (e) => console.error(`page error: ${e}`));
});

after(async () => {
  await browser?.close();
  await proxy?.stop();
});

/** Preconfirms one fresh transfer per call, promised for a slot a minute ahead (alpha's slots are 2 s). */
async function promise(chainId: number): Promise<Preconfirmation> {
  const slotMs = chainId === alpha ? 2000 : 12000;
  const targetSlot = Math.floor((Date.now() - GENESIS_MS) / slotMs) + 30;
  const tx = await transfer(chainId);
  const r = await engine.preconfirm([tx.raw], { targetSlot });
  assert.equal(r.preconfirmations.length, 1, JSON.stringify(r.rejected));
  return r.preconfirmations[0]!;
}

interface Row {
  sequence: number;
  tx: string;
  verified: string;
  status: string;
  hidden: boolean;
}

function rows(chainId: number): Promise<Row[]> {
  return page.$$eval(`section.lane[data-chain="${chainId}"] tr.row`, (trs) =>
    trs.map((tr) => {
      const r = tr as HTMLElement;
      return {
        sequence: Number(r.dataset.sequence),
        tx: r.dataset.tx!,
        verified: r.dataset.verified!,
        status: r.dataset.status!,
        hidden: r.hidden,
      };
    }),
  );
}

function waitFor(what: string, fn: string): Promise<unknown> {
  return page.waitForFunction(fn, WAIT).catch((e: Error) => {
    throw new Error(`waiting for ${what}: ${e.message}`);
  });
}

const lane = (chainId: number) => `document.querySelector('section.lane[data-chain="${chainId}"]')`;
const rowOf = (chainId: number, sequence: number) => `${lane(chainId)}?.querySelector('tr.row[data-sequence="${sequence}"]')`;

test("the page shows each promise verified, in lane order, with its status, and resumes after a restart", async () => {
  await page.goto(`${pageUrl}?functions=${encodeURIComponent(functionsUrl)}&feed=${encodeURIComponent(proxy.url)}`);
  const bothLive = [alpha, beta].map((c) => `${lane(c)}?.querySelector('[data-state="live"]')`).join(" && ");
  await waitFor("both lanes live", bothLive);

  // Five promises on alpha, two on beta: five verified rows in alpha's lane, in lane order.
  const made: Preconfirmation[] = [];
  for (let i = 0; i < 5; i++) made.push(await promise(alpha));
  const onBeta = [await promise(beta), await promise(beta)];
  await waitFor("five verified rows", `${lane(alpha)}.querySelectorAll('tr.row[data-verified="true"]').length === 5`);
  await waitFor("two verified rows on beta", `${lane(beta)}.querySelectorAll('tr.row[data-verified="true"]').length === 2`);
  assert.deepEqual(
    await rows(alpha),
    made.map((p) => ({ sequence: p.sequence, tx: p.txHash, verified: "true", status: "PRECONFIRMED", hidden: false })),
  );
  assert.deepEqual(
    (await rows(beta)).map((r) => r.sequence),
    onBeta.map((p) => p.sequence),
  );

  // A block that includes the second ahead of the first: the first is VIOLATED (order reversed),
  // with the evidence shown, the second and third INCLUDED.
  const [p1, p2, p3] = made as [Preconfirmation, Preconfirmation, Preconfirmation];
  // The chain's first block as the engine sees it (nothing known below it): a new start.
  const reconciled = await engine.reconcile({
    chainId: alpha,
    number: 1204,
    hash: keccak256(toHex(`block/${alpha}/1204/${Date.now()}`)),
    parentHash: keccak256(toHex(`block/${alpha}/1203`)),
    slot: Math.floor((Date.now() - GENESIS_MS) / 2000),
    transactions: [p2.txHash, p1.txHash, p3.txHash],
  });
  assert.equal(reconciled.outcome, "APPLIED", JSON.stringify(reconciled.error));
  await waitFor("the violation", `${rowOf(alpha, p1.sequence)}?.dataset.status === "VIOLATED"`);
  await waitFor("the inclusions", `${rowOf(alpha, p2.sequence)}?.dataset.status === "INCLUDED" && ${rowOf(alpha, p3.sequence)}?.dataset.status === "INCLUDED"`);
  const evidence = await page.$eval(
    `section.lane[data-chain="${alpha}"] tr.row[data-sequence="${p1.sequence}"] + tr.detail`,
    (tr) => (tr as HTMLElement).innerText,
  );
  assert.match(evidence, new RegExp(`sequence ${p1.sequence} .* after sequence ${p2.sequence}`));

  // A frame altered on its way (its target slot moved): shown, and shown as not verified.
  proxy.once((frame) =>
    frame.type === "preconfirmation" && frame.data.chainId === alpha
      ? { ...frame, data: { ...frame.data, targetSlot: frame.data.targetSlot + 1 } }
      : "pass",
  );
  const altered = await promise(alpha);
  await waitFor("the altered row", `${rowOf(alpha, altered.sequence)}?.dataset.verified === "false"`);
  const why = await page.$eval(
    `section.lane[data-chain="${alpha}"] tr.row[data-sequence="${altered.sequence}"] + tr.detail`,
    (tr) => (tr as HTMLElement).innerText,
  );
  assert.equal(why, "ID_MISMATCH, ROOT_MISMATCH");

  // The filter by sender keeps only that sender's rows.
  await page.type("#sender", p3.sender.slice(2, 14));
  assert.deepEqual(
    (await rows(alpha)).filter((r) => !r.hidden).map((r) => r.sequence),
    [p3.sequence],
  );
  await page.$eval("#sender", (input) => ((input as HTMLInputElement).value = ""));
  await page.$eval("#sender", (input) => input.dispatchEvent(new Event("input")));

  // The feed node stops (it closes the page's socket with 1001) and comes back; what was promised
  // meanwhile arrives, nothing twice, no gap.
  await engineScript("stop-feed");
  await waitFor("the lane reconnecting", `${lane(alpha)}.querySelector('[data-state="reconnecting"]')`);
  const meanwhile = [await promise(alpha), await promise(alpha)];
  await engineScript("start-feed");
  const last = await promise(alpha);
  await waitFor("the rows after the restart", `${rowOf(alpha, last.sequence)}?.dataset.verified === "true"`);
  const all = [...made, altered, ...meanwhile, last];
  assert.deepEqual(
    (await rows(alpha)).map((r) => [r.sequence, r.verified]),
    all.map((p) => [p.sequence, p === altered ? "false" : "true"]),
  );
  for (let i = 1; i < all.length; i++) assert.equal(all[i]!.sequence, all[i - 1]!.sequence + 1);
  assert.ok(proxy.connections.includes(`?chainId=${alpha}&from=${altered.sequence + 1}`), proxy.connections.join(" "));
  const cursor = await page.$eval(`section.lane[data-chain="${alpha}"] [data-cursor]`, (e) => (e as HTMLElement).dataset.cursor);
  assert.equal(cursor, String(last.sequence + 1));
  const gaps = await page.$$eval("[data-gaps]", (es) => es.map((e) => (e as HTMLElement).dataset.gaps));
  assert.deepEqual(gaps, ["0", "0"]);

  await waitFor("both lanes live again", bothLive);
  const dir = join(REPO, "target/client-js");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, "feed-page.png") as `${string}.png`, fullPage: true });
});
