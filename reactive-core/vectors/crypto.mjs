// Known-answer vectors for the commitment crypto (spec sections 2 and 3), produced by
// implementations independent of ours: @openzeppelin/merkle-tree for leaves, roots and proofs,
// ethers for EIP-712 digests and secp256k1 signatures, @noble/post-quantum for ML-DSA-65.
//
// Deterministic: fixed keys and seeds, and a keccak counter stream for leaf values, so that
// re-running it rewrites the same files. Run with `npm run vectors` (after `npm install`).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { SigningKey, TypedDataEncoder, Wallet, getBytes, hexlify, keccak256, toUtf8Bytes, verifyTypedData } from 'ethers';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'test', 'resources', 'vectors');

const U64_MAX = (1n << 64n) - 1n;
const CHAIN_ID_MAX = (1n << 53n) - 1n; // the engine's ChainId is a safe JSON number

// keccak256("preconf-vectors/<label>/<i>"): a seeded stream that any language can reproduce.
const stream = (label) => {
  let i = 0;
  return () => getBytes(keccak256(toUtf8Bytes(`preconf-vectors/${label}/${i++}`)));
};
const hex = (bytes) => hexlify(bytes).toLowerCase();
const u64From = (bytes) => BigInt(hex(bytes.slice(0, 8)));

function check(condition, what) {
  if (!condition) throw new Error(`self-check failed: ${what}`);
}

function write(name, data) {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, name), JSON.stringify(data, null, 2) + '\n');
  console.log(`wrote ${join(OUT, name)}`);
}

// ---- Merkle (spec 2 and 3) -------------------------------------------------------------------

const LEAF_ENCODING = ['uint64', 'bytes32', 'address', 'uint64', 'uint64', 'bytes32', 'uint64', 'uint64'];

// uint64 values that break signed 64-bit arithmetic if the encoder gets the sign wrong.
const EDGE_U64 = [U64_MAX, U64_MAX - 1n, 1n << 63n, (1n << 63n) - 1n, 0n, 1n];

function leafValues(count, label) {
  const next = stream(label);
  const values = [];
  for (let i = 0; i < count; i++) {
    const r = next();
    const edge = (k) => EDGE_U64[(i + k) % EDGE_U64.length];
    // Every third leaf takes edge values in its uint64 fields; the others look like real ones.
    const useEdges = i % 3 === 1;
    const chainId = useEdges && i % 2 === 1 ? CHAIN_ID_MAX : 1n + (u64From(r) % 1_000_000n);
    const txHash = hex(next());
    const sender = hex(next().slice(0, 20));
    const nonce = useEdges ? edge(0) : u64From(next()) % 10_000n;
    const sequence = useEdges ? edge(1) : BigInt(i + 1);
    const previous = i === 0 ? hex(new Uint8Array(32)) : hex(next());
    const receivedAt = useEdges ? edge(2) : 1_764_000_000_000n + BigInt(i) * 7n;
    const targetSlot = useEdges ? edge(3) : 882_000n + BigInt(i % 5);
    values.push([chainId, txHash, sender, nonce, sequence, previous, receivedAt, targetSlot].map((v) =>
      typeof v === 'bigint' ? v.toString() : v,
    ));
  }
  return values;
}

function merkleCase(count) {
  const values = leafValues(count, `merkle/${count}`);
  const tree = StandardMerkleTree.of(values, LEAF_ENCODING);
  const leaves = values.map((value, i) => {
    const proof = tree.getProof(i);
    check(StandardMerkleTree.verify(tree.root, LEAF_ENCODING, value, proof), `proof ${i} of ${count}`);
    return {
      chainId: value[0],
      txHash: value[1],
      sender: value[2],
      nonce: value[3],
      sequence: value[4],
      previous: value[5],
      receivedAt: value[6],
      targetSlot: value[7],
      leafHash: tree.leafHash(value),
      proof,
    };
  });
  return { leafCount: count, root: tree.root, leaves };
}

write('merkle.json', {
  source: '@openzeppelin/merkle-tree 1.0.8 StandardMerkleTree.of(values, encoding)',
  leafEncoding: LEAF_ENCODING,
  note: 'uint64 fields are decimal strings; leaves are listed in input order, not tree order',
  trees: [1, 2, 3, 7, 100].map(merkleCase),
});

// ---- EIP-712 commitment (spec 3) -------------------------------------------------------------

const DOMAIN = { name: 'Preconfirmation', version: '1' };
const TYPES = {
  Commitment: [
    { name: 'root', type: 'bytes32' },
    { name: 'issuedAt', type: 'uint64' },
    { name: 'expiresAt', type: 'uint64' },
    { name: 'atomic', type: 'bool' },
  ],
};

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const keyHex = (k) => '0x' + k.toString(16).padStart(64, '0');

function eip712Cases() {
  const next = stream('eip712');
  const cases = [
    { root: hex(new Uint8Array(32)), issuedAt: 0n, expiresAt: 0n, atomic: false, privateKey: keyHex(1n) },
    { root: hex(next()), issuedAt: 1_764_000_000_125n, expiresAt: 1_764_003_600_125n, atomic: false, privateKey: keyHex(N - 1n) },
    { root: hex(next()), issuedAt: 1_764_000_000_125n, expiresAt: 1_764_003_600_125n, atomic: true, privateKey: keyHex(N - 1n) },
    { root: hex(next()), issuedAt: U64_MAX - 1n, expiresAt: U64_MAX, atomic: true, privateKey: hex(next()) },
    { root: hex(next()), issuedAt: 1n << 63n, expiresAt: (1n << 63n) + 3_600_000n, atomic: false, privateKey: hex(next()) },
  ];
  for (let i = 0; i < 7; i++) {
    const issuedAt = 1_764_000_000_000n + u64From(next()) % 100_000_000n;
    cases.push({ root: hex(next()), issuedAt, expiresAt: issuedAt + 3_600_000n, atomic: i % 2 === 0, privateKey: hex(next()) });
  }
  return cases.map((c) => {
    const value = { root: c.root, issuedAt: c.issuedAt, expiresAt: c.expiresAt, atomic: c.atomic };
    const digest = TypedDataEncoder.hash(DOMAIN, TYPES, value);
    const wallet = new Wallet(c.privateKey);
    const sig = wallet.signingKey.sign(digest);
    check(verifyTypedData(DOMAIN, TYPES, value, sig.serialized) === wallet.address, 'verifyTypedData');
    check(SigningKey.recoverPublicKey(digest, sig) === wallet.signingKey.publicKey, 'recover');
    check(BigInt(sig.s) <= N / 2n, 'low s');
    return {
      root: c.root,
      issuedAt: c.issuedAt.toString(),
      expiresAt: c.expiresAt.toString(),
      atomic: c.atomic,
      privateKey: c.privateKey,
      address: wallet.address.toLowerCase(),
      digest,
      signature: sig.serialized,
      r: sig.r,
      s: sig.s,
      v: sig.v,
    };
  });
}

write('eip712.json', {
  source: 'ethers 6.17.0 TypedDataEncoder.hash and SigningKey.sign (RFC 6979, low s)',
  domain: DOMAIN,
  types: TYPES,
  domainSeparator: TypedDataEncoder.hashDomain(DOMAIN),
  commitmentTypeHash: keccak256(toUtf8Bytes(TypedDataEncoder.from(TYPES).encodeType('Commitment'))),
  encodeType: TypedDataEncoder.from(TYPES).encodeType('Commitment'),
  note: 'uint64 values are decimal strings; signature is r ++ s ++ v with v in {27, 28}',
  cases: eip712Cases(),
});

// ---- ML-DSA-65 (spec 3, pqSignature) ---------------------------------------------------------

function mldsaCase(seed, message) {
  const { publicKey, secretKey } = ml_dsa65.keygen(seed);
  const signature = ml_dsa65.sign(message, secretKey, { extraEntropy: false });
  check(ml_dsa65.verify(signature, message, publicKey), 'ml-dsa verify');
  check(hex(ml_dsa65.sign(message, secretKey, { extraEntropy: false })) === hex(signature), 'deterministic');
  return { seed: hex(seed), message: hex(message), publicKey: hex(publicKey), signature: hex(signature) };
}

function mldsaCases() {
  const next = stream('mldsa');
  const seeds = [new Uint8Array(32), next(), next()];
  const first = seeds.map((seed) => mldsaCase(seed, next()));
  // More keys and digests, drawn after the first three so that those stay as they were: each
  // signature takes the signing loop through a different number of rejected candidates.
  const more = [];
  for (let i = 0; i < 29; i++) {
    const seed = next();
    more.push(mldsaCase(seed, next()));
  }
  return [...first, ...more];
}

write('mldsa.json', {
  source: '@noble/post-quantum 0.7.1 ml_dsa65.keygen(seed), ml_dsa65.sign(message, secretKey, { extraEntropy: false })',
  note: 'FIPS 204 pure ML-DSA-65, empty context, deterministic (rnd = 32 zero bytes)',
  cases: mldsaCases(),
});
