// The feed's page: one lane per rollup, each preconfirmation as it arrives, verified in the browser
// with @preconf/client (preconf-client.js, bundled from clients/js), its status as it changes, and
// each lane's gap-free cursor. The subscription resumes by itself after the feed node restarts.
//
// Query parameters: functions (the functions' URL, for `info`: the signer set and the rollups;
// default: this host on port 8080), feed (the feed's WebSocket URL; default: this node's /feed),
// chainId (lanes to show, comma separated; default: every rollup), sender (the initial filter).
import { createEngineClient, subscribe, trustFromInfo } from "./preconf-client.js";

const params = new URLSearchParams(location.search);
const functionsUrl = params.get("functions") ?? `${location.protocol}//${location.hostname}:8080`;
const feedUrl = params.get("feed") ?? `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/feed`;
const MAX_ROWS = 500;

const lanesEl = document.getElementById("lanes");
const problemEl = document.getElementById("problem");
const senderInput = document.getElementById("sender");
senderInput.value = params.get("sender") ?? "";

/** chainId -> { rollup, el, rows: Map<txHash, row element>, gaps } */
const lanes = new Map();

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else e[k] = v;
  }
  e.append(...children);
  return e;
}

const short = (hex) => `${hex.slice(0, 8)}…${hex.slice(-6)}`;

function age(ms) {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

function showProblem(text) {
  problemEl.textContent = text;
  problemEl.hidden = !text;
}

function laneFor(rollup) {
  const cursor = el("span", { class: "cursor", "data-cursor": "" }, "—");
  const gaps = el("span", { class: "gaps", "data-gaps": "0" }, "no gaps");
  const state = el("span", { class: "state connecting", "data-state": "connecting" }, "connecting");
  const slot = el("span", { class: "slot" });
  const body = el("tbody");
  const section = el(
    "section",
    { class: "lane", "data-chain": String(rollup.chainId) },
    el(
      "div",
      { class: "lane-head" },
      el("h2", {}, rollup.name, el("small", {}, ` chain ${rollup.chainId} · ${rollup.slotDurationMs / 1000} s slots`)),
      el("div", { class: "lane-meta" }, state, el("span", {}, "cursor ", cursor), gaps, slot),
    ),
    el(
      "table",
      {},
      el(
        "thead",
        {},
        el("tr", {}, ...["seq", "tx", "sender", "slot", "age", "status", ""].map((h) => el("th", {}, h))),
      ),
      body,
    ),
  );
  lanesEl.append(section);
  return { rollup, section, body, cursor, gaps, state, slot, rows: new Map(), gapCount: 0 };
}

function verificationCell(v) {
  if (!v) return el("td", { class: "mark unknown", title: "not verified: no signer set" }, "?");
  if (v.valid) return el("td", { class: "mark ok", title: "verified offline in this browser" }, "✓ verified");
  const why = v.errors.map((e) => `${e.reason}: ${e.message}`).join("\n");
  return el("td", { class: "mark bad", title: why }, "✗ not verified");
}

function addRow(lane, e) {
  const p = e.preconfirmation;
  const v = e.verification;
  const status = el("span", { class: "status PRECONFIRMED" }, "PRECONFIRMED");
  const ageCell = el("td", { class: "age", "data-received": String(p.receivedAt) }, age(Date.now() - p.receivedAt));
  const row = el(
    "tr",
    {
      class: `row${v && !v.valid ? " invalid" : ""}`,
      "data-sequence": String(p.sequence),
      "data-tx": String(p.txHash).toLowerCase(),
      "data-sender": String(p.sender).toLowerCase(),
      "data-verified": v ? String(v.valid) : "unknown",
      "data-status": "PRECONFIRMED",
    },
    el("td", { class: "seq" }, String(p.sequence)),
    el("td", { class: "hash", title: p.txHash }, short(p.txHash)),
    el("td", { class: "hash", title: p.sender }, short(p.sender)),
    el("td", {}, String(p.targetSlot)),
    ageCell,
    el("td", {}, status),
    verificationCell(v),
  );
  if (e.linked === false) row.classList.add("unlinked");
  const detail = el("tr", { class: "detail", hidden: true }, el("td", { colSpan: 7 }));
  if (v && !v.valid) {
    detail.hidden = false;
    detail.firstChild.textContent = v.errors.map((x) => x.reason).join(", ");
  }
  lane.body.append(row, detail);
  lane.rows.set(String(p.txHash).toLowerCase(), row);
  while (lane.rows.size > MAX_ROWS) {
    const [oldest, oldRow] = lane.rows.entries().next().value;
    lane.rows.delete(oldest);
    oldRow.nextSibling?.remove();
    oldRow.remove();
  }
  applyFilter(row);
  row.scrollIntoView?.({ block: "nearest" });
}

function addGap(lane, e) {
  lane.gapCount += 1;
  lane.gaps.dataset.gaps = String(lane.gapCount);
  lane.gaps.textContent = `${lane.gapCount} gap${lane.gapCount === 1 ? "" : "s"}`;
  lane.gaps.classList.add("has-gaps");
  const range = e.from === e.to ? `sequence ${e.from}` : `sequences ${e.from}–${e.to}`;
  lane.body.append(el("tr", { class: "gap" }, el("td", { colSpan: 7 }, `${range} not delivered (voided, or lost)`)));
}

function applyStatus(lane, change) {
  const row = lane.rows.get(String(change.txHash).toLowerCase());
  if (!row) return;
  row.dataset.status = change.status;
  const status = row.querySelector(".status");
  status.className = `status ${change.status}`;
  const where = change.finality ? ` #${change.finality.blockNumber}:${change.finality.index}` : "";
  status.textContent = `${change.status}${where}`;
  const detail = row.nextSibling;
  if (change.status === "VIOLATED" && change.reason) {
    // The violation's own account of the evidence: which promise, which block, who overtook.
    detail.hidden = false;
    detail.firstChild.textContent = `evidence: ${change.reason}`;
    detail.classList.add("evidence");
  } else if (change.reason?.startsWith("reorg")) {
    detail.hidden = false;
    detail.firstChild.textContent = change.reason;
  }
}

function applyFilter(row) {
  const wanted = senderInput.value.trim().toLowerCase();
  const hidden = wanted !== "" && !row.dataset.sender.includes(wanted);
  row.hidden = hidden;
  if (row.nextSibling?.classList.contains("detail")) {
    row.nextSibling.style.display = hidden ? "none" : "";
  }
}

senderInput.addEventListener("input", () => {
  for (const row of document.querySelectorAll("tr.row")) applyFilter(row);
  const url = new URL(location.href);
  if (senderInput.value.trim()) url.searchParams.set("sender", senderInput.value.trim());
  else url.searchParams.delete("sender");
  history.replaceState(null, "", url);
});

function showConnection(lane, e) {
  if (e.state === "open") {
    lane.state.className = "state live";
    lane.state.dataset.state = "live";
    lane.state.textContent = "live";
    lane.state.title = e.from === null ? "following live" : `resumed from sequence ${e.from}`;
  } else {
    lane.state.className = "state down";
    lane.state.dataset.state = "reconnecting";
    const retry = e.retryInMs === undefined ? "" : ` in ${(e.retryInMs / 1000).toFixed(1)} s`;
    lane.state.textContent = `reconnecting${retry}`;
    lane.state.title = `closed ${e.code}${e.reason ? `: ${e.reason}` : ""}`;
  }
}

function tick() {
  const now = Date.now();
  for (const cell of document.querySelectorAll("td.age")) cell.textContent = age(now - Number(cell.dataset.received));
  for (const lane of lanes.values()) {
    const r = lane.rollup;
    lane.slot.textContent = `slot ${Math.floor((now - r.genesisTimeMs) / r.slotDurationMs)}`;
  }
}

async function readInfo() {
  const engine = createEngineClient({ url: functionsUrl, timeoutMs: 5000 });
  for (;;) {
    try {
      const info = await engine.info();
      showProblem("");
      return info;
    } catch (e) {
      showProblem(
        `Cannot read the signer set from the functions at ${functionsUrl} (${e.message}); retrying. ` +
          "Pass ?functions=<url> if they answer elsewhere.",
      );
      await new Promise((r) => setTimeout(r, 3000));
    }
  }
}

async function main() {
  const info = await readInfo();
  const trust = trustFromInfo(info);
  document.getElementById("trust").textContent =
    `signer ${info.signer}` + (info.pqPublicKey ? ` · ML-DSA-65 key ${short(info.pqPublicKey)}` : "") + ` · engine ${info.version}`;
  const only = params.get("chainId")?.split(",").map(Number);
  for (const rollup of info.rollups) {
    if (!only || only.includes(rollup.chainId)) lanes.set(rollup.chainId, laneFor(rollup));
  }
  tick();
  setInterval(tick, 1000);
  const subscription = subscribe({ url: feedUrl, chainIds: [...lanes.keys()], verify: trust });
  try {
    for await (const e of subscription) {
      const lane = lanes.get(e.chainId);
      if (e.type === "preconfirmation") addRow(lane, e);
      else if (e.type === "gap") addGap(lane, e);
      else if (e.type === "status") applyStatus(lane, e.change);
      else if (e.type === "connection") showConnection(lane, e);
      else if (e.type === "error") showProblem(`feed, chain ${e.chainId}: ${e.code} ${e.reason}: ${e.message}`);
      const next = subscription.cursor()[e.chainId];
      lane.cursor.textContent = next === null ? "—" : String(next);
      lane.cursor.dataset.cursor = next === null ? "" : String(next);
    }
  } catch (e) {
    showProblem(`the feed refused this page: ${e.message}`);
  }
}

main();
