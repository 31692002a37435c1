// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

/// The canonical block hashes of the rollups a slasher judges: the one fact about a rollup that
/// evidence cannot carry by itself (docs/slashing.md, "On chain").
interface IBlockHashOracle {
    /// The canonical hash of block `number` of rollup `chainId`, or zero when not known.
    function blockHash(uint64 chainId, uint64 number) external view returns (bytes32);
}
