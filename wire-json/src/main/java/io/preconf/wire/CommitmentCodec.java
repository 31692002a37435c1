package io.preconf.wire;

import static io.preconf.wire.Fields.Shape.BOOLEAN;
import static io.preconf.wire.Fields.Shape.TEXT;
import static io.preconf.wire.Fields.Shape.WHOLE_NUMBER;
import static java.util.Map.entry;

import io.preconf.core.commit.Commitment;
import io.preconf.wire.Fields.Shape;
import java.util.List;
import java.util.Map;

/**
 * The {@code commitment} object of spec section 4: root, times, atomic, signer, signature and
 * {@code pqSignature}, present as null when post-quantum signing is off.
 */
final class CommitmentCodec {
  static final List<Map.Entry<String, Shape>> SHAPES =
      List.of(
          entry("root", TEXT),
          entry("issuedAt", WHOLE_NUMBER),
          entry("expiresAt", WHOLE_NUMBER),
          entry("atomic", BOOLEAN),
          entry("signer", TEXT),
          entry("signature", TEXT),
          entry("pqSignature", TEXT));

  private CommitmentCodec() {}

  /** Writes the object's JSON text; see {@link PreconfirmationCodec#toJson}. */
  static void appendTo(StringBuilder out, Commitment c) {
    out.append("{\"root\":\"").append(c.root().toHex());
    out.append("\",\"issuedAt\":").append(c.issuedAt());
    out.append(",\"expiresAt\":").append(c.expiresAt());
    out.append(",\"atomic\":").append(c.atomic());
    out.append(",\"signer\":\"").append(c.signer().toHex());
    out.append("\",\"signature\":\"").append(c.signature().toHex());
    out.append("\",\"pqSignature\":");
    if (c.hasPqSignature()) {
      out.append('"').append(c.pqSignature().toHex()).append('"');
    } else {
      out.append("null");
    }
    out.append('}');
  }

  /** Characters the ML-DSA signature takes in {@link #appendTo}'s text. */
  static int pqLength(Commitment c) {
    return c.hasPqSignature() ? 2 + 2 * c.pqSignature().size() : 0;
  }

  static Commitment read(Fields c) {
    boolean atomic = c.bool("atomic");
    return new Commitment(
        c.hash("root"),
        c.number("issuedAt"),
        c.number("expiresAt"),
        atomic,
        c.address("signer"),
        c.bytes("signature"),
        c.optionalBytes("pqSignature"));
  }
}
