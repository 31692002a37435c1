// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

import {RLP} from "@openzeppelin/contracts/utils/RLP.sol";
import {IBlockHashOracle} from "../src/IBlockHashOracle.sol";
import {PreconfSlasher} from "../src/PreconfSlasher.sol";

/// An oracle the tests tell which blocks are canonical.
contract TestBlockHashOracle is IBlockHashOracle {
    mapping(uint64 => mapping(uint64 => bytes32)) internal hashes;

    function setBlockHash(uint64 chainId, uint64 number, bytes32 hash) external {
        hashes[chainId][number] = hash;
    }

    function blockHash(uint64 chainId, uint64 number) external view returns (bytes32) {
        return hashes[chainId][number];
    }
}

/// Rollup blocks of one or two transactions: an RLP header (the 15 fields of the first Ethereum
/// header: enough for the transactions root and the timestamp) and the transaction-trie proofs,
/// built by hand as the yellow paper's trie has them for keys rlp(0) = 0x80 and rlp(1) = 0x01.
library Blocks {
    using RLP for *;

    /// The header of block `number` at `timestamp` (seconds) over `transactionsRoot`.
    function header(uint64 number, uint256 timestamp, bytes32 transactionsRoot) internal pure returns (bytes memory) {
        bytes[] memory f = new bytes[](15);
        f[0] = RLP.encode(keccak256(abi.encode("parent", number)));
        f[1] = RLP.encode(keccak256(hex"c0"));
        f[2] = RLP.encode(address(0xc0ffee));
        f[3] = RLP.encode(keccak256("state"));
        f[4] = RLP.encode(transactionsRoot);
        f[5] = RLP.encode(keccak256("receipts"));
        f[6] = RLP.encode(new bytes(256));
        f[7] = RLP.encode(uint256(0));
        f[8] = RLP.encode(uint256(number));
        f[9] = RLP.encode(uint256(30_000_000));
        f[10] = RLP.encode(uint256(21_000));
        f[11] = RLP.encode(timestamp);
        f[12] = RLP.encode(bytes(""));
        f[13] = RLP.encode(keccak256("mix"));
        f[14] = RLP.encode(bytes(hex"0000000000000000"));
        return RLP.encode(f);
    }

    /// A leaf node: `path` already hex-prefix encoded, `value` the raw transaction.
    function leafNode(bytes memory path, bytes memory value) internal pure returns (bytes memory) {
        bytes[] memory items = new bytes[](2);
        items[0] = RLP.encode(path);
        items[1] = RLP.encode(value);
        return RLP.encode(items);
    }

    /// The trie of one transaction: a single leaf with the whole key, nibbles [8, 0].
    function oneTransaction(bytes memory raw) internal pure returns (bytes32 root, bytes[] memory proof) {
        proof = new bytes[](1);
        proof[0] = leafNode(hex"2080", raw);
        root = keccak256(proof[0]);
    }

    /// The trie of two transactions: a branch on the first nibble (0 for key 0x01, 8 for 0x80)
    /// over two leaves holding the remaining nibble. Returns the proofs of index 0 and index 1.
    function twoTransactions(bytes memory raw0, bytes memory raw1)
        internal
        pure
        returns (bytes32 root, bytes[] memory proof0, bytes[] memory proof1)
    {
        bytes memory leaf0 = leafNode(hex"30", raw0);
        bytes memory leaf1 = leafNode(hex"31", raw1);
        bytes[] memory branch = new bytes[](17);
        for (uint256 i = 0; i < 17; i++) {
            branch[i] = RLP.encode(bytes(""));
        }
        branch[0] = RLP.encode(keccak256(leaf1));
        branch[8] = RLP.encode(keccak256(leaf0));
        bytes memory branchNode = RLP.encode(branch);
        root = keccak256(branchNode);
        proof0 = new bytes[](2);
        proof0[0] = branchNode;
        proof0[1] = leaf0;
        proof1 = new bytes[](2);
        proof1[0] = branchNode;
        proof1[1] = leaf1;
    }

    function inclusion(uint64 number, bytes memory headerRlp, uint256 index, bytes[] memory proof)
        internal
        pure
        returns (PreconfSlasher.Inclusion memory)
    {
        return PreconfSlasher.Inclusion(number, headerRlp, index, proof);
    }
}
