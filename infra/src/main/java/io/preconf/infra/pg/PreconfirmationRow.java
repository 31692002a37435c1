package io.preconf.infra.pg;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A row of {@code preconfirmations}: the leaf's values as columns, the proof, and the root of the
 * commitment it shares with its round (read back whole through {@link StoredPreconfirmations}).
 */
@Entity
@Table(name = "preconfirmations")
public class PreconfirmationRow {
  @Id public String id;

  @Column(name = "chain_id")
  public long chainId;

  @Column(name = "tx_hash")
  public String txHash;

  public String sender;
  public long nonce;
  public long sequence;
  public String previous;

  @Column(name = "received_at")
  public long receivedAt;

  @Column(name = "target_slot")
  public long targetSlot;

  /** The sibling hashes' bytes, 32 each, in order (V10). */
  public byte[] proof;

  @Column(name = "commitment_root")
  public String commitmentRoot;

  public String status;

  @Column(name = "block_number")
  public Long blockNumber;

  @Column(name = "block_hash")
  public String blockHash;

  @Column(name = "tx_index")
  public Integer txIndex;

  @Column(name = "recorded_at")
  public Instant recordedAt;
}
