// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Commitment, Facts, Preconfirmation, PreconfirmationHashing} from "../src/Preconfirmation.sol";
import {PreconfirmationVerifier} from "../src/PreconfirmationVerifier.sol";
import {Promises} from "./Promises.sol";

/// The verifier against the engine's known-answer vectors: every check passes on the vector and
/// fails on a tampered copy (a flipped proof node, a changed field, another signer).
contract PreconfirmationVerifierTest is Promises {
    /// merkle.json's trees: 1, 2, 3, 7 and 100 leaves.
    uint256 internal constant SINGLE = 0;
    uint256 internal constant HUNDRED = 4;
    uint256[5] internal TREE_SIZES = [uint256(1), 2, 3, 7, 100];

    PreconfirmationVerifier internal verifier;
    uint256 internal key;
    address internal signer;

    function setUp() public {
        loadVectors();
        verifier = new PreconfirmationVerifier(address(this));
        key = vm.parseJsonUint(eip712Json, ".cases[1].privateKey");
        signer = vm.parseJsonAddress(eip712Json, ".cases[1].address");
        verifier.registerSigner(signer, 0, type(uint64).max, keccak256("pq public key"));
    }

    function vectorCommitment(uint256 i) internal view returns (Commitment memory c) {
        string memory path = string.concat(".cases[", _str(i), "]");
        c.root = vm.parseJsonBytes32(eip712Json, string.concat(path, ".root"));
        c.issuedAt = uint64(vm.parseJsonUint(eip712Json, string.concat(path, ".issuedAt")));
        c.expiresAt = uint64(vm.parseJsonUint(eip712Json, string.concat(path, ".expiresAt")));
        c.atomic = vm.parseJsonBool(eip712Json, string.concat(path, ".atomic"));
        c.signature = vm.parseJsonBytes(eip712Json, string.concat(path, ".signature"));
    }

    // ---- Leaf and proof (spec sections 2 and 3) ----

    function test_leafHashesAreOpenZeppelinStandardMerkleTreeLeaves() public view {
        for (uint256 t = 0; t < TREE_SIZES.length; t++) {
            for (uint256 i = 0; i < TREE_SIZES[t]; i++) {
                Preconfirmation memory p = vectorPromise(t, i, key);
                bytes32 expected = vm.parseJsonBytes32(merkleJson, string.concat(leafKey(t, i), ".leafHash"));
                assertEq(hashing.leafHash(p.leaf), expected, leafKey(t, i));
            }
        }
    }

    function test_everyLeafOfEveryVectorTreeVerifies() public view {
        for (uint256 t = 0; t < TREE_SIZES.length; t++) {
            for (uint256 i = 0; i < TREE_SIZES[t]; i++) {
                Preconfirmation memory p = vectorPromise(t, i, key);
                Facts memory f = verifier.verify(p);
                assertEq(f.id, hashing.leafHash(p.leaf), "id");
                assertEq(f.signer, signer, "signer");
                assertEq(f.txHash, p.leaf.txHash, "txHash");
                assertEq(f.sender, p.leaf.sender, "sender");
                assertEq(uint256(f.chainId), p.leaf.chainId, "chainId");
                assertEq(uint256(f.nonce), p.leaf.nonce, "nonce");
                assertEq(uint256(f.sequence), p.leaf.sequence, "sequence");
                assertEq(uint256(f.targetSlot), p.leaf.targetSlot, "targetSlot");
                assertEq(uint256(f.expiresAt), EXPIRES_AT, "expiresAt");
            }
        }
    }

    function test_aFlippedProofNodeIsRefused() public {
        Preconfirmation memory p = vectorPromise(HUNDRED, 37, key);
        p.proof[2] ^= bytes32(uint256(1));
        vm.expectPartialRevert(PreconfirmationVerifier.LeafNotUnderRoot.selector);
        verifier.verify(p);
    }

    function test_aMissingProofNodeIsRefused() public {
        Preconfirmation memory p = vectorPromise(HUNDRED, 5, key);
        bytes32[] memory shorter = new bytes32[](p.proof.length - 1);
        for (uint256 i = 0; i < shorter.length; i++) {
            shorter[i] = p.proof[i];
        }
        p.proof = shorter;
        vm.expectPartialRevert(PreconfirmationVerifier.LeafNotUnderRoot.selector);
        verifier.verify(p);
    }

    function test_eachChangedLeafFieldIsRefused() public {
        for (uint256 field = 0; field < 8; field++) {
            Preconfirmation memory p = vectorPromise(HUNDRED, 11, key);
            if (field == 0) p.leaf.chainId += 1;
            if (field == 1) p.leaf.txHash ^= bytes32(uint256(1));
            if (field == 2) p.leaf.sender = address(uint160(p.leaf.sender) ^ 1);
            if (field == 3) p.leaf.nonce += 1;
            if (field == 4) p.leaf.sequence += 1;
            if (field == 5) p.leaf.previous ^= bytes32(uint256(1));
            if (field == 6) p.leaf.receivedAt += 1;
            if (field == 7) p.leaf.targetSlot += 1;
            bytes32 tampered = hashing.leafHash(p.leaf);
            vm.expectRevert(
                abi.encodeWithSelector(PreconfirmationVerifier.LeafNotUnderRoot.selector, tampered, p.commitment.root)
            );
            verifier.verify(p);
        }
    }

    // ---- Commitment signature (spec section 3) ----

    function test_domainAndTypeHashAreEthers() public view {
        assertEq(verifier.DOMAIN_SEPARATOR(), vm.parseJsonBytes32(eip712Json, ".domainSeparator"), "domain");
        assertEq(
            PreconfirmationHashing.COMMITMENT_TYPEHASH,
            vm.parseJsonBytes32(eip712Json, ".commitmentTypeHash"),
            "type hash"
        );
    }

    function test_everyEthersSignatureRecoversItsSigner() public view {
        for (uint256 i = 0; i < 12; i++) {
            string memory path = string.concat(".cases[", _str(i), "]");
            Commitment memory c = vectorCommitment(i);
            assertEq(hashing.digest(c), vm.parseJsonBytes32(eip712Json, string.concat(path, ".digest")), path);
            assertEq(verifier.recoverSigner(c), vm.parseJsonAddress(eip712Json, string.concat(path, ".address")), path);
        }
    }

    function test_anotherSignersSignatureRecoversAnotherAddress() public view {
        Commitment memory c = vectorCommitment(6);
        c.signature = vectorCommitment(7).signature;
        address expected = vm.parseJsonAddress(eip712Json, ".cases[6].address");
        require(verifier.recoverSigner(c) != expected, "another signer's signature passed");
    }

    function test_eachChangedCommitmentFieldRecoversAnotherAddress() public view {
        address expected = vm.parseJsonAddress(eip712Json, ".cases[8].address");
        for (uint256 field = 0; field < 4; field++) {
            Commitment memory c = vectorCommitment(8);
            if (field == 0) c.root ^= bytes32(uint256(1));
            if (field == 1) c.issuedAt += 1;
            if (field == 2) c.expiresAt += 1;
            if (field == 3) c.atomic = !c.atomic;
            require(verifier.recoverSigner(c) != expected, "a changed field kept the signer");
        }
    }

    function test_aPromiseSignedByAnUnregisteredKeyIsRefused() public {
        uint256 other = vm.parseJsonUint(eip712Json, ".cases[3].privateKey");
        Preconfirmation memory p = vectorPromise(HUNDRED, 3, other);
        vm.expectRevert(
            abi.encodeWithSelector(PreconfirmationVerifier.SignerNotValidAt.selector, vm.addr(other), ISSUED_AT)
        );
        verifier.verify(p);
    }

    function test_aChangedCommitmentFieldIsRefused() public {
        Preconfirmation memory p = vectorPromise(SINGLE, 0, key);
        p.commitment.expiresAt += 1;
        vm.expectPartialRevert(PreconfirmationVerifier.SignerNotValidAt.selector);
        verifier.verify(p);
    }

    function test_aHighSSignatureIsRefused() public {
        Preconfirmation memory p = vectorPromise(SINGLE, 0, key);
        (bytes32 r, bytes32 s) = abi.decode(p.commitment.signature, (bytes32, bytes32));
        uint8 v = uint8(p.commitment.signature[64]);
        bytes32 highS = bytes32(CURVE_ORDER - uint256(s));
        p.commitment.signature = abi.encodePacked(r, highS, v == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, highS));
        verifier.verify(p);
    }

    // ---- Key registry and rotation ----

    function test_rotationEndsTheOldKeyAndKeepsWhatItSigned() public {
        uint256 next = vm.parseJsonUint(eip712Json, ".cases[4].privateKey");
        vm.warp(ISSUED_AT / 1000 + 10);
        uint64 switchAt = uint64(block.timestamp * 1000);
        verifier.registerSigner(vm.addr(next), switchAt, type(uint64).max, bytes32(0));
        verifier.retireSigner(signer, switchAt);

        verifier.verify(vectorPromise(SINGLE, 0, key)); // issued before the switch
        Preconfirmation memory late = vectorPromise(SINGLE, 0, key);
        late.commitment = signed(key, late.commitment.root, switchAt + 1, switchAt + 3_600_000, false);
        vm.expectRevert(abi.encodeWithSelector(PreconfirmationVerifier.SignerNotValidAt.selector, signer, switchAt + 1));
        verifier.verify(late);

        Preconfirmation memory fresh = vectorPromise(SINGLE, 0, next);
        fresh.commitment = signed(next, fresh.commitment.root, switchAt + 1, switchAt + 3_600_000, false);
        verifier.verify(fresh);
    }

    function test_aKeyCannotBeRetiredIntoThePastNorRegisteredTwice() public {
        vm.warp(ISSUED_AT / 1000 + 10);
        uint64 nowMs = uint64(block.timestamp * 1000);
        vm.expectRevert(
            abi.encodeWithSelector(PreconfirmationVerifier.RetirementInThePast.selector, signer, ISSUED_AT, nowMs)
        );
        verifier.retireSigner(signer, ISSUED_AT);
        vm.expectRevert(abi.encodeWithSelector(PreconfirmationVerifier.SignerAlreadyRegistered.selector, signer));
        verifier.registerSigner(signer, 0, 1, bytes32(0));
    }

    function test_onlyTheOwnerRegistersKeys() public {
        vm.prank(address(0xbad));
        vm.expectRevert();
        verifier.registerSigner(address(0x1234), 0, 1, bytes32(0));
    }

    // ---- Gas: the targets are 15,000 for a single leaf and 25,000 for a leaf of 100. ----

    function test_gasSingleLeaf() public {
        Preconfirmation memory p = vectorPromise(SINGLE, 0, key);
        verifier.verify(p);
        assertAtMost(vm.snapshotGasLastCall("verify single-leaf preconfirmation"), 15_000, "single-leaf gas");
    }

    function test_gasLeafOfAHundred() public {
        Preconfirmation memory p = vectorPromise(HUNDRED, 63, key);
        verifier.verify(p);
        assertAtMost(vm.snapshotGasLastCall("verify a leaf of a 100-leaf commitment"), 25_000, "100-leaf gas");
    }
}
