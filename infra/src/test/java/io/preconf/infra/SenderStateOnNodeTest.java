package io.preconf.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.engine.EngineConfig;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.engine.SenderStates;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.metrics.EngineCounters;
import io.preconf.core.node.SendOutcome;
import io.preconf.core.port.Clock;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.rpc.DevAccounts;
import io.preconf.infra.rpc.JsonRpcClient;
import io.preconf.infra.rpc.JsonRpcRollupNode;
import io.preconf.infra.rpc.Senders;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine checks each sender on the rollup's real node (anvil, a chain of this test's own, one
 * block a second) before it promises, with the reservations in the real Redis claim script and the
 * promises recorded in the real PostgreSQL. Senders are fresh keys funded from a development
 * account by real transfers.
 */
@QuarkusTest
@WithTestResource(LocalServers.class)
class SenderStateOnNodeTest {
  private static final Logger LOG = Logger.getLogger(SenderStateOnNodeTest.class);
  private static final LocalNode NODE = LocalNode.throwAway();
  private static final ChainId CHAIN = NODE.chain();
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);
  private static final BigInteger GWEI = Senders.GWEI;
  private static final BigInteger MAX_FEE = GWEI.multiply(BigInteger.valueOf(30));
  private static final long GAS = 21_000;
  private static final Address SINK = Address.fromHex("0x000000000000000000000000000000000000dead");

  /** What one of the test's transfers may cost: 21,000 gas at 30 gwei, plus 1 wei sent. */
  private static final BigInteger COST =
      MAX_FEE.multiply(BigInteger.valueOf(GAS)).add(BigInteger.ONE);

  private static JsonRpcRollupNode node;

  @Inject Redis redis;
  @Inject PgPreconfirmations pg;

  private Adapters a;
  private ExecutorService cpu;
  private PreconfirmationEngine engine;

  @BeforeAll
  static void ownNode() {
    NODE.ensureRunning();
    node = new JsonRpcRollupNode(JsonRpcClient.forRollupNode(NODE.url(), CHAIN.value(), CALL));
  }

  @AfterAll
  static void wipeNode() {
    NODE.wipe();
  }

  private static final Duration CALL = Duration.ofSeconds(10);

  /**
   * The rollup's slots are the node's seconds (genesis at 0, one-second slots); no least tip, so
   * that a fee can sit just at the base fee.
   */
  @BeforeEach
  void engineOnTheNodesChain() {
    a = new Adapters(redis, "127.0.0.1:6390", pg, Fixtures.uniquePrefix(), Duration.ofSeconds(10));
    RollupConfig rollup =
        RollupConfig.builder(CHAIN, "anvil", 0)
            .slotDurationMs(1_000)
            .minPriorityFeeWei(BigInteger.ZERO)
            .build();
    cpu = Executors.newFixedThreadPool(2);
    SenderStates senders =
        new SenderStates(
            Map.of(
                CHAIN,
                new JsonRpcRollupNode(
                    JsonRpcClient.forRollupNode(NODE.url(), CHAIN.value(), NODE_TIMEOUT))),
            Duration.ofMillis(500),
            Clock.SYSTEM);
    engine =
        new PreconfirmationEngine(
            EngineConfig.defaults().withTimeouts(DEADLINE, DEADLINE),
            Rollups.of(List.of(rollup)),
            Fixtures.preconfer(),
            new PreconfirmationEngine.Ports(a.lanes, a.store, a.feed, Clock.SYSTEM, senders),
            cpu,
            new EngineCounters());
    // A fresh lane's first claim reads its history from PostgreSQL; warm that read on a busy
    // machine, as it is not what is tested here.
    pg.snapshot(CHAIN, 0).onFailure().retry().atMost(5).await().atMost(Adapters.AWAIT);
  }

  @AfterEach
  void stopPool() {
    cpu.shutdownNow();
  }

  private static String transfer(EcdsaSigner from, long nonce) {
    return transfer(from, nonce, MAX_FEE, GWEI);
  }

  private static String transfer(EcdsaSigner from, long nonce, BigInteger maxFee, BigInteger tip) {
    return TransactionBuilder.on(CHAIN)
        .nonce(nonce)
        .gasLimit(GAS)
        .maxFeePerGas(maxFee)
        .maxPriorityFeePerGas(tip)
        .to(SINK)
        .value(BigInteger.ONE)
        .sign(from)
        .toHex();
  }

  /**
   * {@code n} fresh senders holding exactly {@code each} wei, paid by development account 0 in real
   * transfers the node has mined.
   */
  private static List<EcdsaSigner> funded(int n, BigInteger each) throws InterruptedException {
    EcdsaSigner dev = DevAccounts.signer(0);
    long nonce = node.account(dev.address()).await().atMost(CALL).pendingNonce();
    List<EcdsaSigner> senders = new ArrayList<>();
    Hash32 last = null;
    for (int i = 0; i < n; i++) {
      EcdsaSigner s = Senders.fresh();
      Bytes pay =
          TransactionBuilder.on(CHAIN)
              .nonce(nonce + i)
              .to(s.address())
              .value(each)
              .maxFeePerGas(MAX_FEE)
              .maxPriorityFeePerGas(GWEI)
              .sign(dev);
      SendOutcome sent = node.sendRawTransaction(pay).await().atMost(CALL);
      assertThat(sent).isInstanceOf(SendOutcome.Accepted.class);
      last = sent.txHash();
      senders.add(s);
    }
    Senders.awaitReceipt(node, last);
    for (EcdsaSigner s : senders) {
      assertThat(node.account(s.address()).await().atMost(CALL).balanceWei()).isEqualTo(each);
    }
    return senders;
  }

  private PreconfirmResult preconfirm(String... txs) {
    return preconfirm(null, txs);
  }

  private PreconfirmResult preconfirm(Long slot, String... txs) {
    return engine
        .preconfirm(new PreconfirmRequest(List.of(txs), false, slot))
        .await()
        .atMost(Adapters.AWAIT);
  }

  private static Rejection refusal(PreconfirmResult r) {
    assertThat(r.preconfirmations()).isEmpty();
    assertThat(r.rejected()).hasSize(1);
    return r.rejected().get(0).rejection();
  }

  private static long sequence(PreconfirmResult r) {
    assertThat(r.rejected()).isEmpty();
    return r.preconfirmations().get(0).sequence();
  }

  /** Promises a transfer from a freshly funded sender: the lane's next position. */
  private long promiseOne() throws InterruptedException {
    return sequence(preconfirm(transfer(funded(1, COST).get(0), 0)));
  }

  @Test
  void anUnfundedSenderIsRefusedNamingBothAmountsAndTakesNoPosition() throws Exception {
    long before = promiseOne();
    EcdsaSigner unfunded = Senders.fresh();

    Rejection r = refusal(preconfirm(transfer(unfunded, 0)));

    assertThat(r.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.reason()).isEqualTo(Reason.INSUFFICIENT_BALANCE);
    assertThat(r.message())
        .startsWith(
            "sender "
                + unfunded.address().toHex()
                + " on chain "
                + CHAIN
                + " needs up to "
                + COST
                + " wei (")
        .endsWith("above its balance of 0 wei on the rollup's node");
    assertThat(promiseOne()).isEqualTo(before + 1);
  }

  @Test
  void aNonceBelowTheNodesOrPastTheNextIsRefusedNamingBothAndTakesNoPosition() throws Exception {
    EcdsaSigner sender = funded(1, COST.multiply(BigInteger.TEN)).get(0);
    // The sender's first transaction, straight to the node: its nonce there becomes 1.
    Bytes direct = Bytes.fromHex("tx", transfer(sender, 0));
    Senders.awaitReceipt(node, node.sendRawTransaction(direct).await().atMost(CALL).txHash());
    long before = promiseOne();

    Rejection low = refusal(preconfirm(transfer(sender, 0)));
    Rejection gap = refusal(preconfirm(transfer(sender, 3)));

    String whose = "sender " + sender.address().toHex() + " nonce ";
    assertThat(low.reason()).isEqualTo(Reason.NONCE_TOO_LOW);
    assertThat(low.message())
        .isEqualTo(whose + "0 on chain " + CHAIN + " is below its nonce 1 on the rollup's node");
    assertThat(gap.reason()).isEqualTo(Reason.NONCE_GAP);
    assertThat(gap.message())
        .isEqualTo(
            whose
                + "3 on chain "
                + CHAIN
                + " leaves a gap: its next nonce is 1 (1 on the rollup's node, then 0 promised"
                + " and not yet included)");
    assertThat(sequence(preconfirm(transfer(sender, 1)))).isEqualTo(before + 1);
  }

  /**
   * A fee at the node's newest base fee is refused for a slot five blocks on, whatever the node did
   * in between: five full blocks raise any base fee by more than one empty block lowers it.
   */
  @Test
  void aMaxFeeBelowTheBaseFeeProjectedToTheTargetSlotIsRefusedNamingBoth() throws Exception {
    EcdsaSigner sender = funded(1, COST).get(0);
    long before = promiseOne();
    BigInteger baseFee = node.head().await().atMost(CALL).baseFeePerGasWei();
    long target = System.currentTimeMillis() / 1000 + 5;

    Rejection r = refusal(preconfirm(target, transfer(sender, 0, baseFee, BigInteger.ZERO)));

    assertThat(r.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.reason()).isEqualTo(Reason.BASE_FEE_TOO_LOW);
    Matcher m =
        Pattern.compile(
                " pays at most (\\d+) wei per gas, below the base fee of (\\d+) wei the"
                    + " rollup's node may reach by slot "
                    + target
                    + "$")
            .matcher(r.message());
    assertThat(m.find()).as(r.message()).isTrue();
    assertThat(new BigInteger(m.group(1))).isEqualTo(baseFee);
    assertThat(new BigInteger(m.group(2))).isGreaterThan(baseFee);
    assertThat(sequence(preconfirm(transfer(sender, 0)))).isEqualTo(before + 1);
  }

  /**
   * Twenty requests at once from one sender whose balance pays for ten: however they interleave, at
   * most ten are promised, at nonces without a gap, and promising the rest in order stops at
   * exactly ten. Fifty times, a fresh sender each time.
   */
  @Test
  void twentyConcurrentRequestsFromASenderWhoseBalancePaysForTenGetTenPromisesAtMost()
      throws Exception {
    List<EcdsaSigner> senders = funded(50, COST.multiply(BigInteger.TEN));
    int burstMax = 0;
    for (EcdsaSigner sender : senders) {
      List<Uni<PreconfirmResult>> burst = new ArrayList<>();
      for (long nonce = 0; nonce < 20; nonce++) {
        burst.add(
            engine.preconfirm(
                new PreconfirmRequest(List.of(transfer(sender, nonce)), false, null)));
      }
      List<PreconfirmResult> results =
          Uni.join().all(burst).andFailFast().await().atMost(Adapters.AWAIT);

      List<Long> promised = new ArrayList<>();
      for (PreconfirmResult r : results) {
        if (r.preconfirmations().isEmpty()) {
          assertThat(refusal(r).reason()).isIn(Reason.NONCE_GAP, Reason.INSUFFICIENT_BALANCE);
        } else {
          promised.add(r.preconfirmations().get(0).leaf().nonce());
        }
      }
      promised.sort(Long::compare);
      assertThat(promised.size()).isBetween(1, 10);
      assertThat(promised).isEqualTo(LongStream.range(0, promised.size()).boxed().toList());
      burstMax = Math.max(burstMax, promised.size());

      for (long nonce = promised.size(); nonce < 10; nonce++) {
        assertThat(preconfirm(transfer(sender, nonce)).rejected()).isEmpty();
      }
      Rejection eleventh = refusal(preconfirm(transfer(sender, 10)));
      assertThat(eleventh.reason()).isEqualTo(Reason.INSUFFICIENT_BALANCE);
      assertThat(eleventh.message())
          .contains(
              "needs up to " + COST.multiply(BigInteger.valueOf(11)) + " wei (" + COST + " for tx ")
          .contains(
              COST.multiply(BigInteger.TEN)
                  + " for 10 promised and not yet included), above its balance of "
                  + COST.multiply(BigInteger.TEN)
                  + " wei");
    }
    LOG.infof("50 bursts of 20: at most %d promised within one burst", burstMax);
  }

  /**
   * A resubmission after Redis let the transaction's claims lapse is answered from PostgreSQL, as
   * without state checks: the promise's own reservation does not refuse it.
   */
  @Test
  void aResubmissionAfterItsClaimsLapsedIsAnsweredWithItsPromise() throws Exception {
    EcdsaSigner sender = funded(1, COST).get(0);
    String raw = transfer(sender, 0);
    Preconfirmation first = preconfirm(raw).preconfirmations().get(0);
    a.command("DEL", a.keys.tx(CHAIN, first.txHash()), a.keys.nonce(CHAIN, sender.address(), 0));

    PreconfirmResult again = preconfirm(raw);

    assertThat(again.rejected()).isEmpty();
    assertThat(again.preconfirmations()).containsExactly(first);
    assertThat(refusal(preconfirm(transfer(sender, 1))).reason())
        .isEqualTo(Reason.INSUFFICIENT_BALANCE);
  }

  /**
   * A stopped node refuses at once, a hung one once the node's deadline passes: either way with
   * BACKEND_UNAVAILABLE naming the node, well within the request's deadline, and nothing promised.
   */
  @Test
  void aNodeDownOrHungRefusesNamingItWithinTheDeadlineAndPromisesNothing() throws Exception {
    EcdsaSigner sender = funded(1, COST).get(0);
    long before = promiseOne();
    Thread.sleep(600); // past the reuse of the node's head
    try {
      NODE.stop();
      assertRefusedByTheNode(transfer(sender, 0));
      NODE.ensureRunning();
      NODE.freeze();
      assertRefusedByTheNode(transfer(sender, 0));
    } finally {
      NODE.thaw();
      NODE.ensureRunning();
    }
    Thread.sleep(600);
    assertThat(promiseOne()).isEqualTo(before + 1);
  }

  private void assertRefusedByTheNode(String tx) {
    long start = System.nanoTime();
    Rejection r = refusal(preconfirm(tx));
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(r.reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE);
    assertThat(r.message()).contains("rollup node " + NODE.url() + " of chain " + CHAIN);
    assertThat(tookMs).isLessThan(DEADLINE.toMillis());
    LOG.infof("refused in %d ms: %s", tookMs, r.message());
  }
}
