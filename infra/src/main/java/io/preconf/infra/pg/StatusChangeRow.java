package io.preconf.infra.pg;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code status_history}: one status a preconfirmation entered, and when. */
@Entity
@Table(name = "status_history")
public class StatusChangeRow {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "preconfirmation_id")
  public String preconfirmationId;

  public String status;

  @Column(name = "changed_at")
  public Instant changedAt;
}
