// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {Commitment, Facts, Leaf, Preconfirmation, PreconfirmationHashing} from "./Preconfirmation.sol";

/// Checks a preconfirmation as spec sections 2 and 3 define it, against a registry of the
/// preconfer's signing keys:
///
/// 1. the leaf hash, folded with `proof`, gives `commitment.root` (OpenZeppelin `MerkleProof`);
/// 2. the EIP-712 digest of the commitment recovers, with the 65-byte low-`s` signature, an address
///    (OpenZeppelin `ECDSA`, which refuses high `s` and malformed signatures);
/// 3. that address is a registered key, and `issuedAt` lies in the key's range of issue times.
///
/// Rotation: a new key is registered with the range it signs for; the old key's range is ended
/// with {retireSigner}, which never reaches back before the present, so promises already issued
/// stay provable. A key is registered once: its range cannot be rewritten to void past promises.
///
/// The ML-DSA co-signature is not verified here (a 3,309-byte signature and a 1,952-byte key, and
/// no precompile: millions of gas per check). The registry keeps `keccak256(pqPublicKey)` for
/// each key, so an off-chain verifier can be pointed at the post-quantum key that belongs to it.
contract PreconfirmationVerifier is Ownable {
    /// A key's range of issue times, unix milliseconds, both ends included. One storage slot.
    struct KeyRange {
        uint64 validFrom;
        uint64 validUntil;
    }

    bytes32 public immutable DOMAIN_SEPARATOR = PreconfirmationHashing.domainSeparator();

    mapping(address signer => KeyRange) public keyRanges;
    mapping(address signer => bytes32) public pqPublicKeyHashes;

    event SignerRegistered(address indexed signer, uint64 validFrom, uint64 validUntil, bytes32 pqPublicKeyHash);
    event SignerRetired(address indexed signer, uint64 validUntil);

    error SignerAlreadyRegistered(address signer);
    error EmptyKeyRange(uint64 validFrom, uint64 validUntil);
    error SignerNotRegistered(address signer);
    error RetirementNotShortening(address signer, uint64 validUntil, uint64 currentValidUntil);
    error RetirementInThePast(address signer, uint64 validUntil, uint64 nowMs);
    error LeafNotUnderRoot(bytes32 leaf, bytes32 root);
    error SignerNotValidAt(address signer, uint64 issuedAt);

    constructor(address owner_) Ownable(owner_) {}

    /// Trusts `signer` for commitments issued in [validFrom, validUntil] (unix ms);
    /// `pqPublicKeyHash` is keccak256 of its ML-DSA-65 public key, zero when it has none.
    function registerSigner(address signer, uint64 validFrom, uint64 validUntil, bytes32 pqPublicKeyHash)
        external
        onlyOwner
    {
        require(keyRanges[signer].validUntil == 0, SignerAlreadyRegistered(signer));
        require(validUntil != 0 && validFrom <= validUntil, EmptyKeyRange(validFrom, validUntil));
        keyRanges[signer] = KeyRange(validFrom, validUntil);
        pqPublicKeyHashes[signer] = pqPublicKeyHash;
        emit SignerRegistered(signer, validFrom, validUntil, pqPublicKeyHash);
    }

    /// Ends `signer`'s range at `validUntil`, not earlier than now: a rotated-out key signs nothing
    /// new, and what it signed before stays provable.
    function retireSigner(address signer, uint64 validUntil) external onlyOwner {
        KeyRange storage range = keyRanges[signer];
        uint64 current = range.validUntil;
        require(current != 0, SignerNotRegistered(signer));
        require(validUntil < current, RetirementNotShortening(signer, validUntil, current));
        uint64 nowMs = uint64(block.timestamp * 1000);
        require(validUntil >= nowMs, RetirementInThePast(signer, validUntil, nowMs));
        range.validUntil = validUntil;
        emit SignerRetired(signer, validUntil);
    }

    /// The facts `p` proves, or a revert naming the check that failed and its values.
    function verify(Preconfirmation calldata p) external view returns (Facts memory facts) {
        Leaf calldata l = p.leaf;
        Commitment calldata c = p.commitment;
        bytes32 id = PreconfirmationHashing.leafHash(l);
        require(MerkleProof.verifyCalldata(p.proof, c.root, id), LeafNotUnderRoot(id, c.root));
        address signer = recoverSigner(c);
        KeyRange memory range = keyRanges[signer];
        require(
            range.validUntil != 0 && range.validFrom <= c.issuedAt && c.issuedAt <= range.validUntil,
            SignerNotValidAt(signer, c.issuedAt)
        );
        facts = Facts({
            id: id,
            signer: signer,
            chainId: l.chainId,
            txHash: l.txHash,
            sender: l.sender,
            nonce: l.nonce,
            sequence: l.sequence,
            targetSlot: l.targetSlot,
            issuedAt: c.issuedAt,
            expiresAt: c.expiresAt,
            atomic: c.atomic
        });
    }

    /// The address whose key signed `c`: `ecrecover` of the EIP-712 digest (spec section 3).
    /// Reverts on a malformed or high-`s` signature; any well-formed one recovers some address.
    function recoverSigner(Commitment calldata c) public view returns (address) {
        bytes32 digest = MessageHashUtils.toTypedDataHash(DOMAIN_SEPARATOR, PreconfirmationHashing.commitmentHash(c));
        return ECDSA.recoverCalldata(digest, c.signature);
    }
}
