package io.preconf.infra;

import static io.preconf.core.testing.EngineFixture.send;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.port.ClaimGroup;
import io.preconf.core.port.ForwardingLanes;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.wire.PreconfirmationCodec;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Group commit over Redis and PostgreSQL: requests that queue behind a round share one lane script
 * call, one commitment row and one signature, and every preconfirmation of the shared commitment
 * verifies with standard Ethereum tooling and reads back byte for byte.
 */
@QuarkusTest
@WithTestResource(LocalServers.class)
class GroupCommitOnRealBackendsTest {
  private static final long SLOT_MS = 2_000;

  @Inject Redis redis;
  @Inject PgPreconfirmations pg;
  @Inject Pool pool;

  /** The lanes, with their first claim held back until {@link #release} completes. */
  private static final class HeldLanes extends ForwardingLanes {
    final CompletableFuture<Void> release = new CompletableFuture<>();
    final AtomicInteger calls = new AtomicInteger();

    HeldLanes(Adapters a) {
      super(a.lanes);
    }

    @Override
    public Uni<List<List<LaneOutcome>>> claimAll(List<ClaimGroup> groups) {
      return calls.getAndIncrement() == 0
          ? Uni.createFrom().completionStage(release).chain(() -> super.claimAll(groups))
          : super.claimAll(groups);
    }
  }

  private static String transfer(ChainId chain, int senderKey) {
    return TransactionBuilder.on(chain)
        .nonce(0)
        .to(Address.fromHex("0x00000000000000000000000000000000000000aa"))
        .value(BigInteger.ONE)
        .sign(EcdsaSigner.fromPrivateKey(Fixtures.key(senderKey)))
        .toHex();
  }

  private static List<Preconfirmation> promised(UniAssertSubscriber<PreconfirmResult> call) {
    PreconfirmResult r = call.awaitItem(Adapters.AWAIT).getItem();
    assertThat(r.error()).isNull();
    assertThat(r.rejected()).isEmpty();
    return r.preconfirmations();
  }

  @Test
  void requestsOfOneRoundShareOneCommitmentRowAndEachVerifiesIndependently() throws Exception {
    Adapters a = new Adapters(redis, "127.0.0.1", pg, Fixtures.uniquePrefix());
    ChainId chain = uniqueChain();
    HeldLanes lanes = new HeldLanes(a);
    // Decoding on the calling thread: each request has joined the queue when send returns.
    PreconfirmationEngine engine = a.engine(chain, SLOT_MS, 30_000_000, Runnable::run, lanes);
    // Warm the lane's first read of its history (a cold test JVM can be slow to make it).
    pg.snapshot(chain, 0).onFailure().retry().atMost(5).await().atMost(Adapters.AWAIT);

    UniAssertSubscriber<PreconfirmResult> first = send(engine, false, transfer(chain, 0x10));
    List<UniAssertSubscriber<PreconfirmResult>> queued = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      queued.add(send(engine, false, transfer(chain, 0x20 + i)));
    }
    UniAssertSubscriber<PreconfirmResult> bundle =
        send(engine, true, transfer(chain, 0x40), transfer(chain, 0x41));
    lanes.release.complete(null);

    promised(first);
    List<Preconfirmation> shared = new ArrayList<>();
    queued.forEach(call -> shared.addAll(promised(call)));
    List<Preconfirmation> atomic = promised(bundle);
    assertThat(lanes.calls).hasValue(2);

    String root = shared.get(0).commitment().root().toHex();
    assertThat(shared).allSatisfy(p -> assertThat(p.commitment().root().toHex()).isEqualTo(root));
    assertThat(atomic.get(0).commitment().root().toHex()).isNotEqualTo(root);
    assertThat(rows("select count(*) from commitments where root = $1", root)).isEqualTo(1);
    assertThat(rows("select count(*) from preconfirmations where commitment_root = $1", root))
        .isEqualTo(12);

    List<Preconfirmation> all = new ArrayList<>(shared);
    all.addAll(atomic);
    for (Preconfirmation p : all) {
      Preconfirmation read =
          pg.find(chain, p.txHash()).await().atMost(Adapters.AWAIT).orElseThrow();
      assertThat(PreconfirmationCodec.toJson(read)).isEqualTo(PreconfirmationCodec.toJson(p));
    }
    var list = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
    all.forEach(p -> list.add(PreconfirmationCodec.toTree(p)));
    String pqKey = Fixtures.preconfer().pqPublicKey().toHex();
    assertThat(IndependentVerifier.verify(list.toString(), pqKey, true))
        .contains("14 verified, 0 failed");
  }

  private long rows(String sql, String root) {
    Row r =
        pool.preparedQuery(sql)
            .execute(Tuple.of(root))
            .await()
            .atMost(Adapters.AWAIT)
            .iterator()
            .next();
    return r.getLong(0);
  }
}
