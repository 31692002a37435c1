package io.preconf.infra.pg;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Finality;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.wire.WireFormatException;
import io.vertx.core.buffer.Buffer;
import jakarta.persistence.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a preconfirmation is read back: its own row of {@code preconfirmations} joined to the one row
 * of {@code commitments} it shares with the rest of its round (V8__commitments_once.sql), in one
 * query. The values rebuild the same {@link Preconfirmation} the engine issued, so the wire codec
 * encodes the same bytes it answered with.
 *
 * <p>One reader decodes each commitment once however many of its preconfirmations a read returns:
 * its ML-DSA signature alone is 3.3 KB.
 */
final class StoredPreconfirmations {
  /** The join every read goes through: {@code p} the preconfirmation, {@code c} its commitment. */
  static final String FROM = "preconfirmations p join commitments c on c.root = p.commitment_root";

  /** What {@link Reader#read} takes, by these names. */
  static final String COLUMNS =
      "p.id, p.chain_id, p.tx_hash, p.sender, p.nonce, p.sequence, p.previous, p.received_at,"
          + " p.target_slot, p.proof, c.root, c.issued_at, c.expires_at,"
          + " c.atomic, c.signer, c.signature, c.pq_signature";

  /** {@link #COLUMNS} and where the promise stands, for {@link Reader#tracked}. */
  static final String TRACKED_COLUMNS =
      COLUMNS + ", p.status, p.block_number, p.block_hash, p.tx_index";

  /** The query of the tracked preconfirmations that {@code condition} (over {@code p}) picks. */
  static String trackedWhere(String condition) {
    return "select " + TRACKED_COLUMNS + " from " + FROM + " where " + condition;
  }

  /** As many nulls as {@link #COLUMNS} has columns, for a branch of a union with no promise. */
  static final String NO_COLUMNS = String.join(", ", Collections.nCopies(17, "null"));

  private StoredPreconfirmations() {}

  /** Where a promise was included, from its three nullable columns; null before inclusion. */
  static Finality finality(Long number, String hash, Integer index) {
    if (number == null) {
      return null;
    }
    return new Finality(
        number, Hash32.fromHex("block_hash", hash), index == null ? 0 : index.intValue());
  }

  /** A proof as the {@code proof} column keeps it (V10): its hashes' bytes, one after another. */
  static Buffer proofBytes(List<Hash32> proof) {
    Buffer out = Buffer.buffer(Hash32.SIZE * proof.size());
    proof.forEach(h -> out.appendBytes(h.toArray()));
    return out;
  }

  /** Reads what {@link #proofBytes} wrote; {@code id} names the row in a failure. */
  static List<Hash32> proof(String id, byte[] stored) {
    if (stored.length % Hash32.SIZE != 0) {
      throw new WireFormatException(
          Rejection.of(
              ErrorCode.VALIDATION_FAILED,
              Reason.WRONG_LENGTH,
              "the proof of stored preconfirmation "
                  + id
                  + " is "
                  + stored.length
                  + " bytes, not a whole number of "
                  + Hash32.SIZE
                  + "-byte hashes"));
    }
    List<Hash32> out = new ArrayList<>(stored.length / Hash32.SIZE);
    for (int at = 0; at < stored.length; at += Hash32.SIZE) {
      out.add(Hash32.wrap(Arrays.copyOfRange(stored, at, at + Hash32.SIZE)));
    }
    return out;
  }

  static Reader reader() {
    return new Reader();
  }

  /** Rebuilds preconfirmations from the rows of one read, decoding each commitment once. */
  static final class Reader {
    private final Map<String, Commitment> commitments = new HashMap<>();

    private Reader() {}

    Preconfirmation read(Tuple row) {
      Leaf leaf =
          new Leaf(
              ChainId.of(row.get("chain_id", Long.class)),
              Hash32.fromHex("tx_hash", row.get("tx_hash", String.class)),
              Address.fromHex("sender", row.get("sender", String.class)),
              row.get("nonce", Long.class),
              row.get("sequence", Long.class),
              Hash32.fromHex("previous", row.get("previous", String.class)),
              row.get("received_at", Long.class),
              row.get("target_slot", Long.class));
      String id = row.get("id", String.class);
      return new Preconfirmation(
          Hash32.fromHex("id", id),
          leaf,
          proof(id, row.get("proof", byte[].class)),
          commitment(row));
    }

    TrackedPreconfirmation tracked(Tuple row) {
      return new TrackedPreconfirmation(
          read(row),
          Status.valueOf(row.get("status", String.class)),
          finality(
              row.get("block_number", Long.class),
              row.get("block_hash", String.class),
              row.get("tx_index", Integer.class)));
    }

    private Commitment commitment(Tuple row) {
      return commitments.computeIfAbsent(
          row.get("root", String.class),
          root -> {
            byte[] pq = row.get("pq_signature", byte[].class);
            return new Commitment(
                Hash32.fromHex("root", root),
                row.get("issued_at", Long.class),
                row.get("expires_at", Long.class),
                row.get("atomic", Boolean.class),
                Address.fromHex("signer", row.get("signer", String.class)),
                Bytes.fromHex("signature", row.get("signature", String.class)),
                pq == null ? null : Bytes.wrap(pq));
          });
    }
  }
}
