package io.preconf.infra;

import static io.preconf.core.testing.Samples.randomAddress;
import static io.preconf.core.testing.Samples.randomHash;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.RejectedException;
import io.preconf.core.port.LanePosition;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.ChainId;
import io.preconf.infra.pg.PgPreconfirmations;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The record's prepared statements, cached on the pool's connection, outlive a migration that
 * changes the type of a column they read: the next record on that connection is recorded, and a
 * void position still refuses it. The migration runs on servers of this test's own (it changes the
 * schema), with one pooled connection, so that the record after it runs on the connection that
 * cached the statements before it.
 */
@QuarkusTest
@TestProfile(CachedStatementsTest.OwnServers.class)
class CachedStatementsTest {
  static final int REDIS_PORT = 6393;
  static final int PG_PORT = 5443;

  public static class OwnServers implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.datasource.reactive.cache-prepared-statements", "true",
          "quarkus.datasource.reactive.max-size", "1");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return LocalServers.ownServers(REDIS_PORT, PG_PORT);
    }
  }

  @Inject PgPreconfirmations pg;
  @Inject Pool pool;

  private static Preconfirmation at(ChainId chain, long sequence) {
    return Samples.preconfirmation(
        new LanePosition(chain, randomHash(), sequence, randomHash(), System.currentTimeMillis()),
        randomAddress(),
        0);
  }

  private void record(Preconfirmation p) {
    pg.record(Samples.kept(List.of(p))).await().atMost(Adapters.AWAIT);
  }

  private void sql(String statement) {
    pool.query(statement).execute().await().atMost(Adapters.AWAIT);
  }

  @Test
  void recordsAfterAMigrationChangesTheTypeOfAColumnItsStatementsRead() {
    ChainId chain = uniqueChain();
    record(at(chain, 1));
    record(at(chain, 2));
    // Both statements are prepared on the connection (a longer statement than the cache takes would
    // be parsed and planned on every round again).
    assertThat(
            pool.query(
                    "select count(*) from pg_prepared_statements"
                        + " where statement like 'with locked as%'"
                        + " or statement like 'with voided as%'")
                .execute()
                .await()
                .atMost(Adapters.AWAIT)
                .iterator()
                .next()
                .getLong(0))
        .isEqualTo(2);
    sql("alter table void_positions alter column sequence type numeric");
    try {
      Preconfirmation after = at(chain, 3);
      record(after);
      assertThat(pg.find(chain, after.txHash()).await().atMost(Adapters.AWAIT)).contains(after);

      Preconfirmation voided = at(chain, 4);
      LanePosition position =
          new LanePosition(
              chain,
              voided.txHash(),
              voided.sequence(),
              voided.leaf().previous(),
              voided.leaf().receivedAt());
      pg.recordVoid(List.of(position)).await().atMost(Adapters.AWAIT);
      assertThatThrownBy(() -> record(voided))
          .isInstanceOfSatisfying(
              RejectedException.class,
              e -> {
                assertThat(e.rejection().code())
                    .isEqualTo(ErrorCode.PRECONFIRMATION_GENERATION_FAILED);
                assertThat(e.getMessage()).contains("sequence 4 on chain " + chain.value());
              });
    } finally {
      sql("alter table void_positions alter column sequence type bigint");
    }
  }
}
