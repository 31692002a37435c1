// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Memory} from "@openzeppelin/contracts/utils/Memory.sol";
import {RLP} from "@openzeppelin/contracts/utils/RLP.sol";
import {BlockHeader} from "@openzeppelin/contracts/utils/BlockHeader.sol";
import {TrieProof} from "@openzeppelin/contracts/utils/cryptography/TrieProof.sol";
import {IBlockHashOracle} from "./IBlockHashOracle.sol";
import {ISlasher} from "./ISlasher.sol";
import {Facts, Preconfirmation} from "./Preconfirmation.sol";
import {PreconfirmationVerifier} from "./PreconfirmationVerifier.sol";

/// Slashes a bonded preconfer for the broken promises a contract can decide (docs/slashing.md):
///
/// 1. Equivocation, from signatures alone: two valid preconfirmations of one signer on one chain
///    for two transactions, with the same lane position (`sequence`) or the same sender and nonce.
/// 2. Order reversed: promises a and b of one lane, `a.sequence < b.sequence`, both included,
///    b first in chain order, while a was in force when its block came.
/// 3. Included late: the promised transaction is in a block of a slot after `targetSlot`, and the
///    promise was in force at its deadline (the end of the target slot).
/// 4. Not included: a negative fact, settled by challenge. The challenger shows a canonical block
///    of a slot after `targetSlot`; the preconfer has `challengeWindow` seconds to show the
///    transaction in a block of a slot at most `targetSlot`; {settleMissing} slashes if it did not.
///
/// Blocks are trusted through a block-hash oracle: a header counts when its keccak256 is the
/// oracle's hash for its number; its `timestamp` gives the slot through the rollup's slot clock
/// (this contract's configuration, never the evidence's) and its `transactionsRoot` anchors the
/// transaction-trie proof (key `rlp(index)`, value the EIP-2718 transaction, whose keccak256 is
/// the `txHash`).
///
/// Each fault is slashed once (its key in {slashed}). Slashed bonds pay half to the challenger; the
/// rest is burned (kept here, counted in {burned}). A preconfer takes its bond out in two steps,
/// `withdrawalDelay` apart, and the amount stays slashable until the second: the delay is to be
/// longer than a challenge window and than the time a fault takes to be noticed and proven. Called by the URC through {slash}, the same judgements
/// decide and the registry, which holds the collateral, takes the amounts.
contract PreconfSlasher is ISlasher, Ownable {
    using RLP for Memory.Slice;

    /// A transaction at `index` of block `number`: the block's RLP header and the proof of the
    /// transaction in its transactions trie (nodes from the root, as `eth_getProof` lists them).
    struct Inclusion {
        uint64 number;
        bytes header;
        uint256 index;
        bytes[] trieProof;
    }

    /// A rollup's slot clock, as the engine's configuration has it.
    struct SlotClock {
        uint64 genesisTimeMs;
        uint64 slotDurationMs;
    }

    /// An open non-inclusion challenge of one promise.
    struct Challenge {
        address challenger;
        address signer;
        uint64 deadline;
    }

    /// A bond withdrawal under way.
    struct Withdrawal {
        uint256 amount;
        uint64 readyAt;
    }

    /// The faults; also the URC `commitmentType` of a commitment slashed through {slash}.
    enum Fault {
        None,
        Equivocation,
        OrderReversed,
        IncludedLate,
        NotIncluded
    }

    PreconfirmationVerifier public immutable verifier;
    IBlockHashOracle public immutable oracle;
    /// The registry allowed to call {slash}; zero when none is.
    address public immutable urc;
    uint256 public immutable penaltyWei;
    uint64 public immutable challengeWindow;
    uint64 public immutable withdrawalDelay;

    mapping(uint64 chainId => SlotClock) public clocks;
    mapping(address signer => uint256) public bonds;
    mapping(bytes32 key => bool) public slashed;
    mapping(bytes32 id => Challenge) public challenges;
    mapping(address signer => Withdrawal) public withdrawals;
    uint256 public burned;

    event ClockSet(uint64 indexed chainId, uint64 genesisTimeMs, uint64 slotDurationMs);
    event Bonded(address indexed signer, uint256 amount, uint256 total);
    event Slashed(
        address indexed signer, Fault indexed fault, bytes32 key, uint256 amount, uint256 reward, address challenger
    );
    event WithdrawalRequested(address indexed signer, uint256 amount, uint64 readyAt);
    event Withdrawn(address indexed signer, uint256 amount, address to);
    event MissingChallenged(bytes32 indexed id, address indexed signer, address challenger, uint64 deadline);
    event MissingRebutted(bytes32 indexed id, uint64 blockNumber, uint64 slot);

    error ClockAlreadySet(uint64 chainId);
    error EmptySlotDuration(uint64 chainId);
    error ClockNotSet(uint64 chainId);
    error NotOneSigner(address a, address b);
    error NotOneChain(uint64 a, uint64 b);
    error SameTransaction(bytes32 txHash);
    error NoConflict(uint64 sequenceA, uint64 sequenceB);
    error NotInLaneOrder(uint64 sequenceA, uint64 sequenceB);
    error NotCanonical(uint64 chainId, uint64 number, bytes32 headerHash);
    error BlockBeforeGenesis(uint64 chainId, uint256 timestamp);
    error WrongTransaction(bytes32 included, bytes32 promised);
    error IncludedInOrder(uint64 numberA, uint256 indexA, uint64 numberB, uint256 indexB);
    error PromiseLapsed(bytes32 id, uint64 expiresAt, uint64 mustLastUntil);
    error NotLate(uint64 slot, uint64 targetSlot);
    error NotPastTargetSlot(uint64 slot, uint64 targetSlot);
    error AlreadySlashed(bytes32 key);
    error ChallengeOpen(bytes32 id, uint64 deadline);
    error NoChallenge(bytes32 id);
    error NotUrc(address caller);
    error WrongSlasher(address named);
    error NotTheDelegate(address commitmentsKey, address signer);
    error UnsupportedCommitmentType(uint64 commitmentType);
    error TransferFailed(address to, uint256 amount);
    error WithdrawalDelayTooShort(uint64 withdrawalDelay, uint64 challengeWindow);
    error ExceedsBond(address signer, uint256 amount, uint256 bond);
    error NoWithdrawal(address signer);
    error WithdrawalNotReady(address signer, uint64 readyAt);

    constructor(
        address owner_,
        PreconfirmationVerifier verifier_,
        IBlockHashOracle oracle_,
        address urc_,
        uint256 penaltyWei_,
        uint64 challengeWindow_,
        uint64 withdrawalDelay_
    ) Ownable(owner_) {
        require(withdrawalDelay_ > challengeWindow_, WithdrawalDelayTooShort(withdrawalDelay_, challengeWindow_));
        verifier = verifier_;
        oracle = oracle_;
        urc = urc_;
        penaltyWei = penaltyWei_;
        challengeWindow = challengeWindow_;
        withdrawalDelay = withdrawalDelay_;
    }

    /// Sets rollup `chainId`'s slot clock, once: changing it later would re-judge old blocks.
    function setClock(uint64 chainId, uint64 genesisTimeMs, uint64 slotDurationMs) external onlyOwner {
        require(clocks[chainId].slotDurationMs == 0, ClockAlreadySet(chainId));
        require(slotDurationMs != 0, EmptySlotDuration(chainId));
        clocks[chainId] = SlotClock(genesisTimeMs, slotDurationMs);
        emit ClockSet(chainId, genesisTimeMs, slotDurationMs);
    }

    /// Adds the value sent to `signer`'s bond.
    function bond(address signer) external payable {
        uint256 total = bonds[signer] + msg.value;
        bonds[signer] = total;
        emit Bonded(signer, msg.value, total);
    }

    /// Starts taking `amount` of the sender's bond out, `withdrawalDelay` seconds from now. A new
    /// request replaces the last one and starts the delay again.
    function requestWithdrawal(uint256 amount) external {
        uint256 held = bonds[msg.sender];
        require(amount <= held, ExceedsBond(msg.sender, amount, held));
        uint64 readyAt = uint64(block.timestamp) + withdrawalDelay;
        withdrawals[msg.sender] = Withdrawal(amount, readyAt);
        emit WithdrawalRequested(msg.sender, amount, readyAt);
    }

    /// Pays the requested amount, or what slashing left of it, to `to`.
    function withdraw(address payable to) external returns (uint256 amount) {
        Withdrawal memory w = withdrawals[msg.sender];
        require(w.readyAt != 0, NoWithdrawal(msg.sender));
        // A delay is days long: the seconds a block producer can shift a timestamp do not matter.
        // forge-lint: disable-next-line(block-timestamp)
        require(block.timestamp >= w.readyAt, WithdrawalNotReady(msg.sender, w.readyAt));
        delete withdrawals[msg.sender];
        uint256 held = bonds[msg.sender];
        amount = w.amount < held ? w.amount : held;
        bonds[msg.sender] = held - amount;
        emit Withdrawn(msg.sender, amount, to);
        _pay(to, amount);
    }

    // ---- Judgements: the fault's key and the signer to blame, or a revert naming why not. ----

    /// Equivocation: `a` and `b` give one lane position, or one (sender, nonce), to two transactions.
    function judgeEquivocation(Preconfirmation calldata a, Preconfirmation calldata b)
        public
        view
        returns (bytes32 key, address signer)
    {
        Facts memory fa = verifier.verify(a);
        Facts memory fb = verifier.verify(b);
        require(fa.signer == fb.signer, NotOneSigner(fa.signer, fb.signer));
        require(fa.chainId == fb.chainId, NotOneChain(fa.chainId, fb.chainId));
        require(fa.txHash != fb.txHash, SameTransaction(fa.txHash));
        if (fa.sequence == fb.sequence) {
            key = keccak256(abi.encode(Fault.Equivocation, fa.signer, fa.chainId, "sequence", fa.sequence));
        } else if (fa.sender == fb.sender && fa.nonce == fb.nonce) {
            key = keccak256(abi.encode(Fault.Equivocation, fa.signer, fa.chainId, fa.sender, fa.nonce));
        } else {
            revert NoConflict(fa.sequence, fb.sequence);
        }
        signer = fa.signer;
    }

    /// Order reversed: `overtaker` (the later lane position) was included before `overtaken`.
    function judgeOrderReversed(
        Preconfirmation calldata overtaken,
        Preconfirmation calldata overtaker,
        Inclusion calldata overtakenInclusion,
        Inclusion calldata overtakerInclusion
    ) public view returns (bytes32 key, address signer) {
        Facts memory a = verifier.verify(overtaken);
        Facts memory b = verifier.verify(overtaker);
        require(a.signer == b.signer, NotOneSigner(a.signer, b.signer));
        require(a.chainId == b.chainId, NotOneChain(a.chainId, b.chainId));
        require(a.sequence < b.sequence, NotInLaneOrder(a.sequence, b.sequence));
        uint64 slotA = _proveInclusion(a, overtakenInclusion);
        _proveInclusion(b, overtakerInclusion);
        (uint64 numberA, uint256 indexA) = (overtakenInclusion.number, overtakenInclusion.index);
        (uint64 numberB, uint256 indexB) = (overtakerInclusion.number, overtakerInclusion.index);
        require(
            numberB < numberA || (numberB == numberA && indexB < indexA),
            IncludedInOrder(numberA, indexA, numberB, indexB)
        );
        _requireInForce(a, _slotStart(a.chainId, slotA));
        return (keccak256(abi.encode(Fault.OrderReversed, a.id)), a.signer);
    }

    /// Included late: the promised transaction is in a block of a slot after its target slot.
    function judgeIncludedLate(Preconfirmation calldata p, Inclusion calldata inclusion)
        public
        view
        returns (bytes32 key, address signer)
    {
        Facts memory f = verifier.verify(p);
        uint64 slot = _proveInclusion(f, inclusion);
        require(slot > f.targetSlot, NotLate(slot, f.targetSlot));
        _requireInForce(f, _slotStart(f.chainId, f.targetSlot + 1));
        return (_missedKey(f.id), f.signer);
    }

    // ---- Slashing the bonds held here. ----

    function slashEquivocation(Preconfirmation calldata a, Preconfirmation calldata b) external returns (uint256) {
        (bytes32 key, address signer) = judgeEquivocation(a, b);
        return _slashBond(Fault.Equivocation, key, signer, msg.sender);
    }

    function slashOrderReversed(
        Preconfirmation calldata overtaken,
        Preconfirmation calldata overtaker,
        Inclusion calldata overtakenInclusion,
        Inclusion calldata overtakerInclusion
    ) external returns (uint256) {
        (bytes32 key, address signer) = judgeOrderReversed(overtaken, overtaker, overtakenInclusion, overtakerInclusion);
        return _slashBond(Fault.OrderReversed, key, signer, msg.sender);
    }

    function slashIncludedLate(Preconfirmation calldata p, Inclusion calldata inclusion) external returns (uint256) {
        (bytes32 key, address signer) = judgeIncludedLate(p, inclusion);
        return _slashBond(Fault.IncludedLate, key, signer, msg.sender);
    }

    /// Opens a non-inclusion challenge: block `number` (its RLP `header`) is canonical, of a slot
    /// after `p`'s target slot, and `p` was in force at its deadline.
    function challengeMissing(Preconfirmation calldata p, uint64 number, bytes calldata header) external {
        Facts memory f = verifier.verify(p);
        bytes32 key = _missedKey(f.id);
        require(!slashed[key], AlreadySlashed(key));
        uint64 open = challenges[f.id].deadline;
        require(open == 0, ChallengeOpen(f.id, open));
        (, uint256 timestamp) = _canonicalHeader(f.chainId, number, header);
        uint64 slot = _slotOf(f.chainId, timestamp);
        require(slot > f.targetSlot, NotPastTargetSlot(slot, f.targetSlot));
        _requireInForce(f, _slotStart(f.chainId, f.targetSlot + 1));
        uint64 deadline = uint64(block.timestamp) + challengeWindow;
        challenges[f.id] = Challenge(msg.sender, f.signer, deadline);
        emit MissingChallenged(f.id, f.signer, msg.sender, deadline);
    }

    /// Answers a challenge with the transaction in a block of a slot at most the target slot.
    function rebutMissing(Preconfirmation calldata p, Inclusion calldata inclusion) external {
        Facts memory f = verifier.verify(p);
        require(challenges[f.id].deadline != 0, NoChallenge(f.id));
        uint64 slot = _proveInclusion(f, inclusion);
        require(slot <= f.targetSlot, NotLate(slot, f.targetSlot));
        delete challenges[f.id];
        emit MissingRebutted(f.id, inclusion.number, slot);
    }

    /// Slashes for a challenge left unanswered past its window.
    function settleMissing(bytes32 id) external returns (uint256) {
        Challenge memory c = challenges[id];
        require(c.deadline != 0, NoChallenge(id));
        // A window is hours long: the seconds a block producer can shift a timestamp do not matter.
        // forge-lint: disable-next-line(block-timestamp)
        require(block.timestamp > c.deadline, ChallengeOpen(id, c.deadline));
        delete challenges[id];
        return _slashBond(Fault.NotIncluded, _missedKey(id), c.signer, c.challenger);
    }

    // ---- URC hook. ----

    /// `commitment.payload` is `abi.encode(Preconfirmation)`, the accused promise, and
    /// `commitment.commitmentType` a {Fault}; `evidence` is, per fault:
    /// Equivocation `abi.encode(Preconfirmation other)`; OrderReversed
    /// `abi.encode(Preconfirmation overtaker, Inclusion accusedInclusion, Inclusion overtakerInclusion)`;
    /// IncludedLate `abi.encode(Inclusion)`. Not-included is decided over time, by challenge, so
    /// it is not taken here.
    function slash(
        Delegation calldata delegation,
        Commitment calldata commitment,
        bytes calldata evidence,
        address challenger
    ) external returns (uint256 slashAmountGwei, uint256 rewardAmountGwei) {
        require(msg.sender == urc && urc != address(0), NotUrc(msg.sender));
        require(commitment.slasher == address(this), WrongSlasher(commitment.slasher));
        Preconfirmation memory accused = abi.decode(commitment.payload, (Preconfirmation));
        bytes32 key;
        address signer;
        uint64 kind = commitment.commitmentType;
        if (kind == uint64(Fault.Equivocation)) {
            (key, signer) = this.judgeEquivocation(accused, abi.decode(evidence, (Preconfirmation)));
        } else if (kind == uint64(Fault.OrderReversed)) {
            (Preconfirmation memory overtaker, Inclusion memory accusedInc, Inclusion memory overtakerInc) =
                abi.decode(evidence, (Preconfirmation, Inclusion, Inclusion));
            (key, signer) = this.judgeOrderReversed(accused, overtaker, accusedInc, overtakerInc);
        } else if (kind == uint64(Fault.IncludedLate)) {
            (key, signer) = this.judgeIncludedLate(accused, abi.decode(evidence, (Inclusion)));
        } else {
            revert UnsupportedCommitmentType(kind);
        }
        require(delegation.commitmentsKey == signer, NotTheDelegate(delegation.commitmentsKey, signer));
        _markSlashed(key);
        emit Slashed(signer, Fault(kind), key, penaltyWei, penaltyWei / 2, challenger);
        return (penaltyWei / 1 gwei, penaltyWei / 2 / 1 gwei);
    }

    function DOMAIN_SEPARATOR() external view returns (bytes memory) {
        return abi.encode(verifier.DOMAIN_SEPARATOR());
    }

    // ---- Internals. ----

    /// The key of a promise's one deadline breach, late or missing: slashed once either way.
    function _missedKey(bytes32 id) private pure returns (bytes32) {
        return keccak256(abi.encode(Fault.NotIncluded, id));
    }

    /// Proves `f`'s transaction at `inclusion` and returns the block's slot.
    function _proveInclusion(Facts memory f, Inclusion calldata inclusion) private view returns (uint64 slot) {
        (bytes32 transactionsRoot, uint256 timestamp) = _canonicalHeader(f.chainId, inclusion.number, inclusion.header);
        bytes memory rawTx = TrieProof.traverse(transactionsRoot, RLP.encode(inclusion.index), inclusion.trieProof);
        bytes32 included = keccak256(rawTx);
        require(included == f.txHash, WrongTransaction(included, f.txHash));
        return _slotOf(f.chainId, timestamp);
    }

    /// The transactions root and timestamp of `header`, once the oracle knows it as block `number`.
    function _canonicalHeader(uint64 chainId, uint64 number, bytes calldata header)
        private
        view
        returns (bytes32 transactionsRoot, uint256 timestamp)
    {
        bytes32 hash = keccak256(header);
        require(hash == oracle.blockHash(chainId, number), NotCanonical(chainId, number, hash));
        Memory.Slice[] memory fields = BlockHeader.parseHeader(header);
        return (BlockHeader.getTransactionsRoot(fields), BlockHeader.getTimestamp(fields));
    }

    function _clock(uint64 chainId) private view returns (SlotClock memory c) {
        c = clocks[chainId];
        require(c.slotDurationMs != 0, ClockNotSet(chainId));
    }

    function _slotOf(uint64 chainId, uint256 timestamp) private view returns (uint64) {
        SlotClock memory c = _clock(chainId);
        uint256 ms = timestamp * 1000;
        require(ms >= c.genesisTimeMs, BlockBeforeGenesis(chainId, timestamp));
        return uint64((ms - c.genesisTimeMs) / c.slotDurationMs);
    }

    function _slotStart(uint64 chainId, uint64 slot) private view returns (uint64) {
        SlotClock memory c = _clock(chainId);
        return c.genesisTimeMs + slot * c.slotDurationMs;
    }

    function _requireInForce(Facts memory f, uint64 until) private pure {
        require(f.expiresAt >= until, PromiseLapsed(f.id, f.expiresAt, until));
    }

    function _markSlashed(bytes32 key) private {
        require(!slashed[key], AlreadySlashed(key));
        slashed[key] = true;
    }

    /// Takes up to `penaltyWei` of `signer`'s bond: half to `challenger`, the rest burned.
    function _slashBond(Fault fault, bytes32 key, address signer, address challenger) private returns (uint256 amount) {
        _markSlashed(key);
        uint256 held = bonds[signer];
        amount = held < penaltyWei ? held : penaltyWei;
        bonds[signer] = held - amount;
        uint256 reward = amount / 2;
        burned += amount - reward;
        emit Slashed(signer, fault, key, amount, reward, challenger);
        _pay(challenger, reward);
    }

    function _pay(address to, uint256 amount) private {
        if (amount == 0) return;
        (bool paid,) = payable(to).call{value: amount}("");
        require(paid, TransferFailed(to, amount));
    }
}
