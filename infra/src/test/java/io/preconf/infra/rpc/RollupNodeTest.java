package io.preconf.infra.rpc;

import static io.preconf.infra.rpc.Senders.CALL;
import static io.preconf.infra.rpc.Senders.ETHER;
import static io.preconf.infra.rpc.Senders.GWEI;
import static io.preconf.infra.rpc.Senders.awaitReceipt;
import static io.preconf.infra.rpc.Senders.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.crypto.Keccak;
import io.preconf.core.node.AccountState;
import io.preconf.core.node.ChainHead;
import io.preconf.core.node.Receipt;
import io.preconf.core.node.SendOutcome;
import io.preconf.core.node.SendOutcome.Refusal;
import io.preconf.core.node.SenderState;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.wire.WireBlock;
import io.preconf.infra.LocalNode;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JSON-RPC adapter of {@code RollupNode} against the real anvil node of the default rollup
 * alpha, started (or reused) through infra/scripts/nodes.sh.
 */
class RollupNodeTest {
  private static final LocalNode NODE = LocalNode.alpha();
  private static final ChainId CHAIN = NODE.chain();
  private static JsonRpcClient rpc;
  private static JsonRpcRollupNode node;

  @BeforeAll
  static void node() {
    NODE.ensureRunning();
    rpc = JsonRpcClient.forRollupNode(NODE.url(), CHAIN.value(), Duration.ofSeconds(5));
    node = new JsonRpcRollupNode(rpc);
  }

  private static SendOutcome send(Bytes tx) {
    return node.sendRawTransaction(tx).await().atMost(CALL);
  }

  /** Refused for {@code refusal}, the node's own message (which contains {@code words}) kept. */
  private static void assertRefused(SendOutcome outcome, Refusal refusal, String words) {
    assertThat(outcome)
        .isInstanceOfSatisfying(
            SendOutcome.Refused.class,
            r -> {
              assertThat(r.refusal()).isEqualTo(refusal);
              assertThat(r.message()).contains(words);
            });
  }

  @Test
  void answersWithItsChainId() {
    assertThat(node.chainId().await().atMost(CALL)).isEqualTo(CHAIN);
  }

  @Test
  void headIsTheNewestBlockWithItsTimeAndBaseFee() {
    ChainHead head = node.head().await().atMost(CALL);
    JsonRpcBlockSource blocks = new JsonRpcBlockSource(CHAIN, rpc);
    WireBlock same = blocks.byNumber(head.number()).await().atMost(CALL).orElseThrow();

    assertThat(same.hash()).isEqualTo(head.hash().toHex());
    assertThat(same.timestamp()).isEqualTo(head.timestamp());
    assertThat(blocks.latest().await().atMost(CALL).getAsLong())
        .isGreaterThanOrEqualTo(head.number());
    // Anvil mines on the wall clock: the newest block is a few block times old at most.
    assertThat(head.timestamp())
        .isBetween(System.currentTimeMillis() / 1000 - 60, System.currentTimeMillis() / 1000 + 1);
    assertThat(head.baseFeePerGasWei()).isPositive();
  }

  @Test
  void theDevelopmentAccountsAreTheNodesFundedOnes() {
    // Addresses as anvil prints them at start, not derived by this code.
    assertThat(DevAccounts.address(0))
        .isEqualTo(Address.fromHex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
    assertThat(DevAccounts.address(9))
        .isEqualTo(Address.fromHex("0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"));
    for (int i = 0; i < DevAccounts.COUNT; i++) {
      AccountState a = node.account(DevAccounts.address(i)).await().atMost(CALL);
      assertThat(a.balanceWei()).as("account %d", i).isGreaterThan(ETHER);
      assertThat(a.pendingNonce()).isGreaterThanOrEqualTo(a.nonce());
    }
  }

  @Test
  void acceptsATransactionKnowsItWhilePendingAndReportsItMinedWithItsReceipt() throws Exception {
    EcdsaSigner sender = Senders.funded(rpc);
    AccountState before = node.account(sender.address()).await().atMost(CALL);
    assertThat(before).isEqualTo(new AccountState(sender.address(), 0, 0, ETHER));

    // Nonce 1 first: it waits in the pool for nonce 0, so sending it twice finds it pending.
    Bytes second = transfer(CHAIN, sender, 1, 2);
    assertThat(send(second)).isEqualTo(new SendOutcome.Accepted(Keccak.hash(second.toArray())));
    assertThat(send(second)).isEqualTo(new SendOutcome.AlreadyKnown(Keccak.hash(second.toArray())));

    Bytes first = transfer(CHAIN, sender, 0, 1);
    SendOutcome accepted = send(first);
    assertThat(accepted).isInstanceOf(SendOutcome.Accepted.class);
    assertThat(node.account(sender.address()).await().atMost(CALL).pendingNonce()).isEqualTo(2);

    Receipt r0 = awaitReceipt(node, accepted.txHash());
    Receipt r1 = awaitReceipt(node, Keccak.hash(second.toArray()));
    assertThat(r0.succeeded()).isTrue();
    assertThat(r0.gasUsed()).isEqualTo(21_000);
    assertThat(r0.effectiveGasPriceWei()).isPositive();
    // FIFO order: nonce 0 before nonce 1, whether in one block or two.
    assertThat(
            r0.blockNumber() < r1.blockNumber()
                || r0.blockNumber() == r1.blockNumber() && r0.index() < r1.index())
        .as(
            "nonce 0 at %s/%s before nonce 1 at %s/%s",
            r0.blockNumber(), r0.index(), r1.blockNumber(), r1.index())
        .isTrue();
    WireBlock block =
        new JsonRpcBlockSource(CHAIN, rpc)
            .byNumber(r0.blockNumber())
            .await()
            .atMost(CALL)
            .orElseThrow();
    assertThat(block.hash()).isEqualTo(r0.blockHash().toHex());
    assertThat(block.transactions().get(r0.index())).isEqualTo(r0.txHash().toHex());

    assertThat(send(first)).isEqualTo(new SendOutcome.AlreadyMined(r0));
    AccountState after = node.account(sender.address()).await().atMost(CALL);
    assertThat(after.nonce()).isEqualTo(2);
    assertThat(after.balanceWei()).isLessThan(ETHER.subtract(BigInteger.valueOf(3)));
  }

  @Test
  void readsASendersNonceAndBalanceTogetherAtTheBlockAsked() throws Exception {
    EcdsaSigner sender = Senders.funded(rpc);
    Receipt mined = awaitReceipt(node, send(transfer(CHAIN, sender, 0, 1)).txHash());

    SenderState before =
        node.senderAt(sender.address(), mined.blockNumber() - 1).await().atMost(CALL);
    SenderState after = node.senderAt(sender.address(), mined.blockNumber()).await().atMost(CALL);

    assertThat(before.nonce()).isZero();
    assertThat(before.balanceWei()).isEqualTo(ETHER);
    assertThat(before.blockNumber()).isEqualTo(mined.blockNumber() - 1);
    assertThat(after.nonce()).isEqualTo(1);
    assertThat(after.balanceWei())
        .isEqualTo(
            ETHER
                .subtract(BigInteger.ONE)
                .subtract(
                    BigInteger.valueOf(mined.gasUsed()).multiply(mined.effectiveGasPriceWei())));
  }

  @Test
  void refusesAnotherTransactionAtAMinedNonceAsNonceTooLow() throws Exception {
    EcdsaSigner sender = Senders.funded(rpc);
    Bytes mined = transfer(CHAIN, sender, 0, 1);
    awaitReceipt(node, send(mined).txHash());

    Bytes other = transfer(CHAIN, sender, 0, 7);
    SendOutcome outcome = send(other);

    assertRefused(outcome, Refusal.NONCE_TOO_LOW, "nonce too low");
    assertThat(outcome.txHash()).isEqualTo(Keccak.hash(other.toArray()));
  }

  @Test
  void refusesAMaxFeeBelowTheBaseFeeAsFeeTooLow() {
    BigInteger baseFee = node.head().await().atMost(CALL).baseFeePerGasWei();
    assertThat(baseFee).as("base fee").isGreaterThan(BigInteger.ONE);
    EcdsaSigner sender = Senders.funded(rpc);

    SendOutcome outcome = send(transfer(CHAIN, sender, 0, 1, BigInteger.ONE, BigInteger.ONE));

    assertRefused(outcome, Refusal.FEE_TOO_LOW, "base fee");
  }

  @Test
  void refusesATransactionOfAnUnfundedSenderAsInsufficientFunds() {
    SendOutcome outcome = send(transfer(CHAIN, Senders.fresh(), 0, 1));

    assertRefused(outcome, Refusal.INSUFFICIENT_FUNDS, "nsufficient funds");
  }

  @Test
  void refusesASecondTransactionAtAPendingNonceThatDoesNotOutbidTheFirst() {
    EcdsaSigner sender = Senders.funded(rpc);
    // Nonce 5 waits for 0 to 4, which never come, so it stays in the pool for the test.
    assertThat(send(transfer(CHAIN, sender, 5, 1))).isInstanceOf(SendOutcome.Accepted.class);

    SendOutcome outcome = send(transfer(CHAIN, sender, 5, 2));

    assertRefused(outcome, Refusal.NONCE_TAKEN, "replacement transaction underpriced");
  }

  @Test
  void refusesATransactionSignedForAnotherChainWithTheNodesWords() {
    EcdsaSigner sender = Senders.funded(rpc);

    SendOutcome outcome = send(transfer(ChainId.of(1), sender, 0, 1, GWEI, GWEI));

    assertRefused(outcome, Refusal.OTHER, "chain id");
  }

  @Test
  void hasNoReceiptForATransactionItNeverSaw() {
    Bytes never = transfer(CHAIN, Senders.fresh(), 0, 1);

    assertThat(node.receipt(Keccak.hash(never.toArray())).await().atMost(CALL)).isEmpty();
  }
}
