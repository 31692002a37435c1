package io.preconf.infra.pg;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

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

  // Kept as jsonb in the table, handled as text here: the JSON is written once by the codec and
  // handed back verbatim. The inner cast to text matters: bound straight to a jsonb parameter,
  // the reactive client would store the Java string as a JSON string value.
  @ColumnTransformer(read = "proof::text", write = "cast(cast(? as text) as jsonb)")
  public String proof;

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
