// A preconfer of the tests' own, built from independent implementations (OpenZeppelin's
// StandardMerkleTree, viem's signTypedData, noble's ML-DSA-65), so that the client's verification is
// checked against promises its own code did not make.
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ml_dsa65 } from "@noble/post-quantum/ml-dsa.js";
import type { Hex, Preconfirmation } from "@preconf/client";
import { bytesToHex, hashTypedData, hexToBytes, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

const ENCODING = ["uint64", "bytes32", "address", "uint64", "uint64", "bytes32", "uint64", "uint64"];
// The spec's own words (section 3), written out here rather than taken from the client under test.
export const DOMAIN = { name: "Preconfirmation", version: "1" } as const;
export const TYPES = {
  Commitment: [
    { name: "root", type: "bytes32" },
    { name: "issuedAt", type: "uint64" },
    { name: "expiresAt", type: "uint64" },
    { name: "atomic", type: "bool" },
  ],
} as const;

export type Leaf = Pick<
  Preconfirmation,
  "chainId" | "txHash" | "sender" | "nonce" | "sequence" | "previous" | "receivedAt" | "targetSlot"
>;

export interface Preconfer {
  address: Hex;
  pqPublicKey: Hex;
  issue(leaves: Leaf[], o?: { issuedAt?: number; ttlMs?: number; atomic?: boolean; pq?: boolean }): Promise<Preconfirmation[]>;
}

export function preconfer(label: string): Preconfer {
  const account = privateKeyToAccount(keccak256(toHex(`preconfer/${label}/ecdsa`)));
  const pq = ml_dsa65.keygen(hexToBytes(keccak256(toHex(`preconfer/${label}/mldsa`))));
  return {
    address: account.address.toLowerCase() as Hex,
    pqPublicKey: bytesToHex(pq.publicKey),
    async issue(leaves, o = {}) {
      const values = leaves.map((l) => [l.chainId, l.txHash, l.sender, l.nonce, l.sequence, l.previous, l.receivedAt, l.targetSlot]);
      const tree = StandardMerkleTree.of(values, ENCODING);
      const issuedAt = o.issuedAt ?? Date.now();
      const message = {
        root: tree.root as Hex,
        issuedAt: BigInt(issuedAt),
        expiresAt: BigInt(issuedAt + (o.ttlMs ?? 3_600_000)),
        atomic: o.atomic ?? false,
      };
      const signature = await account.signTypedData({ domain: DOMAIN, types: TYPES, primaryType: "Commitment", message });
      const digest = hashTypedData({ domain: DOMAIN, types: TYPES, primaryType: "Commitment", message });
      const pqSignature = o.pq === false ? null : bytesToHex(ml_dsa65.sign(hexToBytes(digest), pq.secretKey));
      return leaves.map((l, i) => ({
        id: tree.leafHash(values[i]!) as Hex,
        ...l,
        proof: tree.getProof(i) as Hex[],
        commitment: {
          root: message.root,
          issuedAt,
          expiresAt: Number(message.expiresAt),
          atomic: message.atomic,
          signer: account.address.toLowerCase() as Hex,
          signature,
          pqSignature,
        },
      }));
    },
  };
}

/** A leaf with plausible values: `n` picks the transaction and the lane position. */
export function leaf(n: number, over: Partial<Leaf> = {}): Leaf {
  return {
    chainId: 167000,
    txHash: keccak256(toHex(`tx/${n}`)),
    sender: `0x${keccak256(toHex(`sender/${n}`)).slice(26)}` as Hex,
    nonce: n,
    sequence: 1000 + n,
    previous: keccak256(toHex(`tx/${n - 1}`)),
    receivedAt: Date.now() - 10,
    targetSlot: 882000 + n,
    ...over,
  };
}
