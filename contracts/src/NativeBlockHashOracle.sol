// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

import {Blockhash} from "@openzeppelin/contracts/utils/Blockhash.sol";
import {IBlockHashOracle} from "./IBlockHashOracle.sol";

/// Block hashes of the chain this contract runs on, for a slasher deployed on the rollup itself:
/// the `BLOCKHASH` opcode for the last 256 blocks and the EIP-2935 history contract for the last
/// 8,191 (OpenZeppelin `Blockhash`). Another chain's blocks are unknown here: a slasher on L1
/// takes an oracle fed by the rollup's own anchoring of its block hashes instead.
contract NativeBlockHashOracle is IBlockHashOracle {
    function blockHash(uint64 chainId, uint64 number) external view returns (bytes32) {
        if (chainId != block.chainid) return bytes32(0);
        return Blockhash.blockHash(number);
    }
}
