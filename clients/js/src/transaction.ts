/**
 * Decodes a signed rollup transaction exactly as the engine does (spec section 1): legacy with
 * EIP-155, type 1 and type 2, canonical RLP only, the sender recovered from the signature over the
 * original bytes of the signed fields. Every other input is a coded failure, never an exception.
 * Tested against the engine's vectors (reactive-core/src/test/resources/vectors/transactions.json).
 *
 * @see https://eips.ethereum.org/EIPS/eip-155
 * @see https://eips.ethereum.org/EIPS/eip-2718
 * @see https://ethereum.org/en/developers/docs/data-structures-and-encoding/rlp/
 */
import { secp256k1 } from "@noble/curves/secp256k1";
import { bytesToHex, concat, keccak256 } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import { decodeHex, MalformedValue } from "./hex.js";
import { Codes, failure, Reasons, type Failure, type VerificationReason } from "./reasons.js";
import type { Hex } from "./types.js";

/** The fields a preconfirmation's leaf promises about its transaction. */
export interface DecodedTransaction {
  txHash: Hex;
  chainId: bigint;
  sender: Hex;
  nonce: bigint;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const LONG_MAX = 2n ** 63n - 1n;
const N = secp256k1.CURVE.n;
const SUPPORTED = "send legacy (EIP-155), type 1 or type 2";

class Malformed extends Error {}
class Refused extends Error {
  constructor(
    readonly reason: VerificationReason,
    message: string,
  ) {
    super(message);
  }
}

/** One item's bounds after a read: the header at `start`, the payload from `from` to `to`. */
interface Item {
  list: boolean;
  start: number;
  from: number;
  to: number;
}

/** Walks the items of one list's payload, accepting only canonical RLP (as go-ethereum's rlp). */
class ListReader {
  constructor(
    private readonly b: Uint8Array,
    public pos: number,
    private readonly end: number,
  ) {}

  hasNext(): boolean {
    return this.pos < this.end;
  }

  count(what: string): number {
    const saved = this.pos;
    let n = 0;
    try {
      while (this.pos < this.end) {
        this.next(what);
        n++;
      }
    } finally {
      this.pos = saved;
    }
    return n;
  }

  next(what: string): Item {
    const { b, end } = this;
    const start = this.pos;
    if (start >= end) throw new Malformed(`${what} is missing: its list ends at offset ${end}`);
    const prefix = b[start]!;
    let item: Item;
    if (prefix < 0x80) {
      item = { list: false, start, from: start, to: start + 1 };
    } else if (prefix < 0xb8) {
      const from = start + 1;
      item = { list: false, start, from, to: this.bounded(what, start, from, prefix - 0x80) };
      if (prefix === 0x81 && b[from]! < 0x80) {
        throw new Malformed(`${what} at offset ${start} wraps a single byte below 0x80 in a string header`);
      }
    } else if (prefix < 0xc0) {
      item = this.long(what, start, false, prefix - 0xb8 + 1);
    } else if (prefix < 0xf8) {
      const from = start + 1;
      item = { list: true, start, from, to: this.bounded(what, start, from, prefix - 0xc0) };
    } else {
      item = this.long(what, start, true, prefix - 0xf8 + 1);
    }
    this.pos = item.to;
    return item;
  }

  string(what: string): Item {
    const item = this.next(what);
    if (item.list) throw new Malformed(`${what} at offset ${item.start} must be a byte string, got a list`);
    return item;
  }

  list(what: string): ListReader {
    const item = this.next(what);
    if (!item.list) throw new Malformed(`${what} at offset ${item.start} must be a list, got a byte string`);
    return new ListReader(this.b, item.from, item.to);
  }

  /** An unsigned integer of at most 32 bytes without a leading zero byte. */
  uint(what: string): bigint {
    const item = this.string(what);
    const length = item.to - item.from;
    if (length > 32) throw new Malformed(`${what} is ${length} bytes long, more than the 32 allowed`);
    if (length > 0 && this.b[item.from] === 0) {
      throw new Malformed(`${what} at offset ${item.start} is an integer with a leading zero byte`);
    }
    return length === 0 ? 0n : BigInt(bytesToHex(this.b.subarray(item.from, item.to)));
  }

  private long(what: string, start: number, list: boolean, lengthOfLength: number): Item {
    const lengthStart = start + 1;
    if (lengthOfLength > this.end - lengthStart) {
      throw new Malformed(`${what} at offset ${start} has a length of length that runs past its list`);
    }
    if (this.b[lengthStart] === 0) throw new Malformed(`${what} at offset ${start} has a length with a leading zero byte`);
    let length = 0n;
    for (let i = 0; i < lengthOfLength; i++) length = (length << 8n) | BigInt(this.b[lengthStart + i]!);
    if (length > 2n ** 31n - 1n) {
      throw new Malformed(`${what} at offset ${start} claims a payload of ${length} bytes, past the end of its list`);
    }
    if (length < 56n) {
      throw new Malformed(`${what} at offset ${start} uses the long form for a ${length}-byte payload`);
    }
    const from = lengthStart + lengthOfLength;
    return { list, start, from, to: this.bounded(what, start, from, Number(length)) };
  }

  private bounded(what: string, start: number, from: number, length: number): number {
    if (length > this.end - from) {
      throw new Malformed(
        `${what} at offset ${start} claims a payload of ${length} bytes but only ${this.end - from} remain in its list`,
      );
    }
    return from + length;
  }
}

function topLevelList(b: Uint8Array, offset: number, what: string): ListReader {
  const whole = new ListReader(b, offset, b.length).next(what);
  if (!whole.list) throw new Malformed(`${what} must be an RLP list, got a byte string`);
  if (whole.to !== b.length) {
    throw new Malformed(`${what} is followed by ${b.length - whole.to} trailing bytes after its RLP list`);
  }
  return new ListReader(b, whole.from, whole.to);
}

function requireFields(f: ListReader, what: string, expected: number): void {
  const count = f.count(`${what} field`);
  if (count !== expected) throw new Malformed(`${what} has ${count} fields, expected ${expected}`);
}

function listHeader(payloadLength: number): Uint8Array {
  if (payloadLength < 56) return Uint8Array.of(0xc0 + payloadLength);
  const bytes: number[] = [];
  for (let n = payloadLength; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Uint8Array.of(0xf7 + bytes.length, ...bytes);
}

function encodeUint(value: bigint): Uint8Array {
  if (value === 0n) return Uint8Array.of(0x80);
  if (value < 0x80n) return Uint8Array.of(Number(value));
  const hex = value.toString(16);
  const bytes = decodeHex("value", `0x${hex.length % 2 ? "0" : ""}${hex}`);
  return Uint8Array.of(0x80 + bytes.length, ...bytes);
}

function readNonce(f: ListReader): bigint {
  const nonce = f.uint("nonce");
  if (nonce > MAX_SAFE) throw new Refused(Reasons.OUT_OF_RANGE, `nonce ${nonce} is above ${MAX_SAFE}`);
  return nonce;
}

function readGasLimit(f: ListReader): void {
  const gas = f.uint("gasLimit");
  if (gas > LONG_MAX) throw new Refused(Reasons.GAS_LIMIT_EXCEEDED, `gasLimit ${gas} is above ${LONG_MAX}`);
}

function readTo(f: ListReader): void {
  const to = f.string("to");
  const length = to.to - to.from;
  if (length !== 0 && length !== 20) throw new Malformed(`to must be empty or 20 bytes, got ${length} bytes`);
}

/** EIP-2930: a list of [address, [storageKey, ...]] with 20-byte addresses and 32-byte keys. */
function checkAccessList(list: ListReader): void {
  for (let index = 0; list.hasNext(); index++) {
    const entry = `accessList[${index}]`;
    const tuple = list.list(entry);
    const address = tuple.string(`${entry}.address`);
    if (address.to - address.from !== 20) {
      throw new Malformed(`${entry}.address must be 20 bytes, got ${address.to - address.from} bytes`);
    }
    const keys = tuple.list(`${entry}.storageKeys`);
    for (let k = 0; keys.hasNext(); k++) {
      const key = keys.string(`${entry}.storageKeys[${k}]`);
      if (key.to - key.from !== 32) {
        throw new Malformed(`${entry}.storageKeys[${k}] must be 32 bytes, got ${key.to - key.from} bytes`);
      }
    }
    if (tuple.hasNext()) throw new Malformed(`${entry} has more than 2 items; expected [address, storageKeys]`);
  }
}

function requireCanonical(r: bigint, s: bigint): void {
  if (r <= 0n || r >= N) throw new Refused(Reasons.BAD_SIGNATURE, `signature r 0x${r.toString(16)} is not in 1..n-1`);
  if (s <= 0n || s > N / 2n) {
    throw new Refused(
      Reasons.BAD_SIGNATURE,
      `signature s 0x${s.toString(16)}${s === 0n ? " is zero" : " is above n/2 (high-s, refused since EIP-2)"}`,
    );
  }
}

function recover(signingHash: Hex, r: bigint, s: bigint, recoveryId: number): Hex {
  try {
    const point = new secp256k1.Signature(r, s).addRecoveryBit(recoveryId).recoverPublicKey(signingHash.slice(2));
    return publicKeyToAddress(bytesToHex(point.toRawBytes(false))).toLowerCase() as Hex;
  } catch {
    throw new Refused(
      Reasons.BAD_SIGNATURE,
      `signature r 0x${r.toString(16)} with recovery id ${recoveryId} does not recover a public key`,
    );
  }
}

function decodeLegacy(b: Uint8Array): DecodedTransaction {
  const f = topLevelList(b, 0, "legacy transaction");
  requireFields(f, "legacy transaction", 9);
  const signedStart = f.pos;
  const nonce = readNonce(f);
  f.uint("gasPrice");
  readGasLimit(f);
  readTo(f);
  f.uint("value");
  f.string("data");
  const signedEnd = f.pos;
  const v = f.uint("v");
  if (v > LONG_MAX) throw new Refused(Reasons.OUT_OF_RANGE, `legacy v=0x${v.toString(16)} implies a chainId above ${MAX_SAFE}`);
  if (v === 27n || v === 28n) {
    throw new Refused(
      Reasons.MISSING_CHAIN_ID,
      `legacy transaction without EIP-155 chain id (v=${v}) is refused: replayable across chains`,
    );
  }
  if (v < 35n) throw new Refused(Reasons.BAD_SIGNATURE, `legacy v=${v} is neither 27/28 nor chainId*2+35/36 (EIP-155)`);
  const chainId = (v - 35n) >> 1n;
  if (chainId < 1n || chainId > MAX_SAFE) {
    throw new Refused(Reasons.OUT_OF_RANGE, `legacy v=${v} implies chainId ${chainId}, outside 1..${MAX_SAFE}`);
  }
  const r = f.uint("signature r");
  const s = f.uint("signature s");
  requireCanonical(r, s);
  // EIP-155: keccak256(rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0])).
  const signed = b.subarray(signedStart, signedEnd);
  const tail = concat([encodeUint(chainId), Uint8Array.of(0x80, 0x80)]);
  const signingHash = keccak256(concat([listHeader(signed.length + tail.length), signed, tail]));
  const sender = recover(signingHash, r, s, Number((v - 35n) & 1n));
  return { txHash: keccak256(b), chainId, sender, nonce };
}

function decodeTyped(b: Uint8Array, type: 1 | 2): DecodedTransaction {
  const what = `type-${type} transaction`;
  const f = topLevelList(b, 1, what);
  requireFields(f, what, type === 2 ? 12 : 11);
  const signedStart = f.pos;
  const chainId = f.uint("chainId");
  if (chainId < 1n || chainId > MAX_SAFE) throw new Refused(Reasons.OUT_OF_RANGE, `chainId ${chainId} is outside 1..${MAX_SAFE}`);
  const nonce = readNonce(f);
  if (type === 2) {
    f.uint("maxPriorityFeePerGas");
    f.uint("maxFeePerGas");
  } else {
    f.uint("gasPrice");
  }
  readGasLimit(f);
  readTo(f);
  f.uint("value");
  f.string("data");
  checkAccessList(f.list("accessList"));
  const signedEnd = f.pos;
  const yParity = f.uint("yParity");
  if (yParity > 1n) throw new Refused(Reasons.BAD_SIGNATURE, `yParity ${yParity} must be 0 or 1 in ${what}`);
  const r = f.uint("signature r");
  const s = f.uint("signature s");
  requireCanonical(r, s);
  // EIP-2718: keccak256(type ++ rlp([fields before the signature])).
  const signed = b.subarray(signedStart, signedEnd);
  const signingHash = keccak256(concat([Uint8Array.of(type), listHeader(signed.length), signed]));
  const sender = recover(signingHash, r, s, Number(yParity));
  return { txHash: keccak256(b), chainId, sender, nonce };
}

function typeName(type: number): string {
  return type === 3 ? " (EIP-4844 blob)" : type === 4 ? " (EIP-7702 set-code)" : "";
}

/** Decodes raw transaction bytes, or says why not with the engine's reason. */
export function decodeTransaction(b: Uint8Array): { ok: true; value: DecodedTransaction } | { ok: false; failure: Failure } {
  const refuse = (reason: VerificationReason, message: string) =>
    ({ ok: false, failure: failure(Codes.INVALID_TRANSACTION, reason, message) }) as const;
  if (b.length === 0) return refuse(Reasons.MALFORMED_RLP, "transaction is empty");
  const first = b[0]!;
  const hexByte = first.toString(16).padStart(2, "0");
  try {
    if (first >= 0xc0) return { ok: true, value: decodeLegacy(b) };
    if (first === 0x01 || first === 0x02) return { ok: true, value: decodeTyped(b, first) };
  } catch (e) {
    if (e instanceof Malformed) return refuse(Reasons.MALFORMED_RLP, e.message);
    if (e instanceof Refused) return refuse(e.reason, e.message);
    throw e;
  }
  if (first >= 0x80) {
    return refuse(
      Reasons.MALFORMED_RLP,
      `transaction starts with 0x${hexByte}, which is neither a type byte (0x00-0x7f) nor an RLP list`,
    );
  }
  return refuse(Reasons.UNSUPPORTED_TX_TYPE, `transaction type 0x${hexByte}${typeName(first)} is not supported; ${SUPPORTED}`);
}

/** Decodes `0x` hex of a raw transaction; bad hex is MALFORMED_HEX. */
export function decodeTransactionHex(hex: string): ReturnType<typeof decodeTransaction> {
  try {
    return decodeTransaction(decodeHex("transaction", hex));
  } catch (e) {
    if (e instanceof MalformedValue) {
      return { ok: false, failure: failure(Codes.INVALID_TRANSACTION, Reasons.MALFORMED_HEX, e.message) };
    }
    throw e;
  }
}
