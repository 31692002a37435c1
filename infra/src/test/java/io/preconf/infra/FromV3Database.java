package io.preconf.infra;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.wire.HashList;
import io.preconf.wire.PreconfirmationCodec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * A database of its own, migrated to V3 and holding preconfirmations written as the V1-V3 engine
 * wrote them (a whole wire-form copy, commitment included, in each row's {@code json}); Quarkus
 * then migrates it the rest of the way at start, as a deployment would.
 */
public class FromV3Database extends LocalServers {
  /** One chain: the database is this test's alone. */
  static final ChainId CHAIN = ChainId.of(167_000);

  @Override
  public Map<String, String> start() {
    Map<String, String> servers = super.start();
    String jdbc = migratedToV3(servers.get("quarkus.datasource.jdbc.url"), preconfirmations());
    String reactive = servers.get("quarkus.datasource.reactive.url");
    Map<String, String> config = new HashMap<>(servers);
    config.put("quarkus.datasource.jdbc.url", jdbc);
    config.put("quarkus.datasource.reactive.url", onServer(reactive, database(jdbc)));
    return config;
  }

  /**
   * Creates a database on the server of {@code jdbc}, migrates it to V3 and writes {@code issued}
   * into it as the V1-V3 engine did; returns its JDBC URL.
   */
  static String migratedToV3(String jdbc, List<Preconfirmation> issued) {
    String name = "from_v3_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(jdbc, "postgres", null);
        Statement s = c.createStatement()) {
      s.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("creating database " + name, e);
    }
    String own = onServer(jdbc, name);
    flyway(own).target("3").load().migrate();
    writeAsV3(own, issued);
    return own;
  }

  /** Flyway over this module's migrations, for the database at {@code jdbc}. */
  static FluentConfiguration flyway(String jdbc) {
    return Flyway.configure()
        .dataSource(jdbc, "postgres", null)
        .locations("classpath:db/migration");
  }

  private static String onServer(String url, String database) {
    return url.substring(0, url.lastIndexOf('/') + 1) + database;
  }

  private static String database(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }

  /**
   * The same preconfirmations on every call: a round of five sharing a commitment with an ML-DSA
   * signature, and two single ones (one atomic, one without ML-DSA), with proofs of their own.
   */
  static List<Preconfirmation> preconfirmations() {
    Random random = new Random(19);
    List<Preconfirmation> out = new ArrayList<>();
    Commitment shared = commitment(random, false, true);
    long sequence = 1;
    Hash32 previous = Hash32.ZERO;
    for (int i = 0; i < 7; i++) {
      Commitment c = i < 5 ? shared : commitment(random, i == 5, i == 5);
      Leaf leaf =
          new Leaf(
              CHAIN,
              hash(random),
              Address.wrap(raw(random, 20)),
              i,
              sequence,
              previous,
              1_765_000_000_000L + i,
              500 + i);
      List<Hash32> proof = new ArrayList<>();
      for (int k = 0; k < (i < 5 ? 3 : i - 5); k++) {
        proof.add(hash(random));
      }
      out.add(new Preconfirmation(leaf.hash(), leaf, proof, c));
      previous = leaf.txHash();
      sequence++;
    }
    return out;
  }

  /** What each preconfirmation's signed transaction was stored as. */
  static Bytes signedTx(Preconfirmation p) {
    return Bytes.wrap(("tx of " + p.txHash()).getBytes(StandardCharsets.UTF_8));
  }

  private static Commitment commitment(Random random, boolean atomic, boolean pq) {
    return new Commitment(
        hash(random),
        1_765_000_000_000L,
        1_765_000_060_000L,
        atomic,
        Address.wrap(raw(random, 20)),
        bytes(random, 65),
        pq ? bytes(random, 3309) : null);
  }

  private static Hash32 hash(Random random) {
    return Hash32.wrap(raw(random, 32));
  }

  private static Bytes bytes(Random random, int n) {
    return Bytes.wrap(raw(random, n));
  }

  private static byte[] raw(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** The rows as the V1-V3 record statement wrote them. */
  static void writeAsV3(String jdbc, List<Preconfirmation> issued) {
    try (Connection c = DriverManager.getConnection(jdbc, "postgres", null);
        PreparedStatement commitment =
            c.prepareStatement(
                "insert into commitments"
                    + " (root, issued_at, expires_at, atomic, signer, signature, pq_signature)"
                    + " values (?, ?, ?, ?, ?, ?, ?) on conflict (root) do nothing");
        PreparedStatement row =
            c.prepareStatement(
                "insert into preconfirmations (id, chain_id, tx_hash, sender, nonce, sequence,"
                    + " previous, received_at, target_slot, proof, commitment_root, status, json,"
                    + " signed_tx) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, 'PRECONFIRMED',"
                    + " ?::jsonb, ?)")) {
      for (Preconfirmation p : issued) {
        Commitment k = p.commitment();
        commitment.setString(1, k.root().toHex());
        commitment.setLong(2, k.issuedAt());
        commitment.setLong(3, k.expiresAt());
        commitment.setBoolean(4, k.atomic());
        commitment.setString(5, k.signer().toHex());
        commitment.setString(6, k.signature().toHex());
        commitment.setString(7, k.hasPqSignature() ? k.pqSignature().toHex() : null);
        commitment.executeUpdate();
        Leaf leaf = p.leaf();
        row.setString(1, p.id().toHex());
        row.setLong(2, leaf.chainId().value());
        row.setString(3, leaf.txHash().toHex());
        row.setString(4, leaf.sender().toHex());
        row.setLong(5, leaf.nonce());
        row.setLong(6, leaf.sequence());
        row.setString(7, leaf.previous().toHex());
        row.setLong(8, leaf.receivedAt());
        row.setLong(9, leaf.targetSlot());
        row.setString(10, HashList.toJson(p.proof()));
        row.setString(11, k.root().toHex());
        row.setString(12, PreconfirmationCodec.toJson(p));
        row.setString(13, signedTx(p).toHex());
        row.executeUpdate();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("writing preconfirmations in the V3 form", e);
    }
  }
}
