// Known-answer vectors for io.preconf.core.tx.TransactionDecoder, produced by ethers 6 so that
// the Java decoder is checked against an independent implementation, never against itself.
//
//   npm install && npm run transactions   (writes ../src/test/resources/vectors/transactions.json)
//
// Deterministic: fixed private keys, a seeded PRNG, RFC 6979 signatures. Running it twice gives
// the same file.
import {
  SigningKey,
  Transaction,
  Wallet,
  decodeRlp,
  encodeRlp,
  getBytes,
  hexlify,
  keccak256,
  toBeHex,
  toUtf8Bytes,
  version,
} from "ethers";

// secp256k1 group order and field prime.
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
const MAX_SAFE = (1n << 53n) - 1n;
const MAX_UINT256 = (1n << 256n) - 1n;

// mulberry32: tiny, seeded, good enough to vary lengths and bytes.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(0x7072_6563);
const int = (n) => Math.floor(rand() * n);
const bytes = (n) => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = int(256);
  return hexlify(out);
};
const address = () => bytes(20);
const accessList = (entries) =>
  Array.from({ length: entries }, () => ({
    address: address(),
    storageKeys: Array.from({ length: int(4) }, () => bytes(32)),
  }));

const keys = Array.from({ length: 4 }, (_, i) =>
  keccak256(toUtf8Bytes(`preconf transaction vector key ${i}`)),
);
const wallets = keys.map((k) => new Wallet(k));

function sign(fields, wallet = wallets[0]) {
  const tx = Transaction.from(fields);
  tx.signature = new SigningKey(wallet.privateKey).sign(tx.unsignedHash);
  return tx;
}

const dec = (v) => (v == null ? null : BigInt(v).toString());

function valid(name, fields, wallet = wallets[0]) {
  const tx = sign(fields, wallet);
  const raw = tx.serialized;
  // Parse the serialized form back with ethers, so that the recorded fields are what the bytes
  // say, and check the round trip recovers the signer.
  const parsed = Transaction.from(raw);
  if (parsed.from.toLowerCase() !== wallet.address.toLowerCase()) {
    throw new Error(`${name}: ethers recovered ${parsed.from}, signed by ${wallet.address}`);
  }
  const legacyFees = parsed.type === 0 || parsed.type === 1;
  return {
    name,
    raw,
    hash: keccak256(raw),
    from: parsed.from.toLowerCase(),
    type: parsed.type,
    chainId: Number(parsed.chainId),
    nonce: parsed.nonce,
    gasLimit: dec(parsed.gasLimit),
    maxFeePerGas: dec(legacyFees ? parsed.gasPrice : parsed.maxFeePerGas),
    maxPriorityFeePerGas: dec(legacyFees ? parsed.gasPrice : parsed.maxPriorityFeePerGas),
    to: parsed.to == null ? null : parsed.to.toLowerCase(),
    value: dec(parsed.value),
    dataSize: getBytes(parsed.data).length,
  };
}

const gwei = (n) => BigInt(n) * 1_000_000_000n;
const chains = [1n, 10n, 8453n, 167000n, (1n << 32n) + 7n, MAX_SAFE];

const vectors = [];

// Legacy with EIP-155.
for (const chainId of chains) {
  vectors.push(
    valid(`legacy, chain ${chainId}`, {
      type: 0,
      chainId,
      nonce: int(1000),
      gasPrice: gwei(1 + int(100)),
      gasLimit: 21000n + BigInt(int(100000)),
      to: address(),
      value: BigInt(int(1 << 30)) * 1_000_000_000n,
      data: bytes(int(80)),
    }),
  );
}

// Type 1 with access lists of several shapes.
for (const [i, entries] of [0, 1, 3, 8].entries()) {
  vectors.push(
    valid(
      `type 1, ${entries} access list entries`,
      {
        type: 1,
        chainId: chains[i % chains.length],
        nonce: int(1 << 20),
        gasPrice: gwei(int(50)),
        gasLimit: 100000n + BigInt(int(1 << 20)),
        to: address(),
        value: BigInt(int(1 << 30)),
        data: bytes(int(300)),
        accessList: accessList(entries),
      },
      wallets[1],
    ),
  );
}

// Type 2 across chains, with and without access lists.
for (const [i, chainId] of chains.entries()) {
  const tip = gwei(int(3));
  vectors.push(
    valid(
      `type 2, chain ${chainId}`,
      {
        type: 2,
        chainId,
        nonce: int(1 << 16),
        maxPriorityFeePerGas: tip,
        maxFeePerGas: tip + gwei(1 + int(200)),
        gasLimit: 21000n + BigInt(int(1 << 22)),
        to: address(),
        value: BigInt(int(1 << 30)) * 1_000_000n,
        data: bytes(int(200)),
        accessList: accessList(i % 3),
      },
      wallets[i % wallets.length],
    ),
  );
}

// Payload lengths around the 55/56-byte boundary of RLP's short and long forms.
for (const size of [0, 1, 55, 56, 57, 255, 256]) {
  vectors.push(
    valid(`type 2, ${size}-byte data`, {
      type: 2,
      chainId: 8453n,
      nonce: 1,
      maxPriorityFeePerGas: 1n,
      maxFeePerGas: 2n,
      gasLimit: 50000n,
      to: address(),
      value: 0n,
      data: bytes(size),
    }),
  );
}
// A single data byte below 0x80 stands alone in RLP; one at or above it gets a header.
for (const b of ["0x00", "0x7f", "0x80"]) {
  vectors.push(
    valid(`legacy, data ${b}`, {
      type: 0,
      chainId: 10n,
      nonce: 0,
      gasPrice: 0n,
      gasLimit: 21000n,
      to: address(),
      value: 0n,
      data: b,
    }),
  );
}

// Contract creations with sizeable init code, in each type.
for (const [type, size] of [
  [0, 4096],
  [1, 12000],
  [2, 24576],
  [2, 49152],
]) {
  const fees =
    type === 2 ? { maxPriorityFeePerGas: gwei(1), maxFeePerGas: gwei(30) } : { gasPrice: gwei(7) };
  vectors.push(
    valid(
      `type ${type} contract creation, ${size}-byte init code`,
      {
        type,
        chainId: 167000n,
        nonce: int(100),
        gasLimit: 3_000_000n + BigInt(int(1 << 20)),
        to: null,
        value: 0n,
        data: bytes(size),
        ...fees,
        ...(type === 0 ? {} : { accessList: accessList(type) }),
      },
      wallets[2],
    ),
  );
}

// Zero and extreme values.
vectors.push(
  valid("type 2, all numbers zero", {
    type: 2,
    chainId: 1n,
    nonce: 0,
    maxPriorityFeePerGas: 0n,
    maxFeePerGas: 0n,
    gasLimit: 0n,
    to: address(),
    value: 0n,
    data: "0x",
  }),
  valid("type 2, maximal fees, value, gas and nonce", {
    type: 2,
    chainId: MAX_SAFE,
    nonce: Number(MAX_SAFE),
    maxPriorityFeePerGas: MAX_UINT256,
    maxFeePerGas: MAX_UINT256,
    gasLimit: (1n << 63n) - 1n,
    to: address(),
    value: MAX_UINT256,
    data: "0x",
  }),
  valid(
    "legacy, maximal gas price and value, nonce 2^53-1",
    {
      type: 0,
      chainId: 1n,
      nonce: Number(MAX_SAFE),
      gasPrice: MAX_UINT256,
      gasLimit: (1n << 63n) - 1n,
      to: address(),
      value: MAX_UINT256,
      data: bytes(3),
    },
    wallets[3],
  ),
  valid("type 1, nonce 2^32", {
    type: 1,
    chainId: 10n,
    nonce: 2 ** 32,
    gasPrice: 1n,
    gasLimit: 21000n,
    to: address(),
    value: 1n,
    data: "0x",
  }),
  valid("type 2, to the zero address", {
    type: 2,
    chainId: 1n,
    nonce: 5,
    maxPriorityFeePerGas: 1n,
    maxFeePerGas: 1n,
    gasLimit: 21000n,
    to: "0x0000000000000000000000000000000000000000",
    value: 1n,
    data: "0x",
  }),
);

// ---- Rejections: raw hex and the reason the decoder must give. ----

const rejections = [];
const reject = (name, raw, reason) => rejections.push({ name, raw, reason });

const base2 = {
  type: 2,
  chainId: 8453n,
  nonce: 7,
  maxPriorityFeePerGas: gwei(1),
  maxFeePerGas: gwei(20),
  gasLimit: 60000n,
  to: address(),
  value: 12345n,
  data: bytes(40),
  accessList: accessList(1),
};
const signed2 = sign(base2).serialized;
const base0 = {
  type: 0,
  chainId: 10n,
  nonce: 3,
  gasPrice: gwei(2),
  gasLimit: 21000n,
  to: address(),
  value: 1n,
  data: "0x",
};
const signed0 = sign(base0).serialized;

// Fields of a typed envelope, to be changed and re-encoded.
const typedFields = (raw) => decodeRlp("0x" + raw.slice(4));
const typed = (typeByte, fields) => "0x" + typeByte + encodeRlp(fields).slice(2);
const minimal = (n) => (n === 0n ? "0x" : toBeHex(n));

reject("pre-EIP-155 legacy, v=27 or 28", sign({ ...base0, chainId: 0n }).serialized, "MISSING_CHAIN_ID");
{
  const f = decodeRlp(signed0);
  f[6] = "0x1d"; // v = 29
  reject("legacy v=29", encodeRlp(f), "BAD_SIGNATURE");
}
{
  const f = decodeRlp(signed0);
  f[6] = "0x23"; // v = 35: chain id 0
  reject("legacy v=35, chain id 0", encodeRlp(f), "OUT_OF_RANGE");
}
{
  const f = decodeRlp(signed0);
  f[8] = minimal(N - BigInt(f[8]));
  reject("legacy high-s", encodeRlp(f), "BAD_SIGNATURE");
}
// EIP-4844 and EIP-7702 envelopes: plausible RLP behind types 3 and 4.
reject("type 3 blob envelope", typed("03", [...typedFields(signed2).slice(0, 9), "0x01", [bytes(32)], "0x", "0x01", "0x01"]), "UNSUPPORTED_TX_TYPE");
reject("type 4 set-code envelope", typed("04", [...typedFields(signed2).slice(0, 9), [], "0x", "0x01", "0x01"]), "UNSUPPORTED_TX_TYPE");
reject("type 0x00 envelope", typed("00", typedFields(signed2)), "UNSUPPORTED_TX_TYPE");
reject("type 0x7f envelope", typed("7f", typedFields(signed2)), "UNSUPPORTED_TX_TYPE");
{
  const f = typedFields(signed2);
  f[9] = "0x02";
  reject("type 2 with yParity 2", typed("02", f), "BAD_SIGNATURE");
}
{
  const f = typedFields(signed2);
  f[11] = minimal(N - BigInt(f[11]));
  f[9] = f[9] === "0x" ? "0x01" : "0x"; // flip parity, as a malleated signature would
  reject("type 2 high-s", typed("02", f), "BAD_SIGNATURE");
}
{
  const f = typedFields(signed2);
  f[10] = "0x";
  reject("type 2 with r = 0", typed("02", f), "BAD_SIGNATURE");
}
{
  const f = typedFields(signed2);
  f[10] = minimal(N);
  reject("type 2 with r = n", typed("02", f), "BAD_SIGNATURE");
}
{
  // An r that is no curve point's x coordinate: x^3 + 7 is not a square mod p.
  let x = 1n;
  const pow = (b, e, m) => {
    let r = 1n;
    b %= m;
    for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
    return r;
  };
  while (pow(x ** 3n + 7n, (P - 1n) / 2n, P) !== P - 1n) x++;
  const f = typedFields(signed2);
  f[10] = minimal(x);
  reject("type 2 with r not on the curve", typed("02", f), "BAD_SIGNATURE");
}
reject(
  "type 2 chain id 2^53",
  sign({ ...base2, chainId: MAX_SAFE + 1n }).serialized,
  "OUT_OF_RANGE",
);
reject("type 2 chain id 0", sign({ ...base2, chainId: 0n }).serialized, "OUT_OF_RANGE");
{
  const f = typedFields(signed2);
  f[1] = minimal(MAX_SAFE + 1n);
  reject("type 2 nonce 2^53", typed("02", f), "OUT_OF_RANGE");
}
reject(
  "type 2 gas limit 2^63",
  sign({ ...base2, gasLimit: 1n << 63n }).serialized,
  "GAS_LIMIT_EXCEEDED",
);
{
  const f = typedFields(signed2);
  f[3] = "0x01" + "00".repeat(32); // 33 bytes: more than uint256
  reject("type 2 maxFeePerGas of 33 bytes", typed("02", f), "MALFORMED_RLP");
}
{
  const f = typedFields(signed2);
  f[1] = "0x0007"; // nonce 7 with a leading zero byte
  reject("type 2 nonce with a leading zero", typed("02", f), "MALFORMED_RLP");
}
{
  const f = typedFields(signed2);
  f[5] = f[5].slice(0, 40); // 19 bytes
  reject("type 2 to of 19 bytes", typed("02", f), "MALFORMED_RLP");
}
{
  const f = typedFields(signed2);
  f[8] = [[address(), [bytes(31)]]];
  reject("type 2 access list key of 31 bytes", typed("02", f), "MALFORMED_RLP");
}
{
  const f = typedFields(signed2);
  f[8] = [[bytes(21), []]];
  reject("type 2 access list address of 21 bytes", typed("02", f), "MALFORMED_RLP");
}
reject("type 2 with 11 fields", typed("02", typedFields(signed2).slice(0, 11)), "MALFORMED_RLP");
reject("type 2 with 13 fields", typed("02", [...typedFields(signed2), "0x01"]), "MALFORMED_RLP");
{
  const f = decodeRlp(signed0);
  reject("legacy with 10 fields", encodeRlp([...f, "0x"]), "MALFORMED_RLP");
}
reject("type 2 truncated by one byte", signed2.slice(0, -2), "MALFORMED_RLP");
reject("legacy truncated by one byte", signed0.slice(0, -2), "MALFORMED_RLP");
reject("type 2 with a trailing byte", signed2 + "00", "MALFORMED_RLP");
reject("legacy with a trailing byte", signed0 + "80", "MALFORMED_RLP");
reject("empty", "0x", "MALFORMED_RLP");
reject("type byte alone", "0x02", "MALFORMED_RLP");
reject("starts with an RLP string header", "0x80", "MALFORMED_RLP");
reject("starts with 0xbf", "0xbf" + signed0.slice(4), "MALFORMED_RLP");
reject("no 0x prefix", signed0.slice(2), "MALFORMED_HEX");
reject("odd number of hex digits", signed0.slice(0, -1), "MALFORMED_HEX");
reject("non-hex character", "0x02zz", "MALFORMED_HEX");

const out = {
  generator: `reactive-core/vectors/transactions.mjs, ethers ${version}`,
  vectors,
  rejections,
};
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
