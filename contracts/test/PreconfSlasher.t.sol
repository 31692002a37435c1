// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

import {TrieProof} from "@openzeppelin/contracts/utils/cryptography/TrieProof.sol";
import {ISlasher} from "../src/ISlasher.sol";
import {NativeBlockHashOracle} from "../src/NativeBlockHashOracle.sol";
import {Leaf, Preconfirmation} from "../src/Preconfirmation.sol";
import {PreconfirmationVerifier} from "../src/PreconfirmationVerifier.sol";
import {PreconfSlasher} from "../src/PreconfSlasher.sol";
import {Blocks, TestBlockHashOracle} from "./Blocks.sol";
import {Promises} from "./Promises.sol";

/// Each fault the slasher decides, slashed once on sound evidence, and refused on evidence of an
/// honoured promise or on a tampered part (another signer, a non-canonical header, a changed trie
/// node, a promise that had lapsed).
contract PreconfSlasherTest is Promises {
    uint64 internal constant CHAIN = 167000;
    uint64 internal constant GENESIS_MS = 1_735_689_600_000;
    uint64 internal constant SLOT_MS = 2000;
    uint64 internal constant TARGET = 14_155_200; // the slot of ISSUED_AT, give or take
    uint256 internal constant PENALTY = 1 ether;
    address internal constant CHALLENGER = address(0xc4a11e);
    address internal constant URC = address(0x0c0);

    PreconfirmationVerifier internal verifier;
    TestBlockHashOracle internal oracle;
    PreconfSlasher internal slasher;
    uint256 internal key;
    address internal signer;

    bytes internal rawA = abi.encodePacked(hex"02", keccak256("transaction a"), keccak256("a, signed"));
    bytes internal rawB = abi.encodePacked(hex"02", keccak256("transaction b"), keccak256("b, signed"));

    function setUp() public {
        loadVectors();
        key = vm.parseJsonUint(eip712Json, ".cases[1].privateKey");
        signer = vm.addr(key);
        verifier = new PreconfirmationVerifier(address(this));
        verifier.registerSigner(signer, 0, type(uint64).max, bytes32(0));
        oracle = new TestBlockHashOracle();
        slasher = new PreconfSlasher(address(this), verifier, oracle, URC, PENALTY, 1 hours, 7 days);
        slasher.setClock(CHAIN, GENESIS_MS, SLOT_MS);
        vm.deal(address(this), 10 ether);
        slasher.bond{value: 3 ether}(signer);
    }

    function leaf(bytes memory raw, uint64 sequence, address sender, uint64 nonce) internal pure returns (Leaf memory) {
        return Leaf(CHAIN, keccak256(raw), sender, nonce, sequence, bytes32(0), ISSUED_AT, TARGET);
    }

    function promised(bytes memory raw, uint64 sequence) internal view returns (Preconfirmation memory) {
        return singlePromise(leaf(raw, sequence, address(uint160(sequence)), 0), key, EXPIRES_AT);
    }

    function timestampOf(uint64 slot) internal pure returns (uint256) {
        return (GENESIS_MS + uint256(slot) * SLOT_MS) / 1000;
    }

    /// Block `number` of slot `slot` holding `raws` (one or two), made canonical in the oracle.
    function canonicalBlock(uint64 number, uint64 slot, bytes memory raw0, bytes memory raw1)
        internal
        returns (PreconfSlasher.Inclusion memory at0, PreconfSlasher.Inclusion memory at1)
    {
        bytes32 root;
        bytes[] memory proof0;
        bytes[] memory proof1;
        if (raw1.length == 0) (root, proof0) = Blocks.oneTransaction(raw0);
        else (root, proof0, proof1) = Blocks.twoTransactions(raw0, raw1);
        bytes memory header = Blocks.header(number, timestampOf(slot), root);
        oracle.setBlockHash(CHAIN, number, keccak256(header));
        at0 = Blocks.inclusion(number, header, 0, proof0);
        at1 = Blocks.inclusion(number, header, 1, proof1);
    }

    /// Block 100, a slot before the target, with b at index 0 and a at index 1.
    function bAheadOfAInOneBlock()
        internal
        returns (PreconfSlasher.Inclusion memory incA, PreconfSlasher.Inclusion memory incB)
    {
        (incB, incA) = canonicalBlock(100, TARGET - 1, rawB, rawA);
    }

    function assertSlashedOnce(uint256 challengerBefore) internal view {
        assertEq(slasher.bonds(signer), 2 ether, "bond after one slash");
        assertEq(CHALLENGER.balance - challengerBefore, PENALTY / 2, "challenger's reward");
        assertEq(slasher.burned(), PENALTY / 2, "burned");
    }

    // ---- Equivocation ----

    function test_oneLanePositionForTwoTransactionsIsSlashedOnce() public {
        Preconfirmation memory a = promised(rawA, 5);
        Preconfirmation memory b = promised(rawB, 5);
        vm.prank(CHALLENGER);
        slasher.slashEquivocation(a, b);
        vm.snapshotGasLastCall("slashEquivocation");
        assertSlashedOnce(0);
        vm.expectPartialRevert(PreconfSlasher.AlreadySlashed.selector);
        slasher.slashEquivocation(b, a);
    }

    function test_oneSenderAndNonceForTwoTransactionsIsSlashed() public {
        Preconfirmation memory a = singlePromise(leaf(rawA, 5, address(0xabc), 9), key, EXPIRES_AT);
        Preconfirmation memory b = singlePromise(leaf(rawB, 6, address(0xabc), 9), key, EXPIRES_AT);
        vm.prank(CHALLENGER);
        slasher.slashEquivocation(a, b);
        assertSlashedOnce(0);
    }

    function test_twoHonestPromisesAreNoEquivocation() public {
        Preconfirmation memory a = promised(rawA, 5);
        Preconfirmation memory b = promised(rawB, 6);
        vm.expectRevert(abi.encodeWithSelector(PreconfSlasher.NoConflict.selector, 5, 6));
        slasher.slashEquivocation(a, b);
        vm.expectRevert(abi.encodeWithSelector(PreconfSlasher.SameTransaction.selector, keccak256(rawA)));
        slasher.slashEquivocation(a, a);
    }

    function test_anotherSignersPromiseIsNoEquivocation() public {
        uint256 otherKey = vm.parseJsonUint(eip712Json, ".cases[3].privateKey");
        verifier.registerSigner(vm.addr(otherKey), 0, type(uint64).max, bytes32(0));
        Preconfirmation memory b = singlePromise(leaf(rawB, 5, address(5), 0), otherKey, EXPIRES_AT);
        Preconfirmation memory a = promised(rawA, 5);
        vm.expectRevert(abi.encodeWithSelector(PreconfSlasher.NotOneSigner.selector, signer, vm.addr(otherKey)));
        slasher.slashEquivocation(a, b);
    }

    function test_aForgedSecondPromiseIsRefused() public {
        uint256 forger = vm.parseJsonUint(eip712Json, ".cases[5].privateKey");
        Preconfirmation memory b = singlePromise(leaf(rawB, 5, address(5), 0), forger, EXPIRES_AT);
        Preconfirmation memory a = promised(rawA, 5);
        vm.expectPartialRevert(PreconfirmationVerifier.SignerNotValidAt.selector);
        slasher.slashEquivocation(a, b);
    }

    // ---- Order reversed ----

    function test_aLaterPositionIncludedFirstInOneBlockIsSlashed() public {
        Preconfirmation memory a = promised(rawA, 7);
        Preconfirmation memory b = promised(rawB, 8);
        (PreconfSlasher.Inclusion memory incA, PreconfSlasher.Inclusion memory incB) = bAheadOfAInOneBlock();
        vm.prank(CHALLENGER);
        slasher.slashOrderReversed(a, b, incA, incB);
        vm.snapshotGasLastCall("slashOrderReversed, one block");
        assertSlashedOnce(0);
    }

    function test_aLaterPositionIncludedInAnEarlierBlockIsSlashed() public {
        Preconfirmation memory a = promised(rawA, 7);
        Preconfirmation memory b = promised(rawB, 8);
        (PreconfSlasher.Inclusion memory incB,) = canonicalBlock(100, TARGET - 1, rawB, "");
        (PreconfSlasher.Inclusion memory incA,) = canonicalBlock(101, TARGET, rawA, "");
        vm.prank(CHALLENGER);
        slasher.slashOrderReversed(a, b, incA, incB);
        assertSlashedOnce(0);
    }

    function test_anHonouredOrderCannotBeSlashed() public {
        Preconfirmation memory a = promised(rawA, 7);
        Preconfirmation memory b = promised(rawB, 8);
        (PreconfSlasher.Inclusion memory incA, PreconfSlasher.Inclusion memory incB) =
            canonicalBlock(100, TARGET - 1, rawA, rawB);
        vm.expectRevert(abi.encodeWithSelector(PreconfSlasher.IncludedInOrder.selector, 100, 0, 100, 1));
        slasher.slashOrderReversed(a, b, incA, incB);
        vm.expectRevert(abi.encodeWithSelector(PreconfSlasher.NotInLaneOrder.selector, 8, 7));
        slasher.slashOrderReversed(b, a, incB, incA);
    }

    function test_aHeaderTheOracleDoesNotKnowIsRefused() public {
        Preconfirmation memory a = promised(rawA, 7);
        Preconfirmation memory b = promised(rawB, 8);
        (PreconfSlasher.Inclusion memory incA, PreconfSlasher.Inclusion memory incB) = bAheadOfAInOneBlock();
        oracle.setBlockHash(CHAIN, 100, keccak256("another branch"));
        vm.expectRevert(
            abi.encodeWithSelector(PreconfSlasher.NotCanonical.selector, CHAIN, 100, keccak256(incA.header))
        );
        slasher.slashOrderReversed(a, b, incA, incB);
    }

    function test_aChangedTrieNodeIsRefused() public {
        Preconfirmation memory a = promised(rawA, 7);
        Preconfirmation memory b = promised(rawB, 8);
        (PreconfSlasher.Inclusion memory incA, PreconfSlasher.Inclusion memory incB) = bAheadOfAInOneBlock();
        incA.trieProof[1][10] ^= 0x01;
        vm.expectRevert(
            abi.encodeWithSelector(TrieProof.TrieProofTraversalError.selector, TrieProof.ProofError.INVALID_LARGE_NODE)
        );
        slasher.slashOrderReversed(a, b, incA, incB);
    }

    function test_anotherTransactionsProofIsRefused() public {
        Preconfirmation memory a = promised(rawA, 7);
        Preconfirmation memory b = promised(rawB, 8);
        (PreconfSlasher.Inclusion memory incA, PreconfSlasher.Inclusion memory incB) = bAheadOfAInOneBlock();
        vm.expectRevert(
            abi.encodeWithSelector(PreconfSlasher.WrongTransaction.selector, keccak256(rawB), keccak256(rawA))
        );
        slasher.slashOrderReversed(a, b, incB, incA);
    }

    function test_aLapsedPromiseIsNoVictim() public {
        Preconfirmation memory b = promised(rawB, 8);
        (PreconfSlasher.Inclusion memory incA, PreconfSlasher.Inclusion memory incB) = bAheadOfAInOneBlock();
        uint64 blockStart = GENESIS_MS + (TARGET - 1) * SLOT_MS;
        Preconfirmation memory a = singlePromise(leaf(rawA, 7, address(7), 0), key, blockStart - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                PreconfSlasher.PromiseLapsed.selector, hashing.leafHash(a.leaf), blockStart - 1, blockStart
            )
        );
        slasher.slashOrderReversed(a, b, incA, incB);
    }

    // ---- Deadline: late and missing ----

    function test_anInclusionAfterTheTargetSlotIsSlashed() public {
        Preconfirmation memory a = promised(rawA, 7);
        (PreconfSlasher.Inclusion memory inc,) = canonicalBlock(100, TARGET + 1, rawA, "");
        vm.prank(CHALLENGER);
        slasher.slashIncludedLate(a, inc);
        vm.snapshotGasLastCall("slashIncludedLate");
        assertSlashedOnce(0);
    }

    function test_anInclusionAtTheTargetSlotIsOnTime() public {
        Preconfirmation memory a = promised(rawA, 7);
        (PreconfSlasher.Inclusion memory inc,) = canonicalBlock(100, TARGET, rawA, "");
        vm.expectRevert(abi.encodeWithSelector(PreconfSlasher.NotLate.selector, TARGET, TARGET));
        slasher.slashIncludedLate(a, inc);
    }

    function test_anUnansweredNonInclusionChallengeIsSlashedAfterItsWindow() public {
        Preconfirmation memory a = promised(rawA, 7);
        (PreconfSlasher.Inclusion memory later,) = canonicalBlock(100, TARGET + 1, rawB, "");
        vm.warp(1_000_000);
        vm.prank(CHALLENGER);
        slasher.challengeMissing(a, later.number, later.header);
        bytes32 id = hashing.leafHash(a.leaf);
        vm.expectRevert(abi.encodeWithSelector(PreconfSlasher.ChallengeOpen.selector, id, 1_000_000 + 1 hours));
        slasher.settleMissing(id);
        vm.warp(1_000_000 + 1 hours + 1);
        slasher.settleMissing(id);
        assertSlashedOnce(0);
    }

    function test_aChallengeAnsweredWithAnInclusionInTimeSlashesNothing() public {
        Preconfirmation memory a = promised(rawA, 7);
        (PreconfSlasher.Inclusion memory inTime,) = canonicalBlock(99, TARGET, rawA, "");
        (PreconfSlasher.Inclusion memory later,) = canonicalBlock(100, TARGET + 1, rawB, "");
        vm.prank(CHALLENGER);
        slasher.challengeMissing(a, later.number, later.header);
        slasher.rebutMissing(a, inTime);
        vm.warp(block.timestamp + 2 hours);
        bytes32 id = hashing.leafHash(a.leaf);
        vm.expectRevert(abi.encodeWithSelector(PreconfSlasher.NoChallenge.selector, id));
        slasher.settleMissing(id);
        assertEq(slasher.bonds(signer), 3 ether, "bond untouched");
    }

    function test_noChallengeBeforeTheTargetSlotHasPassed() public {
        Preconfirmation memory a = promised(rawA, 7);
        (PreconfSlasher.Inclusion memory atTarget,) = canonicalBlock(100, TARGET, rawB, "");
        vm.expectRevert(abi.encodeWithSelector(PreconfSlasher.NotPastTargetSlot.selector, TARGET, TARGET));
        slasher.challengeMissing(a, atTarget.number, atTarget.header);
    }

    // ---- The URC hook ----

    function delegation(address commitmentsKey) internal view returns (ISlasher.Delegation memory d) {
        d.commitmentsKey = commitmentsKey;
        d.slasher = address(slasher);
    }

    function test_theUrcSlashesAnEquivocationAndHoldsTheCollateral() public {
        ISlasher.Commitment memory c = ISlasher.Commitment(
            uint64(PreconfSlasher.Fault.Equivocation), abi.encode(promised(rawA, 5)), address(slasher)
        );
        bytes memory evidence = abi.encode(promised(rawB, 5));
        vm.prank(URC);
        (uint256 slashGwei, uint256 rewardGwei) = slasher.slash(delegation(signer), c, evidence, CHALLENGER);
        assertEq(slashGwei, PENALTY / 1 gwei, "slash amount");
        assertEq(rewardGwei, PENALTY / 2 / 1 gwei, "reward");
        assertEq(slasher.bonds(signer), 3 ether, "bonds here untouched");

        vm.prank(URC);
        vm.expectPartialRevert(PreconfSlasher.AlreadySlashed.selector);
        slasher.slash(delegation(signer), c, evidence, CHALLENGER);
    }

    function test_theUrcHookRefusesOthersAndAnotherDelegate() public {
        ISlasher.Commitment memory c = ISlasher.Commitment(
            uint64(PreconfSlasher.Fault.Equivocation), abi.encode(promised(rawA, 5)), address(slasher)
        );
        bytes memory evidence = abi.encode(promised(rawB, 5));
        vm.expectRevert(abi.encodeWithSelector(PreconfSlasher.NotUrc.selector, address(this)));
        slasher.slash(delegation(signer), c, evidence, CHALLENGER);
        vm.prank(URC);
        vm.expectRevert(abi.encodeWithSelector(PreconfSlasher.NotTheDelegate.selector, address(0xd), signer));
        slasher.slash(delegation(address(0xd)), c, evidence, CHALLENGER);
    }

    // ---- The native oracle ----

    function test_theNativeOracleKnowsOnlyItsOwnChain() public {
        NativeBlockHashOracle native = new NativeBlockHashOracle();
        vm.roll(500);
        vm.setBlockhash(450, keccak256("block 450"));
        assertEq(native.blockHash(uint64(block.chainid), 450), keccak256("block 450"), "own chain");
        assertEq(native.blockHash(uint64(block.chainid) + 1, 450), bytes32(0), "another chain");
    }

    // ---- Bond withdrawal ----

    function test_aWithdrawalWaitsItsDelayAndPaysWhatSlashingLeft() public {
        vm.deal(signer, 0);
        vm.prank(signer);
        slasher.requestWithdrawal(3 ether);
        vm.prank(signer);
        vm.expectRevert(
            abi.encodeWithSelector(PreconfSlasher.WithdrawalNotReady.selector, signer, block.timestamp + 7 days)
        );
        slasher.withdraw(payable(signer));

        // Still slashable meanwhile.
        Preconfirmation memory a = promised(rawA, 5);
        Preconfirmation memory b = promised(rawB, 5);
        vm.prank(CHALLENGER);
        slasher.slashEquivocation(a, b);

        vm.warp(block.timestamp + 7 days);
        vm.prank(signer);
        slasher.withdraw(payable(signer));
        assertEq(signer.balance, 2 ether, "paid what the slash left");
        assertEq(slasher.bonds(signer), 0, "bond");
        vm.prank(signer);
        vm.expectRevert(abi.encodeWithSelector(PreconfSlasher.NoWithdrawal.selector, signer));
        slasher.withdraw(payable(signer));
    }

    function test_noWithdrawalAboveTheBondNorADelayWithinTheChallengeWindow() public {
        vm.prank(signer);
        vm.expectRevert(abi.encodeWithSelector(PreconfSlasher.ExceedsBond.selector, signer, 4 ether, 3 ether));
        slasher.requestWithdrawal(4 ether);
        vm.expectRevert(abi.encodeWithSelector(PreconfSlasher.WithdrawalDelayTooShort.selector, 1 hours, 1 hours));
        new PreconfSlasher(address(this), verifier, oracle, URC, PENALTY, 1 hours, 1 hours);
    }
}
