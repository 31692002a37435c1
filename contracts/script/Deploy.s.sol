// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

import {IBlockHashOracle} from "../src/IBlockHashOracle.sol";
import {NativeBlockHashOracle} from "../src/NativeBlockHashOracle.sol";
import {PreconfirmationVerifier} from "../src/PreconfirmationVerifier.sol";
import {PreconfSlasher} from "../src/PreconfSlasher.sol";
import {Vm} from "../test/Vm.sol";

/// Deploys the verifier, the slasher and, for a slasher on the rollup itself, the native block-hash
/// oracle; registers the engine's signer and the rollup's slot clock. The sender (forge's
/// `--private-key`) owns both contracts. See README.md for a run against anvil.
///
/// Environment:
///   PRECONF_SIGNER        the engine's signer address (`info`), required
///   PRECONF_PQ_PUBLIC_KEY its ML-DSA-65 public key (`info`), hex; its keccak256 is recorded
///   ROLLUP_CHAIN_ID       the rollup whose clock is set (default: this chain)
///   ROLLUP_GENESIS_MS     its genesis, unix ms (default 1735689600000, the engine's default)
///   ROLLUP_SLOT_MS        its slot duration, ms (default 2000)
///   BLOCK_HASH_ORACLE     an oracle of the rollup's block hashes (default: a new native one)
///   URC                   the registry allowed to call ISlasher.slash (default: none)
///   PENALTY_WEI           taken per fault (default 1 ether)
///   CHALLENGE_WINDOW      seconds a preconfer has to answer a non-inclusion challenge (default 3600)
///   WITHDRAWAL_DELAY      seconds between asking for a bond back and getting it (default 7 days)
contract Deploy {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    function run() external returns (PreconfirmationVerifier verifier, address oracle, PreconfSlasher slasher) {
        address signer = vm.envAddress("PRECONF_SIGNER");
        bytes memory pqPublicKey = vm.envOr("PRECONF_PQ_PUBLIC_KEY", bytes(""));
        uint64 chainId = uint64(vm.envOr("ROLLUP_CHAIN_ID", block.chainid));
        uint64 genesisMs = uint64(vm.envOr("ROLLUP_GENESIS_MS", uint256(1_735_689_600_000)));
        uint64 slotMs = uint64(vm.envOr("ROLLUP_SLOT_MS", uint256(2000)));
        oracle = vm.envOr("BLOCK_HASH_ORACLE", address(0));

        vm.startBroadcast();
        if (oracle == address(0)) oracle = address(new NativeBlockHashOracle());
        verifier = new PreconfirmationVerifier(msg.sender);
        verifier.registerSigner(
            signer, 0, type(uint64).max, pqPublicKey.length == 0 ? bytes32(0) : keccak256(pqPublicKey)
        );
        slasher = new PreconfSlasher(
            msg.sender,
            verifier,
            IBlockHashOracle(oracle),
            vm.envOr("URC", address(0)),
            vm.envOr("PENALTY_WEI", uint256(1 ether)),
            uint64(vm.envOr("CHALLENGE_WINDOW", uint256(3600))),
            uint64(vm.envOr("WITHDRAWAL_DELAY", uint256(7 days)))
        );
        slasher.setClock(chainId, genesisMs, slotMs);
        vm.stopBroadcast();
    }
}
