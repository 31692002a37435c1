// Known-answer vectors for io.preconf.core.validation.IntrinsicGas: the least gas limit a real
// node accepts for each transaction, found by a running anvil (Foundry's node, on revm), so that
// the Java formula is checked against an independent implementation, never against itself.
//
//   npm install && node intrinsic-gas.mjs   (writes ../src/test/resources/vectors/intrinsic-gas.json)
//
// For each transaction, built and signed with ethers, a bisection over anvil's eth_call finds the
// least gas it runs with (eth_estimateGas alone stops within a tolerance above it). The script then
// sends the transaction signed with one gas less, which anvil must never mine, and signed with
// exactly that gas, which anvil must mine. So every recorded value is a boundary the node itself
// enforced. Each hardfork gets its own anvil (Prague, with the EIP-7623 call-data floor, and Cancun,
// without), on 127.0.0.1 and a free port, mining only when asked and stopped when its cases are done.
//
// Deterministic: anvil's fixed dev mnemonic, fixed data, RFC 6979 signatures, a fresh chain per
// hardfork. Running it twice gives the same file.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  HDNodeWallet,
  JsonRpcProvider,
  Transaction,
  getBytes,
  hexlify,
  keccak256,
  toQuantity,
  toUtf8Bytes,
  version,
} from "ethers";

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, "..", "src", "test", "resources", "vectors", "intrinsic-gas.json");
const ANVIL_PACKAGE = "@foundry-rs/anvil-linux-amd64";
const ANVIL = join(HERE, "node_modules", ANVIL_PACKAGE, "bin", "anvil");
const anvilVersion = createRequire(import.meta.url)(`${ANVIL_PACKAGE}/package.json`).version;
const DEV_MNEMONIC = "test test test test test test test test test test test junk";
const CHAIN_ID = 31337n;
const GWEI = 1_000_000_000n;
const MAX_INIT_CODE = 49_152;

// Data of a given shape, from a keccak stream so that any language could rebuild it.
function stream(label, n) {
  const out = new Uint8Array(n);
  for (let i = 0, block = 0; i < n; block++) {
    const chunk = getBytes(keccak256(toUtf8Bytes(`preconf-intrinsic/${label}/${block}`)));
    for (const b of chunk) if (i < n) out[i++] = b;
  }
  return out;
}
const nonZero = (label, n) => stream(label, n).map((b) => b || 1);
const zeros = (n) => new Uint8Array(n);
// Alternating runs of zero and non-zero bytes.
const mixed = (label, n) => stream(label, n).map((b, i) => (i % 7 < 3 ? 0 : b || 1));
// Init code must start with STOP (0x00): execution then costs nothing and deploys no code, so the
// gas anvil asks for is the intrinsic gas alone.
const initCode = (body) => {
  const out = new Uint8Array(body.length + 1);
  out.set(body, 1);
  return out;
};
const addr = (i) => hexlify(stream(`address/${i}`, 20));
const key = (i) => hexlify(stream(`key/${i}`, 32));
const accessList = (keyCounts) =>
  keyCounts.map((k, i) => ({ address: addr(i), storageKeys: Array.from({ length: k }, (_, j) => key(i * 100 + j)) }));

const RECIPIENT = addr(999);

// Every term of the formula, alone and together, in each transaction type.
const cases = [
  { name: "type 2 transfer, no data", type: 2, to: RECIPIENT, data: "0x" },
  { name: "legacy transfer, no data", type: 0, to: RECIPIENT, data: "0x" },
  { name: "type 1 transfer, empty access list", type: 1, to: RECIPIENT, data: "0x" },
  { name: "type 2, 1 non-zero byte", type: 2, to: RECIPIENT, data: nonZero("nz1", 1) },
  { name: "type 2, 1 zero byte", type: 2, to: RECIPIENT, data: zeros(1) },
  { name: "type 2, 32 non-zero bytes", type: 2, to: RECIPIENT, data: nonZero("nz32", 32) },
  { name: "type 2, 100 zero bytes", type: 2, to: RECIPIENT, data: zeros(100) },
  { name: "legacy, 257 mixed bytes", type: 0, to: RECIPIENT, data: mixed("m257", 257) },
  { name: "type 1, 1000 mixed bytes", type: 1, to: RECIPIENT, data: mixed("m1000", 1000) },
  { name: "type 2, 4096 non-zero bytes", type: 2, to: RECIPIENT, data: nonZero("nz4096", 4096) },
  { name: "type 1, one address, no keys", type: 1, to: RECIPIENT, data: "0x", accessList: accessList([0]) },
  { name: "type 2, one address, one key", type: 2, to: RECIPIENT, data: "0x", accessList: accessList([1]) },
  { name: "type 2, three addresses, 0+2+5 keys", type: 2, to: RECIPIENT, data: "0x", accessList: accessList([0, 2, 5]) },
  {
    name: "type 1, 40 mixed bytes and two addresses with 3+1 keys",
    type: 1,
    to: RECIPIENT,
    data: mixed("m40", 40),
    accessList: accessList([3, 1]),
  },
  { name: "type 2, 200 zero bytes and one address, one key", type: 2, to: RECIPIENT, data: zeros(200), accessList: accessList([1]) },
  { name: "type 2 creation, empty init code", type: 2, to: null, data: "0x" },
  { name: "legacy creation, 1-byte init code", type: 0, to: null, data: initCode(new Uint8Array(0)) },
  { name: "type 2 creation, 32-byte init code (one word)", type: 2, to: null, data: initCode(nonZero("c31", 31)) },
  { name: "type 2 creation, 33-byte init code (two words)", type: 2, to: null, data: initCode(nonZero("c32", 32)) },
  { name: "type 1 creation, 1000-byte init code", type: 1, to: null, data: initCode(mixed("c999", 999)) },
  { name: "type 2 creation, 1000 zero bytes", type: 2, to: null, data: zeros(1000) },
  { name: "type 2 creation, 3000 non-zero bytes", type: 2, to: null, data: initCode(nonZero("c2999", 2999)) },
  { name: "type 2 creation, 12000-byte init code and an access list", type: 2, to: null, data: initCode(mixed("c11999", 11999)), accessList: accessList([2, 0]) },
  { name: "type 2 creation, init code at the EIP-3860 limit", type: 2, to: null, data: initCode(nonZero("cmax", MAX_INIT_CODE - 1)) },
];

const wallet = HDNodeWallet.fromPhrase(DEV_MNEMONIC);

function sign(c, nonce, gasLimit) {
  const fees = c.type === 2 ? { maxPriorityFeePerGas: GWEI, maxFeePerGas: 10n * GWEI } : { gasPrice: 10n * GWEI };
  const tx = Transaction.from({
    type: c.type,
    chainId: CHAIN_ID,
    nonce,
    gasLimit,
    to: c.to,
    value: 0n,
    data: typeof c.data === "string" ? c.data : hexlify(c.data),
    ...(c.type === 0 ? {} : { accessList: c.accessList ?? [] }),
    ...fees,
  });
  tx.signature = wallet.signingKey.sign(tx.unsignedHash);
  return tx.serialized;
}

async function startAnvil(hardfork) {
  const child = spawn(ANVIL, ["--host", "127.0.0.1", "--port", "0", "--hardfork", hardfork, "--no-mining"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/Listening on 127\.0\.0\.1:(\d+)/);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", (code) => reject(new Error(`anvil (${hardfork}) exited with ${code} before listening`)));
  });
  child.stdout.resume();
  return { child, provider: new JsonRpcProvider(`http://127.0.0.1:${port}`, Number(CHAIN_ID), { staticNetwork: true, cacheTimeout: -1 }) };
}

async function rpcError(provider, method, params) {
  try {
    await provider.send(method, params);
  } catch (e) {
    // The node's own words: ethers keeps them in `info.error` for eth_call, in `error` otherwise.
    return e.info?.error?.message ?? e.error?.message ?? e.shortMessage ?? e.message;
  }
  return null;
}

// The least gas with which eth_call runs `call`, knowing that `enough` is enough.
async function leastGas(provider, call, enough) {
  let lo = 0n; // never enough
  let hi = enough;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    const error = await rpcError(provider, "eth_call", [{ ...call, gas: toQuantity(mid) }, "latest"]);
    if (error == null) hi = mid;
    else lo = mid;
  }
  return hi;
}

// anvil's pool refuses a gas limit below 21,000 outright, but takes one that covers 21,000 and not
// the data, access list or floor, and then leaves it out of every block. Either way the node never
// includes it; which of the two happened is recorded.
async function neverMined(provider, raw, nonce) {
  const error = await rpcError(provider, "eth_sendRawTransaction", [raw]);
  await provider.send("evm_mine", []);
  const hash = Transaction.from(raw).hash;
  if ((await provider.getTransactionReceipt(hash)) != null || (await provider.getTransactionCount(wallet.address)) !== nonce) {
    throw new Error(`anvil mined ${hash} below its intrinsic gas`);
  }
  return error == null ? "taken into the pool, never mined" : `refused: ${error}`;
}

async function run(hardfork) {
  const { child, provider } = await startAnvil(hardfork);
  try {
    const version = await provider.send("web3_clientVersion", []);
    const results = [];
    for (const c of cases) {
      const nonce = await provider.getTransactionCount(wallet.address);
      const probe = Transaction.from(sign(c, nonce, 30_000_000n));
      const call = {
        from: wallet.address,
        to: probe.to,
        data: probe.data,
        ...(c.type === 0 ? {} : { accessList: probe.accessList }),
      };
      const intrinsicGas = await leastGas(provider, call, BigInt(await provider.send("eth_estimateGas", [call])));
      const oneGasShort = sign(c, nonce, intrinsicGas - 1n);
      const atIntrinsicGas = sign(c, nonce, intrinsicGas);
      const anvilError = await rpcError(provider, "eth_call", [{ ...call, gas: toQuantity(intrinsicGas - 1n) }, "latest"]);
      const refusal = await neverMined(provider, oneGasShort, nonce);
      const hash = await provider.send("eth_sendRawTransaction", [atIntrinsicGas]);
      await provider.send("evm_mine", []);
      const receipt = await provider.getTransactionReceipt(hash);
      if (receipt == null || receipt.status !== 1) throw new Error(`${hardfork} ${c.name}: not mined with gas ${intrinsicGas}`);
      const data = getBytes(probe.data);
      results.push({
        name: `${hardfork}: ${c.name}`,
        prague: hardfork === "prague",
        intrinsicGas: intrinsicGas.toString(),
        gasUsed: receipt.gasUsed.toString(),
        dataSize: data.length,
        zeroDataBytes: data.filter((b) => b === 0).length,
        accessListAddresses: probe.accessList?.length ?? 0,
        accessListStorageKeys: (probe.accessList ?? []).reduce((n, e) => n + e.storageKeys.length, 0),
        contractCreation: probe.to == null,
        atIntrinsicGas,
        oneGasShort,
        anvilError,
        refusal,
      });
    }
    // Init code one byte above the EIP-3860 limit: never included, whatever its gas.
    const nonce = await provider.getTransactionCount(wallet.address);
    const tooLargeCase = { type: 2, to: null, data: initCode(nonZero("cmax+1", MAX_INIT_CODE)) };
    const ampleGas = 10_000_000n;
    const tooLarge = sign(tooLargeCase, nonce, ampleGas);
    const tooLargeCall = { from: wallet.address, to: null, data: hexlify(tooLargeCase.data), gas: toQuantity(ampleGas) };
    const tooLargeError = await rpcError(provider, "eth_call", [tooLargeCall, "latest"]);
    const tooLargeRefusal = await neverMined(provider, tooLarge, nonce);
    return {
      version,
      results,
      refusals: [{ name: `${hardfork}: init code one byte above the EIP-3860 limit`, prague: hardfork === "prague", raw: tooLarge, anvilError: tooLargeError, refusal: tooLargeRefusal, reason: "INIT_CODE_TOO_LARGE" }],
    };
  } finally {
    provider.destroy();
    const exited = once(child, "exit");
    child.kill();
    await exited;
  }
}

const prague = await run("prague");
const cancun = await run("cancun");
const out = {
  generator: `reactive-core/vectors/intrinsic-gas.mjs, ethers ${version}, ${ANVIL_PACKAGE} ${anvilVersion} (${prague.version})`,
  chainId: Number(CHAIN_ID),
  vectors: [...prague.results, ...cancun.results],
  refusals: [...prague.refusals, ...cancun.refusals],
};
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify(out, null, 2) + "\n");
console.error(`wrote ${out.vectors.length} vectors and ${out.refusals.length} refusals to ${OUT}`);
