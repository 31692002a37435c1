package io.preconf.core.compat;

import io.preconf.core.crypto.Keccak;
import io.preconf.core.error.Reason;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.MalformedValueException;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The eth-fabric Commitments API's bytes, as its reference gateway computes them (<a
 * href="https://github.com/eth-fabric/preconfirmation-gateway">eth-fabric/preconfirmation-gateway</a>
 * {@code crates/common/src/types/commitments.rs}, <a
 * href="https://github.com/Commit-Boost/commit-boost-client">Commit-Boost</a> {@code
 * crates/common/src/signature.rs}): the request hash, the inclusion payload (type 1), the message
 * hash a commitment is signed over, the Commit-Boost signing root of the reference's signature form
 * and the fee payload. Solidity {@code abi.encode} throughout; a struct is dynamic when it holds
 * {@code bytes}, so its encoding starts with the offset word {@code 0x20}.
 */
public final class FabricCommitments {
  /** Commitment type 1: the transaction is included in the slot the payload names. */
  public static final long INCLUSION = 1;

  /** URC's {@code MessageType.Commitment}, the first word of the signed message. */
  private static final int COMMITMENT_MESSAGE = 3;

  /** Commit-Boost's domain type for proposer-commitment modules, {@code "Comm"} little-endian. */
  private static final byte[] COMMIT_BOOST_DOMAIN = {0x6d, 0x6d, 0x6f, 0x43};

  private static final int WORD = 32;

  private FabricCommitments() {}

  /** {@code CommitmentRequest{commitment_type, payload, slasher}}. */
  public record Request(long commitmentType, Bytes payload, Address slasher) {}

  /** {@code InclusionPayload{uint64 slot; bytes signed_tx}}, the payload of type 1. */
  public record InclusionPayload(long slot, Bytes signedTx) {

    /**
     * Reads {@code abi.encode(InclusionPayload)}, held to its one canonical form (the reference's
     * own encoding), so that a payload names one slot and one transaction only.
     *
     * @throws MalformedValueException naming what is wrong with {@code payload}
     */
    public static InclusionPayload decode(Bytes payload) {
      byte[] p = payload.unsafeArray();
      if (p.length < 4 * WORD || p.length % WORD != 0) {
        throw malformed(
            "must be abi.encode(uint64 slot, bytes signed_tx), whole 32-byte words and at least 4"
                + " of them, got "
                + p.length
                + " bytes");
      }
      if (!word(p, 0).equals(BigInteger.valueOf(WORD))
          || !word(p, 2 * WORD).equals(BigInteger.valueOf(2 * WORD))) {
        throw malformed(
            "must start with the struct's offset 0x20 and the bytes' offset 0x40, got "
                + word(p, 0)
                + " and "
                + word(p, 2 * WORD));
      }
      BigInteger slot = word(p, WORD);
      if (slot.bitLength() > 64) {
        throw malformed("slot " + slot + " does not fit a uint64");
      }
      BigInteger length = word(p, 3 * WORD);
      long padded = (length.longValue() + WORD - 1) / WORD * WORD;
      if (length.bitLength() > 31 || 4L * WORD + padded != p.length) {
        throw malformed(
            "says signed_tx is "
                + length
                + " bytes, but "
                + (p.length - 4 * WORD)
                + " bytes follow its length word");
      }
      byte[] tx = Arrays.copyOfRange(p, 4 * WORD, 4 * WORD + length.intValue());
      for (int i = 4 * WORD + tx.length; i < p.length; i++) {
        if (p[i] != 0) {
          throw malformed("signed_tx's padding holds a non-zero byte at " + i);
        }
      }
      return new InclusionPayload(slot.longValue(), Bytes.wrap(tx));
    }

    public Bytes encode() {
      Abi abi = new Abi().uint64(WORD).uint64(slot).uint64(2 * WORD).bytes(signedTx);
      return Bytes.wrap(abi.toArray());
    }

    private static MalformedValueException malformed(String what) {
      return new MalformedValueException(Reason.MALFORMED_REQUEST, "the payload " + what);
    }
  }

  /** {@code keccak256(abi.encode(request))}, the request's identity in {@code commitmentResult}. */
  public static Hash32 requestHash(Request request) {
    Abi abi =
        new Abi()
            .uint64(WORD)
            .uint64(request.commitmentType())
            .uint64(3 * WORD)
            .address(request.slasher())
            .bytes(request.payload());
    return Keccak.hash(abi.toArray());
  }

  /**
   * {@code keccak256(abi.encode(uint256(3), Commitment{commitment_type, payload, request_hash,
   * slasher}))}: what a commitment's signature is over, before Commit-Boost's wrapping.
   */
  public static Hash32 messageHash(Request request, Hash32 requestHash) {
    Abi abi =
        new Abi()
            .uint64(COMMITMENT_MESSAGE)
            .uint64(2 * WORD)
            .uint64(request.commitmentType())
            .uint64(4 * WORD)
            .hash(requestHash)
            .address(request.slasher())
            .bytes(request.payload());
    return Keccak.hash(abi.toArray());
  }

  /**
   * The Commit-Boost proxy-ECDSA signing root over {@code messageHash}: the SSZ root of {@code
   * PropCommitSigningInfo{data, module_signing_id, nonce: u64, chain_id: u256}}, mixed with the
   * {@code "Comm"} domain of the genesis fork version.
   *
   * @param nonce read as unsigned: Commit-Boost's default is 2^64 - 2
   */
  public static Hash32 signingRoot(
      Hash32 messageHash, Hash32 signingId, long nonce, long chainId, Bytes genesisForkVersion) {
    if (genesisForkVersion.size() != 4) {
      throw new MalformedValueException(
          Reason.MALFORMED_REQUEST,
          "a genesis fork version is 4 bytes, got " + genesisForkVersion.size());
    }
    byte[] info =
        sha256(
            sha256(messageHash.toArray(), signingId.toArray()),
            sha256(littleEndian(nonce), littleEndian(chainId)));
    byte[] forkData = new byte[2 * WORD];
    System.arraycopy(genesisForkVersion.unsafeArray(), 0, forkData, 0, 4);
    byte[] domain = new byte[WORD];
    System.arraycopy(COMMIT_BOOST_DOMAIN, 0, domain, 0, 4);
    System.arraycopy(sha256(forkData), 0, domain, 4, WORD - 4);
    return Hash32.wrap(sha256(info, domain));
  }

  /** {@code abi.encode(bytes32 request_hash, uint64 price_gwei)}, the reference's fee payload. */
  public static Bytes feePayload(Hash32 requestHash, long priceGwei) {
    return Bytes.wrap(new Abi().hash(requestHash).uint64(priceGwei).toArray());
  }

  private static BigInteger word(byte[] p, int at) {
    return new BigInteger(1, Arrays.copyOfRange(p, at, at + WORD));
  }

  /** An SSZ chunk of an unsigned integer: little-endian, zero-padded to 32 bytes. */
  private static byte[] littleEndian(long value) {
    byte[] chunk = new byte[WORD];
    for (int i = 0; i < Long.BYTES; i++) {
      chunk[i] = (byte) (value >>> (8 * i));
    }
    return chunk;
  }

  private static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        d.update(part);
      }
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }

  /** Head words in order, then one trailing {@code bytes} tail. */
  private static final class Abi {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Abi uint64(long unsigned) {
      byte[] w = new byte[WORD];
      for (int i = 0; i < Long.BYTES; i++) {
        w[WORD - 1 - i] = (byte) (unsigned >>> (8 * i));
      }
      out.writeBytes(w);
      return this;
    }

    Abi hash(Hash32 h) {
      out.writeBytes(h.toArray());
      return this;
    }

    Abi address(Address a) {
      byte[] w = new byte[WORD];
      a.copyTo(w, WORD - 20);
      out.writeBytes(w);
      return this;
    }

    Abi bytes(Bytes b) {
      uint64(b.size());
      out.writeBytes(b.unsafeArray());
      out.writeBytes(new byte[(WORD - b.size() % WORD) % WORD]);
      return this;
    }

    byte[] toArray() {
      return out.toByteArray();
    }
  }
}
