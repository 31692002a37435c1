import { bytesToHex, hexToBytes } from "viem";
import type { Hex } from "./types.js";

/** Raised for a value that is not what its field needs; the message names the field and value. */
export class MalformedValue extends Error {
  constructor(
    message: string,
    readonly kind: "hex" | "length" | "range",
  ) {
    super(message);
  }
}

/** Shortens long values so that messages stay one readable sentence (as the engine's `Hex`). */
export function abbreviate(value: string): string {
  return value.length <= 74 ? value : `${value.slice(0, 40)}…${value.slice(-8)}`;
}

const DIGIT = /^[0-9a-fA-F]$/;
const WELL_FORMED = /^0[xX](?:[0-9a-fA-F]{2})*$/;

/**
 * Decodes `0x`-prefixed hex with an even number of digits, in either case, exactly as the engine
 * reads every byte string of the wire contract.
 */
export function decodeHex(what: string, hex: string): Uint8Array {
  if (WELL_FORMED.test(hex)) return hexToBytes(`0x${hex.slice(2)}`);
  // Not well formed: find the first problem, in the engine's order, to name it.
  if (!(hex.startsWith("0x") || hex.startsWith("0X"))) {
    throw new MalformedValue(`${what} must be 0x-prefixed hex, got "${abbreviate(hex)}"`, "hex");
  }
  const digits = hex.length - 2;
  if (digits % 2 !== 0) {
    throw new MalformedValue(`${what} has an odd number of hex digits (${digits}): "${abbreviate(hex)}"`, "hex");
  }
  const out = new Uint8Array(digits / 2);
  for (let i = 0; i < out.length; i++) {
    for (const at of [2 + 2 * i, 3 + 2 * i]) {
      if (!DIGIT.test(hex[at]!)) {
        throw new MalformedValue(
          `${what} has a non-hex character '${hex[at]}' at position ${at}: "${abbreviate(hex)}"`,
          "hex",
        );
      }
    }
    out[i] = parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  }
  return out;
}

/** Decodes hex that must hold exactly `size` bytes, returned as lowercase hex. */
export function fixedHex(what: string, hex: string, size: number): Hex {
  const bytes = decodeHex(what, hex);
  if (bytes.length !== size) {
    throw new MalformedValue(`${what} must be ${size} bytes, got ${bytes.length} bytes: "${abbreviate(hex)}"`, "length");
  }
  return bytesToHex(bytes);
}
