package io.preconf.core.wire;

/** The {@code commitment} object of spec section 4, field for field. */
public record WireCommitment(
    String root,
    Long issuedAt,
    Long expiresAt,
    Boolean atomic,
    String signer,
    String signature,
    String pqSignature) {}
