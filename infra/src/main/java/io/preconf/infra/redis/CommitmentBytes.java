package io.preconf.infra.redis;

import io.preconf.core.commit.Commitment;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import io.preconf.wire.PreconfirmationCodec;
import io.preconf.wire.WireFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A commitment as Redis keeps it ({@link RedisCommitments}): its fields as bytes rather than the
 * wire's JSON, where the 3,309-byte ML-DSA signature is 6,618 characters of hex. It is written once
 * per round and was the larger part of what Redis appended to its log for each round of single
 * requests, and of what a feed node read and decoded per round.
 *
 * <p>Layout: a version byte ({@value #VERSION}), the root (32 bytes), issuedAt and expiresAt (8
 * bytes each, big-endian), flags (bit 0: atomic; bit 1: an ML-DSA signature follows), the signer
 * (20 bytes), the ECDSA signature's length (2 bytes) and bytes, then the ML-DSA signature to the
 * end. A value that starts with {@code '{'} is the JSON an older engine wrote, and reads as such.
 */
public final class CommitmentBytes {
  static final byte VERSION = 1;
  private static final int ATOMIC = 1;
  private static final int PQ = 2;
  private static final int FIXED = 1 + Hash32.SIZE + 8 + 8 + 1 + Address.SIZE + 2;

  private CommitmentBytes() {}

  public static byte[] encode(Commitment c) {
    byte[] signature = c.signature().unsafeArray();
    byte[] pq = c.hasPqSignature() ? c.pqSignature().unsafeArray() : new byte[0];
    ByteBuffer out = ByteBuffer.allocate(FIXED + signature.length + pq.length);
    out.put(VERSION)
        .put(c.root().toArray())
        .putLong(c.issuedAt())
        .putLong(c.expiresAt())
        .put((byte) ((c.atomic() ? ATOMIC : 0) | (c.hasPqSignature() ? PQ : 0)))
        .put(c.signer().toArray())
        .putShort((short) signature.length)
        .put(signature)
        .put(pq);
    return out.array();
  }

  /**
   * Reads what {@link #encode} wrote, or an older engine's JSON.
   *
   * @throws WireFormatException INVALID_PRECONFIRMATION naming what is wrong with the value
   */
  public static Commitment decode(byte[] stored) {
    if (stored.length > 0 && stored[0] == '{') {
      return PreconfirmationCodec.commitmentFromJson(new String(stored, StandardCharsets.UTF_8));
    }
    if (stored.length == 0 || stored[0] != VERSION) {
      throw malformed(
          Reason.MALFORMED_REQUEST,
          "a stored commitment starting with "
              + (stored.length == 0 ? "nothing" : "byte " + (stored[0] & 0xff))
              + " is neither version "
              + VERSION
              + " nor JSON");
    }
    if (stored.length < FIXED) {
      throw malformed(
          Reason.WRONG_LENGTH,
          "a stored commitment of "
              + stored.length
              + " bytes is shorter than the "
              + FIXED
              + " of its fixed fields");
    }
    ByteBuffer in = ByteBuffer.wrap(stored, 1, stored.length - 1);
    Hash32 root = Hash32.wrap(take(in, Hash32.SIZE));
    long issuedAt = in.getLong();
    long expiresAt = in.getLong();
    int flags = in.get();
    Address signer = Address.wrap(take(in, Address.SIZE));
    int signatureLength = Short.toUnsignedInt(in.getShort());
    if (signatureLength > in.remaining()) {
      throw malformed(
          Reason.WRONG_LENGTH,
          "stored commitment "
              + root
              + " gives its ECDSA signature "
              + signatureLength
              + " bytes but only "
              + in.remaining()
              + " follow");
    }
    Bytes signature = Bytes.wrap(take(in, signatureLength));
    Bytes pq = (flags & PQ) != 0 ? Bytes.wrap(take(in, in.remaining())) : null;
    if (pq == null && in.hasRemaining()) {
      throw malformed(
          Reason.WRONG_LENGTH,
          "stored commitment "
              + root
              + " has no ML-DSA signature but "
              + in.remaining()
              + " bytes after its ECDSA signature");
    }
    return new Commitment(root, issuedAt, expiresAt, (flags & ATOMIC) != 0, signer, signature, pq);
  }

  private static byte[] take(ByteBuffer in, int n) {
    byte[] out = new byte[n];
    in.get(out);
    return out;
  }

  private static WireFormatException malformed(Reason reason, String message) {
    return new WireFormatException(
        Rejection.of(ErrorCode.INVALID_PRECONFIRMATION, reason, message));
  }
}
