package io.preconf.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.feed.LaneEntry;
import io.preconf.infra.pg.PgCalls;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.pg.PgStatusQuery;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.api.FlywayException;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * A database whose preconfirmations were written by the V1-V3 engine, each with a whole copy of its
 * commitment, reads back byte for byte once V8 has kept each commitment once (and V10 each proof as
 * its hashes' bytes).
 */
@QuarkusTest
@TestProfile(MigrationFromV3Test.FromV3.class)
class MigrationFromV3Test {
  public static class FromV3 implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(FromV3Database.class));
    }
  }

  @Inject PgPreconfirmations pg;
  @Inject PgStatusQuery status;
  @Inject Mutiny.SessionFactory sessions;
  @Inject PgCalls calls;
  @Inject Pool pool;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbc;

  @Test
  void rowsWrittenBeforeV4ReadBackAsTheyWereServedOnEveryPath() {
    List<Preconfirmation> issued = FromV3Database.preconfirmations();
    StoredReads reads = new StoredReads(pg, status, sessions, calls);

    reads.giveBack(FromV3Database.CHAIN, issued);

    List<LaneEntry> archive = reads.archive(FromV3Database.CHAIN, 1, issued.size());
    List<String> signed = new ArrayList<>();
    archive.forEach(e -> signed.add(((LaneEntry.Issued) e).signedTransaction().toHex()));
    assertThat(signed)
        .containsExactlyElementsOf(
            issued.stream().map(p -> FromV3Database.signedTx(p).toHex()).toList());
  }

  @Test
  void theCopiesAreGoneAndEachCommitmentIsKeptOnce() {
    assertThat(
            single(
                "select count(*) from information_schema.columns"
                    + " where table_name = 'preconfirmations' and column_name = 'json'"))
        .isZero();
    assertThat(single("select count(*) from commitments")).isEqualTo(3);
    assertThat(single("select count(*) from preconfirmations")).isEqualTo(7);
    assertThat(single("select max(version::int) from flyway_schema_history where success"))
        .isGreaterThanOrEqualTo(8);
  }

  @Test
  void proofsAreKeptAsTheirHashesBytesAndNoForeignKeyChecksTheCommitment() {
    List<Preconfirmation> issued = FromV3Database.preconfirmations();
    for (Preconfirmation p : issued) {
      Row r =
          pool.preparedQuery("select proof from preconfirmations where id = $1")
              .execute(Tuple.of(p.id().toHex()))
              .await()
              .atMost(Adapters.AWAIT)
              .iterator()
              .next();
      byte[] expected = new byte[32 * p.proof().size()];
      for (int i = 0; i < p.proof().size(); i++) {
        System.arraycopy(p.proof().get(i).toArray(), 0, expected, 32 * i, 32);
      }
      assertThat(r.getBuffer(0).getBytes()).isEqualTo(expected);
    }
    assertThat(
            single(
                "select count(*) from pg_constraint"
                    + " where conrelid = 'preconfirmations'::regclass and contype = 'f'"))
        .isZero();
  }

  @Test
  void aRowWhoseCopyDisagreesWithItsCommitmentRowStopsTheMigrationNamingIt() throws Exception {
    List<Preconfirmation> issued = FromV3Database.preconfirmations();
    String db = FromV3Database.migratedToV3(jdbc, issued);
    String tampered = issued.get(2).id().toHex();
    try (Connection c = DriverManager.getConnection(db, "postgres", null);
        PreparedStatement s =
            c.prepareStatement(
                "update preconfirmations set json = jsonb_set(json, '{commitment,signature}',"
                    + " '\"0x00\"') where id = ?")) {
      s.setString(1, tampered);
      assertThat(s.executeUpdate()).isEqualTo(1);
    }

    assertThatThrownBy(() -> FromV3Database.flyway(db).load().migrate())
        .isInstanceOf(FlywayException.class)
        .hasMessageContaining("preconfirmation " + tampered + " keeps a wire form");
    assertThat(FromV3Database.flyway(db).load().info().current().getVersion().getVersion())
        .isEqualTo("7");
  }

  private long single(String sql) {
    Row r = pool.query(sql).execute().await().atMost(Adapters.AWAIT).iterator().next();
    return r.getLong(0);
  }
}
