package io.preconf.infra;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.feed.LaneArchive;
import io.preconf.core.feed.LaneArchiveContract;
import io.preconf.core.port.LanePosition;
import io.preconf.core.testing.Samples;
import io.preconf.infra.pg.PgCalls;
import io.preconf.infra.pg.PgLaneLog;
import io.preconf.infra.pg.PgPreconfirmations;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** The archive contract against PostgreSQL: rows written as the store and the lanes write them. */
@QuarkusTest
@WithTestResource(LocalServers.class)
class PgLaneArchiveTest extends LaneArchiveContract {
  @Inject PgPreconfirmations pg;
  @Inject Mutiny.SessionFactory sessions;
  @Inject PgCalls pgCalls;

  @Override
  protected LaneArchive archive() {
    return new PgLaneLog(sessions, pgCalls);
  }

  @Override
  protected void recorded(List<Preconfirmation> issued) {
    pg.record(Samples.kept(issued)).await().atMost(Adapters.AWAIT);
  }

  @Override
  protected void voided(List<LanePosition> positions) {
    pg.recordVoid(positions).await().atMost(Adapters.AWAIT);
  }
}
