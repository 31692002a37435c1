package io.preconf.infra.pg;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code commitments}. */
@Entity
@Table(name = "commitments")
public class CommitmentRow {
  @Id public String root;

  @Column(name = "issued_at")
  public long issuedAt;

  @Column(name = "expires_at")
  public long expiresAt;

  public boolean atomic;
  public String signer;
  public String signature;

  @Column(name = "pq_signature")
  public byte[] pqSignature;

  @Column(name = "recorded_at")
  public Instant recordedAt;
}
