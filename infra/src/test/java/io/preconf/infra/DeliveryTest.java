package io.preconf.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.crypto.Keccak;
import io.preconf.core.delivery.Backoff;
import io.preconf.core.delivery.DeliveryLag;
import io.preconf.core.delivery.DeliveryLoop;
import io.preconf.core.delivery.LaneForwarder;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.finality.Block;
import io.preconf.core.finality.FinalityConfig;
import io.preconf.core.node.Receipt;
import io.preconf.core.port.Clock;
import io.preconf.core.reconcile.ReconcileResult;
import io.preconf.core.reconcile.Reconciliation;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.infra.pg.PgCalls;
import io.preconf.infra.pg.PgChainLedger;
import io.preconf.infra.pg.PgDeliveryLedger;
import io.preconf.infra.pg.PgLaneLog;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.pg.PgStatusQuery;
import io.preconf.infra.redis.RedisDeliveryLease;
import io.preconf.infra.redis.RedisStatusLog;
import io.preconf.infra.rpc.DevAccounts;
import io.preconf.infra.rpc.JsonRpcClient;
import io.preconf.infra.rpc.JsonRpcRollupNode;
import io.preconf.infra.rpc.Senders;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery against real servers and a real node: the engine promises transactions from the
 * development accounts on a throw-away anvil chain of this test's own ({@code --order fifo}), and
 * forwarders built from the Redis lease, the PostgreSQL ledger and the JSON-RPC node hand them
 * over; the node's receipts say what it included, and in which order.
 */
@QuarkusTest
@WithTestResource(LocalServers.class)
class DeliveryTest {
  private static final Duration TTL = Duration.ofSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration CALL = Duration.ofSeconds(10);

  @Inject Redis redis;
  @Inject PgPreconfirmations pg;
  @Inject Mutiny.SessionFactory sessions;
  @Inject PgCalls pgCalls;
  @Inject Pool pool;

  @TempDir Path runDir;

  LocalNode node;
  ChainId chain;
  Adapters a;
  JsonRpcRollupNode rpcNode;
  RedisStatusLog statuses;
  PreconfirmationEngine engine;
  ExecutorService cpu;
  ScheduledExecutorService scheduler;
  final List<DeliveryLoop> loops = new ArrayList<>();
  final long[] nonces = new long[DevAccounts.COUNT];

  @BeforeEach
  void engineAndNodeOfOwnChain() {
    node = LocalNode.throwAwayIn(runDir).ensureRunning();
    chain = node.chain();
    a = new Adapters(redis, "127.0.0.1:6390", pg, Fixtures.uniquePrefix());
    rpcNode = new JsonRpcRollupNode(JsonRpcClient.forRollupNode(node.url(), chain.value(), CALL));
    statuses = new RedisStatusLog(a.redis, a.keys, 10_000);
    cpu = Executors.newFixedThreadPool(2);
    scheduler = Executors.newSingleThreadScheduledExecutor();
    engine = a.engine(chain, 1_000, 30_000_000, cpu);
    // A new lane's first claim reads its history from PostgreSQL; on a busy machine a cold first
    // query can run past the store's deadline, and this test is not about that.
    pg.snapshot(chain, 0).onFailure().retry().atMost(5).await().atMost(WAIT);
  }

  @AfterEach
  void stopAll() {
    for (DeliveryLoop loop : loops) {
      loop.close().await().atMost(WAIT);
    }
    scheduler.shutdownNow();
    cpu.shutdownNow();
    node.wipe();
  }

  /** A transfer from development account {@code account} at its next nonce, promised. */
  private Preconfirmation promise(int account) {
    Bytes tx = Senders.transfer(chain, DevAccounts.signer(account), nonces[account]++, 1 + account);
    PreconfirmResult r =
        engine
            .preconfirm(new PreconfirmRequest(List.of(tx.toHex()), false, null))
            .await()
            .atMost(WAIT);
    assertThat(r.rejected()).isEmpty();
    return r.preconfirmations().get(0);
  }

  /**
   * Promises from accounts 0, 1, 2, 0, 1, 2, ...: senders interleaved along the lane; returns once
   * the lane's log carries them all (an answer does not wait for its publish).
   */
  private List<Preconfirmation> promise(int n, int accounts) {
    List<Preconfirmation> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(promise(i % accounts));
    }
    Fixtures.eventually(
        () -> a.feed.read(chain, 1, n).await().atMost(WAIT), logged -> logged.size() == n);
    return out;
  }

  private LaneForwarder forwarder(String holder, DeliveryLag lag, int batch) {
    return new LaneForwarder(
        chain,
        holder,
        new LaneForwarder.Ports(
            new RedisDeliveryLease(a.redis, a.keys),
            new PgDeliveryLedger(pool, pgCalls),
            rpcNode,
            statuses,
            a.feed,
            new PgLaneLog(sessions, pgCalls),
            Clock.SYSTEM),
        new LaneForwarder.Settings(
            TTL,
            batch,
            Duration.ofSeconds(2),
            Duration.ofMillis(100),
            new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1))),
        lag);
  }

  private DeliveryLoop run(LaneForwarder f) {
    DeliveryLoop loop = new DeliveryLoop(f, scheduler, Duration.ofSeconds(1));
    loops.add(loop);
    loop.start();
    return loop;
  }

  /** The lane's durable cursor; 0 before any takeover. */
  private long deliveredThrough() {
    return pool
        .preparedQuery("select delivered_through from delivery_cursors where chain_id = $1")
        .execute(Tuple.of(chain.value()))
        .await()
        .atMost(CALL)
        .stream()
        .findFirst()
        .map(row -> row.getLong(0))
        .orElse(0L);
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT.toMillis();
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(100);
    }
  }

  /**
   * Every promise is in the node's chain, in lane order (by block, then index in the block), each
   * once: every sender's nonce on the node is exactly the count of its promises.
   */
  private void includedOnceInLaneOrder(List<Preconfirmation> promised) throws Exception {
    List<Receipt> receipts = new ArrayList<>();
    for (Preconfirmation p : promised) {
      Receipt r = Senders.awaitReceipt(rpcNode, p.txHash());
      assertThat(r.succeeded()).as("tx %s ran", p.txHash()).isTrue();
      receipts.add(r);
    }
    List<Receipt> byPlace =
        receipts.stream()
            .sorted(Comparator.comparingLong(Receipt::blockNumber).thenComparing(Receipt::index))
            .toList();
    assertThat(byPlace).as("inclusion order is lane order").containsExactlyElementsOf(receipts);
    for (int account = 0; account < DevAccounts.COUNT; account++) {
      if (nonces[account] > 0) {
        assertThat(
                rpcNode.account(DevAccounts.address(account)).await().atMost(CALL).pendingNonce())
            .as("transactions of account %d on the node", account)
            .isEqualTo(nonces[account]);
      }
    }
  }

  @Test
  void everyPromiseReachesTheNodeInLaneOrderAndIsIncludedOnceInThatOrder() throws Exception {
    List<Preconfirmation> promised = promise(9, 3);
    run(forwarder("one", new DeliveryLag(Clock.SYSTEM), 4));

    await("delivered through 9", () -> deliveredThrough() == 9);

    includedOnceInLaneOrder(promised);
  }

  @Test
  void theSignedBytesRoundTripThroughTheLaneLogAndPostgreSql() {
    List<Preconfirmation> promised = promise(3, 2);

    List<LaneEntry> logged = a.feed.read(chain, 1, 10).await().atMost(WAIT);
    List<LaneEntry> archived =
        new PgLaneLog(sessions, pgCalls).read(chain, 1, 3, 10).await().atMost(WAIT);

    assertThat(archived).isEqualTo(logged);
    assertThat(logged).hasSize(3);
    for (int i = 0; i < 3; i++) {
      LaneEntry.Issued e = (LaneEntry.Issued) logged.get(i);
      assertThat(e.preconfirmation()).isEqualTo(promised.get(i));
      // the bytes are the very transaction promised: they hash to its txHash
      assertThat(Keccak.hash(e.signedTransaction().unsafeArray()))
          .isEqualTo(promised.get(i).txHash());
    }
  }

  @Test
  void aNodeStoppedDuringDeliveryIsCaughtUpOnceRestartedWithNothingLostOrDoubled()
      throws Exception {
    DeliveryLag lag = new DeliveryLag(Clock.SYSTEM);
    List<Preconfirmation> promised = new ArrayList<>(promise(3, 2));
    run(forwarder("one", lag, 8));
    await("delivered through 3", () -> deliveredThrough() == 3);
    for (Preconfirmation p : promised) {
      Senders.awaitReceipt(rpcNode, p.txHash()); // mined, so in the state the restart loads
    }

    node.stop();
    promised.addAll(promise(4, 2));
    await("the lag shows 4 sequences behind", () -> lag.sequencesBehind() == 4);
    Thread.sleep(1_500);
    assertThat(deliveredThrough()).isEqualTo(3);
    assertThat(lag.millisBehind()).isGreaterThanOrEqualTo(1_500);

    node.ensureRunning();
    await("delivered through 7", () -> deliveredThrough() == 7);

    includedOnceInLaneOrder(promised);
    await("the lag is back to none", () -> lag.sequencesBehind() == 0 && lag.millisBehind() == 0);
  }

  /**
   * The forwarder's process killed mid-delivery, shown in one JVM: forwarder "crashed" takes the
   * lane, delivers a batch, then hands two more transactions to the node and dies before writing
   * its cursor (it is never stepped or released again, as after SIGKILL). The next forwarder waits
   * for the lease to run out, resumes at the cursor, finds those two known to the node, and goes
   * on.
   */
  @Test
  void anAbandonedForwarderIsSucceededAtItsCursorOnceItsLeaseRunsOut() throws Exception {
    List<Preconfirmation> promised = promise(6, 3);
    LaneForwarder crashed = forwarder("crashed", new DeliveryLag(Clock.SYSTEM), 2);
    long leasedFrom = System.currentTimeMillis(); // the lease runs from some moment after this
    // A step may stop early to renew its lease on a slow machine: step until a batch is through.
    for (int i = 0; i < 20 && deliveredThrough() < 2; i++) {
      crashed.step().await().atMost(WAIT);
    }
    long cursor = deliveredThrough();
    assertThat(cursor).isBetween(2L, 4L);
    for (LaneEntry e : a.feed.read(chain, cursor + 1, 2).await().atMost(WAIT)) {
      rpcNode.sendRawTransaction(((LaneEntry.Issued) e).signedTransaction()).await().atMost(CALL);
    }

    DeliveryLag lag = new DeliveryLag(Clock.SYSTEM);
    run(forwarder("next", lag, 2));
    await("delivered through 6", () -> deliveredThrough() == 6);

    assertThat(System.currentTimeMillis() - leasedFrom)
        .as("the lane waited for the abandoned lease to run out")
        .isGreaterThanOrEqualTo(TTL.toMillis());
    includedOnceInLaneOrder(promised);

    promised.add(promise(0));
    crashed.step().await().atMost(WAIT); // it wakes: its lease is gone, it writes nothing
    assertThat(crashed.holding()).isFalse();
    await("the new promise delivered by the new holder", () -> deliveredThrough() == 7);
  }

  @Test
  void ofTwoForwardersOneDeliversAndTheOtherTakesOverWhenItStops() throws Exception {
    DeliveryLag first = new DeliveryLag(Clock.SYSTEM);
    DeliveryLag second = new DeliveryLag(Clock.SYSTEM);
    DeliveryLoop one = run(forwarder("first", first, 8));
    await("the first holds the lane", () -> first.holding() == 1);
    DeliveryLoop two = run(forwarder("second", second, 8));
    List<Preconfirmation> promised = new ArrayList<>(promise(3, 3));
    await("delivered through 3", () -> deliveredThrough() == 3);
    assertThat(second.holding()).isZero();
    assertThat(second.sequencesBehind()).isNaN();

    one.close().await().atMost(WAIT);
    await("the second holds the lane", () -> second.holding() == 1);
    promised.addAll(promise(3, 3));
    await("delivered through 6", () -> deliveredThrough() == 6);

    assertThat(first.holding()).isZero();
    includedOnceInLaneOrder(promised);
    two.close().await().atMost(WAIT);
  }

  private Status storedStatus(Preconfirmation p) {
    return new PgStatusQuery(sessions, pgCalls)
        .find(chain, p.txHash())
        .await()
        .atMost(CALL)
        .orElseThrow()
        .promise()
        .status();
  }

  @Test
  void aTransactionTheNodeRefusesIsDeliveryFailedInStatusAndOnTheFeedAndDeliveryGoesOn()
      throws Exception {
    Preconfirmation refused = promise(0);
    Preconfirmation next = promise(1);
    // Account 0's nonce 0 is taken on the node by another transaction before delivery.
    Bytes other = Senders.transfer(chain, DevAccounts.signer(0), 0, 99);
    rpcNode.sendRawTransaction(other).await().atMost(CALL);
    Senders.awaitReceipt(rpcNode, Keccak.hash(other.unsafeArray()));

    run(forwarder("one", new DeliveryLag(Clock.SYSTEM), 8));
    await("delivered through 2", () -> deliveredThrough() == 2);

    assertThat(storedStatus(refused)).isEqualTo(Status.DELIVERY_FAILED);
    List<RedisStatusLog.Entry> feed = statuses.readAfter(chain, "0-0", 10).await().atMost(CALL);
    assertThat(feed).hasSize(1);
    assertThat(feed.get(0).json())
        .contains("\"status\":\"DELIVERY_FAILED\"")
        .contains(refused.txHash().toHex())
        .contains("nonce too low");
    assertThat(Senders.awaitReceipt(rpcNode, next.txHash()).succeeded()).isTrue();

    // Past its expiry (judged by a reconciliation whose clock runs two hours ahead), the first
    // block of the chain expires it: it is not left DELIVERY_FAILED for ever.
    long later = System.currentTimeMillis() + Duration.ofHours(2).toMillis();
    RollupConfig rollup = RollupConfig.builder(chain, "test", 0).slotDurationMs(1_000).build();
    Reconciliation finality =
        new Reconciliation(
            FinalityConfig.defaults(),
            Rollups.of(List.of(rollup)),
            new Reconciliation.Ports(new PgChainLedger(sessions, pgCalls), statuses, () -> later));
    ReconcileResult r =
        finality
            .reconcile(
                new Block(
                    chain,
                    1,
                    Samples.randomHash(),
                    Samples.randomHash(),
                    rollup.slotAt(later),
                    List.of()))
            .await()
            .atMost(WAIT);

    assertThat(r.changes())
        .filteredOn(c -> c.txHash().equals(refused.txHash()))
        .singleElement()
        .satisfies(c -> assertThat(c.status()).isEqualTo(Status.EXPIRED))
        .satisfies(c -> assertThat(c.reason()).contains("after its delivery failed"));
    assertThat(storedStatus(refused)).isEqualTo(Status.EXPIRED);
    assertThat(statuses.readAfter(chain, "0-0", 10).await().atMost(CALL))
        .extracting(RedisStatusLog.Entry::json)
        .anyMatch(json -> json.contains(refused.txHash().toHex()) && json.contains("\"EXPIRED\""));
  }
}
