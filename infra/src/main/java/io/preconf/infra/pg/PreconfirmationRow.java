package io.preconf.infra.pg;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.infra.json.PreconfirmationJson;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** A row of {@code preconfirmations}: the leaf's values as columns, and the whole wire JSON. */
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

  @ColumnTransformer(read = "json::text", write = "cast(cast(? as text) as jsonb)")
  public String json;

  @Column(name = "recorded_at")
  public Instant recordedAt;

  static PreconfirmationRow of(Preconfirmation p, Instant now) {
    Leaf leaf = p.leaf();
    PreconfirmationRow r = new PreconfirmationRow();
    r.id = p.id().toHex();
    r.chainId = leaf.chainId().value();
    r.txHash = leaf.txHash().toHex();
    r.sender = leaf.sender().toHex();
    r.nonce = leaf.nonce();
    r.sequence = leaf.sequence();
    r.previous = leaf.previous().toHex();
    r.receivedAt = leaf.receivedAt();
    r.targetSlot = leaf.targetSlot();
    ArrayNode proof = JsonNodeFactory.instance.arrayNode();
    p.proof().forEach(h -> proof.add(h.toHex()));
    r.proof = proof.toString();
    r.commitmentRoot = p.commitment().root().toHex();
    r.status = Status.PRECONFIRMED.name();
    r.json = PreconfirmationJson.toJson(p);
    r.recordedAt = now;
    return r;
  }
}
