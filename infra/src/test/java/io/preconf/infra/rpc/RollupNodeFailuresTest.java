package io.preconf.infra.rpc;

import static io.preconf.infra.rpc.Senders.CALL;
import static io.preconf.infra.rpc.Senders.awaitReceipt;
import static io.preconf.infra.rpc.Senders.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.node.AccountState;
import io.preconf.core.node.ChainHead;
import io.preconf.core.node.Receipt;
import io.preconf.core.node.SendOutcome;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.wire.WireBlock;
import io.preconf.infra.LocalNode;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node of this test's own (a throw-away chain on a free port, one-second blocks), stopped, frozen
 * and restarted through infra/scripts/nodes.sh: every call gives up within its deadline with an
 * error naming the node, and a node restarted with its state keeps its chain.
 */
class RollupNodeFailuresTest {
  private static final LocalNode NODE = LocalNode.throwAway();
  private static final ChainId CHAIN = NODE.chain();
  private static final Duration DEADLINE = Duration.ofMillis(700);

  /** How late a deadline may fire on a machine busy with other builds. */
  private static final Duration SLACK = Duration.ofSeconds(2);

  private static JsonRpcClient rpc;
  private static JsonRpcRollupNode node;

  @BeforeAll
  static void node() {
    rpc = JsonRpcClient.forRollupNode(NODE.url(), CHAIN.value(), DEADLINE);
    node = new JsonRpcRollupNode(rpc);
    // The JVM's first HTTP call loads its classes before any deadline runs; not what is timed here.
    NODE.ensureRunning();
    assertThat(patient().chainId().await().atMost(CALL)).isEqualTo(CHAIN);
  }

  private static JsonRpcRollupNode patient() {
    return new JsonRpcRollupNode(
        JsonRpcClient.forRollupNode(NODE.url(), CHAIN.value(), Duration.ofSeconds(5)));
  }

  @BeforeEach
  void running() {
    NODE.ensureRunning();
  }

  @AfterAll
  static void wipe() {
    NODE.wipe();
  }

  @Test
  void aStoppedNodeFailsEveryCallAtOnceNamingItsUrl() {
    Bytes tx = transfer(CHAIN, Senders.fresh(), 0, 1);
    Address someone = Senders.fresh().address();
    NODE.stop();

    // A refused connection, not the deadline: the failure says so.
    assertFails(() -> node.account(someone), "ConnectException");
    assertFails(() -> node.head(), "ConnectException");
    assertFails(() -> new JsonRpcBlockSource(CHAIN, rpc).latest(), "ConnectException");
    SendOutcome outcome = node.sendRawTransaction(tx).await().atMost(CALL);
    assertThat(outcome)
        .isInstanceOfSatisfying(
            SendOutcome.Unreachable.class,
            u -> assertThat(u.message()).contains(NODE.url().toString(), "chain " + CHAIN));
  }

  @Test
  void aFrozenNodeFailsEveryCallAtItsDeadline() {
    Bytes tx = transfer(CHAIN, Senders.fresh(), 0, 1);
    NODE.freeze();
    long took;
    long sendTook;
    SendOutcome outcome;
    try {
      took = assertFails(() -> node.head(), "did not answer within 700 ms");
      long started = System.nanoTime();
      outcome = node.sendRawTransaction(tx).await().atMost(CALL);
      sendTook = (System.nanoTime() - started) / 1_000_000;
    } finally {
      NODE.thaw();
    }

    assertThat(took).isGreaterThanOrEqualTo(DEADLINE.toMillis() - 50);
    assertThat(outcome)
        .isInstanceOfSatisfying(
            SendOutcome.Unreachable.class,
            u ->
                assertThat(u.message())
                    .contains(NODE.url().toString(), "did not answer within 700 ms"));
    assertThat(sendTook).isBetween(DEADLINE.toMillis() - 50, DEADLINE.plus(SLACK).toMillis());
  }

  @Test
  void aNodeRestartedWithItsStateKeepsItsChain() throws Exception {
    JsonRpcRollupNode patient = patient();
    EcdsaSigner sender = Senders.funded(rpc);
    Receipt mined = awaitReceipt(patient, send(patient, transfer(CHAIN, sender, 0, 1)).txHash());
    ChainHead before = patient.head().await().atMost(CALL);

    NODE.restart();

    JsonRpcBlockSource blocks = new JsonRpcBlockSource(CHAIN, rpc);
    WireBlock same = blocks.byNumber(mined.blockNumber()).await().atMost(CALL).orElseThrow();
    assertThat(same.hash()).isEqualTo(mined.blockHash().toHex());
    assertThat(blocks.byNumber(before.number()).await().atMost(CALL).orElseThrow().hash())
        .isEqualTo(before.hash().toHex());
    assertThat(patient.receipt(mined.txHash()).await().atMost(CALL)).contains(mined);
    AccountState account = patient.account(sender.address()).await().atMost(CALL);
    assertThat(account.nonce()).isEqualTo(1);
    // The chain goes on from where it stopped: the next transaction lands on top of it.
    Receipt next = awaitReceipt(patient, send(patient, transfer(CHAIN, sender, 1, 1)).txHash());
    assertThat(next.blockNumber()).isGreaterThan(before.number());
    WireBlock after = blocks.byNumber(before.number() + 1).await().atMost(CALL).orElseThrow();
    assertThat(after.parentHash()).isEqualTo(before.hash().toHex());
  }

  private static SendOutcome send(JsonRpcRollupNode to, Bytes tx) {
    SendOutcome outcome = to.sendRawTransaction(tx).await().atMost(CALL);
    assertThat(outcome).isInstanceOf(SendOutcome.Accepted.class);
    return outcome;
  }

  /**
   * Fails with BACKEND_UNAVAILABLE naming the node, the message containing {@code words}, within
   * the deadline (and some slack for a busy machine); returns the ms taken.
   */
  private static long assertFails(Supplier<Uni<?>> call, String words) {
    long started = System.nanoTime();
    assertThatThrownBy(() -> call.get().await().atMost(CALL))
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> {
              assertThat(e.rejection().reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE);
              assertThat(e.getMessage())
                  .contains(NODE.url().toString(), "of chain " + CHAIN, words);
            });
    long took = (System.nanoTime() - started) / 1_000_000;
    assertThat(took).isLessThanOrEqualTo(DEADLINE.plus(SLACK).toMillis());
    return took;
  }
}
