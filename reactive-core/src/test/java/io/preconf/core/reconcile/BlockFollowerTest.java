package io.preconf.core.reconcile;

import static io.preconf.core.testing.EngineFixture.ALPHA;
import static io.preconf.core.testing.EngineFixture.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.crypto.Keccak;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.finality.FinalityConfig;
import io.preconf.core.port.BlockSource;
import io.preconf.core.testing.EngineFixture;
import io.preconf.core.testing.InMemoryLedger;
import io.preconf.core.types.Hash32;
import io.preconf.core.wire.WireBlock;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BlockFollowerTest {
  private final EngineFixture f = new EngineFixture();
  private final InMemoryLedger ledger = new InMemoryLedger();
  private final Reconciliation reconciliation =
      new Reconciliation(
          FinalityConfig.defaults(),
          EngineFixture.rollups(),
          new Reconciliation.Ports(ledger, ledger, f.clock));
  private final Node node = new Node();
  private final BlockFollower follower =
      new BlockFollower(ALPHA, node, reconciliation, 64, FinalityConfig.defaults().depth());

  /** A node whose canonical chain the test rewrites. */
  static final class Node implements BlockSource {
    final TreeMap<Long, WireBlock> chain = new TreeMap<>();

    void put(long number, String label, String parent, String... txs) {
      chain.put(
          number,
          new WireBlock(
              ALPHA.value(),
              number,
              hash(label).toHex(),
              hash(parent).toHex(),
              1_000L,
              null,
              List.of(txs)));
    }

    @Override
    public Uni<OptionalLong> latest() {
      return Uni.createFrom()
          .item(chain.isEmpty() ? OptionalLong.empty() : OptionalLong.of(chain.lastKey()));
    }

    @Override
    public Uni<Optional<WireBlock>> byNumber(long number) {
      return Uni.createFrom().item(Optional.ofNullable(chain.get(number)));
    }
  }

  private static Hash32 hash(String label) {
    return Keccak.hash(label.getBytes(StandardCharsets.UTF_8));
  }

  private static <T> T await(Uni<T> uni) {
    return uni.subscribe().withSubscriber(UniAssertSubscriber.create()).awaitItem().getItem();
  }

  private Preconfirmation promise() {
    var r =
        await(
            f.engine.preconfirm(
                new PreconfirmRequest(List.of(transfer(ALPHA, 7, 0)), false, 1_010L)));
    ledger.track(r.preconfirmations());
    return r.preconfirmations().get(0);
  }

  @Test
  void startsAtTheNodesNewestBlockThenTakesEveryBlockInOrder() {
    Preconfirmation p = promise();
    node.put(100, "b100", "b99");
    node.put(101, "b101", "b100");
    assertThat(await(follower.poll())).isEqualTo(1);
    assertThat(follower.next()).isEqualTo(102);

    node.put(102, "b102", "b101");
    node.put(103, "b103", "b102", p.txHash().toHex());
    assertThat(await(follower.poll())).isEqualTo(2);

    assertThat(ledger.state(p).status()).isEqualTo(Status.INCLUDED);
    assertThat(ledger.state(p).finality().blockNumber()).isEqualTo(103);
  }

  @Test
  void whenTheNodeSwitchesBranchesItStepsBackAndReplacesTheOldBranch() {
    Preconfirmation p = promise();
    node.put(100, "b100", "b99");
    await(follower.poll());
    node.put(101, "b101a", "b100", p.txHash().toHex());
    node.put(102, "b102a", "b101a");
    await(follower.poll());
    assertThat(ledger.state(p).finality().blockHash()).isEqualTo(hash("b101a"));

    node.put(101, "b101b", "b100");
    node.put(102, "b102b", "b101b");
    node.put(103, "b103b", "b102b", p.txHash().toHex());
    await(follower.poll());

    assertThat(ledger.state(p).status()).isEqualTo(Status.INCLUDED);
    assertThat(ledger.state(p).finality().blockHash()).isEqualTo(hash("b103b"));
    assertThat(follower.next()).isEqualTo(104);
  }

  @Test
  void aFollowerStartedAgainResumesAfterTheRecordedHeadAndJudgesTheBlocksMadeMeanwhile() {
    Preconfirmation p = promise();
    node.put(100, "b100", "b99");
    node.put(101, "b101", "b100");
    await(follower.poll());
    // This process stops; the node goes on and includes the promise meanwhile.
    node.put(102, "b102", "b101", p.txHash().toHex());
    node.put(103, "b103", "b102");
    node.put(104, "b104", "b103");

    BlockFollower restarted =
        new BlockFollower(ALPHA, node, reconciliation, 64, FinalityConfig.defaults().depth());
    assertThat(await(restarted.poll())).isEqualTo(3);

    assertThat(ledger.state(p).status()).isEqualTo(Status.INCLUDED);
    assertThat(ledger.state(p).finality().blockNumber()).isEqualTo(102);
    assertThat(restarted.next()).isEqualTo(105);
  }

  @Test
  void aFollowerStartedAgainBeginsAtTheNewestBlockWhenTheNodeNoLongerHasTheRecordedHead() {
    node.put(100, "b100", "b99");
    await(follower.poll());
    node.chain.clear();
    for (long n = 95; n <= 110; n++) {
      node.put(n, "c" + n, "c" + (n - 1));
    }

    BlockFollower restarted =
        new BlockFollower(ALPHA, node, reconciliation, 64, FinalityConfig.defaults().depth());
    assertThat(await(restarted.poll())).isEqualTo(1);

    assertThat(restarted.next()).isEqualTo(111);
  }

  @Test
  void whenTheLedgerCannotBeReadAtFirstItStillBeginsWhereTheNodeWasAtTheFirstPoll() {
    node.put(100, "b100", "b99");
    ledger.unreadableViews = 1;
    follower.poll().subscribe().withSubscriber(UniAssertSubscriber.create()).awaitFailure();
    node.put(101, "b101", "b100");

    assertThat(await(follower.poll())).isEqualTo(2);
    assertThat(follower.next()).isEqualTo(102);
  }

  /**
   * The node's blocks {@code from..to} of branch {@code label}, block {@code from} on {@code
   * parent}.
   */
  private void branch(String label, long from, long to, String parent) {
    node.put(from, label + from, parent);
    for (long n = from + 1; n <= to; n++) {
      node.put(n, label + n, label + (n - 1));
    }
  }

  @Test
  void aDivergenceDeeperThanTheDepthIsFollowedAndTakesBackEvenAFinalizedPromise() {
    Preconfirmation p = promise();
    int depth = FinalityConfig.defaults().depth();
    node.put(100, "b100", "b99");
    await(follower.poll());
    node.put(101, "b101", "b100", p.txHash().toHex());
    branch("b", 102, 101 + depth + 20, "b101");
    await(follower.poll());
    assertThat(ledger.state(p).status()).isEqualTo(Status.FINALIZED);

    // The node reverts to block 100 and builds another chain, longer than the depth.
    node.chain.tailMap(101L).clear();
    branch("d", 101, 101 + depth + 25, "b100");
    await(follower.poll());

    assertThat(ledger.state(p).status()).isEqualTo(Status.PRECONFIRMED);
    assertThat(follower.next()).isEqualTo(101 + depth + 26);
    assertThat(reconciliation.reorgsBeyondFinality()).isEqualTo(1);
    assertThat(ledger.published.get(ledger.published.size() - 2).reason())
        .as("the finalization taken back says so")
        .contains("REORG_BEYOND_FINALITY");

    // And following goes on on the node's chain: the transaction lands again.
    node.put(101 + depth + 26, "d-next", "d" + (101 + depth + 25), p.txHash().toHex());
    assertThat(await(follower.poll())).isEqualTo(1);
    assertThat(ledger.state(p).status()).isEqualTo(Status.INCLUDED);
    assertThat(ledger.state(p).finality().blockHash()).isEqualTo(hash("d-next"));
  }

  @Test
  void aNodeRestartedEmptyIsFollowedFromItsNewestBlockAndWhatTheOldChainDidIsUndone() {
    Preconfirmation p = promise();
    node.put(100, "b100", "b99");
    await(follower.poll());
    node.put(101, "b101", "b100", p.txHash().toHex());
    node.put(102, "b102", "b101");
    await(follower.poll());
    assertThat(ledger.state(p).status()).isEqualTo(Status.INCLUDED);

    // The node is wiped: its heights start again from 0, below everything taken.
    node.chain.clear();
    branch("e", 0, 5, "genesis-parent");
    await(follower.poll());

    assertThat(ledger.state(p).status()).isEqualTo(Status.PRECONFIRMED);
    assertThat(follower.next()).isEqualTo(6);
    assertThat(reconciliation.reorgsBeyondFinality())
        .as("nothing final was lost: block 101 was not final at depth 12")
        .isZero();

    node.put(6, "e6", "e5", p.txHash().toHex());
    await(follower.poll());
    assertThat(ledger.state(p).finality().blockHash()).isEqualTo(hash("e6"));
  }
}
