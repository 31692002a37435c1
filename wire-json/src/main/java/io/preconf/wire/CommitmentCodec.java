package io.preconf.wire;

import static io.preconf.wire.Fields.Shape.BOOLEAN;
import static io.preconf.wire.Fields.Shape.TEXT;
import static io.preconf.wire.Fields.Shape.WHOLE_NUMBER;
import static java.util.Map.entry;

import com.fasterxml.jackson.databind.node.ObjectNode;
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

  static ObjectNode toTree(Commitment c) {
    ObjectNode o = Json.object();
    o.put("root", c.root().toHex());
    o.put("issuedAt", c.issuedAt());
    o.put("expiresAt", c.expiresAt());
    o.put("atomic", c.atomic());
    o.put("signer", c.signer().toHex());
    o.put("signature", c.signature().toHex());
    o.put("pqSignature", c.hasPqSignature() ? c.pqSignature().toHex() : null);
    return o;
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
