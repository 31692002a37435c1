// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

/// The preconfirmation leaf, spec section 2 (docs/spec/preconfirmation-v1.md): the eight values in
/// the order and with the ABI types of the engine's OpenZeppelin `StandardMerkleTree` leaf.
struct Leaf {
    uint64 chainId;
    bytes32 txHash;
    address sender;
    uint64 nonce;
    uint64 sequence;
    bytes32 previous;
    uint64 receivedAt;
    uint64 targetSlot;
}

/// The signed commitment, spec section 3: the EIP-712 `Commitment` with its 65-byte `r ++ s ++ v`
/// secp256k1 signature. The ML-DSA co-signature is not carried: no contract checks it (see README).
struct Commitment {
    bytes32 root;
    uint64 issuedAt;
    uint64 expiresAt;
    bool atomic;
    bytes signature;
}

/// One preconfirmation as the engine serves it (spec section 4), less `id` (recomputed from the
/// leaf), `signer` (recovered from the signature) and `pqSignature`.
struct Preconfirmation {
    Leaf leaf;
    bytes32[] proof;
    Commitment commitment;
}

/// What a verified preconfirmation establishes: the signer promised this transaction this lane
/// position, by this slot, until this time. `id` is the leaf hash, the preconfirmation's id.
struct Facts {
    bytes32 id;
    address signer;
    uint64 chainId;
    bytes32 txHash;
    address sender;
    uint64 nonce;
    uint64 sequence;
    uint64 targetSlot;
    uint64 issuedAt;
    uint64 expiresAt;
    bool atomic;
}

/// The hashes of spec sections 2 and 3.
library PreconfirmationHashing {
    /// keccak256("EIP712Domain(string name,string version)"): the domain has no chainId and no
    /// verifyingContract, so one signature is checked alike on every chain.
    bytes32 internal constant DOMAIN_TYPEHASH = keccak256("EIP712Domain(string name,string version)");

    bytes32 internal constant COMMITMENT_TYPEHASH =
        keccak256("Commitment(bytes32 root,uint64 issuedAt,uint64 expiresAt,bool atomic)");

    /// The domain `{name: "Preconfirmation", version: "1"}`.
    function domainSeparator() internal pure returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("Preconfirmation"), keccak256("1")));
    }

    /// `keccak256(keccak256(abi.encode(leaf values)))`: OpenZeppelin `StandardMerkleTree`'s leaf,
    /// https://github.com/OpenZeppelin/merkle-tree#standard-merkle-trees
    function leafHash(Leaf calldata l) internal pure returns (bytes32) {
        return keccak256(
            bytes.concat(
                keccak256(
                    abi.encode(
                        l.chainId, l.txHash, l.sender, l.nonce, l.sequence, l.previous, l.receivedAt, l.targetSlot
                    )
                )
            )
        );
    }

    /// EIP-712 `hashStruct(Commitment)`, https://eips.ethereum.org/EIPS/eip-712#definition-of-hashstruct
    function commitmentHash(Commitment calldata c) internal pure returns (bytes32) {
        return keccak256(abi.encode(COMMITMENT_TYPEHASH, c.root, c.issuedAt, c.expiresAt, c.atomic));
    }
}
