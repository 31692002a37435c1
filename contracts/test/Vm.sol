// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

/// The forge cheatcodes these tests and the deploy script use (forge's `Vm` interface, the few functions needed), so the
/// tests need no library beyond OpenZeppelin.
interface Vm {
    struct Gas {
        uint64 gasLimit;
        uint64 gasTotalUsed;
        uint64 gasMemoryUsed;
        int64 gasRefunded;
        uint64 gasRemaining;
    }

    function projectRoot() external view returns (string memory);
    function readFile(string calldata path) external view returns (string memory);
    function parseJsonUint(string calldata json, string calldata key) external pure returns (uint256);
    function parseJsonBool(string calldata json, string calldata key) external pure returns (bool);
    function parseJsonAddress(string calldata json, string calldata key) external pure returns (address);
    function parseJsonBytes32(string calldata json, string calldata key) external pure returns (bytes32);
    function parseJsonBytes(string calldata json, string calldata key) external pure returns (bytes memory);
    function parseJsonBytes32Array(string calldata json, string calldata key) external pure returns (bytes32[] memory);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function addr(uint256 privateKey) external pure returns (address);
    function expectRevert(bytes calldata revertData) external;
    function expectPartialRevert(bytes4 selector) external;
    function expectRevert() external;
    function prank(address sender) external;
    function deal(address account, uint256 balance) external;
    function warp(uint256 timestamp) external;
    function roll(uint256 blockNumber) external;
    function setBlockhash(uint256 blockNumber, bytes32 blockHash) external;
    function lastCallGas() external view returns (Gas memory);
    function snapshotGasLastCall(string calldata name) external returns (uint256 gasUsed);
    function toString(uint256 value) external pure returns (string memory);
    function envAddress(string calldata name) external view returns (address);
    function envOr(string calldata name, uint256 defaultValue) external view returns (uint256);
    function envOr(string calldata name, address defaultValue) external view returns (address);
    function envOr(string calldata name, bytes calldata defaultValue) external view returns (bytes memory);
    function startBroadcast() external;
    function stopBroadcast() external;
}

/// What every test here shares: the cheatcodes and plain assertions that name the values.
abstract contract TestBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    error Unequal(string what, bytes32 actual, bytes32 expected);
    error Above(string what, uint256 actual, uint256 limit);

    function assertEq(bytes32 actual, bytes32 expected, string memory what) internal pure {
        if (actual != expected) revert Unequal(what, actual, expected);
    }

    function assertEq(uint256 actual, uint256 expected, string memory what) internal pure {
        if (actual != expected) revert Unequal(what, bytes32(actual), bytes32(expected));
    }

    function assertEq(address actual, address expected, string memory what) internal pure {
        if (actual != expected) {
            revert Unequal(what, bytes32(uint256(uint160(actual))), bytes32(uint256(uint160(expected))));
        }
    }

    function assertAtMost(uint256 actual, uint256 limit, string memory what) internal pure {
        if (actual > limit) revert Above(what, actual, limit);
    }
}
