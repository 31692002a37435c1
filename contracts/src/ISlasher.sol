// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

/// The slashing hook of the Universal Registry Contract (URC, eth-fabric): the registry calls
/// `slash` with an operator's delegation, a commitment its delegate signed, and evidence; the
/// slasher decides and answers how much to take and how much of it goes to the challenger. The
/// registry holds the collateral. The structs keep the registry's ABI layout.
interface ISlasher {
    /// A BLS12-381 G1 point as EIP-2537 lays it out (each coordinate in two 32-byte words).
    struct G1Point {
        bytes32 x_a;
        bytes32 x_b;
        bytes32 y_a;
        bytes32 y_b;
    }

    /// A proposer's delegation to a delegate; `commitmentsKey` signs the delegate's commitments.
    struct Delegation {
        G1Point proposerPubKey;
        G1Point constraintsKey;
        address commitmentsKey;
        address slasher;
        uint64 slot;
        bytes metadata;
    }

    /// A commitment bound to a slasher: `commitmentType` and `payload` are the slasher's to define.
    struct Commitment {
        uint64 commitmentType;
        bytes payload;
        address slasher;
    }

    function slash(
        Delegation calldata delegation,
        Commitment calldata commitment,
        bytes calldata evidence,
        address challenger
    ) external returns (uint256 slashAmountGwei, uint256 rewardAmountGwei);

    function DOMAIN_SEPARATOR() external view returns (bytes memory);
}
