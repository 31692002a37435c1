// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

import {Commitment, Leaf, Preconfirmation, PreconfirmationHashing} from "../src/Preconfirmation.sol";
import {TestBase} from "./Vm.sol";

/// Exposes the hashing library, whose functions read calldata.
contract HashingHarness {
    function leafHash(Leaf calldata l) external pure returns (bytes32) {
        return PreconfirmationHashing.leafHash(l);
    }

    function digest(Commitment calldata c) external pure returns (bytes32) {
        return keccak256(
            bytes.concat("\x19\x01", PreconfirmationHashing.domainSeparator(), PreconfirmationHashing.commitmentHash(c))
        );
    }
}

/// Preconfirmations built from the engine's committed vectors (reactive-core/vectors/crypto.mjs:
/// leaves, roots and proofs by OpenZeppelin merkle-tree, digests and signatures by ethers) and
/// signed here with a vector key, as the engine signs them.
abstract contract Promises is TestBase {
    uint256 internal constant CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141;
    uint64 internal constant ISSUED_AT = 1_764_000_000_125;
    uint64 internal constant EXPIRES_AT = ISSUED_AT + 3_600_000;

    HashingHarness internal hashing = new HashingHarness();
    string internal merkleJson;
    string internal eip712Json;

    function loadVectors() internal {
        string memory dir = string.concat(vm.projectRoot(), "/../reactive-core/src/test/resources/vectors/");
        merkleJson = vm.readFile(string.concat(dir, "merkle.json"));
        eip712Json = vm.readFile(string.concat(dir, "eip712.json"));
    }

    function leafKey(uint256 tree, uint256 i) internal pure returns (string memory) {
        return string.concat(".trees[", _str(tree), "].leaves[", _str(i), "]");
    }

    /// Leaf `i` of vector tree `tree`, with its proof, under a commitment signed by `key`.
    function vectorPromise(uint256 tree, uint256 i, uint256 key) internal view returns (Preconfirmation memory p) {
        string memory path = leafKey(tree, i);
        p.leaf = Leaf({
            chainId: uint64(vm.parseJsonUint(merkleJson, string.concat(path, ".chainId"))),
            txHash: vm.parseJsonBytes32(merkleJson, string.concat(path, ".txHash")),
            sender: vm.parseJsonAddress(merkleJson, string.concat(path, ".sender")),
            nonce: uint64(vm.parseJsonUint(merkleJson, string.concat(path, ".nonce"))),
            sequence: uint64(vm.parseJsonUint(merkleJson, string.concat(path, ".sequence"))),
            previous: vm.parseJsonBytes32(merkleJson, string.concat(path, ".previous")),
            receivedAt: uint64(vm.parseJsonUint(merkleJson, string.concat(path, ".receivedAt"))),
            targetSlot: uint64(vm.parseJsonUint(merkleJson, string.concat(path, ".targetSlot")))
        });
        p.proof = vm.parseJsonBytes32Array(merkleJson, string.concat(path, ".proof"));
        bytes32 root = vm.parseJsonBytes32(merkleJson, string.concat(".trees[", _str(tree), "].root"));
        p.commitment = signed(key, root, ISSUED_AT, EXPIRES_AT, false);
    }

    /// A commitment of `root` signed with `key`, `r ++ s ++ v` as spec section 3 has it.
    function signed(uint256 key, bytes32 root, uint64 issuedAt, uint64 expiresAt, bool atomic)
        internal
        view
        returns (Commitment memory c)
    {
        c = Commitment(root, issuedAt, expiresAt, atomic, "");
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, hashing.digest(c));
        c.signature = abi.encodePacked(r, s, v);
    }

    /// A promise alone in its commitment: root = leaf hash, empty proof.
    function singlePromise(Leaf memory leaf, uint256 key, uint64 expiresAt)
        internal
        view
        returns (Preconfirmation memory p)
    {
        p.leaf = leaf;
        p.proof = new bytes32[](0);
        p.commitment = signed(key, hashing.leafHash(leaf), ISSUED_AT, expiresAt, false);
    }

    function _str(uint256 v) internal pure returns (string memory) {
        return vm.toString(v);
    }
}
