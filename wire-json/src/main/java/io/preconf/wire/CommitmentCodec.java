package io.preconf.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.Commitment;

/**
 * The {@code commitment} object of spec section 4: root, times, atomic, signer, signature and
 * {@code pqSignature}, present as null when post-quantum signing is off.
 */
final class CommitmentCodec {
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
    return new Commitment(
        c.hash("root"),
        c.number("issuedAt"),
        c.number("expiresAt"),
        c.bool("atomic"),
        c.address("signer"),
        c.bytes("signature"),
        c.optionalBytes("pqSignature"));
  }
}
